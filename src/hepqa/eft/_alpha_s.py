"""MS-bar strong coupling α_s(μ) with heavy-quark decoupling, and the number of active flavours.

Method (stated once, used everywhere):

- Running: the n-loop β function (`hepqa.eft._qcd`, β3 from hep-ph/9701390) integrated exactly (no
  truncated-expansion formula) for `x = 4π/α_s` in `t = ln μ²` with fixed-step RK4 (`_rk4.py` explains why
  this, and not an adaptive diffrax solve, and how accurate it is: ~1e-11 relative).
- Decoupling at μ = m_q(m_q) (MS-bar masses, the RunDec convention): `loops=4` uses the 3-loop
  Chetyrkin–Kniehl–Steinhauser relation (hep-ph/9708255 Eq. (27), constants c2 and c3), `loops=3` the 2-loop
  one (c2 only), `loops=2` the 1-loop one (which is the identity at μ = m_q, c1 = 0), `loops=1` none. Going up
  a threshold (5 → 6 flavours at m_t) uses the inverted series truncated at the same order (as RunDec's
  `DecAsUpMS`).
- Every evaluation starts from α_s^(5)(m_Z) and follows the chain of thresholds to the requested scheme, so the
  scale at which each mass is read (m_q(m_q)) is explicit and fixed.
"""

from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from ._checks import check_finite, check_int_choice, check_positive, is_concrete
from ._errors import EFTInputError, RunningError
from ._qcd import beta_coefficients, decoupling_c2, decoupling_c3
from ._rk4 import rk4

__all__ = ["alpha_s", "active_flavours", "x_rhs", "N_RK4_STEPS"]

FOUR_PI = 4.0 * math.pi
N_RK4_STEPS = 64


def x_rhs(x, nf, loops: int):
    """`dx/d ln μ²` for `x = 4π/α_s`: β0 + β1 a + β2 a² + β3 a³ truncated at `loops` (a = 1/x)."""
    b = beta_coefficients(nf)
    a = 1.0 / x
    out = b[0]
    for k in range(1, loops):
        out = out + b[k] * a**k
    return out


def _run_x(x0, mu0, mu1, nf: int, loops: int):
    return rk4(lambda t, x: x_rhs(x, nf, loops), x0, 2 * jnp.log(mu0), 2 * jnp.log(mu1), N_RK4_STEPS)


def _dec_factor_coeffs(nl: int, loops: int):
    c2 = decoupling_c2() if loops >= 3 else 0.0
    c3 = decoupling_c3(nl) if loops >= 4 else 0.0
    return c2, c3


def _decouple_down(x, nl: int, loops: int):
    """x^(nl) from x^(nl+1) at μ = m_h(m_h)."""
    al = FOUR_PI / x
    c2, c3 = _dec_factor_coeffs(nl, loops)
    A = al / math.pi
    return FOUR_PI / (al * (1.0 + c2 * A**2 + c3 * A**3))


def _decouple_up(x, nl: int, loops: int):
    """x^(nl+1) from x^(nl) at μ = m_h(m_h): inverted series, truncated at the same order."""
    al = FOUR_PI / x
    c2, c3 = _dec_factor_coeffs(nl, loops)
    A = al / math.pi
    return FOUR_PI / (al * (1.0 - c2 * A**2 - c3 * A**3))


def _x_in_scheme(mu, nf: int, loops: int, alpha_s_mz, mz, mb, mc, mt):
    """x = 4π/α_s^(nf)(mu), following the threshold chain from α_s^(5)(m_Z)."""
    x = FOUR_PI / alpha_s_mz
    if nf == 5:
        return _run_x(x, mz, mu, 5, loops)
    if nf == 6:
        x = _run_x(x, mz, mt, 5, loops)
        x = _decouple_up(x, 5, loops)
        return _run_x(x, mt, mu, 6, loops)
    x = _run_x(x, mz, mb, 5, loops)
    x = _decouple_down(x, 4, loops)
    if nf == 4:
        return _run_x(x, mb, mu, 4, loops)
    x = _run_x(x, mb, mc, 4, loops)
    x = _decouple_down(x, 3, loops)
    return _run_x(x, mc, mu, 3, loops)


