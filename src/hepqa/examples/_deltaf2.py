r"""Example 2 (`deltaf2-bounds`): bounds on Λ from K, B_d, B_s and D mixing with LO running of Q1…Q5.

Effective Hamiltonian `H = Σ_i (c_i/Λ²) Q_i` (SUSY basis, `hepqa.eft.DELTAF2_OPERATORS`), so
`M12^NP = (c_i/Λ²) Σ_j U_ji(Λ → μ_had) ⟨P̄|Q_j|P⟩ / (2 m_P)` with the analytic LO evolution matrix
(`hepqa.eft.evolution_matrix_lo`, Buras hep-ph/9806471) and the matrix elements of Ciuchini et al.
(hep-ph/9711402, Eq. (4)) with r = m_P/(m_q1(μ) + m_q2(μ)):

    ⟨Q1⟩ = ⅓ m_P f_P² B1,  ⟨Q2⟩ = −5/24 r² m_P f_P² B2,  ⟨Q3⟩ = 1/24 r² m_P f_P² B3,
    ⟨Q4⟩ = ¼ r² m_P f_P² B4,  ⟨Q5⟩ = 1/12 r² m_P f_P² B5.

A constraint allows |M12^NP| (its real or imaginary part) up to `A = Δm/2 × Π factors`. With |c| = 1 the bound
solves `Λ² = |Σ_j U_ji(Λ) ⟨Q_j⟩|/(2 m_P A)` (a fixed point: U depends on Λ only logarithmically); at Λ = Λ_ref,
`|c| ≤ 2 m_P A Λ_ref² / |Σ_j U_ji ⟨Q_j⟩|`.
"""

from __future__ import annotations

import math

import numpy as np

from ._common import fmt, inputs_table, qcd_items, qcd_kwargs, table

__all__ = ["run", "plots", "page", "matrix_elements"]

OPS = ("Q1", "Q2", "Q3", "Q4", "Q5")


def matrix_elements(mass, f, r, bag) -> np.ndarray:
    """⟨P̄|Q_i|P⟩ in GeV⁴ for i = 1…5 (hep-ph/9711402 Eq. (4)); `mass`, `f` in GeV, `r` = m_P/(m_q1+m_q2)."""
    mf2 = mass * f**2
    coef = np.array([1 / 3, -5 / 24 * r**2, 1 / 24 * r**2, 1 / 4 * r**2, 1 / 12 * r**2])
    return coef * mf2 * np.asarray(bag, dtype=float)


_U_CACHE: dict = {}


def _U(Lambda, mu_had, qk):
    """LO evolution matrix Λ → μ_had (GeV), jitted once per set of α_s inputs (eager calls are slow)."""
    import jax

    import hepqa.eft as E

    key = tuple(sorted(qk.items()))
    if key not in _U_CACHE:
        _U_CACHE[key] = jax.jit(lambda L, m: E.evolution_matrix_lo(E.GAMMA0_DELTAF2, L, m, **qk))
    return np.asarray(_U_CACHE[key](float(Lambda), float(mu_had)))


def _strength(Lambda, mu_had, me, mass, qk):
    """|Σ_j U_ji ⟨Q_j⟩|/(2 m_P) in GeV³ for each i (shape (5,))."""
    return np.abs(_U(Lambda, mu_had, qk).T @ me) / (2 * mass)


