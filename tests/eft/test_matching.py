"""Tree-level matching: analytic identities, an independent numerical solve, and wilson 2.5."""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import brentq

from hepqa.eft import (
    EFTInputError,
    match_scalar_singlet,
    match_u1_leptoquark,
    match_zprime_bsll,
    match_zprime_smeft,
    smeft_to_wet_bsll,
)

GF, ALPHA, LAM_T = 1.1663788e-5, 1 / 127.951, -0.0405


def test_matching_regression_case_zprime_bsll_closed_form():
    """cases/matching-regression.md: each relation against an independent formula. Z′ with left-handed muon
    coupling: C9 = −C10 = −(π/(√2 G_F α V_tb V_ts*)) g_sb g_μ/M² (Altmannshofer–Straub arXiv:1411.3161);
    B_s mixing −g_sb²/(2M²) (identical-current symmetry factor ½)."""
    M, gsb, gmu = 2000.0, -0.002, 0.8
    out = match_zprime_bsll(M, gsb, gmu, 0.0, G_F=GF, alpha_em=ALPHA, Vtb_Vts=LAM_T)
    ref = -math.pi / (math.sqrt(2) * GF * ALPHA * LAM_T) * gsb * gmu / M**2
    assert float(out["C9_bsmumu"]) == pytest.approx(ref, rel=1e-13)
    assert float(out["C10_bsmumu"]) == pytest.approx(-ref, rel=1e-13)
    assert float(out["CVLL_bsbs"]) == pytest.approx(-(gsb**2) / (2 * M**2), rel=1e-13)
    # vector-like muon coupling: C10 = 0, C9 doubles relative to the purely left-handed coupling of g/2 ...
    vec = match_zprime_bsll(M, gsb, gmu, gmu, G_F=GF, alpha_em=ALPHA, Vtb_Vts=LAM_T)
    assert float(vec["C10_bsmumu"]) == 0.0
    assert float(vec["C9_bsmumu"]) == pytest.approx(2 * ref, rel=1e-13)
    # Regression pin of this worked example (M = 2 TeV, g_sb = −0.002, g_μ = 0.8, G_F, α = 1/127.951,
    # V_tb V_ts* = −0.0405), value produced by hepqa 0.1.0 and equal to the closed form above: if it moves, the
    # normalisation of C9 changed.
    assert float(out["C9_bsmumu"]) == pytest.approx(-0.240682, rel=1e-5)


def test_matching_regression_case_smeft_route_equals_direct():
    """Z′ → SMEFT (lq1 = −g_l g_q/M²) → WET (arXiv:1512.02830) equals Z′ → WET directly (symmetry factors)."""
    M, gsb, gmu = 3000.0, 0.004, -0.5
    g_q = jnp.zeros((3, 3)).at[1, 2].set(gsb).at[2, 1].set(gsb)
    g_l = jnp.zeros((3, 3)).at[1, 1].set(gmu)
    sm = match_zprime_smeft(M, g_q, g_l)
    wet = smeft_to_wet_bsll(sm["lq1"][1, 1, 1, 2], 0.0, 0.0, G_F=GF, alpha_em=ALPHA, Vtb_Vts=LAM_T)
    direct = match_zprime_bsll(M, gsb, gmu, 0.0, G_F=GF, alpha_em=ALPHA, Vtb_Vts=LAM_T)
    assert float(wet["C9_bsmumu"]) == pytest.approx(float(direct["C9_bsmumu"]), rel=1e-13)
    assert float(wet["C10_bsmumu"]) == pytest.approx(float(direct["C10_bsmumu"]), rel=1e-13)
    # ΔF=2: qq1_2323 + qq1_3232 cross terms: the operator (s̄b)(s̄b) gets −g²/(2M²) per ordering in the full tensor
    assert float(sm["qq1"][1, 2, 1, 2]) == pytest.approx(float(direct["CVLL_bsbs"]), rel=1e-13)


