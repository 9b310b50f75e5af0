"""Splitting abstracts into sentences, for the "best-matching sentence" shown beside each source.

A small rule-based splitter is used rather than an NLP package: abstracts are short, formal prose, and the
rules below (break after . ! ? followed by a space and a capital, digit, or math) avoid the common false
breaks of the field ("e.g.", "et al.", "Eq.", "vs.", decimal numbers) without a model download. Nor does it
break inside inline math or after a TeX control symbol: "$B^+ \\! \\to \\! K^+ \\nu\\bar\\nu$" and
"$W_1 ... W_n$" are one formula, not two sentences.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "Eq.", "Eqs.", "Ref.", "Refs.", "Fig.", "Figs.", "vs.", "cf.",
                  "approx.", "resp.", "Sec.", "No.", "Phys.", "Rev.", "Lett.", "Nucl.", "Dr.", "Prof.")
_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$\\(\[])")
_MIN_CHARS = 20
_DOLLAR = re.compile(r"(?<!\\)\$")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, in order; fragments shorter than 20 characters are joined to their neighbour."""
    pieces: list[str] = []
    start = 0
    balanced = len(_DOLLAR.findall(text)) % 2 == 0  # else (a truncated abstract) math is not told from prose
    for match in _BREAK.finditer(text):
        candidate = text[start : match.start()]
        if candidate.endswith(_ABBREVIATIONS) or len(candidate.strip()) < _MIN_CHARS:
            continue
        if candidate.endswith("\\", 0, -1) or (balanced and len(_DOLLAR.findall(text, 0, match.start())) % 2):
            continue  # "\\!" is TeX spacing, and a break inside $...$ would split a formula
        pieces.append(candidate.strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        if pieces and len(tail) < _MIN_CHARS:
            pieces[-1] = f"{pieces[-1]} {tail}"
        else:
            pieces.append(tail)
    return pieces
