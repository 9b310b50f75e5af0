"""Ranking corpus records for a query: dense cosine similarity, BM25, and ways of combining them.

Dense scores come from all-MiniLM-L6-v2 vectors (unit norm, so the dot product is the cosine). Lexical
scores come from `bm25s` over title + abstract. Rankers (the `ranker=` option of `Retriever.search`):

- `"dense"`: the cosine alone.
- `"bm25"`: BM25 alone.
- `"rrf"`: reciprocal-rank fusion (Cormack, Clarke, Büttcher, SIGIR 2009): Σ 1/(k + rank), k = 60. It
  needs no calibration between the two score scales.
- `"zmix"`: a calibrated score mix, w·z(cosine) + (1 − w)·z(BM25), each score z-scored over the whole
  corpus for this query (so both are "standard deviations above a typical paper"), w = `ZMIX_WEIGHT`.
- `"minmax"`: w·m(cosine) + (1 − w)·m(BM25), m(x) = (x − min x)/(max x − min x) over the corpus for
  this query (so the best paper under each ranker scores 1 and the worst 0), w = `MINMAX_WEIGHT`.

The default, `DEFAULT_RANKER` = `"minmax"` with equal weights, was chosen by `scripts/bench_retrieval.py`
on the evaluation sets in `tests/data/` (glossary-expanded queries, 2026-12-03). On the 47 field questions
it is the only ranker that beats both single rankers on recall@10, MRR and nDCG@10 at once (recall@10
0.80 vs dense 0.66 / BM25 0.77; MRR 0.87 vs 0.81 / 0.84; nDCG@10 0.75 vs 0.64 / 0.72); RRF has the best
MRR (0.89) but falls below BM25 on recall@10 (0.755 vs 0.771), because a paper that only one ranker likes is capped at rank ~60 in
the other's RRF term. The mix also has the best nDCG@10 on the acronym set and recall@1 0.986 / recall@10
1.000 on all 11,022 titles. `tests/test_retrieval_eval.py` keeps checking these targets. Whatever ranks,
the similarity shown to readers is always the dense cosine, so it means the same thing on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from hepqa.corpus import Record, record_text
from hepqa.retrieve._bm25 import bm25_index, tokens

__all__ = [
    "DEFAULT_RANKER",
    "MINMAX_WEIGHT",
    "RANKERS",
    "RRF_K",
    "ZMIX_WEIGHT",
    "Hit",
    "Ranker",
    "Retriever",
    "rank_scores",
    "similarity",
]

Ranker = Literal["dense", "bm25", "rrf", "zmix", "minmax"]
"""Names of the rankers `Retriever.search` accepts."""

RANKERS: tuple[str, ...] = get_args(Ranker)

RRF_K = 60
"""Reciprocal-rank-fusion constant (the value of Cormack et al.)."""

ZMIX_WEIGHT = 0.5
"""Weight of the dense z-score in `"zmix"` (BM25 gets 1 − w); equal weights, as for `"minmax"`."""

MINMAX_WEIGHT = 0.5
"""Weight of the min-max-normalised cosine in `"minmax"` (BM25 gets 1 − w). Equal weights, not fitted: of 0.3,
0.5 and 0.7, 0.5 has the best nDCG@10 on every evaluation set."""

DEFAULT_RANKER: Ranker = "minmax"
"""The ranker `Retriever.search` uses unless told otherwise (see the module docstring)."""


@dataclass(frozen=True)
class Hit:
    """One retrieved record.

    **Fields:** `record`; `cosine` (dense similarity in [-1, 1]); `bm25` (lexical score, ≥ 0);
    `dense_rank` / `lexical_rank` (1-based ranks under each ranker); `fused` (the score the hits were
    ranked on: by default the min-max score mix in [0, 1]; the cosine, BM25, RRF or z-mix score under
    another ranker).
    """

    record: Record
    cosine: float
    bm25: float
    dense_rank: int
    lexical_rank: int
    fused: float


def similarity(cosine: float) -> float:
    """The similarity shown to readers, in percent: the dense cosine × 100, clipped at 0."""
    return max(float(cosine), 0.0) * 100.0


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1-based ranks, best first; ties broken by corpus order so the same inputs give the same pages."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def _zscore(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - float(x.mean())) / std if std > 0 else np.zeros_like(x)


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = (float(x.min()), float(x.max())) if len(x) else (0.0, 0.0)
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def rank_scores(
    cosine: np.ndarray,
    lexical: np.ndarray,
    ranker: str = DEFAULT_RANKER,
    *,
    weight: float | None = None,
    dense_rank: np.ndarray | None = None,
    lexical_rank: np.ndarray | None = None,
) -> np.ndarray:
    """The score each record is ranked on under `ranker` (higher is better).

    **Arguments:**
    - `cosine`, `lexical`: float arrays `(n,)`, the dense and BM25 scores of every record for one query.
    - `ranker`: one of `RANKERS`.
    - `weight`: the dense weight of `"zmix"` / `"minmax"` (default `ZMIX_WEIGHT` / `MINMAX_WEIGHT`);
      ignored by the other rankers.
    - `dense_rank`, `lexical_rank`: the ranks `"rrf"` needs, when the caller already has them.

    **Returns:** float64 array `(n,)`.

    **Raises:** `ValueError` for an unknown ranker or a weight outside [0, 1].
    """
    cosine = np.asarray(cosine, dtype=np.float64)
    lexical = np.asarray(lexical, dtype=np.float64)
    if weight is not None and not 0.0 <= weight <= 1.0:
        msg = f"weight must lie in [0, 1], got {weight}"
        raise ValueError(msg)
    if ranker == "dense":
        return cosine
    if ranker == "bm25":
        return lexical
    if ranker == "rrf":
        dr = _ranks(cosine) if dense_rank is None else dense_rank
        lr = _ranks(lexical) if lexical_rank is None else lexical_rank
        return 1.0 / (RRF_K + dr) + 1.0 / (RRF_K + lr)
    if ranker == "zmix":
        w = ZMIX_WEIGHT if weight is None else weight
        return w * _zscore(cosine) + (1.0 - w) * _zscore(lexical)
    if ranker == "minmax":
        w = MINMAX_WEIGHT if weight is None else weight
        return w * _minmax(cosine) + (1.0 - w) * _minmax(lexical)
    msg = f"unknown ranker {ranker!r}: use one of {', '.join(RANKERS)}"
    raise ValueError(msg)


class Retriever:
    """Hybrid retrieval over a corpus.

    **Arguments:**
    - `records`: the corpus, length `n`.
    - `vectors`: float32 array `(n, dim)` of unit-norm record embeddings, aligned with `records`.
    - `cache_dir`: where the BM25 index is cached by content hash (see `hepqa.retrieve._bm25`); `None`
      builds it in memory.
    """

    def __init__(self, records: Sequence[Record], vectors: np.ndarray, *, cache_dir: Path | None = None) -> None:
        if vectors.shape[0] != len(records):
            msg = f"vectors must have one row per record ({len(records)}), got {vectors.shape[0]}"
            raise ValueError(msg)
        self.records = list(records)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self._row = {r.id: i for i, r in enumerate(self.records)}
        self._bm25 = bm25_index([record_text(r) for r in self.records], cache_dir=cache_dir)

    def row(self, record_id: str) -> int:
        """The index of a record in `records` and `vectors`."""
        return self._row[record_id]

    def cosine(self, record_id: str, query_vector: np.ndarray) -> float:
        """Dense similarity between one record and a query vector."""
        return float(self.vectors[self.row(record_id)] @ np.asarray(query_vector, dtype=np.float32))

    def scores(self, query_text: str, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Dense and lexical scores of every record for one query.

        **Returns:** `(cosine, bm25)`, float32 and float64 arrays `(n,)` aligned with `records`.
        """
        cosine = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        query_tokens = tokens([query_text])[0]
        if not query_tokens:
            return cosine, np.zeros(len(cosine))
        lexical = np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float64)
        return cosine, lexical

    def search(
        self, query_text: str, query_vector: np.ndarray, *, k: int = 10, ranker: Ranker = DEFAULT_RANKER,
        first: Sequence[str] = (),
    ) -> list[Hit]:
        """The `k` best records for a query, best first.

        **Arguments:**
        - `query_text`: the (glossary-expanded) query, for BM25.
        - `query_vector`: its unit-norm embedding, shape `(dim,)`.
        - `k`: how many hits.
        - `ranker`: one of `RANKERS` (see the module docstring); `DEFAULT_RANKER` unless told.
        - `first`: ids of records placed first, in this order, whatever their scores (the papers a query
          names by arXiv id; `hepqa.retrieve._ids`); they count towards `k`.

        **Raises:** `ValueError` for an unknown ranker; `KeyError` for an id of `first` not in the corpus.
        """
        if ranker not in RANKERS:
            msg = f"unknown ranker {ranker!r}: use one of {', '.join(RANKERS)}"
            raise ValueError(msg)
        cosine, lexical = self.scores(query_text, query_vector)
        dense_rank = _ranks(cosine)
        lexical_rank = _ranks(lexical)
        score = rank_scores(cosine, lexical, ranker, dense_rank=dense_rank, lexical_rank=lexical_rank)
        named = [self._row[i] for i in dict.fromkeys(first)]
        taken = set(named)
        ranked = np.lexsort((np.arange(len(score)), -score))
        order = [*named, *(i for i in ranked[: k + len(named)] if i not in taken)][:k]
        return [
            Hit(self.records[i], float(cosine[i]), float(lexical[i]), int(dense_rank[i]),
                int(lexical_rank[i]), float(score[i]))
            for i in order
        ]
