"""The corpus as stored in the knowledge base: `kb/corpus/records.jsonl.gz`, sorted by arXiv id."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hepqa._io import atomic_open
from hepqa.corpus._formats import LineError, read_records
from hepqa.corpus._record import Record
from hepqa.corpus._select import Selection
from hepqa.errors import CorpusError

__all__ = ["CORPUS_FILE", "IngestReport", "format_problems", "ingest", "is_newer", "load_corpus", "write_corpus"]

CORPUS_FILE = Path("corpus") / "records.jsonl.gz"
"""Where the corpus lives, relative to the knowledge-base folder."""

_MAX_LISTED = 25
log = logging.getLogger("hepqa.corpus")


def load_corpus(kb: Path) -> list[Record]:
    """Read every record of the knowledge base `kb`, in stored (id) order.

    **Raises:** `CorpusError` listing each malformed line with its file and line number.
    """
    path = kb / CORPUS_FILE
    if not path.exists():
        msg = (f"corpus file {path} does not exist: point --kb at a knowledge base, or start one with "
               "`hepqa ingest FILE...`")
        raise CorpusError(msg)
    records, errors = [], []
    for item in read_records(path):
        (errors if isinstance(item, LineError) else records).append(item)
    if errors:
        msg = f"the stored corpus has {len(errors)} malformed record(s):\n{format_problems(errors)}"
        raise CorpusError(msg)
    return records


def write_corpus(kb: Path, records: Iterable[Record]) -> int:
    """Write `records` sorted by id to `kb/corpus/records.jsonl.gz`, atomically; return how many."""
    ordered = sorted(records, key=lambda r: r.id)
    with atomic_open(kb / CORPUS_FILE, gzip_level=9) as handle:
        for record in ordered:
            handle.write(json.dumps(record.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
    return len(ordered)


@dataclass
class IngestReport:
    """What one `ingest` call did.

    **Fields:** `read` (valid records read), `selected_out` (valid records outside the `Selection`),
    `added` / `updated` (ids), `unchanged`, `kept_stored` (ids whose stored copy is newer than the input's),
    `duplicates_in_input` (repeated ids across the inputs), `problems` (every malformed record, with file and
    line), `total` (records in the corpus afterwards), `empty_inputs` (input files with no record at all,
    valid or not) and `written` (whether the corpus file was rewritten).
    """

    read: int = 0
    selected_out: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_stored: list[str] = field(default_factory=list)
    duplicates_in_input: int = 0
    problems: list[LineError] = field(default_factory=list)
    total: int = 0
    empty_inputs: list[str] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"read {self.read} records ({self.selected_out} outside the selection, "
            f"{len(self.problems)} problem(s)): {len(self.added)} new, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.kept_stored)} older than the stored copy, "
            f"{self.duplicates_in_input} duplicate ids in the input; corpus now {self.total} records"
        )

    def to_json(self) -> dict[str, object]:
        """Everything, for `hepqa ingest --report FILE`."""
        return {
            "read": self.read, "selected_out": self.selected_out, "added": self.added, "updated": self.updated,
            "unchanged": self.unchanged, "kept_stored": self.kept_stored,
            "duplicates_in_input": self.duplicates_in_input, "total": self.total, "written": self.written,
            "empty_inputs": self.empty_inputs,
            "problems": [{"file": str(p.path), "line": p.line, "message": p.message} for p in self.problems],
        }


def is_newer(candidate: Record, current: Record) -> bool:
    """Whether `candidate` should replace `current` (same id): the newest metadata wins.

    A later `updated` date wins; when those are equal or unknown, a higher `version` wins; when that too
    is equal or unknown, `candidate` (the one read later) wins.
    """
    if candidate.updated and current.updated and candidate.updated != current.updated:
        return candidate.updated > current.updated
    if candidate.version and current.version and candidate.version != current.version:
        return candidate.version > current.version
    return True


def ingest(
    kb: Path, paths: Iterable[Path], *, selection: Selection | None = None, strict: bool = False
) -> IngestReport:
    """Merge the records of `paths` into the corpus of `kb`.

    Inputs are read as a stream (see `read_records`); only the kept records are held in memory. Records
    are deduplicated by arXiv id (versions stripped) and the newest metadata wins (`is_newer`), between
    inputs and against the stored copy. Records outside `selection` are counted, not kept.

    Every malformed record is collected in `IngestReport.problems` with its file and line. By default the
    valid records are still ingested; with `strict`, any problem raises `CorpusError` listing them all
    and nothing is written.

    **Raises:** `CorpusError` when an input file does not exist, when the stored corpus is malformed, or
    (with `strict`) when any input record is.
    """
    selection = selection or Selection()
    paths = list(paths)
    for source in paths:
        if not source.is_file():
            msg = f"input file {source} does not exist"
            raise CorpusError(msg)
    path = kb / CORPUS_FILE
    existing = {r.id: r for r in load_corpus(kb)} if path.exists() else {}
    incoming: dict[str, Record] = {}
    report = IngestReport()
    for source in paths:
        seen = report.read + len(report.problems)
        for item in read_records(source):
            if isinstance(item, LineError):
                report.problems.append(item)
                continue
            report.read += 1
            if not selection.matches(item):
                report.selected_out += 1
                continue
            held = incoming.get(item.id)
            if held is not None:
                report.duplicates_in_input += 1
            if held is None or is_newer(item, held):
                incoming[item.id] = item
        if report.read + len(report.problems) == seen:
            report.empty_inputs.append(str(source))
    if strict and report.problems:
        msg = f"{len(report.problems)} malformed record(s); nothing was written:\n{format_problems(report.problems)}"
        raise CorpusError(msg)
    merged = dict(existing)
    for rid, record in incoming.items():
        old = existing.get(rid)
        if old is None:
            report.added.append(rid)
        elif not is_newer(record, old):
            report.kept_stored.append(rid)
            continue
        elif old != record:
            report.updated.append(rid)
        else:
            report.unchanged += 1
        merged[rid] = record
    report.added.sort()
    report.updated.sort()
    report.kept_stored.sort()
    if report.added or report.updated or not path.exists():
        report.total = write_corpus(kb, merged.values())
        report.written = True
    else:
        report.total = len(merged)
    log.info(report.summary())
    return report


def format_problems(errors: list[LineError]) -> str:
    """The first 25 problems, one `file:line: message` per indented line, and how many more there are."""
    shown = "\n".join(f"  {e}" for e in errors[:_MAX_LISTED])
    more = f"\n  ... and {len(errors) - _MAX_LISTED} more" if len(errors) > _MAX_LISTED else ""
    return shown + more


