r"""Maximum-likelihood fits, covariance from the Hessian, profile scans and Fisher-matrix analysis.

Minimisation is done by optimistix (BFGS by default, or Newton's method on ∇(−ln L) = 0), followed by one
Newton polish step with the exact Hessian (`jax.hessian`) when it lowers −ln L. Gaussian likelihoods can
instead be fitted as least squares in their whitened residuals (`fit_least_squares`: Gauss–Newton or
Levenberg–Marquardt), which needs only Jacobians and solves a linear model in one step. Convergence is judged, and
reported, in units of the fitted uncertainties: `edm = ½ gᵀ H⁻¹ g` (expected distance to minimum) and
`distance_sigma = √(2 edm)`, the length of the remaining Newton step measured with the fitted covariance
(cases/fit-convergence-relative-to-sigma.md): never an absolute tolerance on parameters.
"""

from __future__ import annotations

import enum

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx

from ._checks import check_finite, is_concrete
from ._errors import EFTInputError, FitError

__all__ = ["RESULTS", "FitResult", "fit", "fit_least_squares", "profile_scan", "FisherAnalysis", "fisher_analysis"]


class RESULTS(enum.Enum):
    """Outcome of a fit; each value is its readable message."""

    successful = "The fit converged."
    max_steps_reached = "The minimiser reached max_steps before converging; raise max_steps or improve x0."
    not_converged = "The minimiser stopped but the distance to the minimum exceeds tol_sigma (in fitted sigmas)."
    nonfinite = "The likelihood or its Hessian is not finite at the end point."
    not_positive_definite = "The Hessian at the end point is not positive definite (saddle or flat direction)."


_CODES = list(RESULTS)


class FitResult(eqx.Module):
    """Result of `fit`.

    Fields: `x` (best fit, (n,)), `nll` (−ln L there), `covariance` ((n, n), H⁻¹), `errors` ((n,), √diag),
    `gradient`, `edm` (½ gᵀH⁻¹g), `distance_sigma` (√(2 edm)), `n_steps`, `code` (index into `RESULTS`; an array
    so vmapped fits report per point). `result` / `message` / `converged` read it eagerly.
    """

    x: jax.Array
    nll: jax.Array
    covariance: jax.Array
    errors: jax.Array
    gradient: jax.Array
    edm: jax.Array
    distance_sigma: jax.Array
    n_steps: jax.Array
    code: jax.Array

    @property
    def result(self) -> RESULTS:
        return _CODES[int(self.code)]

    @property
    def message(self) -> str:
        return self.result.value

    @property
    def converged(self) -> bool:
        return self.result is RESULTS.successful


def _covariance(H):
    Hs = 0.5 * (H + H.T)
    evals = jnp.linalg.eigvalsh(Hs)
    cov = jnp.linalg.inv(Hs)
    return 0.5 * (cov + cov.T), evals


def fit(nll_fn, x0, *, method: str = "bfgs", rtol: float = 1e-10, atol: float = 1e-10, max_steps: int = 10_000,
        tol_sigma: float = 1e-3, polish: bool = True, throw: bool = True) -> FitResult:
    r"""Minimise `nll_fn(x)` (a scalar −ln L, JAX-traceable) from `x0`.

    **Arguments:**

    - `nll_fn`: function of a 1-d parameter array returning −ln L.
    - `x0`: starting point, shape (n,).
    - `method`: `"bfgs"` (optimistix.BFGS) or `"newton"` (optimistix.Newton root find on ∇ nll).
    - `rtol`, `atol`: optimistix tolerances; `max_steps`: iteration limit.
    - `tol_sigma`: converged when the remaining Newton step is below this many fitted σ.
    - `polish`: one final Newton step with the exact Hessian when it lowers nll.
    - `throw`: raise `FitError` (with the readable message) when not converged; otherwise inspect `code`.

    **Returns:** `FitResult`.

    **Raises:** `EFTInputError` for bad `x0`/`method`; `FitError` when `throw=True` and the fit did not converge.
    """
    if method not in ("bfgs", "newton"):
        raise EFTInputError(f"method must be one of ['bfgs', 'newton'], got {method!r}")
    x0 = check_finite(x0, "x0", "")
    if x0.ndim != 1:
        raise EFTInputError(f"x0 must be a 1-d array, got shape {x0.shape}")
    res = _fit_core(nll_fn, x0, method, rtol, atol, max_steps, tol_sigma, polish)
    if throw and is_concrete(res.code) and not res.converged:
        raise FitError(
            f"{res.message} (distance to minimum {float(res.distance_sigma):.3g} sigma, steps {int(res.n_steps)})"
        )
    return res


