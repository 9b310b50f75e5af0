r"""Example 3 (`matching-scale-fit`): a Z′ matched at μ_M, run down, fitted to b → sμμ and B_s mixing.

Z′ with left-handed couplings `g_sb (s̄γ_μP_L b)` and `g_μ (μ̄γ_μP_L μ)`, mass M. Tree-level matching
(`hepqa.eft.match_zprime_bsll`, conventions of arXiv:1411.3161): `C9 = −C10 ∝ g_sb g_μ/M²` and the B_s-mixing
coefficient `C_VLL = −g_sb²/(2M²)` (in L) at μ_M. C9 does not run under QCD (conserved currents, e²/16π²
normalisation), so the matching scale enters only through C_VLL: `C_VLL(M_W) = U11(μ_M → M_W) C_VLL(μ_M)`
at LO (`hepqa.eft.evolution_matrix_lo`). Δm_s/Δm_s^SM = 1 + C_VLL^H(M_W)/C_SM(M_W) with
`C_SM = G_F² M_W²/(4π²) (V_tb V_ts*)² S0(x_t)` (Inami–Lim; Buras hep-ph/9806471); the running below M_W is
common to both and cancels in the ratio.

Two treatments of μ_M: fixed at M, or `μ_M = M e^ν` with a Gaussian constraint on ν (width `ln_muM_sigma`),
profiled: the LO matching-scale dependence stands in for the missing NLO matching correction.
"""

from __future__ import annotations

import math

import numpy as np

from ._common import fmt, inputs_table, qcd_items, qcd_kwargs, table

__all__ = ["run", "plots", "page", "S0"]

CHI2_68_2D, CHI2_95_2D, CHI2_95_1D = 2.2957, 5.9915, 3.8415


def S0(x: float) -> float:
    """Inami–Lim box function S0(x_t) (Buras hep-ph/9806471 Eq. (XII.4))."""
    return (4 * x - 11 * x**2 + x**3) / (4 * (1 - x) ** 2) - 3 * x**3 * math.log(x) / (2 * (1 - x) ** 3)


