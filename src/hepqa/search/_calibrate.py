"""Measuring `hepqa ask`'s threshold on a labelled set of questions (`tests/data/ask_questions.jsonl`).

Each line is `{"query": ..., "answer": <slug> | null, "kind": ...}`: a query labelled with the answered
question it paraphrases, or `null` when no curated answer addresses it. At threshold t, `ask` returns the
closest answered question when its cosine is ≥ t. Precision is the share of returned answers that are the
labelled one; recall is the share of labelled queries whose own answer is returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hepqa.errors import AnswerError
from hepqa.retrieve import expand_query
from hepqa.search._engine import Searcher

__all__ = ["AskLabel", "ClosestMatch", "closest_matches", "load_ask_labels", "precision_recall"]


@dataclass(frozen=True)
class AskLabel:
    """One labelled question: `query`, `answer` (the slug it paraphrases, or `None`), `kind` (free text)."""

    query: str
    answer: str | None
    kind: str


@dataclass(frozen=True)
class ClosestMatch:
    """The closest answered question for a labelled query, and its cosine."""

    label: AskLabel
    slug: str
    cosine: float


def load_ask_labels(path: Path, *, known_slugs: set[str]) -> list[AskLabel]:
    """Read a labelled set; raises `AnswerError` naming file and line for a bad row or an unknown slug."""
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
            label = AskLabel(str(row["query"]), row["answer"], str(row["kind"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            msg = f"{path}:{number}: must be a JSON object with query, answer and kind: {exc}"
            raise AnswerError(msg) from exc
        if label.answer is not None and label.answer not in known_slugs:
            msg = f"{path}:{number}: answer: {label.answer!r} is not an answered question's slug"
            raise AnswerError(msg)
        labels.append(label)
    return labels


def closest_matches(searcher: Searcher, labels: list[AskLabel]) -> list[ClosestMatch]:
    """The closest answered question of every labelled query, as `hepqa ask` finds it (queries embedded in
    one batch). Needs the embedding model."""
    if searcher.encoder is None:
        msg = "measuring the ask threshold needs the embedding model (the `embed` extra)"
        raise AnswerError(msg)
    texts = [expand_query(label.query, searcher.kb.glossary) for label in labels]
    vectors = searcher.encoder.encode(texts)
    out = []
    for label, text, vector in zip(labels, texts, vectors, strict=True):
        best = searcher.rank_answers(text, vector)[0]
        out.append(ClosestMatch(label, best.answer.slug, float(best.cosine)))
    return out


def precision_recall(matches: list[ClosestMatch], threshold: float) -> tuple[float, float]:
    """`(precision, recall)` of returning the closest answer at cosine ≥ `threshold` (precision 1 when
    nothing is returned)."""
    returned = [m for m in matches if m.cosine >= threshold]
    correct = sum(m.slug == m.label.answer for m in returned)
    positives = sum(m.label.answer is not None for m in matches)
    return (correct / len(returned) if returned else 1.0), (correct / positives if positives else 0.0)
