"""Test helpers: paths, a deterministic stand-in encoder, and a tiny knowledge base's contents."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "kb"
SEED_CORPUS = ROOT.parent / "shared" / "corpus" / "hep_arxiv_abstracts.jsonl.gz"


class HashingEncoder:
    """A deterministic bag-of-words encoder (hashed unigrams, 384 dims, unit norm) for fast tests.

    It is not a stand-in for the real model's quality, only for its interface: texts sharing words get
    similar vectors, and the same text always gets the same vector. `calls` counts embedded texts.
    """

    model = "test/hashing-bow-384"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % 384] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def make_record(rid: str, title: str, abstract: str, **extra: object) -> dict[str, object]:
    """A valid hepqa JSONL record."""
    record: dict[str, object] = {
        "id": rid,
        "title": title,
        "abstract": abstract,
        "authors": ["Doe, Jane", "Roe, Richard"],
        "categories": ["hep-ph"],
        "primary_category": "hep-ph",
        "date": "2026-05-01",
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, rows: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


TINY_RECORDS = [
    make_record("2601.00001", "Power counting in composite Higgs models",
                "We apply naive dimensional analysis to a strongly coupled sector with decay constant f. "
                "Four-fermion operators scale as one over f squared. Two mass scales compete in the estimate."),
    make_record("2601.00002", "Renormalization group running of Wilson coefficients",
                "We run Wilson coefficients from the matching scale to the bottom-quark mass. "
                "Threshold corrections are included at each heavy-quark mass."),
    make_record("2601.00003", "Neural networks for new physics",
                "We train a neural network on collider data. The network learns which features matter most."),
    make_record("2601.00004", "Lattice QCD determination of the strong coupling",
                "We determine the strong coupling constant on the lattice with five flavours."),
]

TINY_ANSWER = """\
question: "Can NDA estimate coefficients when two mass scales compete?"
answered_by: test editors
date: 2026-12-01
answer: |
  Naive dimensional analysis assigns each operator a size from the strong scale [arXiv:2601.00001].
  Running to low energy changes coefficients at thresholds [arXiv:2601.00002].
follow_ups:
  - "What is the strong coupling?"
"""

TINY_GLOSSARY = """\
- term: NDA
  expansion: naive dimensional analysis
  definition: Manohar-Georgi power counting.
  aliases: []
"""


@contextlib.contextmanager
def offline_page(browser):
    """A fresh page with networking off; `page.requests` lists every URL it requested."""
    context = browser.new_context()
    context.set_offline(True)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
