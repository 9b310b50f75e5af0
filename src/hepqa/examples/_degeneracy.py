r"""Example 4 (`degeneracy`): two heavy states feed one low-energy coefficient; Fisher flat direction and
gradient descent along it; mixing into a second operator breaks the degeneracy.

States of mass M1 < M2 generate the ΔF = 2 operator Q2 (SLL, SUSY basis) at their own mass with coefficient
c_i/M_i² (TeV⁻²). Running to μ_low with the core's LO ADM (`hepqa.eft.evolution_matrix`, `gamma_deltaf2`) mixes
Q2 into Q3 (γ^(0)_23 = 4/3):

    C2(μ_low) = Σ_i a_i c_i,  a_i = U_22(M_i → μ_low)/M_i²;   C3(μ_low) = Σ_i b_i c_i,  b_i = U_32(M_i → μ_low)/M_i².

With C2 alone the Fisher matrix F = a aᵀ/σ² has rank one: the flat direction is ∝ (a2, −a1). Adding C3
gives F = a aᵀ/σ2² + b bᵀ/σ3², whose small eigenvalue is set by how differently the two states' running mixed
Q2 into Q3, i.e. by ln(M2/M1). Plain gradient descent with step η on a quadratic shrinks the offset along an
eigenvector with eigenvalue λ by (1 − ηλ) per step: along the flat direction it does not move at all.
"""

from __future__ import annotations

import math

import numpy as np

from ._common import fmt, inputs_table, qcd_items, qcd_kwargs, table

__all__ = ["run", "plots", "page"]


def _gd(nll, x0, lr, steps):
    import jax

    grad = jax.grad(nll)

    def step(x, _):
        x = x - lr * grad(x)
        return x, x

    _, path = jax.lax.scan(step, x0, None, length=steps)
    return path


def run(spec) -> dict:
    import jax
    import jax.numpy as jnp

    import hepqa.eft as E

    qk = qcd_kwargs(spec)
    mu = spec.low_scale.value
    M = np.array([spec.M1.value, spec.M2.value])
    U = [np.asarray(E.evolution_matrix(E.gamma_deltaf2, 5, m, mu, **qk)) for m in M]
    Mt = M / 1e3  # TeV
    a = np.array([U[i][1, 1] / Mt[i] ** 2 for i in range(2)])
    b = np.array([U[i][2, 1] / Mt[i] ** 2 for i in range(2)])
    t = np.array(spec.truth)
    s2, s3 = spec.sigma_C2.value, spec.sigma_C3.value
    d2, d3 = float(a @ t), float(b @ t)  # Asimov pseudo-data
    A, B = jnp.asarray(a), jnp.asarray(b)

    def nll_one(c):
        return 0.5 * ((A @ c - d2) / s2) ** 2

    def nll_two(c):
        return nll_one(c) + 0.5 * ((B @ c - d3) / s3) ** 2

    names = ("c1", "c2")
    fa1 = E.fisher_analysis(nll_one, jnp.asarray(t), names=names, flat_threshold=1e-8)
    fa2 = E.fisher_analysis(nll_two, jnp.asarray(t), names=names, flat_threshold=1e-8)
    v_flat = np.asarray(fa1.eigenvectors[:, 0])
    v_analytic = np.array([a[1], -a[0]]) / math.hypot(*a)
    lam2 = np.asarray(fa2.eigenvalues)
    lr = spec.learning_rate_fraction / float(lam2[-1])
    paths = {}
    for label, fn in (("one", nll_one), ("two", nll_two)):
        run_gd = jax.jit(lambda x0, fn=fn: _gd(fn, x0, lr, spec.steps))
        paths[label] = [np.vstack([np.array(s, float), np.asarray(run_gd(jnp.asarray(s, dtype=jnp.float64)))])
                        for s in spec.starts]
    w = np.asarray(fa2.eigenvectors[:, 0])  # weakest direction with both observables
    off0 = [float(w @ (np.array(s) - t)) for s in spec.starts]
    off1 = [float(w @ (p[-1] - t)) for p in paths["two"]]
    flat_end = [float(v_flat @ (p[-1] - t)) for p in paths["one"]]
    flat_start = [float(v_flat @ (np.array(s) - t)) for s in spec.starts]
    shrink_pred = (1 - lr * float(lam2[0])) ** spec.steps
    steps_99 = math.log(0.01) / math.log(1 - lr * float(lam2[0]))
    headline = {
        "a1_TeV-2": a[0], "a2_TeV-2": a[1], "b1_TeV-2": b[0], "b2_TeV-2": b[1],
        "eig_ratio_C2_only": float(fa1.ratios[0]), "eig_ratio_C2_C3": float(lam2[0] / lam2[-1]),
        "flat_cosine_vs_analytic": abs(float(v_flat @ v_analytic)),
        "gd_flat_offset_kept_max": max(abs(e - s) for e, s in zip(flat_end, flat_start)),
        "gd_shrink_weak_numeric": off1[0] / off0[0] if off0[0] else 1.0, "gd_shrink_weak_predicted": shrink_pred,
        "gd_steps_for_99pct": steps_99,
        "U22_M1": U[0][1, 1], "U22_M2": U[1][1, 1], "U32_M1": U[0][2, 1], "U32_M2": U[1][2, 1],
    }
    return dict(headline=headline, truth=list(t), paths={k: [p.tolist() for p in v] for k, v in paths.items()},
                eig_one=list(np.asarray(fa1.eigenvalues)), eig_two=list(lam2), v_flat=list(v_flat),
                v_weak=list(w), a=list(a), b=list(b), d2=d2, d3=d3, lr=lr, flat_start=flat_start,
                flat_end=flat_end, off0=off0, off1=off1)


