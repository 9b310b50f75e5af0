"""Training the instant-tier static model (`StaticEncoder`) to mimic all-MiniLM-L6-v2's query vectors.

The static model only ever embeds queries: they are scored against the full model's stored document
vectors (asymmetric), so the table lives in the full model's 384-dimensional space. On the 100 held-out
queries of `tests/data/static_heldout_queries.jsonl`, the shipped table finds 72.6% of the full model's
top 10 that way (the full model's top hit is in its top 10 for 98%; 74.2% and 97% before the glossary began
adding acronyms to spelled-out terms, 2026-12-04), against 47% when the same table also
embeds the documents; the symmetric model this replaced (static queries and documents, trained for that)
reached 57.7% (94%).

The teacher is the full model; its vectors come from the stores in `kb/embeddings/`:
- `corpus` (title + abstract of every record) and `snippets` (questions and abstract sentences), already
  kept up to date by `hepqa embed`;
- `static_targets`: short, query-like texts made here only for training — every title and one seeded
  random word span of every abstract — embedded once and cached by content hash like the other stores.

The fit is a ridge regression of the teacher vectors of records and short texts on the mean of the token
vectors (the bag-of-tokens mean is a linear map of the token table, so this is a sparse least-squares
problem, solved by conjugate gradients with the normal equations restricted to the tokens the texts use);
it is deterministic. Tried on the same held-out queries and left out because they did no better: a
listwise ranking-distillation refinement after the regression (softmax cross-entropy of static against
teacher query–document similarities over every record, Adam in JAX: -4 to +1 points of top-10 agreement
over teacher temperatures 0.01-0.1), ridge penalties 1e-4 to 1e-2, query weights 2-5 and 200 instead of 80 solver steps (all within 0.4
points), and extra vectors for the 20,000 most frequent token bigrams (-5 points).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from hepqa.corpus import Record, record_text, split_sentences
from hepqa.embed._pipeline import load_store
from hepqa.embed._static import StaticModel, WordPiece
from hepqa.embed._store import text_key

if TYPE_CHECKING:
    from hepqa.kb import KnowledgeBase

TARGETS_STORE = "static_targets"
"""The store of teacher vectors for the query-like training texts."""

SPAN_SEED = 20261204
"""Seed of the abstract spans chosen as query-like training texts."""


def query_like_texts(records: Sequence[Record], *, seed: int = SPAN_SEED) -> list[str]:
    """The short training texts the teacher embeds for the fit, most useful first.

    Every title, then one short (3-6 words) and one longer (8-16 words) seeded word span of every abstract.
    The order matters: the teacher embeds them in this order, so an interrupted run keeps the best ones.
    """
    rng = random.Random(seed)
    short: list[str] = []
    long: list[str] = []
    for record in records:
        words = record.abstract.split()
        for out, (low, high) in ((short, (3, 6)), (long, (8, 16))):
            size = min(len(words), rng.randint(low, high))
            start = rng.randint(0, len(words) - size) if words else 0
            if size:
                out.append(" ".join(words[start : start + size]))
    return list(dict.fromkeys([r.title for r in records] + short + long))


@dataclass(frozen=True)
class TeacherData:
    """Texts with the full model's vectors, split into documents (records) and query-like texts.

    **Fields:** `doc_texts` (title + abstract per record, in `kb.records` order), `doc_vectors` (float32
    `(n_docs, 384)`), `query_texts` and `query_vectors` (titles, spans, questions and sentences).
    """

    doc_texts: list[str]
    doc_vectors: np.ndarray
    query_texts: list[str]
    query_vectors: np.ndarray

    def sha256(self) -> str:
        """Hash of every training text (in order): it changes when the corpus or the targets do."""
        digest = hashlib.sha256()
        for text in [*self.doc_texts, "\x00", *self.query_texts]:
            digest.update(text.encode("utf-8") + b"\x00")
        return digest.hexdigest()


def teacher_data(kb: KnowledgeBase) -> TeacherData:
    """Every text whose teacher vector is stored: records, the snippet store's texts, the training targets.

    The snippet store is keyed by text hash only; its texts are found again among the kb's questions,
    titles and abstract sentences (those it holds and the kb no longer makes are left out).
    """
    doc_texts = [record_text(r) for r in kb.records]
    candidates = [kb.question_text(a) for a in kb.answers]
    for record in kb.records:
        candidates += [record.title, *split_sentences(record.abstract)]
    candidates += query_like_texts(kb.records)
    stores = [kb.snippets(), load_store(kb.root, TARGETS_STORE)]
    texts: list[str] = []
    rows: list[np.ndarray] = []
    seen: set[str] = set()
    for store in stores:
        keyed = [(t, k) for t in candidates if (k := text_key(t)) in store and k not in seen]
        keyed = list(dict(keyed).items())
        seen.update(k for _, k in keyed)
        texts += [t for t, _ in keyed]
        if keyed:
            rows.append(store.matrix([k for _, k in keyed]))
    return TeacherData(doc_texts, kb.corpus_vectors(), texts, np.concatenate(rows))


@dataclass(frozen=True)
class FitSettings:
    """Settings of `fit` (recorded in the model's manifest).

    **Fields:**
    - `ridge`: L2 penalty of the regression, relative to the mean squared feature norm.
    - `query_weight`: weight of a query-like text relative to a record in the regression.
    - `cg_steps`: conjugate-gradient iterations of the regression.
    """

    ridge: float = 1e-3
    query_weight: float = 2.0
    cg_steps: int = 80


def _bag_of_tokens(ids: Sequence[Sequence[int]], column: np.ndarray) -> sparse.csr_matrix:
    """Sparse `(len(ids), n_columns)`: row `i` is the mean of the one-hot columns of text `i`'s tokens."""
    lengths = np.array([len(x) for x in ids])
    flat = column[np.concatenate([np.asarray(x, dtype=np.int64) for x in ids])]
    rows = np.repeat(np.arange(len(ids)), lengths)
    values = np.repeat(1.0 / lengths, lengths)
    n_cols = int(column.max()) + 1
    matrix = sparse.csr_matrix((values, (rows, flat)), shape=(len(ids), n_cols))
    matrix.sum_duplicates()
    return matrix


def _ridge(x: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray, penalty: float, steps: int) -> np.ndarray:
    """Solve `(XᵀDX + penalty·I) W = XᵀDY` for all columns of `Y` at once by conjugate gradients.

    Written here because scipy's `cg` solves one right-hand side at a time; this runs the same iteration
    for every output dimension together, with one sparse product per step.
    """
    xt = (x.T.multiply(weights)).tocsr()

    def apply(w: np.ndarray) -> np.ndarray:
        return xt @ (x @ w) + penalty * w

    b = xt @ y
    w = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rr = np.einsum("ij,ij->j", r, r)
    for _ in range(steps):
        ap = apply(p)
        alpha = rr / np.maximum(np.einsum("ij,ij->j", p, ap), 1e-30)
        w += p * alpha
        r -= ap * alpha
        rr_new = np.einsum("ij,ij->j", r, r)
        p = r + p * (rr_new / np.maximum(rr, 1e-30))
        rr = rr_new
    return w


def fit(data: TeacherData, tokenizer: WordPiece, settings: FitSettings) -> StaticModel:
    """Train the token table on `data` (deterministic for given data and settings).

    The table lives in the teacher's 384-dimensional space: a static query vector is scored against the
    teacher's own document vectors.
    """
    doc_ids = tokenizer.ids(data.doc_texts)
    query_ids = tokenizer.ids(data.query_texts)
    token_ids = np.unique(np.concatenate([np.asarray(x) for x in doc_ids + query_ids])).astype(np.int32)
    column = np.full(tokenizer.vocab_size, -1, dtype=np.int64)
    column[token_ids] = np.arange(len(token_ids))
    teacher = np.concatenate([data.doc_vectors, data.query_vectors]).astype(np.float64)
    x = _bag_of_tokens(doc_ids + query_ids, column)
    weights = np.concatenate([np.ones(len(doc_ids)), np.full(len(query_ids), settings.query_weight)])
    penalty = settings.ridge * float(x.multiply(x).sum()) / x.shape[0]
    table = _ridge(x, teacher, weights, penalty, settings.cg_steps).astype(np.float32)
    info = {"training_sha256": data.sha256(), "fit": asdict(settings)}
    return StaticModel(token_ids, table, info)


def agreement(static_queries: np.ndarray, full_queries: np.ndarray, docs: np.ndarray, k: int = 10
              ) -> tuple[float, float]:
    """How well the static queries' ranking of `docs` (the full model's document vectors) follows the
    full model's queries' ranking of the same documents, averaged over the queries.

    **Returns:** the mean fraction of the full model's top `k` that is in the static top `k`, and the
    fraction of queries whose full-model top hit is in the static top `k`.
    """
    static_top = np.argsort(-(static_queries @ docs.T), axis=1, kind="stable")[:, :k]
    full_top = np.argsort(-(full_queries @ docs.T), axis=1, kind="stable")[:, :k]
    overlap = [len(set(a) & set(b)) / k for a, b in zip(static_top, full_top, strict=True)]
    hits = [b[0] in set(a) for a, b in zip(static_top, full_top, strict=True)]
    return float(np.mean(overlap)), float(np.mean(hits))