def run(spec) -> dict:
    import hepqa.eft as E

    qk = qcd_kwargs(spec)
    Lref = spec.reference_Lambda.value
    out = {}
    headline = {}
    for m in spec.mesons:
        mu = m.mu_had.value
        qm = [float(E.running_mass(qq.value, s.value, mu, nf=m.quark_mass_nf, **qk))
              for qq, s in zip(m.quark_masses, m.quark_mass_scales)]
        r = m.mass.value / sum(qm)
        me = matrix_elements(m.mass.value, m.decay_constant.value, r, [b.value for b in m.bag])
        s_ref = _strength(Lref, mu, me, m.mass.value, qk)
        s_norun = np.abs(me) / (2 * m.mass.value)
        U_ref = _U(Lref, mu, qk)
        parts = {}
        for con in m.constraints:
            A = con.delta_m.value / 2 * math.prod(fct.value for fct in con.factors)
            lam = np.sqrt(s_ref / A)
            for _ in range(8):
                lam = np.array([math.sqrt(_strength(L, mu, me, m.mass.value, qk)[i] / A) for i, L in enumerate(lam)])
            cbound = A * Lref**2 / s_ref
            parts[con.part] = dict(A_GeV=A, Lambda_TeV=list(lam / 1e3), c_bound=list(cbound), observable=con.observable)
            for i, op in enumerate(OPS):
                headline[f"{m.key}_{op}_{con.part}_Lambda_TeV"] = float(lam[i] / 1e3)
                headline[f"{m.key}_{op}_{con.part}_c_at_ref"] = float(cbound[i])
        headline[f"{m.key}_U11_ref_to_had"] = float(U_ref[0, 0])
        out[m.key] = dict(quark_masses_at_mu=qm, r=r, matrix_elements=list(me), enhancement=list(s_ref / s_norun),
                          U_ref=U_ref.tolist(), parts=parts)
    comps = []
    for pb in spec.published:
        ours = out[pb.meson]["parts"][pb.part]["Lambda_TeV"][OPS.index(pb.operator)]
        comps.append(dict(meson=pb.meson, operator=pb.operator, part=pb.part, ours=ours, theirs=pb.Lambda.value,
                          ratio=ours / pb.Lambda.value, factor=pb.factor, source=pb.Lambda.source))
        headline[f"ratio_{pb.meson}_{pb.operator}_{pb.part}_vs_{pb.Lambda.source.split()[0]}"] = ours / pb.Lambda.value
    return dict(headline=headline, mesons=out, comparisons=comps)


def plots(spec, result, out) -> list[tuple[str, str]]:
    from ._plots import figure, save_svg

    keys = [m.key for m in spec.mesons]
    with figure(7.2, 4.4) as (fig, ax):
        width = 0.8 / (2 * len(OPS))
        x = np.arange(len(keys))
        colors = ["C0", "C1", "C2", "C3", "C4"]
        for pi, part in enumerate(("Re", "Im")):
            for i, op in enumerate(OPS):
                vals = [result["mesons"][k]["parts"].get(part, {}).get("Lambda_TeV", [np.nan] * 5)[i] for k in keys]
                pos = x - 0.4 + width * (pi * len(OPS) + i + 0.5)
                ax.bar(pos, vals, width, color=colors[i], alpha=1.0 if part == "Re" else 0.5,
                       label=f"{op} ({part})" if True else None)
        for c in result["comparisons"]:
            k = keys.index(c["meson"])
            pi = 0 if c["part"] == "Re" else 1
            pos = k - 0.4 + width * (pi * len(OPS) + OPS.index(c["operator"]) + 0.5)
            ax.plot([pos], [c["theirs"]], marker="_", color="k", ms=12, mew=2)
        ax.set_yscale("log")
        ax.set_xticks(x, [f"${m.tex}$" for m in spec.mesons])
        ax.set_xlabel("meson system")
        ax.set_ylabel(r"lower bound on $\Lambda$ for $|c|=1$ (TeV)")
        ax.set_title("ΔF=2 bounds (solid: Re, pale: Im; black ticks: published)")
        ax.legend(ncol=5, fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.16))
        bars = save_svg(fig, out / "lambda-bounds.svg")
    return [(bars, "Lower bounds on Λ for |c| = 1 per meson system and operator, with the published values")]


