"""Measuring retrieval on evaluation sets: recall@k, MRR and nDCG@10 with binary relevance.

An evaluation set is a list of `EvalQuery` (a query and the corpus ids that answer it, judged by reading
the abstracts). The sets live in `tests/data/` (`retrieval_questions.jsonl`, `retrieval_acronyms.jsonl`,
one JSON object a line with `id`, `query`, `relevant`); the title → own-abstract set is built from the
corpus by `title_queries`. `scripts/bench_retrieval.py` prints every ranker on every set;
`tests/test_retrieval_eval.py` checks the targets on fixed subsets.

Definitions (per query, then averaged over the queries of a set), with R the relevant ids and r₁ the rank
of the first relevant hit:

- recall@k = |R ∩ top k| / |R|;
- reciprocal rank = 1/r₁ (0 when no relevant id is in the first `depth` = 100); MRR is its mean;
- nDCG@10 = DCG@10 / ideal DCG@10, DCG = Σ_{i ≤ 10, hit i relevant} 1/log₂(i + 1).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hepqa.corpus import Record
from hepqa.retrieve._rank import Retriever, _ranks, rank_scores

__all__ = [
    "EvalQuery",
    "Metrics",
    "evaluate",
    "load_eval_set",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank",
    "summarise",
    "title_queries",
]


@dataclass(frozen=True)
class EvalQuery:
    """One query of an evaluation set: `id`, the `query` text, and the `relevant` corpus ids."""

    id: str
    query: str
    relevant: frozenset[str]


def load_eval_set(path: Path, *, known_ids: Iterable[str] | None = None) -> list[EvalQuery]:
    """Read a JSON-lines evaluation set.

    **Raises:** `ValueError` naming file and line for a row without `id`/`query`/`relevant`, a query with
    no relevant id, or (given `known_ids`) a relevant id that is not in the corpus.
    """
    known = set(known_ids) if known_ids is not None else None
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        where = f"{path}:{lineno}"
        if not isinstance(row, dict) or not {"id", "query", "relevant"} <= row.keys():
            msg = f"{where}: each row needs id, query and relevant"
            raise ValueError(msg)
        relevant = frozenset(row["relevant"])
        if not relevant:
            msg = f"{where}: {row['id']}: relevant is empty"
            raise ValueError(msg)
        if known is not None and relevant - known:
            msg = f"{where}: {row['id']}: not in the corpus: {sorted(relevant - known)}"
            raise ValueError(msg)
        out.append(EvalQuery(str(row["id"]), str(row["query"]), relevant))
    return out


def title_queries(records: Sequence[Record], *, n: int | None = None, seed: int = 0) -> list[EvalQuery]:
    """The title → own-abstract set: each record's title as the query, the record itself as the answer.

    **Arguments:** `n`: a seeded random subset of this size (all records when `None`); `seed`.
    """
    chosen = list(records)
    if n is not None and n < len(chosen):
        chosen = sorted(random.Random(seed).sample(chosen, n), key=lambda r: r.id)
    return [EvalQuery(r.id, r.title, frozenset({r.id})) for r in chosen]


def recall_at_k(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    """Fraction of the relevant ids among the first `k` of `ranked`."""
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: frozenset[str]) -> float:
    """1 / (1-based rank of the first relevant id in `ranked`), or 0 when there is none."""
    for i, rid in enumerate(ranked, 1):
        if rid in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    """Binary-gain nDCG over the first `k` of `ranked`."""
    dcg = sum(1.0 / math.log2(i + 1) for i, rid in enumerate(ranked[:k], 1) if rid in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal


@dataclass
class Metrics:
    """Metrics of one ranker on one set: `per_query` maps a query id to its
    `(recall@1, recall@10, reciprocal rank, nDCG@10)`; the properties are the means over the set."""

    per_query: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of queries."""
        return len(self.per_query)

    def _mean(self, column: int) -> float:
        return float(np.mean([v[column] for v in self.per_query.values()])) if self.per_query else 0.0

    @property
    def recall_1(self) -> float:
        """Mean recall@1."""
        return self._mean(0)

    @property
    def recall_10(self) -> float:
        """Mean recall@10."""
        return self._mean(1)

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank."""
        return self._mean(2)

    @property
    def ndcg_10(self) -> float:
        """Mean nDCG@10."""
        return self._mean(3)

    def row(self) -> dict[str, float]:
        """The means, rounded for tables and JSON."""
        return {
            "n": self.n,
            "recall@1": round(self.recall_1, 4),
            "recall@10": round(self.recall_10, 4),
            "MRR": round(self.mrr, 4),
            "nDCG@10": round(self.ndcg_10, 4),
        }


RankerSpec = str | tuple[str, float]
"""A ranker name, or `(name, weight)` for the score mixes."""


def evaluate(
    retriever: Retriever,
    queries: Sequence[EvalQuery],
    vectors: np.ndarray,
    rankers: Iterable[RankerSpec],
    *,
    texts: Sequence[str] | None = None,
    depth: int = 100,
    on_hits: Callable[[str, EvalQuery, np.ndarray, np.ndarray], None] | None = None,
) -> dict[str, Metrics]:
    """Every ranker on one evaluation set, scoring each query against the corpus once.

    **Arguments:**
    - `retriever`: the corpus index.
    - `queries`: the set.
    - `vectors`: float32 `(len(queries), dim)`, the unit-norm embedding of each query's text.
    - `rankers`: names from `RANKERS`, or `(name, weight)` pairs for `"zmix"` / `"minmax"`.
    - `texts`: the texts given to BM25 (default: each query's `query`; pass glossary-expanded texts to
      measure expansion — `vectors` must then embed the same texts).
    - `depth`: how deep the ranking is read for MRR (a relevant id below it counts as not found).
    - `on_hits`: called as `on_hits(label, query, top_rows, cosine)` with the top-10 corpus rows and the
      full cosine array, e.g. to collect the similarity of relevant and non-relevant hits.

    **Returns:** `Metrics` by ranker label (`"zmix"` or `"zmix@0.3"` for a weight).
    """
    specs = [(r, None) if isinstance(r, str) else (r[0], float(r[1])) for r in rankers]
    labels = [name if w is None else f"{name}@{w:g}" for name, w in specs]
    texts = [q.query for q in queries] if texts is None else list(texts)
    if len(texts) != len(queries) or vectors.shape[0] != len(queries):
        msg = f"need one text and one vector per query ({len(queries)})"
        raise ValueError(msg)
    ids = [r.id for r in retriever.records]
    out = {label: Metrics() for label in labels}
    for query, text, vector in zip(queries, texts, vectors, strict=True):
        cosine, lexical = retriever.scores(text, vector)
        dense_rank, lexical_rank = _ranks(cosine), _ranks(lexical)
        for label, (name, weight) in zip(labels, specs, strict=True):
            score = rank_scores(
                cosine, lexical, name, weight=weight, dense_rank=dense_rank, lexical_rank=lexical_rank
            )
            top = _top(score, depth)
            ranked = [ids[i] for i in top]
            out[label].per_query[query.id] = (
                recall_at_k(ranked, query.relevant, 1),
                recall_at_k(ranked, query.relevant, 10),
                reciprocal_rank(ranked, query.relevant),
                ndcg_at_k(ranked, query.relevant, 10),
            )
            if on_hits is not None:
                on_hits(label, query, top[:10], cosine)
    return out


def _top(score: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the `depth` best scores, best first, ties by corpus order (as `Retriever.search`)."""
    depth = min(depth, len(score))
    part = np.argpartition(-score, depth - 1)[:depth]
    # Include every record tied with the cut-off so tie-breaking by corpus order stays exact.
    cut = score[part].min()
    cand = np.flatnonzero(score >= cut)
    order = cand[np.lexsort((cand, -score[cand]))]
    return order[:depth]


def summarise(results: Mapping[str, Metrics]) -> dict[str, dict[str, float]]:
    """`{label: metrics row}`, for JSON."""
    return {label: m.row() for label, m in results.items()}
