"""Power counting: closed forms of GUIDE §5 (arXiv:1601.07551, hep-ph/9207278, hep-ph/0703164)."""

from __future__ import annotations

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from hepqa.eft import (
    EFTInputError,
    Operator,
    WeakHeavyState,
    nda_estimate,
    strong_sector_georgi,
    strong_sector_nda,
    strong_sector_silh,
)

PI16 = 16 * math.pi**2
FOUR_FERMION = Operator(n_fermions=4, name="psi4")


def coef(op, src, **kw):
    return float(nda_estimate(op, [src], **kw).estimates[0].coefficient)


def test_nda_means_naive_dimensional_analysis_case():
    """cases/nda-means-naive-dimensional-analysis.md: NDA is Manohar–Georgi power counting; a worked estimate
    where two scales compete (strong sector at Λ = 4πf vs a weakly coupled Z′ at M) names the dominant one."""
    strong = strong_sector_nda(4 * math.pi * 2000.0)  # f = 2 TeV
    zprime = WeakHeavyState(mass=3000.0, coupling=0.5, name="Z'")
    r = nda_estimate(FOUR_FERMION, [strong, zprime])
    assert float(r.estimates[0].coefficient) == pytest.approx(1 / 2000.0**2, rel=1e-12)  # 16π²/Λ² = 1/f²
    assert float(r.estimates[1].coefficient) == pytest.approx(0.25 / 3000.0**2, rel=1e-12)
    assert r.dominant.source == "NDA (Manohar-Georgi)"
    # Raise the Z' coupling: now it dominates (g²/M² > 1/f² for g > 1.5).
    r2 = nda_estimate(FOUR_FERMION, [strong, WeakHeavyState(mass=3000.0, coupling=2.0, name="Z'")])
    assert r2.dominant.source == "Z'"
    import hepqa.eft._nda as nda_module

    assert "naive dimensional analysis" in nda_module.__doc__.lower()


def test_four_fermion_strong_and_weak_closed_forms():
    """GUIDE §5: four-fermion = 16π²/Λ² at strong coupling, g²/Λ² with two powers of g (1601.07551 Eq. (2.6))."""
    lam = 5000.0
    assert coef(FOUR_FERMION, strong_sector_nda(lam)) == pytest.approx(PI16 / lam**2, rel=1e-13)
    assert coef(FOUR_FERMION, WeakHeavyState(lam, 0.7)) == pytest.approx(0.49 / lam**2, rel=1e-13)
    # same thing via explicit couplings carried by the operator (g/4π)² in NDA: g²/Λ²
    op_g2 = Operator(n_fermions=4, couplings=(("g", 2, 1),))
    assert coef(op_g2, strong_sector_nda(lam), couplings={"g": 0.7}) == pytest.approx(0.49 / lam**2, rel=1e-13)
    # one-loop heavy state: g⁴/(16π² M²)
    assert coef(FOUR_FERMION, WeakHeavyState(lam, 0.7, loops=1)) == pytest.approx(0.7**4 / PI16 / lam**2)


def test_silh_counting_rules():
    """hep-ph/0703164: two extra Higgs fields cost g*²/m*² = 1/f², two derivatives 1/m*²."""
    m_star, g_star = 3000.0, 2.5
    s = strong_sector_silh(m_star, g_star)
    f = m_star / g_star
    base = Operator(n_scalars=4, n_derivatives=2)
    more_h = Operator(n_scalars=6, n_derivatives=2)
    more_d = Operator(n_scalars=4, n_derivatives=4)
    assert coef(more_h, s) / coef(base, s) == pytest.approx(1 / f**2, rel=1e-13)
    assert coef(more_h, s) / coef(base, s) == pytest.approx(g_star**2 / m_star**2, rel=1e-13)
    assert coef(more_d, s) / coef(base, s) == pytest.approx(1 / m_star**2, rel=1e-13)
    # (H†H)□(H†H) ~ g*²/m*² = 1/f² in SILH (c_H/f², hep-ph/0703164 Eq. (3))
    assert coef(base, s) == pytest.approx(1 / f**2, rel=1e-13)