def test_matching_regression_case_u1_leptoquark():
    """U1: C_lq^(1) = C_lq^(3) = −β β*/(2M²) (arXiv:1711.10391 dictionary), hence C9 = −C10 for b → sμμ."""
    M = 2500.0
    beta = jnp.zeros((3, 3)).at[1, 1].set(0.2).at[2, 1].set(0.9)
    c = match_u1_leptoquark(M, beta)
    expected = -0.2 * 0.9 / (2 * M**2)
    assert float(c["lq1"][1, 1, 1, 2]) == pytest.approx(expected, rel=1e-13)
    assert float(c["lq3"][1, 1, 1, 2]) == pytest.approx(expected, rel=1e-13)
    wet = smeft_to_wet_bsll(c["lq1"][1, 1, 1, 2], c["lq3"][1, 1, 1, 2], 0.0, G_F=GF, alpha_em=ALPHA, Vtb_Vts=LAM_T)
    assert float(wet["C9_bsmumu"]) == pytest.approx(-float(wet["C10_bsmumu"]), rel=1e-13)


def test_matching_regression_case_scalar_singlet_numeric():
    """Heavy singlet: solve the static EOM of S numerically (scipy brentq) for small φ†φ = O and fit
    L_eff(O) = c2 O² + c3 O³; compare with δλ-shift −(−A²/2M²), C_φ = −κA²/(2M⁴) + μ3A³/(6M⁶)."""
    M, A, kappa, mu3 = 1000.0, 300.0, 0.7, 450.0

    def L_eff(O):
        dL = lambda S: -(M**2) * S - A * O - kappa * S * O - mu3 * S**2 / 2  # noqa: E731
        S = brentq(dL, -10.0, 10.0, xtol=1e-300, rtol=1e-15)
        return -0.5 * M**2 * S**2 - A * S * O - 0.5 * kappa * S**2 * O - mu3 * S**3 / 6

    h = 20.0
    even = {k: (L_eff(k * h) + L_eff(-k * h)) / 2 for k in (1, 2)}  # c2 O² + c4 O⁴
    odd = {k: (L_eff(k * h) - L_eff(-k * h)) / 2 for k in (1, 2)}  # c3 O³ + c5 O⁵
    c2 = (16 * even[1] - even[2]) / (12 * h**2)  # Richardson: removes the O⁴ term
    c3 = (32 * odd[1] - odd[2]) / (24 * h**3)
    out = match_scalar_singlet(M, A, kappa=kappa, mu3=mu3)
    assert -float(out["dlambda"]) == pytest.approx(c2, rel=1e-8)  # L ⊃ +A²/(2M²) O², i.e. V shift −A²/(2M²)
    assert float(out["phi"]) == pytest.approx(c3, rel=1e-5)
    assert float(out["phiBox"]) == pytest.approx(-(A**2) / (2 * M**4), rel=1e-15)


def test_matching_against_wilson_smeft_to_wet():
    """wilson 2.5: SMEFT (Warsaw) lq1_2223 at 91.1876 GeV → WET flavio C9/C10_bsmumu, with wilson's own
    G_F, α_e and CKM (ckmutil tree-level parametrisation)."""
    wilson = pytest.importorskip("wilson")
    ckm = pytest.importorskip("ckmutil.ckm")
    from wilson.parameters import p

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = wilson.Wilson({"lq1_2223": 1e-9}, scale=91.1876, eft="SMEFT", basis="Warsaw")
        out = w.match_run(91.1876, "WET", "flavio").dict
    V = ckm.ckm_tree(p["Vus"], p["Vub"], p["Vcb"], p["gamma"])
    lam = complex(V[2, 2] * np.conj(V[2, 1]))
    ours = smeft_to_wet_bsll(1e-9, 0.0, 0.0, G_F=p["GF"], alpha_em=p["alpha_e"], Vtb_Vts=lam)
    assert complex(ours["C9_bsmumu"]) == pytest.approx(complex(out["C9_bsmumu"]), rel=1e-8)
    assert complex(ours["C10_bsmumu"]) == pytest.approx(complex(out["C10_bsmumu"]), rel=1e-8)


def test_matching_differentiable_in_mass_and_scale():
    """d C9 / d M = −2 C9/M; the matching scale can be a fit parameter."""
    f = lambda M: match_zprime_bsll(M, 0.001, 0.5, 0.0)["C9_bsmumu"]  # noqa: E731
    assert float(jax.grad(f)(2000.0)) == pytest.approx(-2 * float(f(2000.0)) / 2000.0, rel=1e-12)
    with pytest.raises(EFTInputError, match="mass must be positive, got -1.0 GeV"):
        match_zprime_bsll(-1.0, 0.001, 0.5, 0.0)
