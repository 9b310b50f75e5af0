"""A content-addressed store of embedding vectors, kept in `kb/embeddings/`.

Each store is two files: `<name>.npy`, a float16 matrix of unit-norm rows, and `<name>.json`, its manifest
(model id, dimension, normalisation, similarity function, the content key of every row, and the sha256 of
the `.npy` file). Each file is replaced atomically; the hash ties the pair together, so an array whose
manifest write never happened (a crash between the two) is rejected rather than read with the wrong keys. A row's key is
the sha256 of the exact text that was embedded, so a record whose text did not change is never re-embedded,
and a store made by another model is rejected as a whole.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hepqa._io import atomic_open, sha256_text, write_json
from hepqa.errors import EmbeddingError

__all__ = ["VectorStore", "text_key"]

_FORMAT = 1


def text_key(text: str) -> str:
    """The content key of a text: its sha256 (hex)."""
    return sha256_text(text)


@dataclass
class VectorStore:
    """Vectors keyed by the sha256 of the text they embed.

    **Fields:**
    - `model`: the embedding model id (including the package version it came from).
    - `vectors`: float16 array of shape `(n, dim)`, unit-norm rows, sorted by key.
    - `keys`: the `n` content keys, sorted.
    """

    model: str
    vectors: np.ndarray
    keys: list[str]

    def __post_init__(self) -> None:
        self._row = {k: i for i, k in enumerate(self.keys)}

    @classmethod
    def empty(cls, model: str, dim: int) -> VectorStore:
        """A store with no vectors."""
        return cls(model, np.zeros((0, dim), dtype=np.float16), [])

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.vectors.shape[1])

    def __contains__(self, key: str) -> bool:
        return key in self._row

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys among `keys` that have no vector, in first-seen order, without repeats."""
        return list(dict.fromkeys(k for k in keys if k not in self._row))

    def matrix(self, keys: Sequence[str]) -> np.ndarray:
        """float32 array of shape `(len(keys), dim)` with the vectors of `keys`, in that order.

        **Raises:** `EmbeddingError` naming how many keys have no vector.
        """
        absent = self.missing(keys)
        if absent:
            msg = (
                f"{len(absent)} text(s) have no embedding under model {self.model!r}: "
                "run `hepqa embed` to compute them"
            )
            raise EmbeddingError(msg)
        return self.vectors[[self._row[k] for k in keys]].astype(np.float32)

    def merged(self, keys: Sequence[str], vectors: np.ndarray, *, keep: set[str] | None = None) -> VectorStore:
        """A new store with `vectors` added under `keys`; with `keep`, only keys in `keep` survive."""
        old = [k for k in self.keys if keep is None or k in keep]
        all_keys = old + [k for k in keys if k not in self._row]
        new_row = {k: i for i, k in enumerate(keys)}
        order = sorted(all_keys)
        rows = [
            self.vectors[self._row[k]] if k in self._row else vectors[new_row[k]].astype(np.float16)
            for k in order
        ]
        matrix = np.stack(rows) if rows else np.zeros((0, self.dim), dtype=np.float16)
        return VectorStore(self.model, matrix.astype(np.float16), order)

    def save(self, folder: Path, name: str) -> None:
        """Write `<name>.npy` then `<name>.json`, each atomically; the manifest records the array's sha256."""
        buffer = io.BytesIO()
        np.save(buffer, self.vectors, allow_pickle=False)
        data = buffer.getvalue()
        with atomic_open(folder / f"{name}.npy", "wb") as handle:
            handle.write(data)
        write_json(
            folder / f"{name}.json",
            {
                "format": _FORMAT,
                "model": self.model,
                "dim": self.dim,
                "dtype": "float16",
                "normalized": True,
                "similarity": "cosine",
                "count": len(self.keys),
                "sha256": hashlib.sha256(data).hexdigest(),
                "keys": self.keys,
            },
        )

    @classmethod
    def load(cls, folder: Path, name: str, *, model: str | None = None) -> VectorStore:
        """Read a store; with `model`, a store made by another model is rejected.

        The array's sha256 is checked against the manifest's (manifests written before it was recorded
        have none, and are checked by shape only).

        **Raises:** `EmbeddingError` when the files are missing, inconsistent, or from another model.
        """
        import json  # noqa: PLC0415

        manifest_path, array_path = folder / f"{name}.json", folder / f"{name}.npy"
        if not manifest_path.exists() or not array_path.exists():
            msg = f"embeddings {array_path} / {manifest_path.name} are missing: run `hepqa embed`"
            raise EmbeddingError(msg)
        rebuild = "run `hepqa embed` to rebuild it"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            fields = {k: manifest[k] for k in ("model", "count", "dim", "keys")}
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"{manifest_path} is not an embeddings manifest ({type(exc).__name__}: {exc}): {rebuild}"
            raise EmbeddingError(msg) from exc
        data = array_path.read_bytes()
        if "sha256" in manifest and hashlib.sha256(data).hexdigest() != manifest["sha256"]:
            msg = (
                f"{array_path} is not the array its manifest {manifest_path.name} describes (sha256 differs; "
                "an interrupted write?): run `hepqa embed` to rebuild it"
            )
            raise EmbeddingError(msg)
        try:
            vectors = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, EOFError) as exc:
            msg = f"{array_path} is not a readable array ({exc}): {rebuild}"
            raise EmbeddingError(msg) from exc
        if vectors.shape != (fields["count"], fields["dim"]) or len(fields["keys"]) != fields["count"]:
            msg = (
                f"{array_path} must hold {fields['count']}x{fields['dim']} vectors as its manifest says, "
                f"got shape {vectors.shape}: {rebuild}"
            )
            raise EmbeddingError(msg)
        if model is not None and manifest["model"] != model:
            msg = (
                f"{array_path} was made with model {manifest['model']!r}, but the configured model is "
                f"{model!r}: run `hepqa embed` to re-embed everything"
            )
            raise EmbeddingError(msg)
        return cls(manifest["model"], vectors, list(manifest["keys"]))
