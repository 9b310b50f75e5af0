"""Ingest of the arXiv formats: OAI-PMH XML, the metadata snapshot, selection, versions, names, broken files."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import make_record, write_jsonl
from hepqa.cli import main
from hepqa.corpus import CORPUS_FILE, Record, Selection, ingest, load_corpus, read_records
from hepqa.errors import CorpusError

OAI_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<responseDate>2017-03-25T10:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXiv" set="physics:hep-th">http://export.arxiv.org/oai2</request>
<ListRecords>
"""
OAI_TAIL = '<resumptionToken cursor="0" completeListSize="5"></resumptionToken>\n</ListRecords>\n</OAI-PMH>\n'


def oai_record(rid: str, *, datestamp: str = "2016-02-01", title: str = "A title", abstract: str | None = "An abstract.",
               authors: str = "<author><keyname>Doe</keyname><forenames>Jane</forenames></author>",
               categories: str = "hep-th", created: str = "2015-03-04", extra: str = "") -> str:
    """One `<record>` in the arXiv metadata format, one element per line."""
    abstract_line = f"<abstract>{abstract}</abstract>\n" if abstract is not None else ""
    return (
        f"<record>\n<header>\n<identifier>oai:arXiv.org:{rid}</identifier>\n<datestamp>{datestamp}</datestamp>\n"
        f"<setSpec>physics:hep-th</setSpec>\n</header>\n<metadata>\n"
        f'<arXiv xmlns="http://arxiv.org/OAI/arXiv/">\n<id>{rid}</id>\n<created>{created}</created>\n'
        f"<authors>{authors}</authors>\n<title>{title}</title>\n<categories>{categories}</categories>\n"
        f"{extra}{abstract_line}</arXiv>\n</metadata>\n</record>\n"
    )


DELETED = ('<record>\n<header status="deleted">\n<identifier>oai:arXiv.org:1501.00003</identifier>\n'
           "<datestamp>2016-05-05</datestamp>\n</header>\n</record>\n")
DUBLIN_CORE = ('<record>\n<header>\n<identifier>oai:arXiv.org:1501.00004</identifier>\n</header>\n<metadata>\n'
               '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"></oai_dc:dc>\n'
               "</metadata>\n</record>\n")


