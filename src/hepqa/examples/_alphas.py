r"""Example 5 (`alpha-s-thresholds`): α_s and ΔF = 2 coefficients from μ_high to μ_low across thresholds, and
derivatives of the low-scale values with respect to α_s(M_Z): JAX forward mode vs central finite differences.

α_s from `hepqa.eft.alpha_s` (4-loop running, 3-loop decoupling at m_q(m_q)); coefficients from
`hepqa.eft.evolution_matrix` (diffrax, `ForwardMode` adjoint, so `jax.jacfwd` differentiates through the
solve without reverse mode, GUIDE §6). Shown: Q1 (VLL, γ^(0) = 4) and Q4 (LR, γ^(0)_44 = −16).
"""

from __future__ import annotations

import numpy as np

from ._common import fmt, inputs_table, qcd_items, qcd_kwargs, table

__all__ = ["run", "plots", "page"]


def run(spec) -> dict:
    import jax
    import jax.numpy as jnp

    import hepqa.eft as E

    qk = qcd_kwargs(spec)
    hi, lo = spec.mu_high.value, spec.mu_low.value
    mus = np.geomspace(lo, hi, spec.n_points)
    a_s = np.asarray(E.alpha_s(jnp.asarray(mus), **qk))
    nf = np.asarray(E.active_flavours(mus, mb=qk["mb"], mc=qk["mc"], mt=qk["mt"]))
    curves = np.array([np.asarray(E.evolution_matrix(E.gamma_deltaf2, 5, hi, float(m), **qk)) for m in mus])
    base = {k: v for k, v in qk.items() if k != "alpha_s_mz"}
    a0 = qk["alpha_s_mz"]

    def lowvals(a):
        U = E.evolution_matrix(E.gamma_deltaf2, 5, hi, lo, alpha_s_mz=a, **base)
        return jnp.stack([E.alpha_s(lo, alpha_s_mz=a, **base), U[0, 0], U[3, 3], U[3, 4]])

    names = ["alpha_s(mu_low)", "U11 (VLL)", "U44 (LR)", "U45 (Q5 into Q4 mixing)"]
    vals = np.asarray(lowvals(a0))
    jac = np.asarray(jax.jacfwd(lowvals)(jnp.asarray(a0)))
    h = spec.fd_step
    fd = (np.asarray(lowvals(a0 + h)) - np.asarray(lowvals(a0 - h))) / (2 * h)
    # LO closed form for U11 with this α_s: Π over segments of η^{6/(33−2nf)}
    segs = E.flavour_segments(hi, lo, mb=qk["mb"], mc=qk["mc"], mt=qk["mt"])
    u11_lo = 1.0
    for nfs, s_a, s_b in segs:
        eta = float(E.alpha_s(s_a, nf=nfs, **qk) / E.alpha_s(s_b, nf=nfs, **qk))
        u11_lo *= eta ** (6 / (33 - 2 * nfs))
    headline = {"alpha_s_mu_low": vals[0], "U11": vals[1], "U44": vals[2], "U45": vals[3],
                "U11_LO_closed_form": u11_lo}
    for n, j, f in zip(["alpha_s", "U11", "U44", "U45"], jac, fd):
        headline[f"d_{n}_d_alpha_s_MZ_jax"] = float(j)
        headline[f"d_{n}_d_alpha_s_MZ_fd"] = float(f)
    thresholds = [(name, qk[k]) for name, k in (("m_t", "mt"), ("m_b", "mb"), ("m_c", "mc"))
                  if qk[k] is not None and lo < qk[k] < hi]
    return dict(headline=headline, mus=list(mus), alpha_s=list(a_s), nf=[int(n) for n in nf],
                U11=list(curves[:, 0, 0]), U44=list(curves[:, 3, 3]), names=names, values=list(vals),
                jax=list(jac), fd=list(fd), thresholds=thresholds)


