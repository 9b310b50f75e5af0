"""Figures for generated pages (matplotlib, Agg backend, no timestamps in the files)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hepqa.topics import Topics

__all__ = ["topic_map"]


def topic_map(topics: Topics, answers: Sequence[tuple[int, str, list[int]]], path: Path) -> None:
    """Scatter plot of the corpus map, coloured by topic, with answered questions marked.

    **Arguments:**
    - `topics`: clusters and 2-D positions of every record.
    - `answers`: `(number, question, member indices)` for each answer; it is drawn at the mean position of
      the records it cites and labelled with its number.
    - `path`: the PNG to write.
    """
    import matplotlib as mpl  # noqa: PLC0415 - heavy, only when pages are built

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib import patheffects  # noqa: PLC0415

    xy = np.asarray(topics.xy)
    labels = np.asarray(topics.labels)
    colours = plt.get_cmap("tab20").colors + plt.get_cmap("Dark2").colors
    fig, ax = plt.subplots(figsize=(10, 8), dpi=110)
    for topic in topics.topics:
        members = labels == topic.index
        ax.scatter(xy[members, 0], xy[members, 1], s=3, alpha=0.6, color=colours[topic.index % len(colours)],
                   linewidths=0, rasterized=True)
        cx, cy = np.median(xy[members], axis=0)
        ax.text(cx, cy, f"{topic.index}", fontsize=8, weight="bold", ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.7, "lw": 0})
    for number, _question, members in answers:
        if members:
            ax.scatter(*xy[members].mean(axis=0), marker="*", s=120, color="black", zorder=3)
            ax.annotate(f"Q{number}", xy[members].mean(axis=0), xytext=(4, 4), textcoords="offset points",
                        fontsize=7, zorder=4, path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("Corpus map (t-SNE of abstract embeddings): colour and bold number = topic, "
                 "★ Qn = answered question n", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