def plots(spec, result, out) -> list[tuple[str, str]]:
    from ._plots import figure, save_svg

    a, b, t = np.array(result["a"]), np.array(result["b"]), np.array(result["truth"])
    pts = np.vstack([np.array(p) for v in result["paths"].values() for p in v] + [t[None]])
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.15 * (hi - lo + 1e-9)
    x = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 200)
    y = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 200)
    X, Y = np.meshgrid(x, y)
    s2, s3 = spec.sigma_C2.value, spec.sigma_C3.value
    chi2 = ((a[0] * X + a[1] * Y - result["d2"]) / s2) ** 2 + ((b[0] * X + b[1] * Y - result["d3"]) / s3) ** 2
    with figure(6.4, 4.8) as (fig, ax):
        ax.contour(X, Y, chi2, levels=[2.2957, 5.9915, 11.83], colors="C7", linewidths=0.8)
        # C2-only minima: the line a·c = d2
        ax.plot(x, (result["d2"] - a[0] * x) / a[1], color="k", lw=1, label=r"$C_2$ alone: line of minima")
        for i, p in enumerate(result["paths"]["one"]):
            p = np.array(p)
            ax.plot(p[:, 0], p[:, 1], ls="--", color=f"C{i}", lw=1.2,
                    label="descent, $C_2$ only" if i == 0 else None)
        for i, p in enumerate(result["paths"]["two"]):
            p = np.array(p)
            ax.plot(p[:, 0], p[:, 1], ls="-", color=f"C{i}", lw=1.2, marker=None,
                    label=r"descent, $C_2$ and $C_3$" if i == 0 else None)
            ax.plot([p[0, 0]], [p[0, 1]], "o", color=f"C{i}", ms=4)
        ax.plot([t[0]], [t[1]], "*", color="k", ms=10, label="truth")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(y[0], y[-1])
        ax.set_xlabel(r"$c_1$ (coefficient from the state at $M_1$, dimensionless)")
        ax.set_ylabel(r"$c_2$ (coefficient from the state at $M_2$, dimensionless)")
        ax.set_title(f"Gradient descent, {spec.steps} steps; grey: χ² with $C_2$ and $C_3$", fontsize=9)
        ax.legend(fontsize=7, loc="best")
        traj = save_svg(fig, out / "descent-trajectories.svg")
    with figure(6.0, 3.4) as (fig, ax):
        ks = np.arange(len(result["paths"]["two"][0]))
        w = np.array(result["v_weak"])
        for i, p in enumerate(result["paths"]["two"]):
            off = np.abs((np.array(p) - t) @ w)
            ax.plot(ks, off, color=f"C{i}")
        ax.set_yscale("log")
        ax.set_xlabel("gradient-descent step (dimensionless)")
        ax.set_ylabel("|offset along the weak eigenvector| (dimensionless)")
        ax.set_title("With both observables: slow convergence along the weak direction")
        conv = save_svg(fig, out / "weak-direction-convergence.svg")
    return [(traj, "Gradient-descent trajectories in the two couplings"),
            (conv, "Offset from the truth along the weak Fisher eigenvector vs descent step")]


