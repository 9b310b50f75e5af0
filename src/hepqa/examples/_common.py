"""Helpers shared by the example runners: α_s options from a spec, number formatting, Markdown tables."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = ["qcd_kwargs", "fmt", "table", "inputs_table", "q"]


def qcd_kwargs(spec) -> dict:
    """Keyword arguments of `hepqa.eft.alpha_s` / `evolution_matrix` from the spec's `qcd` block (GeV)."""
    c = spec.qcd
    return dict(alpha_s_mz=c.alpha_s_MZ.value, mz=c.M_Z.value, mb=c.m_b.value, mc=c.m_c.value,
                mt=None if c.m_t is None else c.m_t.value, loops=c.loops)


def fmt(x: float, digits: int = 4) -> str:
    """Deterministic short form: `digits` significant figures, LaTeX ×10^n for very large/small numbers."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    e = int(math.floor(math.log10(abs(x))))
    if -3 <= e < 5:
        return f"{x:.{max(digits - 1 - e, 0)}f}"
    m = x / 10**e
    return f"${m:.{digits - 1}f}\\times10^{{{e}}}$"


def _cell(text: object) -> str:
    """One table cell with its `|` made safe: `\\vert{}` inside `$…$` math, an escaped `\\|` in text (a bare `|`
    would split the cell, as in `|V_ts|` or `$|c|$`)."""
    parts = re.split(r"(\$[^$]*\$)", str(text))
    return "".join(p.replace("|", r"\vert{}") if p.startswith("$") else p.replace("|", r"\|") for p in parts)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown pipe table; cells may hold `|` (see `_cell`)."""
    out = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(map(_cell, r)) + " |" for r in rows]
    return "\n".join(out)


def q(quantity) -> str:
    """`value unit` (± uncertainty) of a spec Quantity."""
    unc = f" ± {fmt(quantity.uncertainty, 2)}" if quantity.uncertainty is not None else ""
    unit = "" if quantity.unit in ("1", "") else f" {quantity.unit}"
    return f"{fmt(quantity.value, 5)}{unc}{unit}"


def inputs_table(items: Sequence[tuple[str, object]]) -> str:
    """Table of (label, Quantity) with the source of every number."""
    rows = [(label, q(v), v.source) for label, v in items if v is not None]
    return table(["Input", "Value", "Source"], rows)


def qcd_items(spec) -> list[tuple[str, object]]:
    c = spec.qcd
    return [(r"$\alpha_s^{(5)}(M_Z)$", c.alpha_s_MZ), ("$M_Z$", c.M_Z), (r"$\overline m_b(\overline m_b)$", c.m_b),
            (r"$\overline m_c(\overline m_c)$", c.m_c), (r"$\overline m_t(\overline m_t)$", c.m_t)]