def run(spec) -> dict:
    import jax
    import jax.numpy as jnp

    import hepqa.eft as E

    qk = qcd_kwargs(spec)
    M = spec.zprime_mass.value
    ew = dict(G_F=spec.G_F.value, alpha_em=spec.alpha_em.value, Vtb_Vts=spec.Vtb_Vts.value)
    k9 = float(E.match_zprime_bsll(M, 1.0, 1.0, 0.0, **ew)["C9_bsmumu"])  # C9 per unit g_sb g_μ
    kvll = float(E.match_zprime_bsll(M, 1.0, 1.0, 0.0, **ew)["CVLL_bsbs"])  # L coefficient per g_sb², GeV^-2
    xt = (spec.mt_MSbar.value / spec.M_W.value) ** 2
    C_SM = spec.G_F.value**2 * spec.M_W.value**2 / (4 * math.pi**2) * spec.Vtb_Vts.value**2 * S0(xt)
    MW = spec.M_W.value
    G0 = E.GAMMA0_DELTAF2[:1, :1]

    # U11(μ_M → M_W) on a grid of ν = ln(μ_M/M) from the core (jitted once), then a smooth fit of ln U11 in ν
    # (degree 6, residual recorded) so that the likelihood is cheap to differentiate.
    sig = spec.ln_muM_sigma.value
    nus = np.linspace(-3 * sig, 3 * sig, 61)
    u_core = jax.jit(lambda nu: E.evolution_matrix_lo(G0, M * jnp.exp(nu), MW, **qk)[0, 0])
    Us = np.array([float(u_core(n)) for n in nus])
    poly = np.polyfit(nus, np.log(Us), 6)
    interp_resid = float(np.max(np.abs(np.exp(np.polyval(poly, nus)) / Us - 1)))
    pj = jnp.asarray(poly)

    def U11(nu):
        return jnp.exp(jnp.polyval(pj, nu))

    U_fixed = float(u_core(0.0))
    C9o, C9s = spec.C9_NP.value, spec.C9_NP.uncertainty
    Ro, Rs = spec.dms_ratio.value, spec.dms_ratio.uncertainty

    def ratio(x, U):  # x = g_sb²; H coefficient = −L coefficient
        return 1.0 - kvll * x * U / C_SM

    # -- fits in the identifiable combinations (P = g_sb g_μ, x = g_sb²), with hepqa.eft.fit
    lik = E.GaussianLikelihood(jnp.array([C9o, Ro]), sigma=jnp.array([C9s, Rs]))

    def nll_fixed(p):
        return lik.nll(jnp.stack([k9 * p[0], ratio(p[1], U_fixed)]))

    cons = E.GaussianConstraint(center=jnp.zeros(1), sigma=jnp.array([sig]))
    nll_prof = E.constrained_nll(lik, lambda poi, nu: jnp.stack([k9 * poi[0], ratio(poi[1], U11(nu[0]))]), cons, 2)
    x0 = jnp.array([C9o / k9, 0.0])
    f_fix = E.fit(nll_fixed, x0)
    f_prof = E.fit(nll_prof, jnp.concatenate([x0, jnp.zeros(1)]))
    # -- grid in the physical couplings, ν profiled on a grid
    gsb = np.linspace(*spec.g_sb_range, spec.grid)
    gmu = np.linspace(*spec.g_mu_range, spec.grid)
    GS, GM = np.meshgrid(gsb, gmu, indexing="ij")
    chi_c9 = ((k9 * GS * GM - C9o) / C9s) ** 2
    R_fixed = 1.0 - kvll * GS**2 * U_fixed / C_SM
    chi_fixed = chi_c9 + ((R_fixed - Ro) / Rs) ** 2
    R_nu = 1.0 - kvll * GS[..., None] ** 2 * Us / C_SM
    chi_prof = chi_c9 + np.min(((R_nu - Ro) / Rs) ** 2 + (nus / sig) ** 2, axis=-1)
    chi_min = ((1.0 - Ro) / Rs) ** 2  # infimum: g_sb → 0 with g_sb g_μ fixed by C9
    # 95 % CL upper limit on |g_sb| (1 dof; g_μ compensates C9), fixed vs profiled
    g1 = np.linspace(0, spec.g_sb_range[1], 4001)
    d_fixed = ((1.0 - kvll * g1**2 * U_fixed / C_SM - Ro) / Rs) ** 2 - chi_min
    # fine ν grid for the 1-d profile (the optimum shift of ν is a few hundredths of σ)
    nf_ = np.linspace(-sig, sig, 2001)
    Uf = np.exp(np.polyval(poly, nf_))
    d_prof = np.min(((1.0 - kvll * g1[:, None] ** 2 * Uf / C_SM - Ro) / Rs) ** 2 + (nf_ / sig) ** 2, axis=1) - chi_min
    gmax_fixed = float(np.interp(CHI2_95_1D, d_fixed, g1))
    gmax_prof = float(np.interp(CHI2_95_1D, d_prof, g1))
    headline = {
        "C9_per_gsb_gmu": k9, "U11_muM_to_MW_fixed": U_fixed, "U11_spread_pm1sigma": float(U11(sig) / U11(-sig)),
        "P_fit_fixed": float(f_fix.x[0]), "P_err_fixed": float(f_fix.errors[0]),
        "x_fit_fixed": float(f_fix.x[1]), "x_err_fixed": float(f_fix.errors[1]),
        "x_fit_profiled": float(f_prof.x[1]), "x_err_profiled": float(f_prof.errors[1]),
        "g_sb_max95_fixed": gmax_fixed, "g_sb_max95_profiled": gmax_prof,
        "g_mu_min95_fixed": abs(C9o / k9) / gmax_fixed, "g_mu_min95_profiled": abs(C9o / k9) / gmax_prof,
        "C_SM_MW_GeV-2": C_SM, "U11_interp_max_rel_resid": interp_resid,
    }
    return dict(headline=headline, gsb=list(gsb), gmu=list(gmu), dchi_fixed=(chi_fixed - chi_min).tolist(),
                dchi_prof=(chi_prof - chi_min).tolist(), nus=list(nus), Us=list(Us), S0=S0(xt),
                fit_fixed=dict(x=list(map(float, f_fix.x)), err=list(map(float, f_fix.errors)),
                               dist=float(f_fix.distance_sigma)),
                fit_prof=dict(x=list(map(float, f_prof.x)), err=list(map(float, f_prof.errors)),
                              dist=float(f_prof.distance_sigma)))


def plots(spec, result, out) -> list[tuple[str, str]]:
    from ._plots import figure, save_svg

    gsb, gmu = np.array(result["gsb"]), np.array(result["gmu"])
    with figure(6.4, 4.6) as (fig, ax):
        for key, color, ls, lab in (("dchi_fixed", "C0", "-", r"$\mu_M = M$ fixed"),
                                    ("dchi_prof", "C3", "--", r"$\ln(\mu_M/M)$ profiled")):
            ax.contour(gsb, gmu, np.array(result[key]).T, levels=[CHI2_68_2D, CHI2_95_2D], colors=color,
                       linestyles=ls)
            ax.plot([], [], color=color, ls=ls, label=lab)
        ax.set_xlabel(r"$g_{sb}$ (Z$'$ coupling to $\bar s\gamma_\mu P_L b$, dimensionless)")
        ax.set_ylabel(r"$g_\mu$ (Z$'$ coupling to $\bar\mu\gamma_\mu P_L\mu$, dimensionless)")
        ax.set_title(f"68 % and 95 % CL regions, M = {spec.zprime_mass.value / 1000:g} TeV")
        ax.legend(fontsize=8)
        contour = save_svg(fig, out / "likelihood-contours.svg")
    with figure(6.0, 3.6) as (fig, ax):
        ax.plot(np.exp(result["nus"]), result["Us"], color="C2")
        ax.set_xscale("log")
        ax.set_xlabel(r"$\mu_M/M$ (matching scale over Z$'$ mass, dimensionless)")
        ax.set_ylabel(r"$U_{11}(\mu_M\to M_W)$ (dimensionless)")
        ax.set_title("LO running of $C_{VLL}$: the matching-scale dependence")
        uplot = save_svg(fig, out / "matching-scale-dependence.svg")
    return [(contour, "Likelihood contours in the Z′ couplings, matching scale fixed vs profiled"),
            (uplot, "Dependence of the B_s-mixing running factor on the matching scale")]