def test_georgi_is_nda_at_lambda_4pi_f():
    f = 800.0
    for op in [FOUR_FERMION, Operator(n_scalars=6), Operator(n_fermions=2, n_scalars=1, n_field_strengths=1)]:
        assert coef(op, strong_sector_georgi(f, 4 * math.pi * f)) == pytest.approx(
            coef(op, strong_sector_nda(4 * math.pi * f)), rel=1e-13
        )
    # Λ = 4πf at g* = 4π
    assert float(strong_sector_nda(1000.0).f) * 4 * math.pi == pytest.approx(1000.0, rel=1e-15)


@settings(max_examples=30, deadline=None)
@given(
    n_s=st.integers(0, 6), n_f=st.sampled_from([0, 2, 4]), n_x=st.integers(0, 2), n_d=st.integers(0, 4),
    p_g=st.integers(0, 2), p_l=st.integers(0, 1), lam=st.floats(100.0, 1e5), g=st.floats(0.1, 3.0),
)
def test_silh_at_g_star_4pi_equals_nda(n_s, n_f, n_x, n_d, p_g, p_l, lam, g):
    """Consistency: SILH with g* = 4π is NDA with Λ = 4πf = m*, for any field content and couplings."""
    op = Operator(n_scalars=n_s, n_fermions=n_f, n_field_strengths=n_x, n_derivatives=n_d,
                  couplings=(("g", p_g, 1), ("lambda", p_l, 2)))
    cpl = {"g": g, "lambda": 0.3}
    a = nda_estimate(op, [strong_sector_silh(lam, 4 * math.pi)], couplings=cpl).estimates[0]
    b = nda_estimate(op, [strong_sector_nda(lam)], couplings=cpl).estimates[0]
    assert float(a.coefficient) == pytest.approx(float(b.coefficient), rel=1e-12)
    # explicit NDA master formula: (Λ⁴/16π²)(4π/Λ)^{Nφ+NX}(4π/Λ^{3/2})^{Nψ}(1/Λ)^{ND+NX}(g/4π)^p(λ/16π²)^q
    direct = (lam**4 / PI16) * (4 * math.pi / lam) ** (n_s + n_x) * (4 * math.pi / lam**1.5) ** n_f
    direct *= lam ** (-(n_d + n_x)) * (g / (4 * math.pi)) ** p_g * (0.3 / PI16) ** p_l
    assert float(b.coefficient) == pytest.approx(direct, rel=1e-12)
    # the breakdown multiplies back to the coefficient, and C = coefficient Λ^{d−4}
    assert float(np.prod([float(v) for v in b.factors.values()])) == pytest.approx(float(b.coefficient), rel=1e-12)
    assert float(b.C) == pytest.approx(float(b.coefficient) * lam ** (op.dimension - 4), rel=1e-12)


def test_nda_jit_and_gradients():
    """Differentiable w.r.t. scales and couplings (d/dM of g²/M² = −2g²/M³)."""

    def f(m, g):
        return nda_estimate(FOUR_FERMION, [WeakHeavyState(m, g)]).coefficient

    dm, dg = jax.grad(f, argnums=(0, 1))(2000.0, 0.5)
    assert float(dm) == pytest.approx(-2 * 0.25 / 2000.0**3, rel=1e-12)
    assert float(dg) == pytest.approx(2 * 0.5 / 2000.0**2, rel=1e-12)
    res = eqx.filter_jit(lambda s: nda_estimate(FOUR_FERMION, [s, WeakHeavyState(3000.0, 1.0)]))(
        strong_sector_nda(jnp.asarray(1e5))
    )
    assert int(res.dominant_index) == 1


def test_nda_bad_input():
    with pytest.raises(EFTInputError, match="n_fermions must be even"):
        Operator(n_fermions=3)
    with pytest.raises(EFTInputError, match="Lambda must be positive, got -1.0 GeV"):
        strong_sector_nda(-1.0)
    with pytest.raises(EFTInputError, match="mass must be positive"):
        WeakHeavyState(-5.0, 1.0)
    with pytest.raises(EFTInputError, match="couplings must give a value for 'g'"):
        nda_estimate(Operator(n_fermions=4, couplings=(("g", 2, 1),)), [strong_sector_nda(1e3)])
    with pytest.raises(EFTInputError, match="m_star must be finite"):
        strong_sector_silh(float("inf"), 1.0)
