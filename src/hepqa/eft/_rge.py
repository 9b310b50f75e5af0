r"""Linear renormalisation-group evolution of Wilson coefficients across flavour thresholds.

Convention: `dC/d ln μ = γ(α_s, nf)^T C`, where the user's `gamma_fn(alpha_s, nf)` returns the (n, n) matrix
γ (γ_ij = mixing of Q_i into Q_j, e.g. `(α_s/4π) γ^(0)` at LO; the convention of Buras hep-ph/9806471).

Method. The evolution is linear, so we compute the evolution *matrix* U (C(μ) = U C(μ0)), never the
coefficients themselves: the accuracy is then independent of the size and units of C
(cases/ode-tolerance-small-coefficients.md), and one U serves any number of coefficient vectors. U and
x = 4π/α_s are integrated together with diffrax (Tsit5, PID controller, rtol 1e-10 / atol 1e-12 on O(1)
quantities: U starts at the identity), segment by segment between thresholds. In each segment α_s starts from
`alpha_s(μ_start, nf=segment nf)` so decoupling at m_q(m_q) is that of `alpha_s`; C is continuous across
thresholds (LO matching). U is always integrated downward (μ_high → μ_low) and inverted for upward evolution,
so the number and order of segments is static under `jax.jit`.

The analytic LO solution (`evolution_matrix_lo`): per segment
`U = V diag(η^{λ_i/(2β0)}) V⁻¹` with `γ^(0)T = V diag(λ) V⁻¹`, `η = α_s(μ_start)/α_s(μ_end)`; exact when
α_s runs at one loop (`loops=1`), the usual LO formula otherwise.
"""

from __future__ import annotations

from functools import partial

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ._alpha_s import FOUR_PI, alpha_s, x_rhs
from ._checks import check_finite, check_int_choice, check_positive, is_concrete
from ._errors import EFTInputError, RunningError
from ._qcd import beta_coefficients

__all__ = ["evolution_matrix", "evolution_matrix_lo", "run_linear", "flavour_segments"]


def _regions(mb, mc, mt):
    """(nf, lower, upper) of each flavour region, from high to low nf."""
    regs = []
    if mt is not None:
        regs.append((6, mt, jnp.inf))
        regs.append((5, mb, mt))
    else:
        regs.append((5, mb, jnp.inf))
    regs.append((4, mc, mb))
    regs.append((3, 0.0, mc))
    return regs


def flavour_segments(mu_high, mu_low, *, mb=4.18, mc=1.27, mt=None):
    """Segments of the downward path μ_high → μ_low, one per flavour region (static count; empty ones have
    equal ends). Returns a list of `(nf, mu_start, mu_end)` with scales in GeV."""
    mu_high, mu_low = check_positive(mu_high, "mu_high"), check_positive(mu_low, "mu_low")
    mb, mc = check_positive(mb, "mb"), check_positive(mc, "mc")
    mt = None if mt is None else check_positive(mt, "mt")
    out = []
    for nf, lo, hi in _regions(mb, mc, mt):
        a = jnp.clip(mu_high, lo, hi)
        b = jnp.clip(mu_low, lo, hi)
        out.append((nf, a, b))
    return out


def _segment_solve(gamma_fn, n, loops, rtol, atol, max_steps, adjoint):
    def rhs(s, y, args):
        x, U = y
        t_a, t_b, nf = args
        dt = t_b - t_a
        a_s = FOUR_PI / x
        dx = 2.0 * x_rhs(x, nf, loops)
        dU = gamma_fn(a_s, nf).T @ U
        return (dt * dx, dt * dU)

    term = diffrax.ODETerm(rhs)

    def solve(x0, t_a, t_b, nf):
        y0 = (x0, jnp.eye(n))
        sol = diffrax.diffeqsolve(
            term, diffrax.Tsit5(), 0.0, 1.0, 0.05, y0, args=(t_a, t_b, nf),
            stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
            max_steps=max_steps, adjoint=adjoint, throw=False,
        )
        return sol.ys[1][-1], sol.result

    return solve


