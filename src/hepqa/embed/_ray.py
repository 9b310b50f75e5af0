"""`hepqa embed --engine ray`: the same embedding, computed on a Ray cluster with Ray Data.

`RayEncoder` is an `Encoder`, so the content-hash pipeline (`update_store`) is unchanged: it still embeds
only the texts that have no vector, and saves after every chunk. Each chunk becomes a Ray dataset
(`ray.data.from_items`) mapped by a pool of actors (`map_batches` with a class, so each actor loads the model
once); rows carry their index so the vectors come back in input order whatever order the workers finish in.

Where it runs is Ray's usual choice: `address` if given, else the `RAY_ADDRESS` environment variable
(`ray://head:10001` or `auto` for a cluster this machine belongs to), else a local Ray instance. Every
worker needs `hepqa` and the `embed` extra installed. ray is the optional `ray` extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from hepqa.embed._model import Encoder, MiniLMEncoder
from hepqa.errors import EmbeddingError

__all__ = ["RayEncoder"]


class _BatchEncoder:
    """The Ray Data map: one instance per actor, holding one encoder for its lifetime."""

    def __init__(self, make_encoder: Callable[[], Encoder]) -> None:
        self.encoder = make_encoder()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"index": batch["index"], "vector": self.encoder.encode([str(t) for t in batch["text"]])}


class RayEncoder:
    """Embed with `make_encoder()`'s model on Ray actors.

    **Arguments:**
    - `make_encoder`: builds the encoder inside each actor (default: `MiniLMEncoder`); its `model` id is
      the one recorded in manifests, so vectors from either engine share one store.
    - `address`: Ray cluster address (default: `RAY_ADDRESS`, else a local instance).
    - `actors`: size of the actor pool; `batch_size`: texts per batch handed to an actor.
    - `num_cpus`: CPUs reserved per actor.
    """

    def __init__(
        self,
        make_encoder: Callable[[], Encoder] = MiniLMEncoder,
        *,
        address: str | None = None,
        actors: int = 1,
        batch_size: int = 64,
        num_cpus: float = 1,
    ) -> None:
        self.make_encoder, self.address = make_encoder, address
        self.actors, self.batch_size, self.num_cpus = actors, batch_size, num_cpus
        self.model = make_encoder().model

    def _ray(self) -> Any:  # noqa: ANN401 - the ray module, imported lazily
        try:
            import ray  # noqa: PLC0415
            import ray.data  # noqa: F401, PLC0415
        except ImportError as exc:
            msg = f"--engine ray needs the `ray` extra (pip install 'hepqa[ray]'): {exc}"
            raise EmbeddingError(msg) from exc
        if not ray.is_initialized():
            ray.init(address=self.address, log_to_driver=False)
        return ray

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` on the cluster; float32 `(len(texts), dim)`, rows in the order of `texts`."""
        ray = self._ray()
        if not texts:
            return self.make_encoder().encode([])
        dataset = ray.data.from_items([{"index": i, "text": t} for i, t in enumerate(texts)])
        mapped = dataset.map_batches(
            _BatchEncoder,
            fn_constructor_args=(self.make_encoder,),
            batch_size=self.batch_size,
            batch_format="numpy",
            concurrency=self.actors,
            num_cpus=self.num_cpus,
        )
        rows = mapped.take_all()
        order = np.argsort([row["index"] for row in rows])
        return np.stack([np.asarray(rows[i]["vector"], dtype=np.float32) for i in order])