@eqx.filter_jit
def _fit_core(nll_fn, x0, method, rtol, atol, max_steps, tol_sigma, polish):
    fn = lambda x, args: nll_fn(x)  # noqa: E731
    if method == "bfgs":
        sol = optx.minimise(fn, optx.BFGS(rtol=rtol, atol=atol), x0, max_steps=max_steps, throw=False)
    else:
        grad = lambda x, args: jax.grad(nll_fn)(x)  # noqa: E731
        sol = optx.root_find(grad, optx.Newton(rtol=rtol, atol=atol), x0, max_steps=max_steps, throw=False)
    x = sol.value
    H = jax.hessian(nll_fn)(x)
    g = jax.grad(nll_fn)(x)
    if polish:
        step = jnp.linalg.solve(0.5 * (H + H.T), g)
        xp = x - step
        better = nll_fn(xp) <= nll_fn(x)
        x = jnp.where(better, xp, x)
        H = jnp.where(better, jax.hessian(nll_fn)(x), H)
        g = jax.grad(nll_fn)(x)
    return _result(x, nll_fn(x), H, g, sol, tol_sigma)


def _result(x, val, H, g, sol, tol_sigma) -> FitResult:
    """FitResult at `x` from −ln L `val`, its Hessian `H` and gradient `g`, and the optimistix solution."""
    cov, evals = _covariance(H)
    edm = 0.5 * g @ cov @ g
    dist = jnp.sqrt(jnp.maximum(2 * edm, 0.0))
    finite = jnp.isfinite(val) & jnp.all(jnp.isfinite(H))
    pd = jnp.min(evals) > 0
    stopped_at_limit = sol.result == optx.RESULTS.nonlinear_max_steps_reached
    code = jnp.where(
        ~finite, 3,
        jnp.where(~pd, 4, jnp.where(dist < tol_sigma, 0, jnp.where(stopped_at_limit, 1, 2))),
    )
    return FitResult(x=x, nll=val, covariance=cov, errors=jnp.sqrt(jnp.abs(jnp.diag(cov))), gradient=g, edm=edm,
                     distance_sigma=dist, n_steps=sol.stats["num_steps"], code=code)


def fit_least_squares(residual_fn, x0, *, method: str = "gauss-newton", rtol: float = 1e-10, atol: float = 1e-10,
                      max_steps: int = 1000, tol_sigma: float = 1e-3, throw: bool = True) -> FitResult:
    r"""Minimise `−ln L = ½‖r(x)‖²` for whitened residuals `r = residual_fn(x)`.

    Every Gaussian likelihood is of this form: `GaussianLikelihood.whitened_residual(prediction)` is
    `L⁻¹(μ(x) − y)` with `Σ = LLᵀ`, and `GaussianConstraint.residual(ν)` is `(ν − ν̂)/σ`; concatenate them.
    Least-squares solvers use the Jacobian `J = ∂r/∂x` instead of second derivatives and solve a linear model
    (predictions linear in `x`) in one step, so this is much cheaper than `fit` for many parameters.

    **Arguments:**

    - `residual_fn`: function of a 1-d parameter array returning the residual vector (m,), dimensionless.
    - `x0`: starting point, shape (n,).
    - `method`: `"gauss-newton"` (optimistix.GaussNewton, for nearly linear models) or `"levenberg-marquardt"`
      (optimistix.LevenbergMarquardt, a trust region for strongly nonlinear ones).
    - `rtol`, `atol`, `max_steps`, `tol_sigma`, `throw`: as in `fit`.

    **Returns:** `FitResult` whose covariance is `(JᵀJ)⁻¹`, the Gauss–Newton Hessian: exact for linear
    predictions, the expected (Fisher) information otherwise. Convergence is judged in σ as in `fit`.

    **Raises:** `EFTInputError` for bad `x0`/`method`; `FitError` when `throw=True` and the fit did not converge.
    """
    if method not in ("gauss-newton", "levenberg-marquardt"):
        raise EFTInputError(f"method must be one of ['gauss-newton', 'levenberg-marquardt'], got {method!r}")
    x0 = check_finite(x0, "x0", "")
    if x0.ndim != 1:
        raise EFTInputError(f"x0 must be a 1-d array, got shape {x0.shape}")
    res = _least_squares_core(residual_fn, x0, method, rtol, atol, max_steps, tol_sigma)
    if throw and is_concrete(res.code) and not res.converged:
        raise FitError(
            f"{res.message} (distance to minimum {float(res.distance_sigma):.3g} sigma, steps {int(res.n_steps)})"
        )
    return res


