r"""LO QCD anomalous dimensions of the five ΔF = 2 operators in the SUSY basis.

Operators (colour indices α, β; P_{L,R} = (1 ∓ γ5)/2; written for B_s mixing, s̄…b, any ΔF = 2 pair alike):

    Q1 = (s̄^α γ_μ P_L b^α)(s̄^β γ^μ P_L b^β)   (VLL)
    Q2 = (s̄^α P_L b^α)(s̄^β P_L b^β)            Q3 = (s̄^α P_L b^β)(s̄^β P_L b^α)    (SLL)
    Q4 = (s̄^α P_L b^α)(s̄^β P_R b^β)            Q5 = (s̄^α P_L b^β)(s̄^β P_R b^α)    (LR)

(Gabbiani et al. hep-ph/9604387; Ciuchini et al. hep-ph/9711402 Eq. (2); Bagger, Matchev, Zhang
hep-ph/9707225). Convention: `dC/d ln μ = γ^T C` with `γ = (α_s/4π) γ^(0)`, γ_ij the mixing of Q_i into Q_j.

γ^(0) (N = 3):

    γ11 = 6 − 6/N = 4
    (Q2, Q3): [[−28/3, 4/3], [16/3, 32/3]]
    (Q4, Q5): [[−16, 0], [−6, 2]]

These follow from the one-loop ADMs of Buras, Misiak, Urban (hep-ph/0005183, Sec. 3: VLL 6 − 6/N; LR
[[6/N, 12], [0, −6N + 6/N]]; SLL [[−6N + 6 + 6/N, 1/2 − 1/N], [−24 − 48/N, 2N + 6 − 2/N]] for their
(Q1^SLL, Q2^SLL)) through their Fierz relations Q1^LR = −2 Q5, Q2^LR = Q4, Q1^SLL = Q2,
Q2^SLL = 4 Q2 + 8 Q3 (σ_μν = [γ_μ, γ_ν]/2), i.e. γ_SUSY = R⁻¹ γ_BMU R (`tests/eft/test_rge.py` redoes
this change of basis). At LO, C1(μ) = η^{6/(33−2nf)} C1(μ0), η = α_s(μ0)/α_s(μ) (Buras hep-ph/9806471).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DELTAF2_OPERATORS", "GAMMA0_DELTAF2", "gamma_deltaf2"]

DELTAF2_OPERATORS = ("Q1", "Q2", "Q3", "Q4", "Q5")

GAMMA0_DELTAF2 = np.array(
    [
        [4.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, -28.0 / 3.0, 4.0 / 3.0, 0.0, 0.0],
        [0.0, 16.0 / 3.0, 32.0 / 3.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, -16.0, 0.0],
        [0.0, 0.0, 0.0, -6.0, 2.0],
    ]
)
GAMMA0_DELTAF2.setflags(write=False)


def gamma_deltaf2(alpha_s, nf):
    """LO ADM `(α_s/4π) γ^(0)` of (Q1…Q5), shape (5, 5); `nf` unused at LO (kept for the common signature)."""
    del nf
    return alpha_s / (4.0 * np.pi) * GAMMA0_DELTAF2