@partial(jax.jit, static_argnames=("loops", "nf", "has_top"))
def _alpha_s_core(mu, alpha_s_mz, mz, mb, mc, mt, *, loops: int, nf, has_top: bool):
    def scalar(mu, alpha_s_mz, mz, mb, mc, mt):
        args = (loops, alpha_s_mz, mz, mb, mc, mt)
        if nf is not None:
            return FOUR_PI / _x_in_scheme(mu, nf, *args)
        # Default scheme: the flavours active at mu. Each candidate chain is evaluated at mu clipped into its
        # own window, so the branches not selected stay finite and their (zero) gradients are not NaN.
        big = jnp.inf
        top = mt if has_top else big
        x3 = _x_in_scheme(jnp.minimum(mu, mc), 3, *args)
        x4 = _x_in_scheme(jnp.clip(mu, mc, mb), 4, *args)
        x5 = _x_in_scheme(jnp.clip(mu, mb, top), 5, *args)
        x = jnp.where(mu < mc, x3, jnp.where(mu < mb, x4, x5))
        if has_top:
            x6 = _x_in_scheme(jnp.maximum(mu, mt), 6, *args)
            x = jnp.where(mu >= mt, x6, x)
        return FOUR_PI / x

    return jnp.vectorize(scalar)(mu, alpha_s_mz, mz, mb, mc, mt)


def active_flavours(mu, *, mb=4.18, mc=1.27, mt=None):
    """Number of active quark flavours at `mu` with thresholds at `mc`, `mb` (and `mt` if given), in GeV.

    **Arguments:** `mu` scale(s) in GeV (scalar or array); `mb`, `mc`, `mt` MS-bar masses m_q(m_q) in GeV.
    A scale equal to a threshold counts the heavy quark as active.

    **Returns:** int array shaped like `mu` (3, 4, 5, or 6 when `mt` is given).
    """
    mu = check_positive(mu, "mu")
    mb, mc = check_positive(mb, "mb"), check_positive(mc, "mc")
    mt = None if mt is None else check_positive(mt, "mt")
    n = 3 + (mu >= mc).astype(jnp.int32) + (mu >= mb).astype(jnp.int32)
    if mt is not None:
        n = n + (mu >= mt).astype(jnp.int32)
    return n


