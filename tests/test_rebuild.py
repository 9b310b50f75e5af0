"""Rebuilding: the change report, interrupted and failed builds, and atomic knowledge-base writes.

Same-kb determinism across two fresh builds is `test_site_build.py::test_build_is_deterministic`; here a
rebuild *in place* is checked to give the same bytes too (the build state file included).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from helpers import TINY_RECORDS, HashingEncoder, make_record, write_jsonl
from hepqa.corpus import CORPUS_FILE, Record, ingest, load_corpus, write_corpus
from hepqa.embed import VectorStore, load_store
from hepqa.errors import HepqaError
from hepqa.kb import KnowledgeBase
from hepqa.site import STATE_FILE


def snapshot_of(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(build, tiny_kb: Path, tmp_path: Path) -> tuple[Path, dict[Path, bytes]]:
    """The tiny kb built once into `tmp_path/site`, and the bytes of every file of that site."""
    out = tmp_path / "site"
    report = build(tiny_kb, out)
    assert not report.changes.compared  # first build: nothing to compare with
    return out, snapshot_of(out)


def test_rebuild_in_place_is_byte_identical_and_reports_no_change(build, tiny_kb: Path, built) -> None:
    """Also after a crash between the swap's two renames: the parked previous site is put back first."""
    out, before = built
    out.rename(out.with_name(".site.old"))  # what a power cut between the two renames leaves
    report = build(tiny_kb, out)
    assert snapshot_of(out) == before
    assert report.changes.compared and report.changes.to_json() == {
        "compared": True, "top_k": 10, "new_records": [], "removed_records": [], "new_answers": [],
        "removed_answers": [], "top_sources": [], "citations": []}
    assert json.loads(report.changes_file.read_text()) == report.changes.to_json()
    assert report.changes_file == out.with_name("site-changes.json")


def test_change_report_lists_new_records_moved_sources_and_changed_citations(build, tiny_kb: Path, built,
                                                                             tmp_path: Path) -> None:
    out, _ = built
    old_top = json.loads((out / STATE_FILE).read_text())["answers"]["nda-two-scales"]["top"]
    revised = make_record("2601.00001v2", "Power counting in composite Higgs models, revised",
                          TINY_RECORDS[0]["abstract"], authors=["Doe, Jane", "Roe, Richard", "Poe, Edgar"])
    new = make_record("2601.00020", "Naive dimensional analysis with two mass scales",
                      "Naive dimensional analysis estimates coefficients when two mass scales compete.")
    ingest(tiny_kb, [write_jsonl(tmp_path / "update.jsonl", [revised, new])])
    KnowledgeBase.load(tiny_kb).embed(HashingEncoder(), show_progress=False)
    changes = build(tiny_kb, out).changes
    assert changes.new_records == ["2601.00020"] and changes.removed_records == []
    (moved,) = changes.top_sources
    assert moved["answer"] == "nda-two-scales" and moved["old"] == old_top
    assert "2601.00020" in moved["new"] and "2601.00020" not in moved["old"]
    (cited,) = changes.citations
    assert (cited["answer"], cited["id"], cited["changed"]) == ("nda-two-scales", "2601.00001",
                                                                 ["title", "version", "other fields"])
    assert (cited["old"]["version"], cited["new"]["version"]) == (None, 2)
    assert cited["new"]["title"].endswith("revised")
    assert "1 new records" in changes.summary() and "1 citations resolving differently" in changes.summary()


