"""Corpus topics: a few new records are placed without re-clustering (nearest centroid, mean position of the
nearest stored neighbours); many new records, or a new model, recompute everything."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_record
from hepqa.corpus import Record
from hepqa.topics import _cluster, compute_topics, update_topics


def _corpus(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, 16))
    x = centres[np.arange(n) % 4] + 0.3 * rng.normal(size=(n, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    records = [Record(**make_record(f"2601.{i:05d}", f"title {i % 4} quark gluon", f"abstract {i % 4} lepton"))
               for i in range(n)]
    return records, x.astype(np.float32), [f"{i:016x}" + "0" * 48 for i in range(n)]


def test_few_new_records_are_placed_without_reclustering(monkeypatch):
    records, x, keys = _corpus(200)
    before = compute_topics(records[:196], x[:196], keys[:196], k=4)
    monkeypatch.setattr(_cluster, "compute_topics", lambda *a, **k: pytest.fail("re-clustered for 4 new records"))
    after = update_topics(records, x, keys, before)
    assert after.labels[:196] == before.labels and after.xy[:196] == before.xy
    centroids = np.asarray([t.centroid for t in before.topics])
    old_xy = np.asarray(before.xy)
    for i in range(196, 200):
        assert after.labels[i] == int(np.argmax(centroids @ x[i]))
        nearest = np.argsort(-(x[:196] @ x[i]))[:5]
        np.testing.assert_allclose(after.xy[i], old_xy[nearest].mean(axis=0), atol=0.006)  # stored at 0.01
    assert [t.size for t in after.topics] == [after.labels.count(t.index) for t in after.topics]
    assert sum(t.size for t in after.topics) == 200
    assert update_topics(records, x, keys, after) is after  # nothing new: the stored topics stand


def test_many_new_records_or_a_new_model_recompute():
    records, x, keys = _corpus(200)
    before = compute_topics(records[:150], x[:150], keys[:150], k=4)
    calls = []
    original = _cluster.compute_topics

    def counting(*args, **kwargs):
        calls.append(len(args[0]))
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_cluster, "compute_topics", counting)
        update_topics(records, x, keys, before)  # 50 of 200 new: 25 % > 5 %
        new_model = [f"{i + 1000:016x}" + "0" * 48 for i in range(150)]  # same texts, other model: every key differs
        update_topics(records[:150], x[:150], new_model, before)
    assert calls == [200, 150]