def _downward_matrix(gamma_fn, n, mu_high, mu_low, asp, loops, rtol, atol, max_steps, adjoint):
    segs = flavour_segments(mu_high, mu_low, mb=asp["mb"], mc=asp["mc"], mt=asp["mt"])
    nfs, x0s, tas, tbs = [], [], [], []
    for nf, a, b in segs:
        x0s.append(FOUR_PI / alpha_s(a, nf=nf, loops=loops, **asp))
        tas.append(jnp.log(a))
        tbs.append(jnp.log(b))
        nfs.append(float(nf))
    solve = _segment_solve(gamma_fn, n, loops, rtol, atol, max_steps, adjoint)
    U = jnp.eye(n)
    ok = jnp.asarray(True)
    # A Python loop over at most 4 segments; `solve` is traced once per segment.
    for x0, ta, tb, nf in zip(x0s, tas, tbs, nfs):
        Useg, res = solve(x0, ta, tb, jnp.asarray(nf))
        U = Useg @ U
        ok = ok & (res == diffrax.RESULTS.successful)
    return U, ok


def _check_scales(mu_from, mu_to):
    return check_positive(mu_from, "mu_from"), check_positive(mu_to, "mu_to")


def _check_qcd(alpha_s_mz, mz, mb, mc, mt) -> dict:
    """The α_s inputs of `evolution_matrix` / `evolution_matrix_lo`, checked (finite; masses in GeV > 0)."""
    return dict(alpha_s_mz=check_positive(alpha_s_mz, "alpha_s_mz", ""), mz=check_positive(mz, "mz"),
                mb=check_positive(mb, "mb"), mc=check_positive(mc, "mc"),
                mt=None if mt is None else check_positive(mt, "mt"))


def evolution_matrix(gamma_fn, n: int, mu_from, mu_to, *, alpha_s_mz=0.1180, mz=91.1876, loops: int = 4,
                     mb=4.18, mc=1.27, mt=None, rtol: float = 1e-10, atol: float = 1e-12,
                     max_steps: int = 4096, adjoint=None, throw: bool = True):
    r"""Evolution matrix U with C(μ_to) = U C(μ_from), from a numerical (diffrax) solve of the linear RGE.

    **Arguments:**

    - `gamma_fn(alpha_s, nf)`: returns the (n, n) anomalous-dimension matrix γ (convention
      `dC/d ln μ = γ^T C`); must accept traced `alpha_s` and `nf` (float).
    - `n`: number of coefficients (static).
    - `mu_from`, `mu_to`: scales in GeV (either order).
    - `alpha_s_mz`, `mz`, `loops`, `mb`, `mc`, `mt`: α_s inputs (see `alpha_s`); thresholds at m_q(m_q).
    - `rtol`, `atol`: diffrax PID tolerances on U (O(1)); `max_steps` per segment.
    - `adjoint`: diffrax adjoint; default `diffrax.ForwardMode()` (use `jax.jacfwd` for derivatives with
      respect to scales; reverse mode through the solve is avoided on purpose, see GUIDE §6).
    - `throw`: raise `RunningError` if the solver fails (default); else return NaNs in U.

    **Returns:** U, float64 array of shape (n, n).

    **Raises:** `EFTInputError` for bad scales; `RunningError` if the ODE solve fails (with `throw=True`).
    """
    loops = check_int_choice(loops, "loops", {1, 2, 3, 4})
    mu_from, mu_to = _check_scales(mu_from, mu_to)
    asp = _check_qcd(alpha_s_mz, mz, mb, mc, mt)
    adjoint = diffrax.ForwardMode() if adjoint is None else adjoint
    U, ok = _evolution_matrix_core(gamma_fn, n, mu_from, mu_to, asp, loops, rtol, atol, max_steps, adjoint)
    return _finish(U, ok, throw)


def _finish(U, ok, throw):
    if is_concrete(ok):
        if throw and not bool(ok):
            raise RunningError("RG evolution: the ODE solve did not finish (max_steps reached or step failed)")
        return jnp.where(ok, U, jnp.nan)
    if throw:
        U = eqx.error_if(U, ~ok, "RG evolution: the ODE solve did not finish")
    return jnp.where(ok, U, jnp.nan)


