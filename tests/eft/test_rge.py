"""Linear RG evolution: diffrax vs analytic LO vs scipy, closed forms, wilson, grid interpolation, units."""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from hepqa.eft import (
    GAMMA0_BSLL,
    GAMMA0_DELTAF2,
    EFTInputError,
    alpha_s,
    evolution_matrix,
    evolution_matrix_lo,
    gamma_bsll,
    gamma_deltaf2,
    make_evolution_table,
    run_linear,
)
from hepqa.eft._qcd import beta_coefficients

C5 = jnp.array([1.0, 0.5, -0.3, 0.2, 0.7])


@pytest.mark.parametrize(("mu_from", "mu_to"), [(1000.0, 3.0), (3.0, 1000.0), (2.0, 1.1), (500.0, 200.0)])
def test_diffrax_matches_analytic_lo_across_thresholds(mu_from, mu_to):
    """With one-loop α_s the LO formula V diag(η^{λ/2β0}) V⁻¹ is exact: both must agree to ~1e-8."""
    kw = dict(loops=1, mt=162.5)
    U = evolution_matrix(gamma_deltaf2, 5, mu_from, mu_to, **kw)
    Ua = evolution_matrix_lo(GAMMA0_DELTAF2, mu_from, mu_to, **kw)
    np.testing.assert_allclose(np.asarray(U), np.asarray(Ua), rtol=1e-8, atol=1e-12)
    Ub = evolution_matrix(gamma_bsll, 4, mu_from, mu_to, **kw)
    Uba = evolution_matrix_lo(GAMMA0_BSLL, mu_from, mu_to, **kw)
    np.testing.assert_allclose(np.asarray(Ub), np.asarray(Uba), rtol=1e-8, atol=1e-12)


def test_diffrax_matches_scipy_solve_ivp_four_loop_alpha_s():
    """Independent integrator: scipy DOP853 (rtol 1e-12) on (4π/α_s, C) in the 5-flavour region."""
    mu0, mu1 = 1000.0, 5.0
    b = beta_coefficients(5)

    def rhs(t, y):
        a = 1 / y[0]
        dx = 2 * (b[0] + b[1] * a + b[2] * a**2 + b[3] * a**3)
        return np.concatenate([[dx], a * GAMMA0_DELTAF2.T @ y[1:]])

    x0 = 4 * math.pi / float(alpha_s(mu0, nf=5))
    sol = solve_ivp(rhs, (math.log(mu0), math.log(mu1)), np.concatenate([[x0], np.asarray(C5)]),
                    method="DOP853", rtol=1e-12, atol=1e-14)
    ours = run_linear(C5, gamma_deltaf2, mu0, mu1)
    np.testing.assert_allclose(np.asarray(ours), sol.y[1:, -1], rtol=1e-8)


def test_deltaf2_vll_closed_form():
    """GUIDE §5 / Buras hep-ph/9806471: C1(μ) = η^{6/(33−2nf)} C1(μ0), η = α_s(μ0)/α_s(μ) (1-loop α_s: exact)."""
    for mu0, mu, nf in [(160.0, 4.5, 5), (4.0, 1.5, 4)]:
        eta = float(alpha_s(mu0, nf=nf, loops=1) / alpha_s(mu, nf=nf, loops=1))
        c = run_linear(jnp.array([1.0, 0, 0, 0, 0]), gamma_deltaf2, mu0, mu, loops=1)
        assert float(c[0]) == pytest.approx(eta ** (6 / (33 - 2 * nf)), rel=1e-9)


def test_bsll_dipole_closed_form():
    """BBL hep-ph/9512380: C7(μb) = η^{16/23} C7 + 8/3 (η^{14/23} − η^{16/23}) C8, C8(μb) = η^{14/23} C8;
    C9, C10 unchanged by QCD at this order."""
    eta = float(alpha_s(160.0, nf=5, loops=1) / alpha_s(4.8, nf=5, loops=1))
    c0 = jnp.array([-0.3, -0.15, 4.2, -4.1])
    c = run_linear(c0, gamma_bsll, 160.0, 4.8, loops=1)
    c7 = eta ** (16 / 23) * -0.3 + 8 / 3 * (eta ** (14 / 23) - eta ** (16 / 23)) * -0.15
    np.testing.assert_allclose(np.asarray(c), [c7, eta ** (14 / 23) * -0.15, 4.2, -4.1], rtol=1e-9)


