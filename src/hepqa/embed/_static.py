"""The instant-tier static model: a token-vector table, mean pooling and L2 normalisation.

A text is tokenised with all-MiniLM-L6-v2's own WordPiece tokenizer (its `tokenizer.json`, copied from the
model package into the model folder at training time, so the ids are the model's, `[CLS]` and `[SEP]`
included, truncated to 256 tokens as the model does); its vector is the mean of the rows of the token table
for its tokens, normalised to unit length. Tokens without a row (never seen in training) are skipped. The
table is trained on this corpus so that a static *query* vector ranks the full model's stored *document*
vectors as the full model's query vector does (see `hepqa.embed._static_train` and
`scripts/train_static_model.py`); it lives in the full model's 384-dimensional space. It is stored int8
with one float32 scale per row in `kb/static-model/`:
- `table.npy`: int8 `(rows, 384)`, the quantised token vectors;
- `scales.npy`: float32 `(rows,)`, a row's vector is `table[r] * scales[r]`;
- `token_ids.npy`: int32 `(rows,)`, the vocabulary id each row belongs to, ascending;
- `tokenizer.json`: all-MiniLM-L6-v2's tokenizer (Apache-2.0, as the model);
- `manifest.json`: the full model's id, dimension, the sha256 of each array and of the vocabulary, the hash
  of the training data, and the fit settings.

Only numpy and the `tokenizers` package are needed: no torch, no model package.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from hepqa._io import atomic_open, write_json
from hepqa.embed._model import model_dir
from hepqa.errors import EmbeddingError

__all__ = ["STATIC_DIR", "StaticEncoder", "StaticModel", "quantize_rows"]

STATIC_DIR = Path("static-model")
"""Where the static model lives, relative to the knowledge-base folder."""

MAX_TOKENS = 256
"""Tokens per text, `[CLS]` and `[SEP]` included (all-MiniLM-L6-v2's `max_seq_length`)."""

_FORMAT = 2
_ARRAYS = ("table", "scales", "token_ids")
TOKENIZER = "tokenizer.json"


def quantize_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and one float32 scale per row, `row ≈ q * scale` (symmetric, max-abs to 127)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    peak = np.abs(matrix).max(axis=1) if matrix.size else np.zeros(len(matrix), dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(matrix / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


def _sha256(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


class WordPiece:
    """all-MiniLM-L6-v2's tokenizer: text to vocabulary ids with `[CLS]`/`[SEP]`, truncated to 256.

    **Arguments:**
    - `folder`: holds `tokenizer.json` (default: the installed model package's folder).

    `vocab_sha256` is the sha256 of the vocabulary written one token a line in id order: the hash of the
    model's `vocab.txt`, which the browser tokenizes with.
    """

    def __init__(self, folder: Path | None = None) -> None:
        from tokenizers import Tokenizer  # noqa: PLC0415

        self.path = (folder or model_dir()) / TOKENIZER
        if not self.path.exists():
            msg = f"{self.path} is missing: run `python scripts/train_static_model.py`"
            raise EmbeddingError(msg)
        try:
            self._tokenizer = Tokenizer.from_file(str(self.path))
        except Exception as exc:  # tokenizers raises a bare Exception on a malformed file
            msg = f"{self.path} is not a tokenizer file ({exc}): run `python scripts/train_static_model.py`"
            raise EmbeddingError(msg) from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        vocab = self._tokenizer.get_vocab(with_added_tokens=True)
        lines = "".join(f"{token}\n" for token in sorted(vocab, key=vocab.__getitem__))
        self.vocab_sha256 = hashlib.sha256(lines.encode("utf-8")).hexdigest()
        self.vocab_size = self._tokenizer.get_vocab_size()

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text."""
        return [e.ids for e in self._tokenizer.encode_batch_fast(list(texts))]


@dataclass
class StaticModel:
    """A trained token table (float32 while training; int8 once saved).

    **Fields:**
    - `token_ids`: int32 `(rows,)` ascending vocabulary ids that have a vector.
    - `vectors`: float32 `(rows, dim)` token vectors.
    - `info`: what the manifest records besides the hashes (training data hash, fit settings).
    """

    token_ids: np.ndarray
    vectors: np.ndarray
    info: dict[str, object]

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.vectors.shape[1])

    def save(self, folder: Path, *, model: str, tokenizer: WordPiece) -> None:
        """Quantise to int8 and write the arrays, the tokenizer, then the manifest, each atomically.

        **Arguments:** `model`: id of the full model it mimics; `tokenizer`: the one it was trained with.
        """
        folder.mkdir(parents=True, exist_ok=True)
        if tokenizer.path != folder / TOKENIZER:
            with atomic_open(folder / TOKENIZER, "wb") as handle:
                handle.write(tokenizer.path.read_bytes())
        table, scales = quantize_rows(self.vectors)
        arrays = {"table": table, "scales": scales, "token_ids": self.token_ids.astype(np.int32)}
        for name, array in arrays.items():
            with atomic_open(folder / f"{name}.npy", "wb") as handle:
                np.save(handle, array, allow_pickle=False)
        write_json(
            folder / "manifest.json",
            {
                "format": _FORMAT,
                "model": model,
                "dim": self.dim,
                "rows": len(self.token_ids),
                "vocab_sha256": tokenizer.vocab_sha256,
                "pooling": "mean",
                "normalized": True,
                **self.info,
                "sha256": {name: _sha256(array) for name, array in arrays.items()},
            },
        )

    @classmethod
    def load(cls, folder: Path) -> StaticModel:
        """Read a saved model (vectors dequantised to float32).

        **Raises:** `EmbeddingError` when a file is missing or an array is not the one its manifest names.
        """
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            msg = f"{manifest_path} is missing: run `python scripts/train_static_model.py`"
            raise EmbeddingError(msg)
        retrain = "retrain it with `python scripts/train_static_model.py`"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            hashes = {name: manifest["sha256"][name] for name in _ARRAYS}
            _ = [manifest[key] for key in ("model", "training_sha256", "vocab_sha256")]  # present, or KeyError
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"{manifest_path} is not a static-model manifest ({type(exc).__name__}: {exc}): {retrain}"
            raise EmbeddingError(msg) from exc
        if manifest.get("format") != _FORMAT:
            msg = f"{manifest_path} is format {manifest.get('format')!r}, this hepqa reads format {_FORMAT}: {retrain}"
            raise EmbeddingError(msg)
        arrays = {}
        for name in _ARRAYS:
            path = folder / f"{name}.npy"
            if not path.exists():
                msg = f"{path} is missing: run `python scripts/train_static_model.py`"
                raise EmbeddingError(msg)
            try:
                arrays[name] = np.load(path, allow_pickle=False)
            except (ValueError, EOFError, OSError) as exc:
                msg = f"{path} is not a readable array ({exc}): {retrain}"
                raise EmbeddingError(msg) from exc
            if _sha256(arrays[name]) != hashes[name]:
                msg = f"{path} is not the array {manifest_path} describes (sha256 differs): retrain the model"
                raise EmbeddingError(msg)
        vectors = arrays["table"].astype(np.float32) * arrays["scales"][:, None]
        info = {k: v for k, v in manifest.items() if k != "sha256"}
        return cls(arrays["token_ids"], vectors, info)


class StaticEncoder:
    """The instant-tier query encoder: unit-norm mean of token vectors (no torch; a few µs per text).

    **Arguments:**
    - `kb`: the knowledge-base folder whose `static-model/` holds the trained table and its tokenizer.

    `teacher` is the id of the full model whose document vectors its query vectors are scored against.
    """

    def __init__(self, kb: Path) -> None:
        self.folder = kb / STATIC_DIR
        self._model = StaticModel.load(self.folder)
        self.teacher = str(self._model.info["model"])
        self.model = f"static:{self.teacher}:{self._model.info['training_sha256'][:12]}"

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return self._model.dim

    @property
    def token_ids(self) -> np.ndarray:
        """int32 `(rows,)` vocabulary id of each row of `token_vectors`, ascending."""
        return self._model.token_ids

    @property
    def token_vectors(self) -> np.ndarray:
        """float32 `(rows, dim)` token vectors (dequantised from int8)."""
        return self._model.vectors

    @property
    def vocab_size(self) -> int:
        """Size of the tokenizer's vocabulary."""
        return self._tokenizer.vocab_size

    @property
    def vocab_sha256(self) -> str:
        """Hash of the vocabulary it was trained with (see `WordPiece`)."""
        return str(self._model.info["vocab_sha256"])

    @cached_property
    def _tokenizer(self) -> WordPiece:
        tokenizer = WordPiece(self.folder)
        if tokenizer.vocab_sha256 != self.vocab_sha256:
            msg = f"{tokenizer.path} is not the tokenizer {self.folder / 'manifest.json'} was trained with"
            raise EmbeddingError(msg)
        return tokenizer

    @cached_property
    def _row_of(self) -> np.ndarray:
        """Row of each vocabulary id in the table, -1 for ids without a vector."""
        rows = np.full(self._tokenizer.vocab_size, -1, dtype=np.int64)
        rows[self._model.token_ids] = np.arange(len(self._model.token_ids))
        return rows

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts`; float32 `(len(texts), dim)` with unit-norm rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, ids in enumerate(self._tokenizer.ids(texts)):
            rows = self._row_of[ids]
            rows = rows[rows >= 0]
            if rows.size:
                out[i] = self._model.vectors[rows].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)
