"""Every public entry point of the core rejects NaN and ±inf in each numeric argument, naming the argument;
a fit that cannot succeed says why."""

from __future__ import annotations

import math

import jax.numpy as jnp
import pytest

import hepqa.eft as eft

GAMMA = eft.gamma_deltaf2
# (callable, valid keyword arguments, numeric arguments to spoil, prefix the message names them with)
CASES = [
    (eft.alpha_s, dict(mu=10.0), ["mu", "alpha_s_mz", "mz", "mb", "mc"], ""),
    (eft.active_flavours, dict(mu=10.0), ["mu", "mb", "mc"], ""),
    (eft.running_mass, dict(m0=4.18, mu0=4.18, mu=10.0), ["m0", "mu0", "mu", "alpha_s_mz"], ""),
    (eft.evolution_matrix_lo, dict(gamma0=jnp.eye(2), mu_from=100.0, mu_to=5.0),
     ["gamma0", "mu_from", "mu_to", "alpha_s_mz", "mb"], ""),
    (eft.evolution_matrix, dict(gamma_fn=GAMMA, n=5, mu_from=100.0, mu_to=5.0),
     ["mu_from", "mu_to", "alpha_s_mz", "mz", "mb", "mc"], ""),
    (eft.run_linear, dict(C0=jnp.ones(5), gamma_fn=GAMMA, mu_from=100.0, mu_to=5.0), ["C0", "mu_from"], ""),
    (eft.flavour_segments, dict(mu_high=100.0, mu_low=2.0), ["mu_high", "mu_low", "mb", "mc"], ""),
    (eft.match_zprime_bsll, dict(mass=1000.0, g_sb=0.01, g_mumu_L=0.5, g_mumu_R=0.0),
     ["mass", "g_sb", "g_mumu_L", "g_mumu_R", "G_F", "alpha_em", "Vtb_Vts"], ""),
    (eft.match_zprime_smeft, dict(mass=1000.0, g_q=0.1 * jnp.eye(3), g_l=0.1 * jnp.eye(3)), ["mass", "g_q", "g_l"], ""),
    (eft.match_scalar_singlet, dict(mass=1000.0, A=100.0), ["mass", "A", "kappa", "mu3"], ""),
    (eft.match_u1_leptoquark, dict(mass=1000.0, beta_L=0.1 * jnp.ones((3, 3))), ["mass", "beta_L"], ""),
    (eft.zprime_current_coefficient, dict(mass=1000.0, g_a=0.1, g_b=0.1), ["mass", "g_a", "g_b"], ""),
    # a complex V_tb V_ts*: the finiteness check keeps complex inputs complex
    (eft.smeft_to_wet_bsll, dict(C_lq1_2223=1e-8, C_lq3_2223=0.0, C_qe_2322=0.0, Vtb_Vts=-0.0405 + 0.0007j),
     ["C_lq1_2223", "C_lq3_2223", "C_qe_2322", "G_F", "alpha_em", "Vtb_Vts"], ""),
    (eft.bsll_normalisation, dict(), ["G_F", "alpha_em", "Vtb_Vts"], ""),
    (eft.strong_sector_silh, dict(m_star=3000.0, g_star=3.0), ["m_star", "g_star"], ""),
    (eft.strong_sector_nda, dict(Lambda=3000.0), ["Lambda"], ""),
    (eft.strong_sector_georgi, dict(f=1000.0, Lambda=3000.0), ["f", "Lambda"], ""),
    (eft.StrongSector, dict(f=1000.0, g_star=3.0), ["f", "g_star"], "StrongSector "),
    (eft.WeakHeavyState, dict(mass=1000.0, coupling=0.5), ["mass", "coupling"], "WeakHeavyState "),
    (eft.GaussianLikelihood, dict(observed=jnp.zeros(2), sigma=jnp.ones(2)), ["observed", "sigma"], ""),
    (eft.wcxf_dict, dict(values={"C9_bsmumu": 1.0}, eft="WET", basis="flavio", scale=4.8), ["scale"], ""),
]
PARAMS = [(fn, kwargs, name, prefix, bad) for fn, kwargs, names, prefix in CASES for name in names
          for bad in (math.nan, math.inf, -math.inf)]


@pytest.mark.parametrize(("fn", "kwargs", "prefix"), [(c[0], c[1], c[3]) for c in CASES],
                         ids=[c[0].__name__ for c in CASES])
def test_valid_arguments_are_accepted(fn, kwargs, prefix) -> None:
    """The baselines below are valid, so each failure is caused by the one spoiled argument."""
    fn(**kwargs)


@pytest.mark.parametrize(("fn", "kwargs", "name", "prefix", "bad"), PARAMS,
                         ids=[f"{p[0].__name__}-{p[2]}-{p[4]}" for p in PARAMS])
def test_non_finite_argument_is_named(fn, kwargs, name: str, prefix: str, bad: float) -> None:
    args = dict(kwargs)
    base = args.get(name)
    args[name] = jnp.full(jnp.shape(base), bad) if base is not None and jnp.ndim(base) else bad
    with pytest.raises(eft.EFTInputError, match=rf"^{prefix}{name} must be (finite|a finite number)"):
        fn(**args)


def test_fit_that_meets_a_non_finite_likelihood_says_so() -> None:
    def nll(p):
        return jnp.log(-p[0]) + p[1] ** 2  # NaN everywhere the fit starts

    result = eft.fit(nll, jnp.array([1.0, 0.0]), max_steps=50, throw=False)
    assert not result.converged and "not finite" in result.message
    with pytest.raises(eft.FitError, match="likelihood or its Hessian is not finite"):
        eft.fit(nll, jnp.array([1.0, 0.0]), max_steps=50)