@eqx.filter_jit
def _least_squares_core(residual_fn, x0, method, rtol, atol, max_steps, tol_sigma):
    if method == "gauss-newton":
        solver = optx.GaussNewton(rtol=rtol, atol=atol)
    else:
        solver = optx.LevenbergMarquardt(rtol=rtol, atol=atol)
    sol = optx.least_squares(lambda x, args: residual_fn(x), solver, x0, max_steps=max_steps, throw=False)
    x = sol.value
    r = residual_fn(x)
    J = jax.jacfwd(residual_fn)(x)
    return _result(x, 0.5 * r @ r, J.T @ J, J.T @ r, sol, tol_sigma)


def profile_scan(nll_fn, x_best, index: int, values, *, rtol: float = 1e-10, atol: float = 1e-10,
                 max_steps: int = 2000):
    r"""Profile likelihood in parameter `index`: for each value, minimise over the others (vmapped BFGS).

    **Arguments:** `nll_fn` as in `fit`; `x_best` (n,) start for the other parameters; `index` static int;
    `values` (k,) values of the scanned parameter.

    **Returns:** `(profiled_nll, x_profiled)` of shapes (k,) and (k, n).
    """
    x_best = check_finite(x_best, "x_best", "")
    values = check_finite(values, "values", "")
    n = x_best.shape[0]
    if not 0 <= index < n:
        raise EFTInputError(f"index must be in [0, {n - 1}], got {index}")
    others = jnp.asarray([i for i in range(n) if i != index])

    def full(v, rest):
        return jnp.zeros(n).at[others].set(rest).at[index].set(v)

    @jax.vmap
    def one(v):
        fn = lambda rest, args: nll_fn(full(v, rest))  # noqa: E731
        sol = optx.minimise(fn, optx.BFGS(rtol=rtol, atol=atol), x_best[others], max_steps=max_steps, throw=False)
        return nll_fn(full(v, sol.value)), full(v, sol.value)

    return eqx.filter_jit(one)(values)


class FisherAnalysis(eqx.Module):
    """Eigen-decomposition of the Fisher matrix (Hessian of −ln L).

    Fields: `eigenvalues` (ascending, (n,)), `eigenvectors` ((n, n), columns), `ratios` (λ/λ_max), `flat`
    (list of `(ratio, {name: component})` for directions with ratio below the threshold, largest components
    first), `names`.
    """

    eigenvalues: jax.Array
    eigenvectors: jax.Array
    ratios: jax.Array
    flat: list = eqx.field(static=True)
    names: tuple = eqx.field(static=True)


def fisher_analysis(nll_fn, x, *, names=None, flat_threshold: float = 1e-6, n_components: int = 3) -> FisherAnalysis:
    r"""Fisher-matrix analysis at `x`: eigenvalues/vectors of the Hessian of `nll_fn`, flat directions named.

    **Arguments:** `nll_fn`, `x` (n,); `names`: parameter names (default `x0, x1, …`); `flat_threshold`: a
    direction is flat when λ/λ_max is below it; `n_components`: how many parameters name each flat direction.

    **Returns:** `FisherAnalysis`. Eager only (it builds Python lists of names).
    """
    x = check_finite(x, "x", "")
    names = tuple(names) if names is not None else tuple(f"x{i}" for i in range(x.shape[0]))
    if len(names) != x.shape[0]:
        raise EFTInputError(f"names must have {x.shape[0]} entries, got {len(names)}")
    H = jax.hessian(nll_fn)(x)
    evals, evecs = jnp.linalg.eigh(0.5 * (H + H.T))
    ratios = evals / jnp.max(jnp.abs(evals))
    flat = []
    for k in np.nonzero(np.asarray(ratios) < flat_threshold)[0]:
        v = np.asarray(evecs[:, k])
        order = np.argsort(-np.abs(v))[:n_components]
        flat.append((float(ratios[k]), {names[i]: float(v[i]) for i in order}))
    return FisherAnalysis(eigenvalues=evals, eigenvectors=evecs, ratios=ratios, flat=flat, names=names)
