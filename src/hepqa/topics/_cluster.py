"""Topics of the corpus: k-means clusters of the record embeddings, named by their distinctive terms, and a
2-D map (t-SNE) for the topics page.

Computed by `hepqa embed` whenever the corpus vectors change and stored in `kb/topics.json` with the hash of
the vectors they came from, so building the site only reads them. A full computation takes about two minutes
on two cores (mostly t-SNE); when at most 5 % of the records are new, changed or gone since the stored topics,
they are updated instead (`update_topics`): each new record joins the topic of its nearest centroid and is
placed on the map at the mean position of its five nearest stored neighbours, so adding a hundred preprints
costs a second, not a re-clustering. scikit-learn provides k-means and t-SNE; naming is class-based TF-IDF over title + abstract
tokens (the term's share in the cluster times log(1 + mean cluster size / its count in the corpus)),
written here because it is a few lines over the bm25s tokenizer the retriever already uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from hepqa._io import write_json
from hepqa.corpus import Record, record_text
from hepqa.errors import EmbeddingError

__all__ = ["TOPICS_FILE", "Topic", "Topics", "compute_topics", "load_topics", "update_topics", "vectors_hash"]

TOPICS_FILE = Path("topics.json")
"""Where topics live, relative to the knowledge-base folder."""

N_TOPICS = 24
INCREMENTAL_SHARE = 0.05
"""Largest share of new, changed or removed records for which `update_topics` updates instead of recomputing."""
_NEIGHBOURS = 5
_SEED = 0
# Words frequent in every part of the corpus that say nothing about a topic.
_GENERIC = frozenset(
    "model models also results result show find study paper work new based approach present using used "
    "provide framework within well however first one two three can may analysis recent data different "
    "general case cases obtain obtained given large small order terms effects effect scale scales energy "
    "high low theory theories physics field fields from into through such".split()
)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")  # \mathbb, \bar, \psi: markup, not a topic's vocabulary
log = logging.getLogger("hepqa.topics")


@dataclass(frozen=True)
class Topic:
    """One cluster: `index`, `name` (its top terms joined), `terms`, `size`, `representatives` (arXiv ids of
    the members closest to the centroid), `centroid` (unit vector, for assigning questions)."""

    index: int
    name: str
    terms: list[str]
    size: int
    representatives: list[str]
    centroid: list[float]

    @property
    def slug(self) -> str:
        """File name of the topic's page."""
        return f"{self.index:02d}-" + "-".join(t.replace(" ", "-") for t in self.terms[:2])


@dataclass(frozen=True)
class Topics:
    """All topics, the topic of each record, each record's 2-D map position and the content key of the text
    it was computed from (all aligned with the corpus; `keys` are the first 16 hex digits of the vector
    store's key of the record text)."""

    source_hash: str
    topics: list[Topic]
    labels: list[int]
    xy: list[list[float]]
    keys: list[str]

    def topic_of(self, vector: np.ndarray) -> Topic:
        """The topic whose centroid is most similar to a unit-norm query vector."""
        centroids = np.asarray([t.centroid for t in self.topics], dtype=np.float32)
        return self.topics[int(np.argmax(centroids @ np.asarray(vector, dtype=np.float32)))]


def vectors_hash(vectors: np.ndarray) -> str:
    """sha256 of the float16 bytes of the corpus vectors (what the topics were computed from)."""
    return hashlib.sha256(np.ascontiguousarray(vectors.astype(np.float16)).tobytes()).hexdigest()


def _stems(term: str) -> set[str]:
    """The words of a term without a plural s, so "decay" and "decays" count as one."""
    return {w.removesuffix("s") for w in term.split()}


def _distinctive_terms(records: Sequence[Record], labels: np.ndarray, k: int, count: int = 3) -> list[list[str]]:
    docs = bm25s.tokenize([_LATEX_COMMAND.sub(" ", record_text(r)) for r in records], stopwords="en", return_ids=False,
                          show_progress=False)
    per_cluster = [Counter() for _ in range(k)]
    for tokens, label in zip(docs, labels, strict=True):
        words = [t for t in tokens if len(t) > 2 and t not in _GENERIC and not t.isdigit()]  # noqa: PLR2004
        per_cluster[label].update(words)
        per_cluster[label].update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    overall = Counter()
    for counter in per_cluster:
        overall.update(counter)
    mean_size = sum(sum(c.values()) for c in per_cluster) / k
    names = []
    for counter in per_cluster:
        total = sum(counter.values()) or 1
        score = {t: (c / total) * math.log(1 + mean_size / overall[t]) for t, c in counter.items() if c >= 5}  # noqa: PLR2004
        chosen: list[str] = []
        for term in sorted(score, key=lambda t: (-score[t], t)):
            if " " not in term:
                # Prefer a phrase ("dark matter") over its word when the phrase scores at least half as well.
                phrases = [p for p in score if " " in p and term in p.split() and score[p] >= 0.5 * score[term]]
                term = max(phrases, key=lambda p: (score[p], p), default=term)
            if not any(_stems(term) & _stems(c) for c in chosen):
                chosen.append(term)
            if len(chosen) == count:
                break
        names.append(chosen)
    return names


