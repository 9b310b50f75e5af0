"""Training the instant-tier static model (`StaticEncoder`) to mimic all-MiniLM-L6-v2 on this corpus.

The teacher is the full model; its vectors come from the stores in `kb/embeddings/`:
- `corpus` (title + abstract of every record) and `snippets` (questions and abstract sentences), already
  kept up to date by `hepqa embed`;
- `static_targets`: short, query-like texts made here only for training — every title and one seeded
  random word span of every abstract — embedded once and cached by content hash like the other stores.

The fit has two steps, both deterministic:
1. ridge regression of the teacher vectors on the mean of the token vectors (the bag-of-tokens mean is a
   linear map of the token table, so this is a sparse least-squares problem, solved per output dimension
   block with the normal equations restricted to the tokens the training texts use);
2. a ranking-distillation refinement: a few epochs of a listwise loss (softmax cross-entropy between the
   teacher's and the student's similarity distributions of short texts over documents), in JAX.
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
    - `dim`: output dimension; below 384 the teacher vectors are first projected on their top `dim`
      principal directions (uncentred), which keeps dot products, hence rankings, nearly unchanged.
    - `ridge`: L2 penalty of the regression, relative to the mean squared feature norm.
    - `query_weight`: weight of a query-like text relative to a record in the regression.
    - `cg_steps`: conjugate-gradient iterations of the regression.
    - `rank_steps`, `rank_batch`, `rank_pool`, `rank_lr`: the ranking refinement (Adam steps, queries per
      step, documents per step, learning rate); `rank_steps=0` keeps the regression's table.
    - `teacher_temperature`, `student_temperature`: softmax temperatures of the listwise loss.
    - `seed`: seed of every random choice.
    """

    dim: int = 256
    ridge: float = 1e-3
    query_weight: float = 2.0
    cg_steps: int = 80
    rank_steps: int = 300
    rank_batch: int = 128
    rank_pool: int = 1280
    rank_lr: float = 5e-3
    teacher_temperature: float = 0.03
    student_temperature: float = 0.03
    seed: int = 20261204


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


def _padded(ids: Sequence[Sequence[int]], column: np.ndarray, pad: int) -> np.ndarray:
    """int32 `(len(ids), longest)` table rows of each text's tokens, padded with `pad`."""
    out = np.full((len(ids), max(len(x) for x in ids)), pad, dtype=np.int32)
    for i, x in enumerate(ids):
        out[i, : len(x)] = column[np.asarray(x, dtype=np.int64)]
    return out


def _rank_refine(
    table: np.ndarray,
    doc_tokens: np.ndarray,
    query_tokens: np.ndarray,
    doc_teacher: np.ndarray,
    query_teacher: np.ndarray,
    settings: FitSettings,
) -> np.ndarray:
    """Refine the token table with a listwise ranking-distillation loss (JAX, Adam).

    Each step draws `rank_batch` query-like texts and a pool of documents: the teacher's top 8 for each
    query plus random records; the loss is the cross-entropy between the teacher's softmax over the pool
    (cosine / teacher temperature) and the student's, whose vectors come from the table for both sides.
    """
    import jax  # noqa: PLC0415
    import jax.numpy as jnp  # noqa: PLC0415

    rng = np.random.default_rng(settings.seed)
    def embed(w: jnp.ndarray, tokens: jnp.ndarray) -> jnp.ndarray:
        full = jnp.concatenate([w, jnp.zeros((1, w.shape[1]), w.dtype)])
        summed = full[tokens].sum(axis=1)
        return summed / jnp.linalg.norm(summed, axis=1, keepdims=True).clip(1e-9)

    def loss(w: jnp.ndarray, q_tok: jnp.ndarray, d_tok: jnp.ndarray, target: jnp.ndarray) -> jnp.ndarray:
        student = embed(w, q_tok) @ embed(w, d_tok).T / settings.student_temperature
        return -(target * jax.nn.log_softmax(student, axis=1)).sum(axis=1).mean()

    grad = jax.jit(jax.value_and_grad(loss))
    w = jnp.asarray(table)
    m = jnp.zeros_like(w)
    v = jnp.zeros_like(w)
    beta1, beta2 = 0.9, 0.999
    for step in range(1, settings.rank_steps + 1):
        batch = rng.choice(len(query_tokens), settings.rank_batch, replace=False)
        sims = query_teacher[batch] @ doc_teacher.T
        top = np.unique(np.argpartition(-sims, 8, axis=1)[:, :8])
        others = rng.permutation(len(doc_tokens))
        pool = np.concatenate([top, others[~np.isin(others, top)]])[: settings.rank_pool]
        logits = sims[:, pool] / settings.teacher_temperature
        target = np.exp(logits - logits.max(axis=1, keepdims=True))
        target /= target.sum(axis=1, keepdims=True)
        _, g = grad(w, query_tokens[batch], doc_tokens[pool], target)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        step_size = settings.rank_lr * np.sqrt(1 - beta2**step) / (1 - beta1**step)
        w = w - step_size * m / (jnp.sqrt(v) + 1e-8)
    return np.asarray(w, dtype=np.float32)


def fit(data: TeacherData, tokenizer: WordPiece, settings: FitSettings) -> StaticModel:
    """Train the token table on `data` (deterministic for given data and settings)."""
    doc_ids = tokenizer.ids(data.doc_texts)
    query_ids = tokenizer.ids(data.query_texts)
    token_ids = np.unique(np.concatenate([np.asarray(x) for x in doc_ids + query_ids])).astype(np.int32)
    column = np.full(tokenizer.vocab_size, -1, dtype=np.int64)
    column[token_ids] = np.arange(len(token_ids))
    teacher = np.concatenate([data.doc_vectors, data.query_vectors]).astype(np.float64)
    if settings.dim < teacher.shape[1]:
        _, _, vt = np.linalg.svd(teacher, full_matrices=False)
        basis = vt[: settings.dim].T
    else:
        basis = np.eye(teacher.shape[1])
    x = _bag_of_tokens(doc_ids + query_ids, column)
    weights = np.concatenate([np.ones(len(doc_ids)), np.full(len(query_ids), settings.query_weight)])
    penalty = settings.ridge * float(x.multiply(x).sum()) / x.shape[0]
    table = _ridge(x, teacher @ basis, weights, penalty, settings.cg_steps).astype(np.float32)
    if settings.rank_steps:
        pad = len(token_ids)
        table = _rank_refine(
            table,
            _padded(doc_ids, column, pad),
            _padded(query_ids, column, pad),
            data.doc_vectors,
            data.query_vectors,
            settings,
        )
    info = {"training_sha256": data.sha256(), "fit": asdict(settings)}
    return StaticModel(token_ids, table, info)


def agreement(
    static_queries: np.ndarray, static_docs: np.ndarray, full_queries: np.ndarray, full_docs: np.ndarray, k: int = 10
) -> tuple[float, float]:
    """How well the static ranking of documents follows the full model's, averaged over the queries.

    **Returns:** the mean fraction of the full model's top `k` that is in the static top `k`, and the
    fraction of queries whose full-model top hit is in the static top `k`.
    """
    static_top = np.argsort(-(static_queries @ static_docs.T), axis=1, kind="stable")[:, :k]
    full_top = np.argsort(-(full_queries @ full_docs.T), axis=1, kind="stable")[:, :k]
    overlap = [len(set(a) & set(b)) / k for a, b in zip(static_top, full_top, strict=True)]
    hits = [b[0] in set(a) for a, b in zip(static_top, full_top, strict=True)]
    return float(np.mean(overlap)), float(np.mean(hits))
