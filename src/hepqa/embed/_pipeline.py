"""`hepqa embed`: bring the stored embeddings of a knowledge base up to date, embedding only what changed.

Two stores live in `kb/embeddings/`:
- `corpus`: one vector per corpus record (title + abstract), keyed by the sha256 of that text;
- `snippets`: short texts the build compares with records: the (glossary-expanded) questions and the
  sentences of the abstracts that are candidates for each question's sources.
A store made by another model is discarded and rebuilt; vectors of texts that left the kb are dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hepqa.embed._model import Encoder
from hepqa.embed._store import VectorStore, text_key
from hepqa.errors import EmbeddingError

__all__ = ["EMBEDDINGS_DIR", "StoreUpdate", "load_store", "update_store"]

EMBEDDINGS_DIR = Path("embeddings")
"""Where the stores live, relative to the knowledge-base folder."""

log = logging.getLogger("hepqa.embed")


@dataclass(frozen=True)
class StoreUpdate:
    """What updating one store did."""

    name: str
    embedded: int
    reused: int
    dropped: int
    seconds: float

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.name}: embedded {self.embedded}, reused {self.reused} cached, "
            f"dropped {self.dropped} stale ({self.seconds:.1f} s)"
        )


def load_store(kb: Path, name: str, *, model: str | None = None) -> VectorStore:
    """Read store `name` of `kb` (see `VectorStore.load`)."""
    return VectorStore.load(kb / EMBEDDINGS_DIR, name, model=model)


def update_store(
    kb: Path,
    name: str,
    texts: Sequence[str],
    encoder: Encoder,
    *,
    chunk: int = 256,
    show_progress: bool = True,
    prune: bool = True,
    on_chunk: Callable[[int], None] | None = None,
) -> tuple[VectorStore, StoreUpdate]:
    """Make store `name` hold exactly the vectors of `texts`, embedding only texts it lacks.

    Work is saved after every `chunk` texts, so an interrupted run keeps what it finished. With
    `prune=False`, vectors of texts not in `texts` are kept (for a store filled in several steps).

    **Returns:** the updated store and a `StoreUpdate` with counts.
    """
    start = time.perf_counter()
    folder = kb / EMBEDDINGS_DIR
    try:
        store = VectorStore.load(folder, name, model=encoder.model)
    except EmbeddingError:
        store = None
    keys = [text_key(t) for t in texts]
    if store is None:
        dim = int(encoder.encode(["dimension probe"]).shape[1])
        store = VectorStore.empty(encoder.model, dim)
    wanted = set(keys)
    dropped = sum(1 for k in store.keys if k not in wanted) if prune else 0
    todo = store.missing(keys)
    by_key = dict(zip(keys, texts, strict=True))
    columns = (TextColumn(f"embedding {name}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, disable=not show_progress or not todo, transient=True) as progress:
        task = progress.add_task(name, total=len(todo))
        for begin in range(0, len(todo), chunk):
            batch = todo[begin : begin + chunk]
            vectors = encoder.encode([by_key[k] for k in batch])
            _check_vectors(vectors, len(batch), store.dim)
            store = store.merged(batch, vectors)
            store.save(folder, name)
            progress.advance(task, len(batch))
            if on_chunk is not None:
                on_chunk(len(batch))
    if dropped or not (folder / f"{name}.json").exists():
        store = store.merged([], np.zeros((0, store.dim)), keep=wanted)
        store.save(folder, name)
    update = StoreUpdate(name, len(todo), len(wanted) - len(todo), dropped, time.perf_counter() - start)
    log.info(update.summary())
    return store, update


def _check_vectors(vectors: np.ndarray, count: int, dim: int) -> None:
    if vectors.shape != (count, dim) or not np.all(np.isfinite(vectors)):
        msg = f"encoder must return {count}x{dim} finite vectors, got shape {vectors.shape}"
        raise EmbeddingError(msg)
