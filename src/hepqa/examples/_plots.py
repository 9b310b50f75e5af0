"""Deterministic matplotlib SVG output for the worked examples.

Byte-identical files for identical inputs: a fixed `svg.hashsalt` (element ids), `metadata={'Date': None}`
(no timestamp), and `svg.fonttype='none'`, which keeps text as `<text>` (smaller, searchable, and independent of
the glyph outlines of the installed fonts). Every axis carries a label with its unit.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["figure", "save_svg", "RC"]

RC = {
    "svg.hashsalt": "hepqa-examples",
    "svg.fonttype": "none",
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
    "savefig.bbox": "standard",
}


@contextlib.contextmanager
def figure(width: float = 6.4, height: float = 4.2):
    """Yield `(fig, ax)` inside the deterministic rc context; the figure is closed afterwards."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, height))
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def save_svg(fig, path: Path) -> str:
    """Write `fig` to `path` (SVG, no date, fixed ids); return the file name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(RC):
        fig.tight_layout()
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "hepqa"})
    return path.name
