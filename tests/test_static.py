"""The instant-tier static model: the shipped table, its int8 storage, its fit, and its agreement with the
full model on held-out questions (tests/data/static_heldout_queries.jsonl, never used in training)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import KB
from hepqa.embed._static import STATIC_DIR, StaticEncoder, WordPiece, quantize_rows
from hepqa.embed._static_train import FitSettings, TeacherData, agreement, fit
from hepqa.errors import EmbeddingError
from hepqa.kb import KnowledgeBase

HELDOUT = Path(__file__).parent / "data" / "static_heldout_queries.jsonl"


@pytest.fixture(scope="module")
def static() -> StaticEncoder:
    return StaticEncoder(KB)


def test_vectors_are_unit_norm_and_independent_of_the_batch(static: StaticEncoder) -> None:
    texts = ["sterile neutrinos", "", "B→K*μμ angular observables and the muon g-2", "x" * 300]
    together = static.encode(texts)
    alone = np.vstack([static.encode([t]) for t in texts])
    assert together.shape == (4, static.dim) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(together, alone)
    assert static.model.startswith("static:sentence-transformers/all-MiniLM-L6-v2@")


def test_shipped_model_is_small_and_matches_the_installed_vocabulary(static: StaticEncoder) -> None:
    folder = KB / STATIC_DIR
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 10 * 2**20  # noqa: PLR2004
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vocab_sha256"] == WordPiece().vocab_sha256 == static.vocab_sha256  # the installed model's
    assert manifest["dim"] == static.dim and manifest["rows"] == len(static.token_ids)
    assert np.all(np.diff(static.token_ids) > 0)


def test_a_tampered_table_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / STATIC_DIR
    shutil.copytree(KB / STATIC_DIR, target)
    table = np.load(target / "table.npy")
    table[0, 0] = table[0, 0] ^ 1
    np.save(target / "table.npy", table)
    with pytest.raises(EmbeddingError, match=r"table\.npy is not the array"):
        StaticEncoder(tmp_path)


def test_a_folder_without_its_tokenizer_or_of_another_format_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / STATIC_DIR
    shutil.copytree(KB / STATIC_DIR, target)
    (target / "tokenizer.json").unlink()
    with pytest.raises(EmbeddingError, match=r"tokenizer\.json is missing: run `python scripts/train_static_model"):
        StaticEncoder(tmp_path).encode(["x"])
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    (target / "manifest.json").write_text(json.dumps({**manifest, "format": 1}), encoding="utf-8")
    with pytest.raises(EmbeddingError, match="is format 1, this hepqa reads format 2: retrain"):
        StaticEncoder(tmp_path)


def test_a_tokenizer_with_another_vocabulary_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / STATIC_DIR
    shutil.copytree(KB / STATIC_DIR, target)
    tokenizer = json.loads((target / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    vocab["physics"], vocab["hepqa"] = len(vocab), vocab.pop("physics")
    (target / "tokenizer.json").write_text(json.dumps(tokenizer), encoding="utf-8")
    with pytest.raises(EmbeddingError, match="is not the tokenizer .* was trained with"):
        StaticEncoder(tmp_path).encode(["physics"])


def test_int8_rows_are_within_half_a_step() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(50, 16)).astype(np.float32) * rng.uniform(0.01, 10, size=(50, 1))
    matrix[7] = 0.0
    q, scales = quantize_rows(matrix)
    assert q.dtype == np.int8 and np.abs(q).max() == 127  # noqa: PLR2004
    assert np.all(np.abs(q * scales[:, None] - matrix) <= scales[:, None] / 2 + 1e-6)
    assert np.all(q[7] == 0)


def test_fit_is_deterministic_and_follows_the_teacher_on_unseen_titles(real_kb: KnowledgeBase,
                                                                        tmp_path: Path) -> None:
    """On 400 records, fitted with half their titles: two fits give the same table, and the static vectors
    of the other half's titles rank the records' full-model vectors much as the teacher's do (chance: 0.025)."""
    from hepqa.corpus import record_text  # noqa: PLC0415
    from hepqa.embed import load_store, text_key  # noqa: PLC0415

    records = real_kb.records[::27][:400]
    targets = load_store(real_kb.root, "static_targets")
    titles = [r.title for r in records if text_key(r.title) in targets]
    assert len(titles) > 300  # noqa: PLR2004
    seen, unseen = titles[::2], titles[1::2]
    data = TeacherData(
        [record_text(r) for r in records],
        load_store(real_kb.root, "corpus").matrix([text_key(record_text(r)) for r in records]),
        seen,
        targets.matrix([text_key(t) for t in seen]),
    )
    tokenizer = WordPiece()
    small = FitSettings(cg_steps=40)
    model = fit(data, tokenizer, small)
    assert np.array_equal(model.vectors, fit(data, tokenizer, small).vectors)
    model.save(tmp_path / STATIC_DIR, model="test", tokenizer=tokenizer)
    encoder = StaticEncoder(tmp_path)
    top10, top1 = agreement(encoder.encode(unseen), targets.matrix([text_key(t) for t in unseen]),
                            data.doc_vectors)
    assert top10 >= 0.5 and top1 >= 0.9  # noqa: PLR2004


@pytest.mark.slow
def test_heldout_agreement_with_the_full_model(real_kb: KnowledgeBase, static: StaticEncoder, minilm) -> None:
    """Static query vs the stored full-model document vectors (records and answered questions, as the page
    ranks them), against the full model's query vs the same vectors.

    Measured with the shipped table: see the README's figures; thresholds are those minus a margin.
    """
    from hepqa.site._semantic import document_rows  # noqa: PLC0415

    queries = [json.loads(line)["query"] for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    assert len(queries) >= 100  # noqa: PLR2004
    _, full_docs = document_rows(real_kb)
    top10, top1 = agreement(static.encode(queries), minilm.encode(queries), full_docs)
    assert top10 >= 0.70  # noqa: PLR2004
    assert top1 >= 0.93  # noqa: PLR2004


@pytest.mark.parametrize(("name", "content", "message"), [
    ("manifest.json", b"{not json", "is not a static-model manifest"),
    ("manifest.json", b"[]", "is not a static-model manifest"),
    ("manifest.json", b'{"format": 2}', "is not a static-model manifest"),
    ("tokenizer.json", b"garbage", "is not a tokenizer file"),
    ("table.npy", None, "is not a readable array"),
])
def test_a_damaged_model_file_is_a_clear_error(tmp_path: Path, name: str, content: bytes | None,
                                               message: str) -> None:
    target = tmp_path / STATIC_DIR
    shutil.copytree(KB / STATIC_DIR, target)
    path = target / name
    path.write_bytes(path.read_bytes()[:200] if content is None else content)
    with pytest.raises(EmbeddingError, match=message):
        StaticEncoder(tmp_path).encode(["x"])
