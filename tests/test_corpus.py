"""Ingest: validation, deduplication, both JSON-lines formats, and errors that name file and line.

The OAI-PMH XML reader, selection, versions and names are in test_ingest_formats.py."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from helpers import KB, SEED_CORPUS, make_record, write_jsonl
from hepqa.corpus import CORPUS_FILE, ingest, load_corpus, normalise_arxiv_id
from hepqa.errors import CorpusError


def test_ingest_validates_sorts_and_normalises(tmp_path: Path) -> None:
    rows = [
        make_record("2602.00002v3", "B  title", "Second   abstract\n text."),
        make_record("arXiv:2602.00001", "A title", "First abstract."),
        make_record("hep-th/0703182v1", "Old style", "An old-style identifier."),
    ]
    report = ingest(tmp_path / "kb", [write_jsonl(tmp_path / "in.jsonl", rows)])
    records = load_corpus(tmp_path / "kb")
    assert [r.id for r in records] == ["2602.00001", "2602.00002", "hep-th/0703182"]
    assert records[1].title == "B title" and records[1].abstract == "Second abstract text."
    assert (report.read, len(report.added), report.total) == (3, 3, 3)


def test_ingest_deduplicates_by_id_later_wins(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    ingest(kb, [write_jsonl(tmp_path / "a.jsonl", [make_record("2602.00001", "Old title", "Abstract.")])])
    rows = [make_record("2602.00001v2", "Newer title", "Abstract."), make_record("2602.00001v3", "Newest", "A.")]
    report = ingest(kb, [write_jsonl(tmp_path / "b.jsonl", rows)])
    assert [r.title for r in load_corpus(kb)] == ["Newest"]
    assert report.updated == ["2602.00001"] and report.duplicates_in_input == 1


def _mixed_file(tmp_path: Path) -> Path:
    """Two valid records among five malformed lines (and a blank one)."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(make_record("2602.00005", "Fine", "Fine.")) + "\n"
        + "{not json\n"
        + json.dumps(make_record("not-an-id", "T", "A.")) + "\n"
        + "\n"
        + json.dumps(make_record("2602.00006", "", "A.")) + "\n"
        + json.dumps({k: v for k, v in make_record("2602.00007", "T", "A.").items() if k != "authors"}) + "\n"
        + "[1, 2]\n"
        + json.dumps(make_record("2602.00008", "Also fine", "Fine.")) + "\n",
        encoding="utf-8",
    )
    return bad


_EXPECTED = [(2, "not valid JSON"), (3, "arXiv id"), (5, "title"), (6, "authors"), (7, "JSON object")]


def test_malformed_lines_are_reported_and_the_valid_ones_ingested(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    ingest(kb, [write_jsonl(tmp_path / "good.jsonl", [make_record("2602.00001", "T", "A.")])])
    bad = _mixed_file(tmp_path)
    report = ingest(kb, [bad])
    assert [(p.path, p.line) for p in report.problems] == [(bad, line) for line, _ in _EXPECTED]
    for problem, (_, fragment) in zip(report.problems, _EXPECTED, strict=True):
        assert fragment in str(problem) and str(problem).startswith(f"{bad}:{problem.line}: ")
    assert [r.id for r in load_corpus(kb)] == ["2602.00001", "2602.00005", "2602.00008"]
    assert (report.read, report.added, report.total) == (2, ["2602.00005", "2602.00008"], 3)


def test_strict_fails_on_any_malformed_line_and_writes_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    ingest(kb, [write_jsonl(tmp_path / "good.jsonl", [make_record("2602.00001", "T", "A.")])])
    before = (kb / CORPUS_FILE).read_bytes()
    bad = _mixed_file(tmp_path)
    with pytest.raises(CorpusError) as info:
        ingest(kb, [bad], strict=True)
    message = str(info.value)
    for line, fragment in _EXPECTED:
        assert f"{bad}:{line}: " in message and fragment in message
    assert "5 malformed record(s); nothing was written" in message
    assert (kb / CORPUS_FILE).read_bytes() == before
    assert sorted(p.name for p in (kb / "corpus").iterdir()) == ["records.jsonl.gz"]  # no temp file left


def test_arxiv_snapshot_format(tmp_path: Path) -> None:
    """The Kaggle/OAI JSON-lines dump: string categories, authors_parsed, versions with RFC 2822 dates."""
    snapshot = {
        "id": "0704.0001", "submitter": "Pavel Nadolsky", "authors": "C. Bal\\'azs, E. L. Berger",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
        "comments": "37 pages", "journal-ref": "Phys.Rev.D76:013009,2007", "doi": "10.1103/PhysRevD.76.013009",
        "report-no": "ANL-HEP-PR-07-12", "categories": "hep-ph hep-ex", "license": None,
        "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\npresented. ",
        "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                     {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}],
        "update_date": "2008-11-13",
        "authors_parsed": [["Balázs", "C.", ""], ["Berger", "E. L.", ""]],
    }
    path = tmp_path / "snap.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(snapshot) + "\n")
    ingest(tmp_path / "kb", [path])
    (record,) = load_corpus(tmp_path / "kb")
    assert record.categories == ["hep-ph", "hep-ex"] and record.primary_category == "hep-ph"
    assert record.authors == ["C. Balázs", "E. L. Berger"]  # forenames first, as arXiv and the corpus show them
    assert (record.version, record.updated) == (2, "2008-11-13")
    assert record.date == "2007-04-02" and record.journal_ref == "Phys.Rev.D76:013009,2007"
    assert record.abstract.startswith("A fully differential") and record.abstract.endswith("presented.")


@pytest.mark.parametrize("raw", ["2511.23410", "arXiv:2511.23410v2", "hep-th/0703182v3", "math.AG/0601001"])
def test_normalise_accepts_real_id_forms(raw: str) -> None:
    assert "v" not in normalise_arxiv_id(raw).split("/")[-1]


@pytest.mark.parametrize("raw", ["", "2511", "25112.3410", "hep-th/070318", "<script>", "2511.23410 x"])
def test_normalise_rejects_garbage(raw: str) -> None:
    with pytest.raises(ValueError, match="arXiv id must look like"):
        normalise_arxiv_id(raw)


def test_shipped_corpus_is_the_seed_snapshot() -> None:
    """kb/ holds every record of the seed corpus (same ids, titles and abstracts)."""
    shipped = {r.id: r for r in load_corpus(KB)}
    with gzip.open(SEED_CORPUS, "rt", encoding="utf-8") as handle:
        seed = [json.loads(line) for line in handle]
    assert len(shipped) == len(seed) == 11022
    for row in seed:
        assert shipped[row["id"]].title == row["title"]
        assert shipped[row["id"]].abstract == row["abstract"]
