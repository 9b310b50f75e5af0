r"""Example 1 (`nda-competing-scales`): NDA estimates from a strong sector and a weakly coupled Z′.

Strong sector in SILH counting (hep-ph/0703164 Eq. (2); `hepqa.eft.strong_sector_silh`): coefficient
`g*^{N−2} Π (c_i/g*^{k_i})^{p_i} / m*^{d−4}`, m* = g* f. Z′ of mass M and coupling g
(`hepqa.eft.WeakHeavyState`): `g^n (16π²)^{−L} Π c_i^{p_i} / M^{d−4}`. All operators here have d = 6, so
coefficients are in TeV⁻² and the strong/Z′ ratio scales as M²: the crossover is at
`M_x = sqrt(|c_Z′(M)| M² / |c_strong|)`. The dominant coefficient is then run at LO QCD from the scale of
its source (m* or M) to `low_scale` with the core's ADMs (ΔF = 2 VLL: γ = 4; dipole as O7: γ77 = 32/3).
"""

from __future__ import annotations

import math

import numpy as np

from ._common import fmt, inputs_table, qcd_items, qcd_kwargs, table

__all__ = ["run", "page"]


def _sources(spec, M=None):
    import hepqa.eft as E

    strong = E.strong_sector_silh(spec.f.value * spec.g_star.value, spec.g_star.value, name="strong sector")
    return strong, M if M is not None else spec.zprime_mass.value


def _zprime(op, M, g):
    import hepqa.eft as E

    return E.WeakHeavyState(M, g, loops=op.zprime_loops, n_couplings=op.zprime_n_couplings, name="Z'")


def _operator(op):
    import hepqa.eft as E

    return E.Operator(n_scalars=op.n_scalars, n_fermions=op.n_fermions, n_field_strengths=op.n_field_strengths,
                      n_derivatives=op.n_derivatives, couplings=tuple(tuple(c) for c in op.couplings), name=op.key)


def closed_form(spec, op, M=None) -> tuple[float, float]:
    """Independent closed-form NDA estimates (strong, Z′) in GeV⁻² for a d = 6 operator (no core call)."""
    f, gs = spec.f.value, spec.g_star.value
    g = spec.zprime_coupling.value
    M = spec.zprime_mass.value if M is None else M
    N = op.n_scalars + op.n_fermions + op.n_field_strengths
    strong = gs ** (N - 2) / (gs * f) ** 2
    weak_n = op.zprime_n_couplings if op.zprime_n_couplings is not None else N - 2 + 2 * op.zprime_loops
    weak = g**weak_n / (16 * math.pi**2) ** op.zprime_loops / M**2
    for name, power, weight in op.couplings:
        c = spec.couplings[name].value
        strong *= (c / gs**weight) ** power
        weak *= c**power
    return strong, weak


def run(spec) -> dict:
    import hepqa.eft as E

    strong, M = _sources(spec)
    g = spec.zprime_coupling.value
    couplings = {k: v.value for k, v in spec.couplings.items()}
    qk = qcd_kwargs(spec)
    f = spec.f.value
    ratios_grid = np.geomspace(*spec.scan_M_over_f, 121)
    ops = []
    for op in spec.operators:
        eop = _operator(op)
        res = E.nda_estimate(eop, [strong, _zprime(op, M, g)], couplings=couplings)
        c_strong, c_z = (float(e.coefficient) for e in res.estimates)
        dom = int(res.dominant_index)
        # scan M/f: Z′ coefficient ∝ 1/M² (d = 6)
        # scan M/f in one vectorised call (Z′ mass as an array)
        rz = E.nda_estimate(eop, [_zprime(op, ratios_grid * f, g)], couplings=couplings)
        scan = list(np.log10(abs(c_strong) / np.abs(np.asarray(rz.estimates[0].coefficient))))
        crossover = math.sqrt(abs(c_z) * M**2 / abs(c_strong)) / f
        src_scale = float(strong.scale) if dom == 0 else M
        c_dom = (c_strong, c_z)[dom]
        if op.running == "deltaf2_vll":
            U = float(E.evolution_matrix(E.gamma_deltaf2, 5, src_scale, spec.low_scale.value, **qk)[0, 0])
        elif op.running == "dipole_c7":
            U = float(E.evolution_matrix(E.gamma_bsll, 4, src_scale, spec.low_scale.value, **qk)[0, 0])
        else:
            U = 1.0
        ops.append(dict(key=op.key, dimension=float(eop.dimension), c_strong_TeV=c_strong * 1e6,
                        c_zprime_TeV=c_z * 1e6, dominant=("strong sector", "Z'")[dom],
                        crossover_M_over_f=crossover, scan=scan, source_scale=src_scale, U=U,
                        c_low_TeV=c_dom * U * 1e6))
    headline = {}
    for o in ops:
        headline[f"{o['key']}_strong_TeV-2"] = o["c_strong_TeV"]
        headline[f"{o['key']}_zprime_TeV-2"] = o["c_zprime_TeV"]
        headline[f"{o['key']}_crossover_M_over_f"] = o["crossover_M_over_f"]
        headline[f"{o['key']}_low_scale_TeV-2"] = o["c_low_TeV"]
    return dict(headline=headline, operators=ops, scan_x=list(ratios_grid), m_star=float(strong.scale))