def page(spec, result) -> str:
    items = [("reference $\\Lambda$ for $|c|$ bounds", spec.reference_Lambda), *qcd_items(spec)]
    for m in spec.mesons:
        items += [(f"${m.tex}$ mass", m.mass), (f"$f_{{{m.tex}}}$", m.decay_constant),
                  (f"${m.tex}$: $\\mu_{{\\rm had}}$", m.mu_had)]
        items += [(f"${m.tex}$: quark mass {i + 1} at {fmt(s.value, 3)} GeV", qq)
                  for i, (qq, s) in enumerate(zip(m.quark_masses, m.quark_mass_scales))]
        items += [(f"${m.tex}$: $B_{i + 1}$", b) for i, b in enumerate(m.bag)]
        for con in m.constraints:
            items += [(f"${m.tex}$ {con.part}: $\\Delta m$ ({con.observable})", con.delta_m)]
            items += [(f"${m.tex}$ {con.part}: factor {j + 1}", fct) for j, fct in enumerate(con.factors)]
    items += [(f"published: {pb.meson} {pb.operator} {pb.part}, $\\Lambda$ (TeV)", pb.Lambda) for pb in spec.published]
    steps = r"""## Steps

1. Run the light-quark masses to each hadronic scale with `hepqa.eft.running_mass` and form the chiral factor
   $r = m_P/(m_{q_1}+m_{q_2})$; build $\langle \bar P|Q_i|P\rangle$ from $f_P$ and the bag parameters $B_i$
   (hep-ph/9711402).
2. Evolve $c_i/\Lambda^2$ from $\Lambda$ to $\mu_{\rm had}$ with the LO $5\times5$ evolution matrix
   (`hepqa.eft.evolution_matrix_lo` with `GAMMA0_DELTAF2`; thresholds at $\overline m_q(\overline m_q)$). For
   $Q_1$ this is $\prod_{\rm segments}\eta^{6/(33-2n_f)}$; $Q_2,Q_3$ and $Q_4,Q_5$ mix.
3. Require $|M_{12}^{\rm NP}| = |c|\,|\sum_j U_{ji}\langle Q_j\rangle|/(2m_P\Lambda^2) \le A$, where $A$ is
   $\Delta m/2$ times the factors listed with each constraint (for $\epsilon_K$: $2\sqrt2\,|\epsilon_K|$ times the
   allowed NP fraction). Solve for $\Lambda$ at $|c|=1$ (fixed point, since $U$ depends on $\ln\Lambda$) and for
   $|c|$ at $\Lambda = \Lambda_{\rm ref}$."""
    res = []
    for m in spec.mesons:
        d = result["mesons"][m.key]
        rows = []
        for i, op in enumerate(OPS):
            row = [op]
            for part in ("Re", "Im"):
                p = d["parts"].get(part)
                row += ([fmt(p["Lambda_TeV"][i], 3), fmt(p["c_bound"][i], 2)] if p else ["–", "–"])
            row.append(fmt(d["enhancement"][i], 3))
            rows.append(row)
        res.append(f"**${m.tex}$** ($\\mu_{{\\rm had}} = {fmt(m.mu_had.value, 3)}$ GeV, $r = {fmt(d['r'], 4)}$, "
                   f"$U_{{11}}(\\Lambda_{{\\rm ref}}\\to\\mu_{{\\rm had}}) = {fmt(d['U_ref'][0][0], 5)}$)\n\n"
                   + table(["Operator", r"$\Lambda$ (TeV), Re", r"$|c|$ at $\Lambda_{\rm ref}$, Re",
                            r"$\Lambda$ (TeV), Im", r"$|c|$ at $\Lambda_{\rm ref}$, Im",
                            "RG × matrix-element factor vs $Q_1$-like, at $\\Lambda_{\\rm ref}$"], rows))
    crow = [[c["meson"], c["operator"], c["part"], fmt(c["ours"], 3), fmt(c["theirs"], 3), fmt(c["ratio"], 3),
             f"{c['factor']:g}", c["source"]] for c in result["comparisons"]]
    comp = table(["Meson", "Operator", "Part", r"ours, $\Lambda$ (TeV)", r"published, $\Lambda$ (TeV)", "ratio",
                  "agreement asked (factor)", "source"], crow)
    return "\n\n".join(["## Inputs", inputs_table(items), steps, "## Results", *res,
                        "The last column is $|\\sum_j U_{ji}\\langle Q_j\\rangle| / |\\langle Q_i\\rangle|$: running "
                        "enhances the left–right operators.",
                        "### Comparison with published bounds", comp, "![Bounds on Λ]({slug}/lambda-bounds.svg)"])