def record_lines(text: str) -> list[int]:
    """1-based lines on which a `<record>` starts."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("<record>")]


def snapshot(rid: str, *, versions: int = 1, update_date: str = "2020-01-01", **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": rid, "submitter": "Jane Doe", "authors": "J. Doe and R. Roe", "title": "A snapshot title",
        "comments": None, "journal-ref": None, "doi": None, "categories": "hep-ph", "license": None,
        "abstract": "An abstract.", "update_date": update_date,
        "versions": [{"version": f"v{n}", "created": f"Mon, {n} Apr 2019 10:00:00 GMT"} for n in range(1, versions + 1)],
        "authors_parsed": [["Doe", "J.", ""], ["Roe", "R.", ""]],
    }
    row.update(fields)
    return row


def write_gz(path: Path, text: str) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


# ---- OAI-PMH XML -------------------------------------------------------------------------------------------


def test_oai_records_are_read_with_names_dates_and_fields(tmp_path: Path) -> None:
    authors = (
        "<author><keyname>Bal\\'azs</keyname><forenames>C.</forenames></author>"
        "<author><keyname>Smith</keyname><forenames>John</forenames><suffix>Jr</suffix>"
        "<affiliation>CERN</affiliation></author><author><keyname>Müller</keyname><forenames>Ö.</forenames></author>"
    )
    body = oai_record(
        "hep-th/0703182", title="Worldsheet instantons\n  and torsion curves &amp; $\\mathbb{Z}_3$", authors=authors,
        categories="hep-th math.AG", created="2007-03-20",
        extra="<doi>10.1088/1126-6708/2007/10/023</doi>\n<journal-ref>JHEP 0710:023,2007</journal-ref>\n",
    )
    path = write_gz(tmp_path / "page.xml.gz", OAI_HEAD + body + oai_record("1501.00001") + OAI_TAIL)
    report = ingest(tmp_path / "kb", [path])
    assert report.problems == [] and report.added == ["1501.00001", "hep-th/0703182"]
    record = {r.id: r for r in load_corpus(tmp_path / "kb")}["hep-th/0703182"]
    assert record.title == "Worldsheet instantons and torsion curves & $\\mathbb{Z}_3$"
    assert record.authors == ["C. Balázs", "John Smith Jr", "Ö. Müller"]
    assert record.categories == ["hep-th", "math.AG"] and record.primary_category == "hep-th"
    assert (record.date, record.updated) == ("2007-03-20", "2016-02-01")
    assert record.doi == "10.1088/1126-6708/2007/10/023" and record.journal_ref == "JHEP 0710:023,2007"
    assert record.source == "arxiv-oai-pmh"


def test_oai_problems_name_file_line_and_record(tmp_path: Path) -> None:
    text = (OAI_HEAD + oai_record("1501.00001") + oai_record("1501.00002", abstract=None) + DELETED + DUBLIN_CORE
            + oai_record("1501.00005", created="March 2015") + oai_record("1501.00006") + OAI_TAIL)
    path = tmp_path / "page.xml"
    path.write_text(text, encoding="utf-8")
    lines = record_lines(text)
    report = ingest(tmp_path / "kb", [path])
    assert [(p.path, p.line) for p in report.problems] == [(path, n) for n in lines[1:5]]
    messages = [p.message for p in report.problems]
    assert messages[0].startswith("record 1501.00002: abstract:")
    assert "1501.00003: marked deleted" in messages[1]
    assert "1501.00004: metadata must be in the arXiv format" in messages[2]
    assert messages[3].startswith("record 1501.00005: date: must be YYYY-MM") and "March 2015" in messages[3]
    assert [r.id for r in load_corpus(tmp_path / "kb")] == ["1501.00001", "1501.00006"]
    with pytest.raises(CorpusError, match="4 malformed record"):
        ingest(tmp_path / "kb2", [path], strict=True)
    assert not (tmp_path / "kb2" / CORPUS_FILE).exists()


def test_oai_file_that_breaks_off_keeps_what_came_before(tmp_path: Path) -> None:
    text = OAI_HEAD + oai_record("1501.00001") + oai_record("1501.00002") + "<record>\n<header>\n<identifier>oops"
    path = tmp_path / "cut.xml"
    path.write_text(text, encoding="utf-8")
    items = list(read_records(path))
    assert [i.id for i in items if isinstance(i, Record)] == ["1501.00001", "1501.00002"]
    (problem,) = [i for i in items if not isinstance(i, Record)]
    assert problem.line == text.count("\n") + 1 and "XML is not well-formed" in problem.message
    broken = tmp_path / "broken.xml"
    broken.write_text(OAI_HEAD + oai_record("1501.00001") + "<record><header></record>\n" + OAI_TAIL)
    (bad,) = [i for i in read_records(broken) if not isinstance(i, Record)]
    assert bad.line == OAI_HEAD.count("\n") + oai_record("1501.00001").count("\n") + 1
    assert "mismatched tag" in bad.message


def test_oai_error_response_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(OAI_HEAD.replace("<ListRecords>\n", "")
                    + '<error code="noRecordsMatch">No records match</error>\n</OAI-PMH>\n', encoding="utf-8")
    (problem,) = read_records(path)
    assert problem.line == OAI_HEAD.count("\n") and "noRecordsMatch: No records match" in problem.message


# ---- the snapshot: versions, duplicates, names, missing fields ---------------------------------------------


def test_newest_version_wins_in_any_order_and_against_the_stored_copy(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    newer = write_jsonl(tmp_path / "new.json", [snapshot("1901.00001", versions=3, update_date="2021-06-01",
                                                         title="Third version")])
    older = write_jsonl(tmp_path / "old.json", [snapshot("1901.00001", versions=2, update_date="2020-01-01",
                                                         title="Second version")])
    report = ingest(kb, [newer, older])  # the older copy is read last and still loses
    assert report.duplicates_in_input == 1
    (record,) = load_corpus(kb)
    assert (record.title, record.version, record.updated) == ("Third version", 3, "2021-06-01")
    stored = (kb / CORPUS_FILE).read_bytes()
    again = ingest(kb, [older])
    assert again.kept_stored == ["1901.00001"] and not again.written
    assert (kb / CORPUS_FILE).read_bytes() == stored
    # Without dates, the version suffix of the id decides: v2 read after v5 does not replace it.
    rows = [make_record("1902.00001v5", "Fifth", "A."), make_record("1902.00001v2", "Second", "A.")]
    ingest(kb, [write_jsonl(tmp_path / "ours.jsonl", rows)])
    assert {r.id: (r.title, r.version) for r in load_corpus(kb)}["1902.00001"] == ("Fifth", 5)


def test_snapshot_names_ids_and_missing_fields(tmp_path: Path) -> None:
    rows = [
        snapshot("hep-th/0703182v2", versions=2, authors_parsed=[["Bal\\'azs", "C.", ""], ["Terzi{\\'c}", "B.", "Jr"],
                                                      ["{\\L}ukasz", "A.", ""], ["Ferna\u0301ndez", "P.", ""]]),
        snapshot("1901.00002", authors_parsed=None, authors="C. Bal\\'azs, E. Berger and F. Roe"),
        snapshot("1901.00003", abstract=None),
        snapshot("1901.00004", versions=0, update_date=None),
        snapshot("1901.00005", categories=""),
    ]
    path = write_jsonl(tmp_path / "snap.json", rows)
    report = ingest(tmp_path / "kb", [path])
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (3, "abstract"), (4, "date"), (5, "categories")]
    by_id = {r.id: r for r in load_corpus(tmp_path / "kb")}
    old = by_id["hep-th/0703182"]
    assert old.version == 2
    assert old.authors == ["C. Balázs", "B. Terzić Jr", "A. Łukasz", "P. Fernández"]
    assert old.authors[3] == "P. Fern\u00e1ndez"  # NFC: one code point, not a + combining accent
    assert by_id["1901.00002"].authors == ["C. Balázs", "E. Berger", "F. Roe"]


def test_undecodable_and_truncated_inputs_are_reported(tmp_path: Path) -> None:
    good = json.dumps(snapshot("1901.00001")).encode()
    raw = tmp_path / "raw.json"
    raw.write_bytes(good + b"\n" + b'{"id": "1901.00002", "title": "caf\xe9"}\n')
    (_, bad) = read_records(raw)
    assert (bad.line, bad.message) == (2, "not valid UTF-8 (byte 35)")
    whole = gzip.compress(b"".join(json.dumps(snapshot(f"1901.{n:05d}")).encode() + b"\n" for n in range(1, 200)))
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    items = list(read_records(cut))
    assert all(isinstance(i, Record) for i in items[:-1]) and len(items) > 10  # noqa: PLR2004
    assert "truncated or corrupt" in items[-1].message and items[-1].line == len(items)
    notgz = tmp_path / "plain.json.gz"
    notgz.write_text("{}\n")
    (problem,) = read_records(notgz)
    assert problem.line == 1 and "cannot be read" in problem.message


# ---- selection ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "kept"),
    [
        (("hep-ph",), ["1901.00001"]),
        (("hep-",), ["1901.00001", "1901.00002"]),
        (("astro-ph",), ["1901.00003"]),
        (("astro-ph.CO", "hep-th"), ["1901.00002", "1901.00003"]),
        (("hep",), []),  # no trailing dash: not a prefix
    ],
)
def test_category_selection(tmp_path: Path, patterns: tuple[str, ...], kept: list[str]) -> None:
    rows = [snapshot("1901.00001", categories="hep-ph"), snapshot("1901.00002", categories="math-ph hep-th"),
            snapshot("1901.00003", categories="astro-ph.CO gr-qc"), snapshot("1901.00004", categories="cs.LG")]
    report = ingest(tmp_path / "kb", [write_jsonl(tmp_path / "s.json", rows)], selection=Selection(patterns))
    assert report.added == kept and report.selected_out == 4 - len(kept) and report.read == 4  # noqa: PLR2004


def test_since_selects_by_submission_date(tmp_path: Path) -> None:
    rows = [make_record("2603.00001", "T", "A.", date="2026-03-31"), make_record("2604.00001", "T", "A.", date="2026-04"),
            make_record("2604.00002", "T", "A.", date="2026-04-15"), make_record("2605.00001", "T", "A.", date="2026-05-02")]
    selection = Selection(since=dt.date(2026, 4, 15))
    report = ingest(tmp_path / "kb", [write_jsonl(tmp_path / "s.jsonl", rows)], selection=selection)
    assert report.added == ["2604.00001", "2604.00002", "2605.00001"]  # a month-only date counts by month


# ---- the command line --------------------------------------------------------------------------------------


def test_cli_ingest_filters_reports_and_strict(tmp_path: Path) -> None:
    rows = [snapshot("2001.00001", categories="hep-lat", versions=1), snapshot("2001.00002", categories="cs.LG"),
            snapshot("2001.00003", categories="hep-ph", abstract=""), snapshot("1001.00001", categories="hep-th")]
    rows[3]["versions"] = [{"version": "v1", "created": "Mon, 4 Jan 2010 10:00:00 GMT"}]
    path = write_jsonl(tmp_path / "s.json", rows)
    kb, report_file = tmp_path / "kb", tmp_path / "report.json"
    result = CliRunner().invoke(main, ["ingest", str(path), "--kb", str(kb), "--categories", "hep-,math-ph",
                                       "--since", "2019-01-01", "--report", str(report_file)])
    assert result.exit_code == 0, result.output
    assert f"{path}:3: abstract:" in result.stderr and "(all in" in result.stderr
    assert "1 new" in result.stdout and "2 outside the selection" in result.stdout
    saved = json.loads(report_file.read_text())
    assert saved["added"] == ["2001.00001"] and saved["problems"][0]["line"] == 3  # noqa: PLR2004
    strict = CliRunner().invoke(main, ["ingest", str(path), "--kb", str(tmp_path / "kb2"), "--strict"])
    assert strict.exit_code == 1 and "nothing was written" in strict.output and "Traceback" not in strict.output
    assert not (tmp_path / "kb2").exists()
    bad_date = CliRunner().invoke(main, ["ingest", str(path), "--kb", str(kb), "--since", "last week"])
    assert bad_date.exit_code == 2 and "'last week'" in bad_date.output  # noqa: PLR2004 - click's usage error


def test_an_empty_input_file_is_named_in_a_warning(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.json", [snapshot("2001.00001", categories="hep-lat")])
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", str(good), str(empty), "--kb", str(tmp_path / "kb")])
    assert result.exit_code == 0, result.output
    assert f"warning: {empty} holds no records" in result.stderr and str(good) not in result.stderr
    assert "1 new" in result.stdout
