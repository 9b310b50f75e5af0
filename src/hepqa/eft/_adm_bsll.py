r"""LO QCD anomalous dimensions of the b → s dipole and semileptonic operators (C7, C8, C9, C10).

Normalisation (Buchalla, Buras, Lautenbacher hep-ph/9512380, Sec. XI/XII; flavio's `WET`/`flavio` basis):

    H_eff = −(4G_F/√2) V_tb V_ts* Σ C_i O_i,
    O7 = (e/16π²) m_b (s̄ σ_μν P_R b) F^μν,   O8 = (g_s/16π²) m_b (s̄ σ_μν T^a P_R b) G^{aμν},
    O9 = (e²/16π²)(s̄ γ_μ P_L b)(ℓ̄ γ^μ ℓ),     O10 = (e²/16π²)(s̄ γ_μ P_L b)(ℓ̄ γ^μ γ5 ℓ).

`dC/d ln μ = γ^T C`, `γ = (α_s/4π) γ^(0)` with (m_b's running included in the dipole entries)

    γ77 = 32/3,  γ88 = 28/3,  γ87 = −32/9 (Q8 mixes into Q7),  γ78 = 0,

which gives the LO closed form (BBL hep-ph/9512380, B → X_s γ section; Buras hep-ph/9806471):
`C7(μ) = η^{16/23} C7(μ0) + (8/3)(η^{14/23} − η^{16/23}) C8(μ0)`, `C8(μ) = η^{14/23} C8(μ0)` for nf = 5.

What is *not* included (stated so nobody assumes it is): the mixing of the four-quark operators O1…O6 into
O7, O8 and O9 (absent here because those operators are not in this sector), and QED. With the e²/16π²
normalisation, O9 and O10 do not run under QCD alone (conserved quark currents), so their rows and columns
are zero.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BSLL_OPERATORS", "GAMMA0_BSLL", "gamma_bsll"]

BSLL_OPERATORS = ("C7", "C8", "C9", "C10")

GAMMA0_BSLL = np.array(
    [
        [32.0 / 3.0, 0.0, 0.0, 0.0],
        [-32.0 / 9.0, 28.0 / 3.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ]
)
GAMMA0_BSLL.setflags(write=False)


def gamma_bsll(alpha_s, nf):
    """LO ADM `(α_s/4π) γ^(0)` of (C7, C8, C9, C10), shape (4, 4); nf-independent at this order."""
    del nf
    return alpha_s / (4.0 * np.pi) * GAMMA0_BSLL