def test_deltaf2_susy_basis_from_bmu_sectors():
    """Redo the change of basis of `_adm_deltaf2.py`: γ_SUSY = R⁻¹ γ_BMU R with the BMU (hep-ph/0005183)
    one-loop sector ADMs at N = 3 and the Fierz relations Q1^LR = −2Q5, Q2^LR = Q4, Q2^SLL = 4Q2 + 8Q3."""
    N = 3
    lr = np.array([[6 / N, 12], [0, -6 * N + 6 / N]])
    sll = np.array([[-6 * N + 6 + 6 / N, 1 / 2 - 1 / N], [-24 - 48 / N, 2 * N + 6 - 2 / N]])
    R_lr = np.array([[0, -2], [1, 0]])  # rows: (Q1^LR, Q2^LR) in terms of (Q4, Q5)
    R_sll = np.array([[1, 0], [4, 8]])  # rows: (Q1^SLL, Q2^SLL) in terms of (Q2, Q3)
    np.testing.assert_allclose(np.linalg.inv(R_lr) @ lr @ R_lr, GAMMA0_DELTAF2[3:, 3:], atol=1e-13)
    np.testing.assert_allclose(np.linalg.inv(R_sll) @ sll @ R_sll, GAMMA0_DELTAF2[1:3, 1:3], atol=1e-13)
    assert GAMMA0_DELTAF2[0, 0] == 6 - 6 / N


def _wilson_run(values, scale_in, scale_out):
    wilson = pytest.importorskip("wilson")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = wilson.Wilson(values, scale=scale_in, eft="WET", basis="JMS")
        w.set_option("qed_order", 0)  # QCD only, like our ADMs
        return w.match_run(scale_out, "WET", "JMS").dict


def test_deltaf2_against_wilson_wet_running():
    """wilson 2.5 (WET, JMS basis, LO QCD, qed_order=0): α_s(M_Z) = 0.1185 at 3 loops; both scales in the
    5-flavour region so no threshold conventions enter. Small inputs (1e-10) keep it linear.
    JMS ↔ SUSY basis: V1ddLR = −2Q5, V8ddLR = −Q4 + Q5/3; S1ddRR ~ Q2, S8ddRR = Q3/2 − Q2/6 (RR mirror of SLL)."""
    mu0, mu1 = 160.0, 5.0
    v = 1e-10
    out = _wilson_run({"VddLL_2323": v, "V1ddLR_2323": v, "S1ddRR_2323": v}, mu0, mu1)
    U = evolution_matrix_lo(GAMMA0_DELTAF2, mu0, mu1, alpha_s_mz=0.1185, loops=3)
    # initial SUSY-basis coefficients: C1 = v; (C4, C5) from V1 = v: C4 = 0, C5 = -2v; (C2, C3) from S1 = v.
    c = np.asarray(U @ jnp.array([v, v, 0.0, 0.0, -2 * v]))
    vll, s1, s8 = c[0], c[1] + c[2] / 3, 2 * c[2]
    v8 = -c[3]
    v1 = (v8 / 3 - c[4]) / 2
    np.testing.assert_allclose(
        [vll, v1, v8, s1, s8],
        [out["VddLL_2323"], out["V1ddLR_2323"], out["V8ddLR_2323"], out["S1ddRR_2323"], out["S8ddRR_2323"]],
        rtol=1e-5,
    )
    # our diffrax solve (3-loop α_s integrated exactly) differs from the LO formula only beyond LO
    c_num = run_linear(jnp.array([v, 0, 0, 0, 0]), gamma_deltaf2, mu0, mu1, alpha_s_mz=0.1185, loops=3)
    assert float(c_num[0]) == pytest.approx(out["VddLL_2323"], rel=5e-3)


GRID = [91.1876, 125.0, 326.0, 500.0, 1000.0, 2000.0, 5000.0, 1e4, 1e5, 1e6]


@pytest.fixture(scope="module")
def table():
    return make_evolution_table(gamma_deltaf2, 5, GRID, mt=162.5)