@partial(jax.jit, static_argnames=("gamma_fn", "n", "loops", "rtol", "atol", "max_steps", "adjoint"))
def _evolution_matrix_core(gamma_fn, n, mu_from, mu_to, asp, loops, rtol, atol, max_steps, adjoint):
    hi = jnp.maximum(mu_from, mu_to)
    lo = jnp.minimum(mu_from, mu_to)
    Ud, ok = _downward_matrix(gamma_fn, n, hi, lo, asp, loops, rtol, atol, max_steps, adjoint)
    up = mu_to > mu_from
    U = jnp.where(up, jnp.linalg.inv(Ud), Ud)
    return U, ok


def run_linear(C0, gamma_fn, mu_from, mu_to, **kwargs):
    r"""Evolve coefficients `C0` from `mu_from` to `mu_to` (GeV) with `dC/d ln μ = γ^T(α_s, nf) C`.

    **Arguments:** `C0` array of shape (n,) or (batch, n) (any units: the evolution is linear and computed as
    a matrix, so results do not depend on the size of C); `gamma_fn`, `mu_from`, `mu_to` and keyword options as
    in `evolution_matrix`.

    **Returns:** C(μ_to), same shape and dtype as `C0` (complex coefficients are evolved component-wise).

    **Raises:** as `evolution_matrix`; `EFTInputError` for non-finite `C0`.
    """
    C0 = check_finite(C0, "C0", "")
    n = C0.shape[-1]
    U = evolution_matrix(gamma_fn, n, mu_from, mu_to, **kwargs)
    return jnp.einsum("ij,...j->...i", U.astype(C0.dtype), C0)


def evolution_matrix_lo(gamma0, mu_from, mu_to, *, alpha_s_mz=0.1180, mz=91.1876, loops: int = 1, mb=4.18,
                        mc=1.27, mt=None):
    r"""Analytic LO evolution matrix: per flavour segment `V diag(η^{λ_i/(2β0)}) V⁻¹` (Buras hep-ph/9806471).

    **Arguments:** `gamma0`: the constant LO matrix γ^(0) (numpy, shape (n, n); `γ = (α_s/4π) γ^(0)`),
    diagonalised once in numpy (it must be diagonalisable); scales in GeV; α_s inputs as in `alpha_s`
    (`loops=1` makes the formula the exact solution of the one-loop system).

    **Returns:** U, shape (n, n), with C(μ_to) = U C(μ_from). Differentiable in forward and reverse mode with
    respect to scales and α_s inputs (no ODE solve involved).
    """
    gamma0 = np.asarray(gamma0, dtype=float)  # a constant, diagonalised in numpy (also under jit)
    if not np.all(np.isfinite(gamma0)):
        raise EFTInputError(f"gamma0 must be finite, got {np.array2string(gamma0, precision=6, threshold=8)}")
    lam, V = np.linalg.eig(gamma0.T)
    if np.linalg.cond(V) > 1e10:
        raise EFTInputError("gamma0 must be diagonalisable for the analytic LO solution, got a defective matrix")
    real = bool(np.all(np.abs(lam.imag) < 1e-12) and np.all(np.abs(V.imag) < 1e-12))
    if real:
        lam, V = lam.real, V.real
    Vinv = np.linalg.inv(V)
    mu_from, mu_to = _check_scales(mu_from, mu_to)
    hi = jnp.maximum(mu_from, mu_to)
    lo = jnp.minimum(mu_from, mu_to)
    asp = {**_check_qcd(alpha_s_mz, mz, mb, mc, mt), "loops": loops}
    n = gamma0.shape[0]
    U = jnp.eye(n)
    for nf, a, b in flavour_segments(hi, lo, mb=mb, mc=mc, mt=mt):
        eta = alpha_s(a, nf=nf, **asp) / alpha_s(b, nf=nf, **asp)
        b0 = beta_coefficients(nf)[0]
        d = jnp.exp(jnp.log(eta) * lam / (2 * b0))
        Useg = (V * d[None, :]) @ Vinv
        U = (Useg.real if not real else Useg) @ U
    return jnp.where(mu_to > mu_from, jnp.linalg.inv(U), U)


