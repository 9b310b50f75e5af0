"""Citation grounding: does the cited abstract say what the sentence citing it claims?

Each answer sentence that carries a citation (a *claim*) is compared with every abstract it cites, with two
signals:

- **dense**: the highest cosine between the claim and any sentence of the cited title + abstract
  (all-MiniLM-L6-v2, the model that embeds the corpus);
- **lexical**: the fraction of the claim's content words (lower-cased, stop words and short tokens removed,
  crude suffix stripping) that occur in the cited title + abstract.

The grounding score is their mean. The threshold below which a citation is reported as weakly supported is
calibrated on a labelled sample (`tests/data/grounding_labels.jsonl`: real citation pairs vs deliberately
mismatched pairs) by `scripts/calibrate_grounding.py`; its precision and recall are in `docs/about.md`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hepqa.answers._schema import CITATION, citations_in
from hepqa.corpus import Record, split_sentences

__all__ = ["GROUNDING_THRESHOLD", "Claim", "GroundingScore", "claims_in", "grounding_score", "lexical_overlap",
           "word_overlap"]

GROUNDING_THRESHOLD = 0.45
"""Scores below this are reported as weakly supported (calibrated; see the module docstring)."""

_STOP = frozenset(
    "a about above after again against all also am an and any are as at be because been before being below "
    "between both but by can could did do does doing down during each few for from further had has have having "
    "here how if in into is it its itself just more most no nor not now of off on once only or other our out "
    "over own same should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with within would you one "
    "two show shows shown find finds found study studies paper work using used use new recent".split()
)
_WORD = re.compile(r"[a-z][a-z0-9]+")
_MARKUP = re.compile(r"\*\*|`")  # bold and code marks; single * and _ stay (they occur in math)
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")  # paragraphs and list items


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed", "al", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):  # noqa: PLR2004
            return word[: -len(suffix)]
    return word


def _content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}  # noqa: PLR2004


@dataclass(frozen=True)
class Claim:
    """A sentence of an answer that cites corpus records: its text without citations, and the cited ids."""

    text: str
    cited: tuple[str, ...]


def claims_in(markdown: str) -> list[Claim]:
    """The citing sentences of an answer, in order. Display math is skipped; list items are split apart."""
    claims = []
    prose = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.DOTALL)
    for block in _BLOCK.split(prose):
        block = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", block)
        for sentence in split_sentences(" ".join(block.split())):
            ids = citations_in(sentence)
            if ids:
                text = _MARKUP.sub("", CITATION.sub("", sentence)).strip()
                claims.append(Claim(re.sub(r"\s+([.,;:])", r"\1", text), tuple(ids)))
    return claims


def word_overlap(query: str, text: str) -> float:
    """Fraction of the content words of `query` that occur in `text` (0 when `query` has none)."""
    words = _content_words(query)
    if not words:
        return 0.0
    return len(words & _content_words(text)) / len(words)


def lexical_overlap(claim: str, record: Record) -> float:
    """Fraction of the claim's content words found in the record's title + abstract (0 when it has none)."""
    return word_overlap(claim, f"{record.title} {record.abstract}")


@dataclass(frozen=True)
class GroundingScore:
    """How well one cited record supports one claim."""

    record_id: str
    dense: float
    lexical: float
    best_sentence: str

    @property
    def score(self) -> float:
        """The grounding score: mean of `dense` and `lexical`."""
        return 0.5 * (self.dense + self.lexical)


def record_passages(record: Record) -> list[str]:
    """The texts a claim is compared with: the title and each abstract sentence."""
    return [record.title, *split_sentences(record.abstract)]


def grounding_score(
    claim: str, record: Record, *, embed: Callable[[Sequence[str]], np.ndarray]
) -> GroundingScore:
    """Score how well `record` supports `claim`.

    **Arguments:**
    - `claim`: the citing sentence without its citations.
    - `record`: the cited corpus record.
    - `embed`: unit-norm vectors `(n, dim)` for `n` texts (the snippet store, or the model).
    """
    passages = record_passages(record)
    vectors = embed([claim, *passages])
    sims = vectors[1:] @ vectors[0]
    best = int(np.argmax(sims))
    return GroundingScore(record.id, float(sims[best]), lexical_overlap(claim, record), passages[best])