def page(spec, result) -> str:
    h = result["headline"]
    items = [("$M_1$", spec.M1), ("$M_2$", spec.M2), (r"$\mu_{\rm low}$", spec.low_scale),
             (r"$\sigma(C_2)$", spec.sigma_C2), (r"$\sigma(C_3)$", spec.sigma_C3), *qcd_items(spec)]
    steps = rf"""## Steps

1. Each state generates $Q_2$ at its mass with coefficient $c_i/M_i^2$. Run both to $\mu_{{\rm low}}$ with the LO
   $\Delta F=2$ ADM (`hepqa.eft.evolution_matrix`): $C_2 = a_1c_1 + a_2c_2$, $C_3 = b_1c_1+b_2c_2$ with
   $a = ({fmt(h['a1_TeV-2'], 4)}, {fmt(h['a2_TeV-2'], 4)})$ TeV$^{{-2}}$ and $b = ({fmt(h['b1_TeV-2'], 4)}, {fmt(h['b2_TeV-2'], 4)})$ TeV$^{{-2}}$.
2. Make Asimov pseudo-data at the truth $(c_1,c_2) = ({spec.truth[0]:g}, {spec.truth[1]:g})$ and diagonalise the Fisher matrix
   (`hepqa.eft.fisher_analysis`) with $C_2$ alone and with $C_2$ and $C_3$.
3. Run plain gradient descent with step $\eta = {spec.learning_rate_fraction:g}/\lambda_{{\max}}$ for {spec.steps} steps from
   {len(spec.starts)} starting points."""
    rows = [["$C_2$ only", fmt(h["eig_ratio_C2_only"], 3), f"({fmt(result['v_flat'][0], 4)}, {fmt(result['v_flat'][1], 4)})",
             "flat: the offset along it never changes (max change " + fmt(h["gd_flat_offset_kept_max"], 2) + ")"],
            ["$C_2$ and $C_3$", fmt(h["eig_ratio_C2_C3"], 3), f"({fmt(result['v_weak'][0], 4)}, {fmt(result['v_weak'][1], 4)})",
             f"offset shrinks by {fmt(h['gd_shrink_weak_numeric'], 4)} (predicted $(1-\\eta\\lambda_{{\\min}})^N$ = "
             f"{fmt(h['gd_shrink_weak_predicted'], 4)}); 99 % needs {fmt(h['gd_steps_for_99pct'], 3)} steps"]]
    res = table(["Observables", r"$\lambda_{\min}/\lambda_{\max}$", "weakest eigenvector $(c_1,c_2)$",
                 "gradient descent along it"], rows)
    check = (f"Independent check: the flat eigenvector with $C_2$ alone agrees with the closed form "
             f"$(a_2,-a_1)/|a|$ to $|\\cos| = {fmt(h['flat_cosine_vs_analytic'], 10)}$.")
    return "\n\n".join(["## Inputs", inputs_table(items), steps, "## Results", res, check,
                        "![Descent trajectories]({slug}/descent-trajectories.svg)",
                        "![Weak-direction convergence]({slug}/weak-direction-convergence.svg)"])