def test_evolution_off_grid_interpolation_case(table):
    """cases/evolution-off-grid-interpolation.md: to 91.1876 GeV from 200, 700, 1500, 3000, 30000 GeV
    (off grid) and from grid points, down and up, within 1e-3 of direct integration (we reach ~1e-7)."""
    for mu in [200.0, 700.0, 1500.0, 3000.0, 30000.0, 125.0, 5000.0, 1e6]:
        down = table.evolve(C5, mu, 91.1876)
        up = table.evolve(C5, 91.1876, mu)
        np.testing.assert_allclose(np.asarray(down), np.asarray(run_linear(C5, gamma_deltaf2, mu, 91.1876, mt=162.5)),
                                   rtol=1e-6)
        np.testing.assert_allclose(np.asarray(up), np.asarray(run_linear(C5, gamma_deltaf2, 91.1876, mu, mt=162.5)),
                                   rtol=1e-6)
    # between two off-grid scales, and no jump at a grid point
    np.testing.assert_allclose(np.asarray(table.evolve(C5, 30000.0, 700.0)),
                               np.asarray(run_linear(C5, gamma_deltaf2, 30000.0, 700.0, mt=162.5)), rtol=1e-6)
    for node in [500.0, 1e4]:
        left = table.evolve(C5, node * (1 - 1e-9), 91.1876)
        right = table.evolve(C5, node * (1 + 1e-9), 91.1876)
        np.testing.assert_allclose(np.asarray(left), np.asarray(right), rtol=1e-8)
    with pytest.raises(EFTInputError, match=r"mu must be in \[91.1876, 1e\+06\] GeV"):
        table.evolve(C5, 5e6, 91.1876)


def test_ode_tolerance_small_coefficients_case():
    """cases/ode-tolerance-small-coefficients.md: accuracy does not depend on units. C vs 1000·C gives outputs in
    the ratio 1000 to 1e-8; 1e-9 GeV⁻² agrees with 1e-3 TeV⁻² converted back."""
    c = jnp.array([1.0, 0.3, -0.2, 0.5, -0.7])
    a = run_linear(c, gamma_deltaf2, 3000.0, 4.2)
    b = run_linear(1000.0 * c, gamma_deltaf2, 3000.0, 4.2)
    np.testing.assert_allclose(np.asarray(b / a), 1000.0, rtol=1e-8)
    gev = run_linear(1e-9 * c, gamma_deltaf2, 3000.0, 4.2)  # GeV^-2
    tev = run_linear(1e-3 * c, gamma_deltaf2, 3000.0, 4.2)  # TeV^-2
    np.testing.assert_allclose(np.asarray(tev) * 1e-6, np.asarray(gev), rtol=1e-12)
    # and a tiny coefficient is as accurate as an O(1) one against the analytic solution
    Ua = evolution_matrix_lo(GAMMA0_DELTAF2, 3000.0, 4.2, loops=1)
    tiny = run_linear(1e-12 * c, gamma_deltaf2, 3000.0, 4.2, loops=1)
    np.testing.assert_allclose(np.asarray(tiny), np.asarray(Ua @ (1e-12 * c)), rtol=1e-8)


def test_running_derivatives():
    """Forward mode through diffrax w.r.t. the scale; reverse mode w.r.t. C0 and through the analytic LO form."""
    f = lambda mu: run_linear(C5, gamma_deltaf2, mu, 4.2)[3]  # noqa: E731
    d = jax.jacfwd(f)(1000.0)
    fd = (f(1000.0 * (1 + 1e-5)) - f(1000.0 * (1 - 1e-5))) / (2e-5 * 1000.0)
    assert float(d) == pytest.approx(float(fd), rel=1e-5)
    g = jax.grad(lambda c: jnp.sum(run_linear(c, gamma_deltaf2, 1000.0, 4.2)))(C5)
    U = evolution_matrix(gamma_deltaf2, 5, 1000.0, 4.2)
    np.testing.assert_allclose(np.asarray(g), np.asarray(U.sum(axis=0)), rtol=1e-12)
    h = lambda mu: (evolution_matrix_lo(GAMMA0_DELTAF2, mu, 4.2) @ C5)[3]  # noqa: E731
    gr = jax.grad(h)(1000.0)
    fd2 = (h(1000.0 * (1 + 1e-5)) - h(1000.0 * (1 - 1e-5))) / (2e-5 * 1000.0)
    assert float(gr) == pytest.approx(float(fd2), rel=1e-5)


def test_running_bad_input():
    with pytest.raises(EFTInputError, match="mu_from must be positive, got -3.0 GeV"):
        run_linear(C5, gamma_deltaf2, -3.0, 4.2)
    with pytest.raises(EFTInputError, match="C0 must be finite"):
        run_linear(C5.at[0].set(jnp.nan), gamma_deltaf2, 100.0, 4.2)
    with pytest.raises(EFTInputError, match="grid must be a strictly increasing"):
        make_evolution_table(gamma_deltaf2, 5, [100.0, 50.0])