def plots(spec, result, out) -> list[tuple[str, str]]:
    from ._plots import figure, save_svg

    mus = np.array(result["mus"])
    with figure(6.4, 4.0) as (fig, ax):
        ax.plot(mus, result["alpha_s"], color="C0")
        for name, m in result["thresholds"]:
            ax.axvline(m, color="grey", ls=":", lw=1)
            ax.annotate(f"${name[0]}_{name[2]}$", (m, max(result["alpha_s"]) * 0.95), fontsize=8, ha="left")
        nf = np.array(result["nf"])
        for n in sorted(set(nf)):
            sel = mus[nf == n]
            ax.annotate(f"$n_f={n}$", (np.sqrt(sel.min() * sel.max()), min(result["alpha_s"]) * 1.02), ha="center",
                        fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel(r"$\mu$ (GeV)")
        ax.set_ylabel(r"$\alpha_s^{(n_f)}(\mu)$ (MS-bar, dimensionless)")
        ax.set_title(r"$\alpha_s$ from 4-loop running, thresholds at $\overline{m}_q(\overline{m}_q)$")
        p1 = save_svg(fig, out / "alpha-s.svg")
    with figure(6.4, 4.0) as (fig, ax):
        ax.plot(mus, result["U11"], label=r"$C_1$ (VLL), $\gamma^{(0)}=4$")
        ax.plot(mus, result["U44"], label=r"$C_4$ (LR), $\gamma^{(0)}_{44}=-16$")
        for _, m in result["thresholds"]:
            ax.axvline(m, color="grey", ls=":", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel(r"$\mu$ (GeV)")
        ax.set_ylabel(r"$C(\mu)/C(\mu_{\rm high})$ (dimensionless)")
        ax.set_title(f"LO running from {spec.mu_high.value / 1000:g} TeV")
        ax.legend(fontsize=8)
        p2 = save_svg(fig, out / "coefficient-running.svg")
    return [(p1, "α_s(μ) with the flavour thresholds marked"), (p2, "Running of two ΔF=2 coefficients")]


def page(spec, result) -> str:
    h = result["headline"]
    items = [(r"$\mu_{\rm high}$", spec.mu_high), (r"$\mu_{\rm low}$", spec.mu_low), *qcd_items(spec)]
    steps = rf"""## Steps

1. Evaluate $\alpha_s^{{(n_f)}}(\mu)$ on {spec.n_points} scales (`hepqa.eft.alpha_s`); $n_f$ changes at
   {', '.join(f'{n} = {fmt(m, 4)} GeV' for n, m in result['thresholds'])}.
2. Solve the LO $\Delta F=2$ RGE from $\mu_{{\rm high}}$ to each scale (`hepqa.eft.evolution_matrix`); the coefficients
   are continuous at thresholds (LO matching) while $\alpha_s$ jumps.
3. Differentiate the values at $\mu_{{\rm low}}$ with respect to $\alpha_s(M_Z)$: `jax.jacfwd` through the ODE solve
   (forward mode) and central finite differences with step {spec.fd_step:g}."""
    rows = [[n, fmt(v, 6), fmt(j, 6), fmt(f, 6), fmt(abs(j - f) / max(abs(f), 1e-300), 2)]
            for n, v, j, f in zip(result["names"], result["values"], result["jax"], result["fd"])]
    res = table(["Quantity at $\\mu_{\\rm low}$", "value", r"$d/d\alpha_s(M_Z)$, JAX", "finite differences",
                 "relative difference"], rows)
    check = (f"Cross-check: the LO closed form $\\prod_{{\\rm segments}}\\eta^{{6/(33-2n_f)}}$ with the same $\\alpha_s$ gives "
             f"$U_{{11}} = {fmt(h['U11_LO_closed_form'], 6)}$ against {fmt(h['U11'], 6)} from the ODE solve, a "
             f"{fmt(100 * abs(h['U11'] / h['U11_LO_closed_form'] - 1), 2)} % difference: the closed form is exact only "
             "for one-loop running of $\\alpha_s$, while the ODE integrates $\\alpha_s/4\\pi$ along the 4-loop coupling "
             "(a formally NLO effect, of the size NLO anomalous dimensions would also change).")
    return "\n\n".join(["## Inputs", inputs_table(items), steps, "## Results", res, check,
                        "![alpha_s]({slug}/alpha-s.svg)", "![running]({slug}/coefficient-running.svg)"])
