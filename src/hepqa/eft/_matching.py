r"""Tree-level matching of heavy states onto four-fermion and Higgs operators, and SMEFT → WET at tree level.

Conventions (all coefficients multiply operators in **L**, in GeV⁻², i.e. C/Λ²; metric (+,−,−,−)):

- Heavy neutral vector Z′: `L ⊃ ½ M² Z′_μ Z′^μ + Z′_μ J^μ`, `J^μ = Σ_a g_a J_a^μ` (hermitian currents).
  The tree-level EOM `Z′ = −J/M²` gives `L_eff = −J·J/(2M²)`: the coefficient of `J_a·J_b` is `−g_a g_b/M²`
  for a ≠ b (both orderings of the cross term) and `−g_a²/(2M²)` for a = b (de Blas, Criado, Pérez-Victoria,
  Santiago arXiv:1711.10391, tree-level dictionary for the neutral vector B: C_ll, C_lq^(1) ∝ −g g/M², with the ½ for
  identical currents).
- Heavy real scalar singlet S: `L ⊃ ½(∂S)² − ½M²S² − A S (φ†φ) − ½ κ S²(φ†φ) − (μ3/6) S³`. Tree level:
  `C_φ□ = −A²/(2M⁴)` [(φ†φ)□(φ†φ)], `C_φ = −κA²/(2M⁴) + μ3 A³/(6M⁶)` [(φ†φ)³], plus the shift
  `δλ = −A²/(2M²)` of the quartic in the convention V ⊃ λ(φ†φ)² (arXiv:1711.10391, scalar S).
- Vector leptoquark U1 ~ (3, 1, 2/3): `L ⊃ −M² U†U + (β_{iα} q̄_i γ_μ l_α U^μ + h.c.)`. Tree level:
  `C_lq^(1)_{βα ij} = C_lq^(3)_{βα ij} = −β_{iα} β*_{jβ}/(2M²)` for `(l̄_β γ l_α)(q̄_i γ q_j)`.
- b → sℓℓ (WET, flavio basis, `H_eff = −N Σ C_i O_i`, `N = (4G_F/√2) V_tb V_ts* e²/16π²`,
  O9 = (s̄γ_μP_L b)(ℓ̄γ^μℓ), O10 = (s̄γ_μP_L b)(ℓ̄γ^μγ5ℓ)), so a term `c (s̄γP_L b)(ℓ̄γ P_X ℓ)` in L gives
  `C9 = c/(2N')`, `C10 = ∓c/(2N')` for X = L/R with `N' = (4G_F/√2) V_tb V_ts* α/(4π)`
  (Aebischer, Crivellin, Fael, Greub arXiv:1512.02830); tree-level SMEFT → WET:
  `C9 = (π v²/(α V_tb V_ts*)) (C_qe + C_lq^(1) + C_lq^(3))`, `C10 = (π v²/(α V_tb V_ts*)) (C_qe − C_lq^(1) − C_lq^(3))`
  with indices (ℓℓ, sb) = (22 23), v² = 1/(√2 G_F) (Z-penguin operators C_Hq not included).
- ΔF = 2: `C_VLL` of `(s̄γ_μP_L b)²` in L equals `C_qq^(1) + C_qq^(3)` (2323) at tree level.

Every function is pure JAX: differentiable in masses, couplings and the matching scale where it enters.
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from ._checks import check_finite, check_positive
from ._inputs import sm_value

__all__ = [
    "zprime_current_coefficient", "match_zprime_bsll", "match_zprime_smeft", "match_scalar_singlet",
    "match_u1_leptoquark", "smeft_to_wet_bsll", "bsll_normalisation",
]

# Default electroweak inputs of the b → sℓℓ normalisation, from the packaged sm_inputs.yaml (PDG 2024).
_G_F = sm_value("G_F")
_ALPHA_EM = 1 / sm_value("alpha_em_MZ_inv")
_VTB_VTS = sm_value("Vtb_Vts")


def zprime_current_coefficient(mass, g_a, g_b, *, same_current: bool = False):
    """Coefficient (GeV⁻²) of `J_a·J_b` in L after integrating out a Z′ of `mass` (GeV) coupled as g_a J_a + g_b J_b.

    `−g_a g_b/M²` for distinct currents, `−g_a²/(2M²)` for `same_current=True` (L_eff = −J·J/(2M²)).
    """
    mass = check_positive(mass, "mass")
    g_a, g_b = check_finite(g_a, "g_a", ""), check_finite(g_b, "g_b", "")
    factor = 0.5 if same_current else 1.0
    return -factor * g_a * g_b / mass**2


def _check_bsll_inputs(*coefficients, G_F, alpha_em, Vtb_Vts) -> None:
    """Raise `EFTInputError` for non-finite inputs (or G_F, alpha_em <= 0), naming the argument.

    Validation only: the formulas keep the caller's values and types (a complex V_tb V_ts* times Python
    floats), which converting everything to float64 arrays would break under strict dtype promotion.
    """
    for name, value in zip(("C_lq1_2223", "C_lq3_2223", "C_qe_2322"), coefficients):
        check_finite(value, name, "GeV^-2")
    check_positive(G_F, "G_F", "GeV^-2")
    check_positive(alpha_em, "alpha_em", "")
    check_finite(Vtb_Vts, "Vtb_Vts", "")


def bsll_normalisation(*, G_F=_G_F, alpha_em=_ALPHA_EM, Vtb_Vts=_VTB_VTS):
    """N' = (4G_F/√2) V_tb V_ts* α/(4π) in GeV⁻² (so that L ⊃ N' Σ C_i O_i)."""
    _check_bsll_inputs(G_F=G_F, alpha_em=alpha_em, Vtb_Vts=Vtb_Vts)
    return 4 * G_F / math.sqrt(2) * Vtb_Vts * alpha_em / (4 * math.pi)


def match_zprime_bsll(mass, g_sb, g_mumu_L, g_mumu_R, *, G_F=_G_F, alpha_em=_ALPHA_EM,
                      Vtb_Vts=_VTB_VTS):
    r"""Z′ → WET b → sμμ and B_s mixing at tree level.

    **Arguments:** `mass` in GeV; `g_sb` coupling to `s̄γ_μ P_L b` (+h.c.); `g_mumu_L`, `g_mumu_R` couplings to
    `μ̄γ_μ P_{L,R} μ`; `G_F` (GeV⁻²), `alpha_em` (at the low scale), `Vtb_Vts` = V_tb V_ts*.

    **Returns:** dict with `C9_bsmumu`, `C10_bsmumu` (dimensionless, flavio normalisation) and `CVLL_bsbs`
    (GeV⁻², coefficient of (s̄γ_μP_L b)² in L, = −g_sb²/(2M²)).

    With only `g_mumu_L`: `C9 = −C10 = −(π/(√2 G_F α V_tb V_ts*)) g_sb g_μ/M²` (Altmannshofer, Straub arXiv:1411.3161).
    """
    mass = check_positive(mass, "mass")
    g_sb = check_finite(g_sb, "g_sb", "")
    g_mumu_L, g_mumu_R = check_finite(g_mumu_L, "g_mumu_L", ""), check_finite(g_mumu_R, "g_mumu_R", "")
    Np = bsll_normalisation(G_F=G_F, alpha_em=alpha_em, Vtb_Vts=Vtb_Vts)
    cL = zprime_current_coefficient(mass, g_sb, g_mumu_L)
    cR = zprime_current_coefficient(mass, g_sb, g_mumu_R)
    # μ̄γP_Lμ = (V − A)/2, μ̄γP_Rμ = (V + A)/2
    return {
        "C9_bsmumu": (cL + cR) / (2 * Np),
        "C10_bsmumu": (cR - cL) / (2 * Np),
        "CVLL_bsbs": zprime_current_coefficient(mass, g_sb, g_sb, same_current=True),
    }


def match_zprime_smeft(mass, g_q, g_l):
    """Z′ coupled to left-handed quark and lepton doublet currents, `g_q[i,j] q̄_iγq_j + g_l[a,b] l̄_aγl_b`
    (hermitian 3×3), to Warsaw coefficients (GeV⁻², full index tensors, not WCxf-symmetrised):
    `lq1[a,b,i,j] = −g_l[a,b] g_q[i,j]/M²`, `qq1[i,j,k,l] = −g_q[i,j] g_q[k,l]/(2M²)`,
    `ll[a,b,c,d] = −g_l[a,b] g_l[c,d]/(2M²)`."""
    mass = check_positive(mass, "mass")
    g_q = check_finite(g_q, "g_q", "")
    g_l = check_finite(g_l, "g_l", "")
    return {
        "lq1": -jnp.einsum("ab,ij->abij", g_l, g_q) / mass**2,
        "qq1": -0.5 * jnp.einsum("ij,kl->ijkl", g_q, g_q) / mass**2,
        "ll": -0.5 * jnp.einsum("ab,cd->abcd", g_l, g_l) / mass**2,
    }


def match_scalar_singlet(mass, A, *, kappa=0.0, mu3=0.0):
    """Heavy real singlet S (conventions in the module docstring): returns `phiBox` (GeV⁻²), `phi` (GeV⁻²)
    and `dlambda` (shift of the quartic, dimensionless). `mass`, `A`, `mu3` in GeV; `kappa` dimensionless."""
    mass = check_positive(mass, "mass")
    A = check_finite(A, "A", "GeV")
    kappa, mu3 = check_finite(kappa, "kappa", ""), check_finite(mu3, "mu3", "GeV")
    return {
        "phiBox": -(A**2) / (2 * mass**4),
        "phi": -kappa * A**2 / (2 * mass**4) + mu3 * A**3 / (6 * mass**6),
        "dlambda": -(A**2) / (2 * mass**2),
    }


def match_u1_leptoquark(mass, beta_L):
    """U1 vector leptoquark with left-handed couplings `beta_L[i, α]` (quark i, lepton α; 3×3): Warsaw
    `lq1[β,α,i,j] = lq3[β,α,i,j] = −β_{iα} β*_{jβ}/(2M²)` (GeV⁻², full index tensor)."""
    mass = check_positive(mass, "mass")
    b = check_finite(beta_L, "beta_L", "")
    c = -jnp.einsum("ia,jb->baij", b, jnp.conj(b)) / (2 * mass**2)
    return {"lq1": c, "lq3": c}


def smeft_to_wet_bsll(C_lq1_2223, C_lq3_2223, C_qe_2322, *, G_F=_G_F, alpha_em=_ALPHA_EM,
                      Vtb_Vts=_VTB_VTS):
    """Tree-level SMEFT (Warsaw, GeV⁻², down basis) → WET flavio C9_bsmumu, C10_bsmumu (arXiv:1512.02830)."""
    _check_bsll_inputs(C_lq1_2223, C_lq3_2223, C_qe_2322, G_F=G_F, alpha_em=alpha_em, Vtb_Vts=Vtb_Vts)
    v2 = 1 / (math.sqrt(2) * G_F)
    pref = math.pi * v2 / (alpha_em * Vtb_Vts)
    return {"C9_bsmumu": pref * (C_qe_2322 + C_lq1_2223 + C_lq3_2223),
            "C10_bsmumu": pref * (C_qe_2322 - C_lq1_2223 - C_lq3_2223)}
