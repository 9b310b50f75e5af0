"""Likelihoods and fits: convergence in σ units (374 parameters), profiles, Fisher, nuisances, failures."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from hepqa.eft import (
    RESULTS,
    EFTInputError,
    FitError,
    GaussianConstraint,
    GaussianLikelihood,
    constrained_nll,
    fisher_analysis,
    fit,
    fit_least_squares,
    profile_scan,
)


def _quadratic_374(seed=0):
    rng = np.random.default_rng(seed)
    n = 374
    lam = np.logspace(-2, 2, n)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    H = (Q * lam) @ Q.T
    H = 0.5 * (H + H.T)
    x_true = rng.normal(size=n) * 3.0
    Hj, xj = jnp.asarray(H), jnp.asarray(x_true)

    def nll(x):
        d = x - xj
        return 0.5 * d @ (Hj @ d)

    return nll, H, x_true, lam


@pytest.mark.parametrize("method", ["bfgs", "newton"])
def test_fit_convergence_relative_to_sigma_case(method):
    """cases/fit-convergence-relative-to-sigma.md: 374 parameters, Hessian eigenvalues 1e-2…1e2. Compare the
    best fit in units of the fitted σ (each parameter and along every eigen-direction), the covariance by its
    eigenvalues, and check the fit reports its own convergence measure."""
    nll, H, x_true, lam = _quadratic_374()
    res = fit(nll, jnp.zeros(374), method=method)
    assert res.converged and res.result is RESULTS.successful
    assert float(res.distance_sigma) < 1e-3  # the fit's own measure, in σ
    pull = (np.asarray(res.x) - x_true) / np.asarray(res.errors)
    assert np.max(np.abs(pull)) < 1e-3
    d = np.asarray(res.x) - x_true
    assert np.sqrt(d @ H @ d) < 1e-3  # Mahalanobis distance: every direction, the weakest included
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(np.asarray(res.covariance))), np.sort(1 / lam), rtol=1e-8)


def test_fit_not_converged_reports_and_throws():
    nll, *_ = _quadratic_374()
    res = fit(nll, jnp.zeros(374), max_steps=3, polish=False, throw=False)
    assert not res.converged
    assert res.result in (RESULTS.max_steps_reached, RESULTS.not_converged)
    assert "max_steps" in res.message or "tol_sigma" in res.message
    with pytest.raises(FitError, match="sigma"):
        fit(nll, jnp.zeros(374), max_steps=3, polish=False, throw=True)
    with pytest.raises(EFTInputError, match="method must be one of"):
        fit(nll, jnp.zeros(374), method="simplex")
    with pytest.raises(EFTInputError, match="x0 must be finite"):
        fit(nll, jnp.full(374, jnp.nan))


def _small_problem():
    cov = np.array([[1.0, 0.3, 0.1], [0.3, 2.0, -0.4], [0.1, -0.4, 0.5]]) * 0.01
    A = np.array([[1.0, 0.5], [0.2, 1.0], [1.0, -1.0]])
    y = np.array([0.3, -0.2, 0.7])
    lik = GaussianLikelihood(jnp.asarray(y), jnp.asarray(cov))
    return lik, A, y, cov


def test_gaussian_likelihood_linear_fit_matches_gls():
    """Correlated Gaussian (Cholesky) fit of a linear model = generalised least squares, exactly."""
    lik, A, y, cov = _small_problem()
    res = fit(lambda p: lik.nll(jnp.asarray(A) @ p), jnp.zeros(2))
    Ci = np.linalg.inv(cov)
    V = np.linalg.inv(A.T @ Ci @ A)
    np.testing.assert_allclose(np.asarray(res.x), V @ A.T @ Ci @ y, rtol=1e-9)
    np.testing.assert_allclose(np.asarray(res.covariance), V, rtol=1e-9)
    # profile scan: Δ(−ln L) = ½ (v − x̂)²/V_00 for a linear model
    vals = jnp.linspace(float(res.x[0]) - 0.2, float(res.x[0]) + 0.2, 5)
    prof, _ = profile_scan(lambda p: lik.nll(jnp.asarray(A) @ p), res.x, 0, vals)
    np.testing.assert_allclose(np.asarray(prof - res.nll), 0.5 * (np.asarray(vals) - float(res.x[0])) ** 2 / V[0, 0],
                               rtol=1e-6, atol=1e-10)


def test_nuisance_profiling_inflates_covariance():
    """Profiling a Gaussian-constrained nuisance ν (prediction A θ + b ν, ν ~ N(0, s²)) equals GLS with
    Σ + s² b bᵀ (analytic)."""
    lik, A, y, cov = _small_problem()
    b = np.array([0.1, 0.3, -0.2])
    s = 0.5
    nll = constrained_nll(lik, lambda poi, nu: jnp.asarray(A) @ poi + jnp.asarray(b) * nu[0],
                          GaussianConstraint(jnp.zeros(1), jnp.full(1, s)), n_poi=2)
    res = fit(nll, jnp.zeros(3))
    St = cov + s**2 * np.outer(b, b)
    V = np.linalg.inv(A.T @ np.linalg.inv(St) @ A)
    np.testing.assert_allclose(np.asarray(res.covariance)[:2, :2], V, rtol=1e-8)
    np.testing.assert_allclose(np.asarray(res.x)[:2], V @ A.T @ np.linalg.inv(St) @ y, rtol=1e-8)


@pytest.mark.parametrize("method", ["gauss-newton", "levenberg-marquardt"])
def test_least_squares_with_nuisance_matches_analytic_gls(method):
    """`fit_least_squares` on whitened residuals (data + constraint) is the same GLS with Σ + s² b bᵀ as the
    profiled `fit` above: best fit and covariance of the parameters of interest (analytic)."""
    lik, A, y, cov = _small_problem()
    b, s = np.array([0.1, 0.3, -0.2]), 0.5
    cons = GaussianConstraint(jnp.zeros(1), jnp.full(1, s))

    def residual(p):
        prediction = jnp.asarray(A) @ p[:2] + jnp.asarray(b) * p[2]
        return jnp.concatenate([lik.whitened_residual(prediction), cons.residual(p[2:])])

    res = fit_least_squares(residual, jnp.zeros(3), method=method)
    assert res.converged and float(res.distance_sigma) < 1e-6
    St = cov + s**2 * np.outer(b, b)
    V = np.linalg.inv(A.T @ np.linalg.inv(St) @ A)
    np.testing.assert_allclose(np.asarray(res.covariance)[:2, :2], V, rtol=1e-8)
    np.testing.assert_allclose(np.asarray(res.x)[:2], V @ A.T @ np.linalg.inv(St) @ y, rtol=1e-8)
    assert float(res.nll) == pytest.approx(float(fit(lambda p: 0.5 * jnp.sum(residual(p) ** 2), jnp.zeros(3)).nll),
                                           rel=1e-9)


def test_least_squares_nonlinear_model_agrees_with_fit_and_reports_failure():
    """A nonlinear model (exponential decay, 40 points): the least-squares best fit equals `fit`'s to 1e-6 σ
    and its Gauss–Newton covariance is close to the exact inverse Hessian (zero-residual limit); a budget of
    one step is reported as not converged, in σ."""
    t = np.linspace(0.0, 4.0, 40)
    y = 2.0 * np.exp(-0.7 * t) + 0.01 * np.sin(7 * t)
    sigma = 0.02

    def residual(p):
        return (p[0] * jnp.exp(-p[1] * jnp.asarray(t)) - jnp.asarray(y)) / sigma

    exact = fit(lambda p: 0.5 * jnp.sum(residual(p) ** 2), jnp.array([1.0, 1.0]))
    for method in ("gauss-newton", "levenberg-marquardt"):
        res = fit_least_squares(residual, jnp.array([1.0, 1.0]), method=method)
        pull = (np.asarray(res.x) - np.asarray(exact.x)) / np.asarray(exact.errors)
        assert np.max(np.abs(pull)) < 1e-6, method
        np.testing.assert_allclose(np.asarray(res.errors), np.asarray(exact.errors), rtol=0.05)
    bad = fit_least_squares(residual, jnp.array([1.0, 1.0]), max_steps=1, throw=False)
    assert not bad.converged and float(bad.distance_sigma) > 1e-3
    with pytest.raises(FitError, match="sigma"):
        fit_least_squares(residual, jnp.array([1.0, 1.0]), max_steps=1)
    with pytest.raises(EFTInputError, match="method must be one of"):
        fit_least_squares(residual, jnp.array([1.0, 1.0]), method="bfgs")
    with pytest.raises(EFTInputError, match="x0 must be finite"):
        fit_least_squares(residual, jnp.array([jnp.nan, 1.0]))


def test_fisher_analysis_names_flat_direction():
    """A likelihood that only constrains x0 + x1 has one flat direction ∝ (x0 − x1)/√2, named."""
    nll = lambda p: 0.5 * ((p[0] + p[1] - 1.0) / 0.1) ** 2 + 0.5 * (p[2] / 0.2) ** 2 + 1e-12 * p[0] ** 2  # noqa: E731
    fa = fisher_analysis(nll, jnp.array([0.5, 0.5, 0.0]), names=["C9", "C10", "C7"])
    assert len(fa.flat) == 1
    ratio, comps = fa.flat[0]
    assert ratio < 1e-6
    assert set(list(comps)[:2]) == {"C9", "C10"}
    assert abs(abs(comps["C9"]) - 2**-0.5) < 1e-6 and comps["C9"] == pytest.approx(-comps["C10"], rel=1e-6)


def test_gaussian_likelihood_bad_input():
    with pytest.raises(EFTInputError, match="positive definite"):
        GaussianLikelihood(jnp.zeros(2), jnp.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(EFTInputError, match=r"covariance must have shape \(2, 2\)"):
        GaussianLikelihood(jnp.zeros(2), jnp.eye(3))
    with pytest.raises(EFTInputError, match="observed must be finite"):
        GaussianLikelihood(jnp.array([0.0, jnp.inf]), sigma=jnp.ones(2))