def compute_topics(records: Sequence[Record], vectors: np.ndarray, keys: Sequence[str], *,
                   k: int = N_TOPICS) -> Topics:
    """Cluster `vectors` (unit norm, aligned with `records` and their content `keys`) into `k` topics and lay
    them out in 2-D."""
    from sklearn.cluster import KMeans  # noqa: PLC0415 - heavy, only when topics are recomputed
    from sklearn.manifold import TSNE  # noqa: PLC0415

    start = time.perf_counter()
    x = np.asarray(vectors, dtype=np.float32)
    k = min(k, len(x))  # a small corpus (a test kb, a fresh project) gets one topic per record at most
    kmeans = KMeans(n_clusters=k, n_init=4, random_state=_SEED).fit(x)
    labels = kmeans.labels_.astype(int)
    terms = _distinctive_terms(records, labels, k)
    topics = []
    for index in range(k):
        members = np.flatnonzero(labels == index)
        centroid = x[members].mean(axis=0)
        centroid /= np.linalg.norm(centroid)
        closest = members[np.argsort(-(x[members] @ centroid), kind="stable")[:8]]
        topics.append(Topic(index, " · ".join(terms[index]), terms[index], len(members),
                            [records[i].id for i in closest], [round(float(v), 6) for v in centroid]))
    # t-SNE needs perplexity < number of points; 30 is its usual value for a corpus of thousands.
    perplexity = min(30.0, max(1.0, (len(x) - 1) / 3))
    xy = TSNE(n_components=2, init="pca", random_state=_SEED, perplexity=perplexity).fit_transform(x)
    log.info("topics: %d clusters and a 2-D map of %d records in %.0f s", k, len(x), time.perf_counter() - start)
    return Topics(vectors_hash(x), topics, labels.tolist(), np.round(xy, 2).tolist(), [k[:16] for k in keys])


def update_topics(records: Sequence[Record], vectors: np.ndarray, keys: Sequence[str],
                  previous: Topics | None) -> Topics:
    """Topics for the current corpus from `previous` ones: updated when at most `INCREMENTAL_SHARE` of the
    records are new, changed or gone (new ones take their nearest centroid's topic and the mean map position
    of their nearest stored neighbours; names and representatives stay), else computed afresh."""
    x = np.asarray(vectors, dtype=np.float32)
    short = [k[:16] for k in keys]
    if previous is None:
        return compute_topics(records, x, keys)
    if previous.keys == short and previous.source_hash == vectors_hash(x):
        return previous
    stored = {k: i for i, k in enumerate(previous.keys)}
    rows = [stored.get(k) for k in short]
    fresh = [i for i, row in enumerate(rows) if row is None]
    gone = len(previous.keys) - (len(rows) - len(fresh))
    if not previous.keys or max(len(fresh), gone) > INCREMENTAL_SHARE * len(rows) or len(rows) == len(fresh):
        log.info("topics: %d new or changed and %d removed records: recomputing", len(fresh), gone)
        return compute_topics(records, x, keys)
    kept = np.asarray([i for i, row in enumerate(rows) if row is not None])
    centroids = np.asarray([t.centroid for t in previous.topics], dtype=np.float32)
    labels = [previous.labels[row] if row is not None else 0 for row in rows]
    xy = [previous.xy[row] if row is not None else [0.0, 0.0] for row in rows]
    old_xy = np.asarray([xy[i] for i in kept])
    for i in fresh:
        labels[i] = int(np.argmax(centroids @ x[i]))
        nearest = np.argsort(-(x[kept] @ x[i]), kind="stable")[:_NEIGHBOURS]
        xy[i] = [round(float(v), 2) for v in old_xy[nearest].mean(axis=0)]
    sizes = Counter(labels)
    present = {r.id for r in records}
    topics = [Topic(t.index, t.name, t.terms, sizes[t.index], [i for i in t.representatives if i in present],
                    t.centroid) for t in previous.topics]
    log.info("topics: %d new or changed records placed, %d removed (incremental)", len(fresh), gone)
    return Topics(vectors_hash(x), topics, labels, xy, short)


def save_topics(kb: Path, topics: Topics) -> None:
    """Write `kb/topics.json` atomically."""
    write_json(kb / TOPICS_FILE, {
        "source_hash": topics.source_hash,
        "topics": [t.__dict__ for t in topics.topics],
        "labels": topics.labels,
        "xy": topics.xy,
        "keys": topics.keys,
    })


def load_topics(kb: Path) -> Topics | None:
    """Read `kb/topics.json`, or `None` when there is none.

    **Raises:** `EmbeddingError` when it is not a topics file (`hepqa embed` recomputes it).
    """
    path = kb / TOPICS_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Topics(data["source_hash"], [Topic(**t) for t in data["topics"]], data["labels"], data["xy"],
                      data.get("keys", []))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"{path} is not a topics file ({type(exc).__name__}: {exc}): run `hepqa embed` to recompute it"
        raise EmbeddingError(msg) from exc