def page(spec, result) -> str:
    h = result["headline"]
    items = [("$M$ (Z$'$ mass)", spec.zprime_mass), ("$G_F$", spec.G_F), (r"$\alpha_{\rm em}$", spec.alpha_em),
             ("$V_{tb}V_{ts}^*$", spec.Vtb_Vts), ("$M_W$", spec.M_W), (r"$\overline m_t(\overline m_t)$", spec.mt_MSbar),
             (r"$C_9^{\rm NP}=-C_{10}^{\rm NP}$ (data)", spec.C9_NP), (r"$\Delta m_s^{\rm exp}/\Delta m_s^{\rm SM}$", spec.dms_ratio),
             (r"width of $\ln(\mu_M/M)$", spec.ln_muM_sigma), *qcd_items(spec)]
    steps = rf"""## Steps

1. Match at $\mu_M$ (`hepqa.eft.match_zprime_bsll`): $C_9=-C_{{10}} = {fmt(h['C9_per_gsb_gmu'], 4)}\,g_{{sb}}g_\mu$ and
   $C_{{VLL}}=-g_{{sb}}^2/(2M^2)$.
2. Run $C_{{VLL}}$ from $\mu_M$ to $M_W$ at LO: $U_{{11}}(M\to M_W) = {fmt(h['U11_muM_to_MW_fixed'], 5)}$; moving $\mu_M$ by
   $e^{{\pm\sigma}}$ changes it by a factor {fmt(h['U11_spread_pm1sigma'], 4)}. $C_9$ does not run under QCD.
3. Compare with data: $C_9$ from the cited global fit, and $\Delta m_s/\Delta m_s^{{\rm SM}} = 1 + C^{{\rm NP}}_{{VLL}}/C^{{\rm SM}}_{{VLL}}$
   with $C^{{\rm SM}}_{{VLL}}(M_W)$ = {fmt(h['C_SM_MW_GeV-2'], 4)} GeV$^{{-2}}$ ($S_0(x_t) = {fmt(result['S0'], 4)}$).
4. Fit the identifiable combinations $P=g_{{sb}}g_\mu$ and $x=g_{{sb}}^2$ with `hepqa.eft.fit`, once with $\mu_M=M$ and
   once with $\nu=\ln(\mu_M/M)$ as a nuisance parameter under a Gaussian constraint (`constrained_nll`), and
   scan the couplings themselves for the contours. $x<0$ is not physical: the data prefer a slightly smaller
   $\Delta m_s$ than the SM, and a real $Z'$ coupling only adds to it, so the physical statement is the upper
   limit on $|g_{{sb}}|$."""
    rows = [["fixed $\\mu_M=M$", fmt(h["P_fit_fixed"], 4) + " ± " + fmt(h["P_err_fixed"], 2),
             fmt(h["x_fit_fixed"], 4) + " ± " + fmt(h["x_err_fixed"], 3), fmt(h["g_sb_max95_fixed"], 4),
             fmt(h["g_mu_min95_fixed"], 4), fmt(result["fit_fixed"]["dist"], 2)],
            ["profiled $\\ln(\\mu_M/M)$", "(same)", fmt(h["x_fit_profiled"], 4) + " ± " + fmt(h["x_err_profiled"], 3),
             fmt(h["g_sb_max95_profiled"], 4), fmt(h["g_mu_min95_profiled"], 4), fmt(result["fit_prof"]["dist"], 2)]]
    res = table(["Treatment", r"$P=g_{sb}g_\mu$", r"$x=g_{sb}^2$", r"$|g_{sb}|$ max (95 % CL)",
                 r"$|g_\mu|$ min at that $g_{sb}$", "fit distance to minimum (σ)"], rows)
    return "\n\n".join(["## Inputs", inputs_table(items), steps, "## Results", res,
                        "![Likelihood contours]({slug}/likelihood-contours.svg)",
                        "![Matching-scale dependence]({slug}/matching-scale-dependence.svg)"])
