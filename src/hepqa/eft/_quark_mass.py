"""MS-bar quark-mass running at fixed number of flavours.

`d ln m / d ln μ² = −(γ0 a + γ1 a² + γ2 a³ + γ3 a⁴)`, `a = α_s^(nf)/4π`, with γ0…γ3 from hep-ph/9703284
Eq. (7) (γ3 = four loops). The coupling runs along with the mass (same RK4 scheme and β function as
`alpha_s`), so the result is the exact solution of the truncated RGEs, not an expanded formula.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from ._alpha_s import FOUR_PI, N_RK4_STEPS, alpha_s, x_rhs
from ._checks import check_int_choice, check_positive
from ._errors import EFTInputError
from ._qcd import gamma_m_coefficients
from ._rk4 import rk4

__all__ = ["running_mass"]


@partial(jax.jit, static_argnames=("nf", "loops"))
def _run_mass(m0, x0, mu0, mu, *, nf: int, loops: int):
    g = gamma_m_coefficients(nf)

    def f(t, y):
        x, _ = y
        a = 1.0 / x
        gm = sum(g[k] * a ** (k + 1) for k in range(loops))
        return (x_rhs(x, nf, loops), -gm)

    def scalar(m0, x0, mu0, mu):
        _, lnm = rk4(f, (x0, jnp.log(m0)), 2 * jnp.log(mu0), 2 * jnp.log(mu), N_RK4_STEPS)
        return jnp.exp(lnm)

    return jnp.vectorize(scalar)(m0, x0, mu0, mu)


def running_mass(m0, mu0, mu, *, nf: int = 5, loops: int = 4, alpha_s_mz=0.1180, mz=91.1876, mb=4.18,
                 mc=1.27, mt=None):
    r"""Run an MS-bar quark mass m(μ0) → m(μ) with `nf` active flavours (no threshold crossing).

    Conventions: MS-bar mass and coupling, both in the `nf`-flavour scheme; γ_m to `loops` loops
    (1 = LO, 2 = NLO, …, 4 = N3LO; hep-ph/9703284 Eq. (7)); α_s^(nf)(μ0) from `alpha_s(mu0, nf=nf, ...)` with
    the same `loops`, then α_s and m are integrated together.

    **Arguments:**

    - `m0`: the mass m(μ0) in GeV (scalar or array).
    - `mu0`, `mu`: initial and final scales in GeV.
    - `nf`: number of active flavours (3–6, static); both scales are treated in this scheme.
    - `loops`: order of γ_m and of the β function, 1–4 (static).
    - `alpha_s_mz`, `mz`, `mb`, `mc`, `mt`: inputs of `alpha_s` (GeV), used to get α_s^(nf)(μ0).

    **Returns:** m(μ) in GeV, float64, broadcast shape of `m0`, `mu0`, `mu`; differentiable in all of them.

    **Raises:** `EFTInputError` for non-positive or non-finite masses/scales or bad `nf`/`loops`.

    Example: m_b(m_b) = 4.18 GeV gives m_b(m_Z) ≈ 2.86 GeV with `nf=5, loops=4`.
    """
    nf = check_int_choice(nf, "nf", {3, 4, 5, 6})
    loops = check_int_choice(loops, "loops", {1, 2, 3, 4})
    if nf == 6 and mt is None:
        raise EFTInputError("nf=6 needs the top threshold: mt must be given, got None")
    m0 = check_positive(m0, "m0")
    mu0 = check_positive(mu0, "mu0")
    mu = check_positive(mu, "mu")
    a0 = alpha_s(mu0, alpha_s_mz=alpha_s_mz, mz=mz, loops=loops, mb=mb, mc=mc, mt=mt, nf=nf)
    return _run_mass(m0, FOUR_PI / a0, mu0, mu, nf=nf, loops=loops)