def plots(spec, result, out) -> list[tuple[str, str]]:
    from ._plots import figure, save_svg

    with figure(6.4, 4.4) as (fig, ax):
        # Operators with the same counting lie on the same line: dashes and open markers keep each visible.
        styles = [dict(ls="-", lw=2.4), dict(ls="--", lw=1.5), dict(ls="none", marker="o", markevery=0.06,
                  markersize=5, fillstyle="none", mew=1.2), dict(ls="-.", lw=1.5)]
        for i, (o, op) in enumerate(zip(result["operators"], spec.operators)):
            ax.plot(result["scan_x"], o["scan"], label=f"${op.tex}$", **styles[i % len(styles)])
        ax.axhline(0.0, color="k", lw=0.8)
        M0 = spec.zprime_mass.value / spec.f.value
        ax.axvline(M0, color="grey", ls=":", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel(r"$M/f$ (Z′ mass over decay constant, dimensionless)")
        ax.set_ylabel(r"$\log_{10}(|c_{\rm strong}|/|c_{Z'}|)$ (dimensionless)")
        ax.set_title("Scale ladder: above 0 the strong sector dominates")
        ax.legend(fontsize=8)
        ladder = save_svg(fig, out / "scale-ladder.svg")
    return [(ladder, "Scale ladder: log ratio of the strong-sector and Z′ estimates of each operator vs M/f")]


def page(spec, result) -> str:
    f, gs = spec.f.value, spec.g_star.value
    inputs = inputs_table([("$f$", spec.f), ("$g_*$", spec.g_star), ("$M$ (Z$'$ mass)", spec.zprime_mass),
                           ("$g_{Z'}$ (Z$'$ coupling)", spec.zprime_coupling),
                           *[(f"${k}$ (explicit coupling)", v) for k, v in spec.couplings.items()],
                           ("low scale", spec.low_scale), *qcd_items(spec)])
    rows = []
    for o, op in zip(result["operators"], spec.operators):
        rows.append([f"${op.tex}$", op.description, fmt(o["c_strong_TeV"]), fmt(o["c_zprime_TeV"]), o["dominant"],
                     fmt(o["crossover_M_over_f"], 3), fmt(o["U"], 4), fmt(o["c_low_TeV"])])
    res = table(["Operator", "Content", r"strong, TeV$^{-2}$", r"Z$'$, TeV$^{-2}$", "dominant",
                 r"crossover $M/f$", r"$U(\mu_{\rm src}\to\mu_{\rm low})$", r"$c(\mu_{\rm low})$, TeV$^{-2}$"], rows)
    steps = f"""## Steps

1. Build the strong sector in SILH counting, $m_* = g_* f = {fmt(result['m_star'] / 1000, 3)}$ TeV, and the Z$'$ as a
   weakly coupled heavy state (`hepqa.eft.strong_sector_silh`, `WeakHeavyState`).
2. For each operator, `hepqa.eft.nda_estimate` returns the estimate from each source:
   strong $\\;g_*^{{N-2}}\\prod_i (c_i/g_*^{{k_i}})^{{p_i}}/m_*^{{2}}$, Z$'$ $\\;g_{{Z'}}^{{n}}(16\\pi^2)^{{-L}}\\prod_i c_i^{{p_i}}/M^{{2}}$
   ($N$ fields, $n = N-2+2L$ powers of $g_{{Z'}}$ unless the spec fixes it, $L$ loops).
3. Scan $M/f$ from {spec.scan_M_over_f[0]} to {spec.scan_M_over_f[1]}: the Z$'$ estimate falls as $1/M^2$, so the
   crossover is $M_\\times = \\sqrt{{|c_{{Z'}}(M)|\\,M^2/|c_{{\\rm strong}}|}}$.
4. Run the dominant coefficient at LO QCD from its source's scale ($m_*$ or $M$) to $\\mu_{{\\rm low}} =
   {fmt(spec.low_scale.value, 4)}$ GeV (`hepqa.eft.evolution_matrix`; the four-fermion operator as the ΔF=2 VLL
   operator, $\\gamma^{{(0)}}=4$; the dipole as $O_7$, $\\gamma^{{(0)}}_{{77}}=32/3$; colour-singlet Higgs operators do
   not run under QCD, $U=1$).
"""
    check = (f"Closed form (no core call): the four-fermion estimates are $1/f^2 = {fmt(1e6 / f**2)}$ TeV$^{{-2}}$ "
             f"(strong, $g_*^2/m_*^2$) and $g_{{Z'}}^2/M^2 = {fmt(1e6 * spec.zprime_coupling.value**2 / spec.zprime_mass.value**2)}$ "
             f"TeV$^{{-2}}$ (Z$'$); the crossover is at $M = g_{{Z'}} f$, i.e. $M/f = {fmt(spec.zprime_coupling.value, 3)}$.")
    return "\n\n".join([
        "## Inputs", inputs, steps, "## Results", res, check,
        "![Scale ladder](" + "{slug}/scale-ladder.svg)",
    ])