def test_build_interrupted_mid_generation_leaves_the_site_and_its_state(build, tiny_kb: Path, built,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C while pages are being generated (here: while the corpus map is drawn)."""
    out, before = built
    changes = out.with_name("site-changes.json")
    changes.write_text("previous report")
    ingest(tiny_kb, [write_jsonl(out.parent / "more.jsonl", [make_record("2601.00030", "More", "More text.")])])
    KnowledgeBase.load(tiny_kb).embed(HashingEncoder(), show_progress=False)

    def interrupt(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("hepqa.site._build.topic_map", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(tiny_kb, out)
    assert snapshot_of(out) == before and changes.read_text() == "previous report"
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site")] == []  # staging removed
    monkeypatch.undo()
    assert build(tiny_kb, out).changes.new_records == ["2601.00030"]  # compared with the untouched state


def test_build_failing_inside_mkdocs_or_the_swap_leaves_the_site(build, tiny_kb: Path, built,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out, before = built
    import mkdocs.commands.build as mkdocs_build

    real = mkdocs_build.build

    def half_then_fail(config: Any, **kwargs: Any) -> None:
        real(config, **kwargs)  # the staging site is complete...
        raise OSError(errno.ENOSPC, "No space left on device")  # ...and then the disk fills up

    monkeypatch.setattr(mkdocs_build, "build", half_then_fail)
    with pytest.raises(HepqaError, match="No space left"):
        build(tiny_kb, out)
    assert snapshot_of(out) == before
    monkeypatch.undo()

    rename = Path.rename

    def fail_on_new_site(self: Path, target: Path) -> Path:
        if Path(target).resolve() == out.resolve() and self.name == "site":  # staging/site -> out
            raise OSError(errno.EIO, "I/O error")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", fail_on_new_site)
    with pytest.raises(HepqaError, match="I/O error"):
        build(tiny_kb, out)
    monkeypatch.undo()
    assert snapshot_of(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site")] == []


# ---- atomic kb writes --------------------------------------------------------------------------------------


class _FailingFile:
    """A binary file that accepts `limit` bytes, then fails like a full disk."""

    def __init__(self, raw: Any, limit: int) -> None:
        self._raw, self._left = raw, limit

    def write(self, data: bytes) -> int:
        if len(data) > self._left:
            self._raw.write(bytes(data[: self._left]))
            self._left = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self._left -= len(data)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()


@pytest.fixture
def disk_fills_after(monkeypatch: pytest.MonkeyPatch):
    """Make every file that `atomic_open` writes fail after `limit` bytes."""
    real = os.fdopen

    def install(limit: int) -> None:
        monkeypatch.setattr("hepqa._io.os.fdopen", lambda fd, mode="r", *a, **k: _FailingFile(real(fd, mode, *a, **k), limit))

    return install


def test_corpus_write_failing_midway_leaves_the_previous_file(tmp_path: Path, disk_fills_after) -> None:
    kb = tmp_path / "kb"
    write_corpus(kb, [Record.model_validate(r) for r in TINY_RECORDS])
    before = (kb / CORPUS_FILE).read_bytes()
    many = [Record.model_validate(make_record(f"2602.{n:05d}", f"Title {n}", f"Abstract {n} " * 40))
            for n in range(500)]
    disk_fills_after(4096)
    with pytest.raises(OSError, match="No space left"):
        write_corpus(kb, many)
    assert (kb / CORPUS_FILE).read_bytes() == before
    assert sorted(p.name for p in (kb / "corpus").iterdir()) == ["records.jsonl.gz"]
    assert [r.id for r in load_corpus(kb)] == [r["id"] for r in TINY_RECORDS]


def test_vector_store_write_failing_midway_leaves_the_previous_store(tmp_path: Path, disk_fills_after) -> None:
    folder = tmp_path / "embeddings"
    keys = [f"{n:064x}" for n in range(3)]
    VectorStore("m", np.eye(3, 8, dtype=np.float16), keys).save(folder, "corpus")
    before = snapshot_of(folder)
    bigger = VectorStore("m", np.ones((1000, 8), dtype=np.float16), [f"{n:064x}" for n in range(1000)])
    disk_fills_after(2048)
    with pytest.raises(OSError, match="No space left"):
        bigger.save(folder, "corpus")
    assert snapshot_of(folder) == before
    assert load_store(tmp_path, "corpus").keys == keys
