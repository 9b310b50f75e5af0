r"""Gaussian likelihoods with correlations and Gaussian constraint terms for nuisance parameters.

`−ln L = ½ (y − μ(θ))ᵀ Σ⁻¹ (y − μ(θ)) + Σ_k ½ ((ν_k − ν̂_k)/σ_k)²` (constants dropped). Σ⁻¹ is never formed:
Σ = L Lᵀ (Cholesky, once, at construction) and the residual is whitened by a triangular solve.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np

from ._checks import check_finite, is_concrete
from ._errors import EFTInputError

__all__ = ["GaussianLikelihood", "GaussianConstraint", "constrained_nll"]


class GaussianLikelihood(eqx.Module):
    """Multivariate Gaussian in the observables.

    **Arguments:** `observed`: measured values, shape (m,); `covariance`: (m, m) symmetric positive definite
    (or `sigma`: (m,) uncorrelated uncertainties, with `correlation` optional (m, m)).

    **Raises:** `EFTInputError` when shapes disagree, values are not finite, or Σ is not positive definite.
    """

    observed: jax.Array
    chol: jax.Array

    def __init__(self, observed, covariance=None, *, sigma=None, correlation=None):
        observed = check_finite(observed, "observed", "")
        if covariance is None:
            if sigma is None:
                raise EFTInputError("GaussianLikelihood needs covariance or sigma, got neither")
            sigma = check_finite(sigma, "sigma", "")
            corr = jnp.eye(sigma.shape[0]) if correlation is None else check_finite(correlation, "correlation", "")
            covariance = corr * sigma[:, None] * sigma[None, :]
        covariance = check_finite(covariance, "covariance", "")
        m = observed.shape[0]
        if covariance.shape != (m, m):
            raise EFTInputError(f"covariance must have shape ({m}, {m}), got {covariance.shape}")
        chol = jnp.linalg.cholesky(0.5 * (covariance + covariance.T))
        if is_concrete(chol) and not bool(np.all(np.isfinite(np.asarray(chol)))):
            raise EFTInputError("covariance must be symmetric positive definite, got a matrix Cholesky rejects")
        self.observed = observed
        self.chol = chol

    def whitened_residual(self, prediction):
        """L⁻¹ (prediction − observed), shape (m,)."""
        return jsl.solve_triangular(self.chol, prediction - self.observed, lower=True)

    def nll(self, prediction):
        """−ln L up to a constant for predictions of shape (m,)."""
        z = self.whitened_residual(prediction)
        return 0.5 * jnp.dot(z, z)


class GaussianConstraint(eqx.Module):
    """Gaussian constraint `½((ν − center)/sigma)²` on nuisance parameters (e.g. ln of a matching scale)."""

    center: jax.Array
    sigma: jax.Array

    def residual(self, nu):
        """`(ν − center)/sigma`, shape (k,): the constraint's whitened residual (for `fit_least_squares`)."""
        return (nu - self.center) / self.sigma

    def __call__(self, nu):
        return 0.5 * jnp.sum(self.residual(nu) ** 2)


def constrained_nll(likelihood: GaussianLikelihood, predict, constraint: GaussianConstraint, n_poi: int):
    """Build `nll(params)` for params = concat(poi (n_poi,), nuisances): data term of `predict(poi, nu)` plus the
    constraint on `nu`. Fitting all of `params` profiles the nuisances."""

    def nll(params):
        poi, nu = params[:n_poi], params[n_poi:]
        return likelihood.nll(predict(poi, nu)) + constraint(nu)

    return nll