def alpha_s(mu, *, alpha_s_mz=0.1180, mz=91.1876, loops: int = 4, mb=4.18, mc=1.27, mt=None, nf=None):
    r"""MS-bar strong coupling α_s^(nf)(μ), run from α_s^(5)(m_Z) across heavy-quark thresholds.

    Conventions: MS-bar scheme; thresholds at μ = m_q(m_q) (MS-bar masses); n-loop running with (n−1)-loop
    decoupling (3-loop Chetyrkin–Kniehl–Steinhauser, hep-ph/9708255 Eq. (27), for `loops=4`), exactly as
    RunDec (hep-ph/0004189) does. β0…β3 from hep-ph/9701390 Eq. (8).

    **Arguments:**

    - `mu`: renormalisation scale in GeV, scalar or array (the output has its shape).
    - `alpha_s_mz`: α_s^(5)(m_Z), the 5-flavour coupling at `mz` (PDG 2024: 0.1180(9)).
    - `mz`: the scale of `alpha_s_mz` in GeV (default 91.1876).
    - `loops`: 1–4, order of the β function (static).
    - `mb`, `mc`: m_b(m_b), m_c(m_c) in GeV (thresholds 5↔4 and 4↔3).
    - `mt`: m_t(m_t) in GeV; `None` (default) means no 6-flavour region.
    - `nf`: the scheme, i.e. number of active flavours of the returned coupling (3, 4, 5 or 6; static).
      `None` (default) means the flavours active at `mu` (`active_flavours(mu, ...)`).

    **Returns:** α_s^(nf)(μ) as a float64 array shaped like `mu`. Works under `jax.jit`, `jax.grad`,
    `jax.jacfwd` and `jax.vmap` with respect to `mu`, `alpha_s_mz`, `mz` and the masses.

    **Raises:** `EFTInputError` for non-positive or non-finite scales/masses, masses not ordered
    `mc < mb < mz (< mt)`, `loops`/`nf` outside their choices; `RunningError` when the coupling blows up
    (Landau pole, typically μ ≲ 0.5 GeV). Under `jax.jit` the same checks raise `EquinoxRuntimeError`.

    Example:

    ```python
    >>> from hepqa.eft import alpha_s
    >>> round(float(alpha_s(4.18, nf=5)), 6)
    0.224616
    ```

    ??? cite "Reference"
        ```bibtex
        @article{vanRitbergen:1997va, author = {van Ritbergen, T. and Vermaseren, J. A. M. and Larin, S. A.},
          title = {The four-loop beta function in quantum chromodynamics}, journal = {Phys. Lett. B},
          volume = {400}, pages = {379--384}, year = {1997}, eprint = {hep-ph/9701390}}
        @article{Chetyrkin:1997sg, author = {Chetyrkin, K. G. and Kniehl, B. A. and Steinhauser, M.},
          title = {Strong coupling constant with flavor thresholds at four loops in the MS-bar scheme},
          journal = {Phys. Rev. Lett.}, volume = {79}, pages = {2184--2187}, year = {1997},
          eprint = {hep-ph/9706430}}
        ```
    """
    loops = check_int_choice(loops, "loops", {1, 2, 3, 4})
    if nf is not None:
        nf = check_int_choice(nf, "nf", {3, 4, 5, 6})
        if nf == 6 and mt is None:
            raise EFTInputError("nf=6 needs the top threshold: mt must be given, got None")
    mu = check_positive(mu, "mu")
    alpha_s_mz = check_finite(alpha_s_mz, "alpha_s_mz", "")
    if is_concrete(alpha_s_mz) and not (0.0 < float(np.max(alpha_s_mz)) < 1.0 and float(np.min(alpha_s_mz)) > 0):
        raise EFTInputError(f"alpha_s_mz must be in (0, 1), got {np.asarray(alpha_s_mz)!r}")
    mz = check_positive(mz, "mz")
    mb = check_positive(mb, "mb")
    mc = check_positive(mc, "mc")
    has_top = mt is not None
    mt = check_positive(mt, "mt") if has_top else jnp.asarray(jnp.inf)
    if is_concrete(mz, mb, mc, mt):
        if not (np.all(np.asarray(mc) < np.asarray(mb)) and np.all(np.asarray(mb) < np.asarray(mz))):
            raise EFTInputError(f"masses must be ordered mc < mb < mz, got mc={mc}, mb={mb}, mz={mz} GeV")
        if has_top and not np.all(np.asarray(mt) > np.asarray(mz)):
            raise EFTInputError(f"mt must be above mz, got mt={mt} GeV, mz={mz} GeV")
    out = _alpha_s_core(mu, alpha_s_mz, mz, mb, mc, mt, loops=loops, nf=nf, has_top=has_top)
    return _check_perturbative(out, mu)


def _check_perturbative(out, mu):
    bad = ~jnp.all(jnp.isfinite(out) & (out > 0) & (out < 4.0))
    if is_concrete(out):
        if bool(bad):
            raise RunningError(
                f"alpha_s is not perturbative at mu={np.asarray(mu)!r} GeV (Landau pole reached): "
                "mu must be above about 0.6 GeV"
            )
        return out
    import equinox as eqx

    return eqx.error_if(out, bad, "alpha_s is not perturbative at mu (Landau pole): mu must be above ~0.6 GeV")
