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
from hepqa.errors import CorpusError

__all__ = ["CORPUS_FILE", "IngestReport", "ingest", "load_corpus", "write_corpus"]

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
        msg = f"corpus file {path} does not exist: run `hepqa ingest FILE...` first"
        raise CorpusError(msg)
    records, errors = [], []
    for item in read_records(path):
        (errors if isinstance(item, LineError) else records).append(item)
    _raise_if_errors(errors)
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
    """What one `ingest` call did."""

    read: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates_in_input: int = 0
    total: int = 0

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"read {self.read} records: {len(self.added)} new, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {self.duplicates_in_input} duplicate ids in the input; "
            f"corpus now {self.total} records"
        )


def ingest(kb: Path, paths: Iterable[Path]) -> IngestReport:
    """Merge the records of `paths` into the corpus of `kb`.

    Every input line is validated first; if any is malformed, `CorpusError` lists them all (file and line)
    and nothing is written. Records are deduplicated by arXiv id (versions stripped); when an id occurs
    more than once, the later occurrence (later file, later line) wins, and input wins over the stored copy.
    """
    path = kb / CORPUS_FILE
    existing = {r.id: r for r in load_corpus(kb)} if path.exists() else {}
    incoming: dict[str, Record] = {}
    errors: list[LineError] = []
    report = IngestReport()
    for source in paths:
        if not source.exists():
            msg = f"input file {source} does not exist"
            raise CorpusError(msg)
        for item in read_records(source):
            if isinstance(item, LineError):
                errors.append(item)
                continue
            report.read += 1
            if item.id in incoming:
                report.duplicates_in_input += 1
            incoming[item.id] = item
    _raise_if_errors(errors)
    merged = dict(existing)
    for rid, record in incoming.items():
        old = existing.get(rid)
        if old is None:
            report.added.append(rid)
        elif old != record:
            report.updated.append(rid)
        else:
            report.unchanged += 1
        merged[rid] = record
    report.total = write_corpus(kb, merged.values())
    log.info(report.summary())
    return report


def _raise_if_errors(errors: list[LineError]) -> None:
    if not errors:
        return
    shown = "\n".join(f"  {e}" for e in errors[:_MAX_LISTED])
    more = f"\n  ... and {len(errors) - _MAX_LISTED} more" if len(errors) > _MAX_LISTED else ""
    msg = f"{len(errors)} malformed record(s); nothing was written:\n{shown}{more}"
    raise CorpusError(msg)
