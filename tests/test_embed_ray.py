"""`--engine ray`: Ray Data on a local one-CPU instance gives the same vectors, in order, as the local engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import TINY_RECORDS, HashingEncoder
from hepqa.corpus import Record, record_text
from hepqa.embed import RayEncoder, load_store, update_store

ray = pytest.importorskip("ray")

# Starting Ray forks its local processes; JAX (imported by the rest of the package) warns about any fork.
pytestmark = pytest.mark.filterwarnings(r"ignore:os\.fork\(\) was called:RuntimeWarning")


@pytest.fixture(scope="module")
def local_ray():
    ray.cloudpickle.register_pickle_by_value(helpers)  # workers cannot import the tests' helper module
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()
    ray.cloudpickle.unregister_pickle_by_value(helpers)


def test_ray_engine_matches_the_local_engine(local_ray, tmp_path: Path) -> None:
    texts = [record_text(Record.model_validate(r)) for r in TINY_RECORDS] + [f"text number {n}" for n in range(9)]
    encoder = RayEncoder(HashingEncoder, batch_size=4)  # several batches, so order must be restored
    assert encoder.model == HashingEncoder.model
    np.testing.assert_array_equal(encoder.encode(texts), HashingEncoder().encode(texts))
    # Through the incremental pipeline: the store it writes equals the local engine's, byte for byte.
    update_store(tmp_path / "ray", "corpus", texts, encoder, show_progress=False)
    update_store(tmp_path / "local", "corpus", texts, HashingEncoder(), show_progress=False)
    for name in ("corpus.npy", "corpus.json"):
        assert (tmp_path / "ray" / "embeddings" / name).read_bytes() == (tmp_path / "local" / "embeddings" / name).read_bytes()
    assert len(load_store(tmp_path / "ray", "corpus").keys) == len(texts)
