"""Readers for the input formats `hepqa ingest` accepts, detected per file (XML) and per line (JSON).

- **hepqa JSONL**: the fields of `hepqa.corpus.Record` (`authors` and `categories` are lists).
- **arXiv metadata snapshot** (the Kaggle / OAI JSON-lines dump): `id, submitter, authors, title, comments,
  journal-ref, doi, categories, abstract, versions, update_date, authors_parsed`, where `categories` is one
  space-separated string and `authors_parsed` holds `[keyname, forenames, suffix]` triples. A line is read
  as a snapshot record when it has `versions` or `authors_parsed`, or a string `categories`.
- **arXiv OAI-PMH XML**: `ListRecords` responses with metadataPrefix `arXiv` (see `hepqa.corpus._oai`). A
  file is read as XML when its first non-blank character is `<`.

Files may be gzip-compressed (`.gz`). Reading is streamed (line by line, or in fixed-size chunks for XML),
so a dump of any size is read in constant memory. Author names are built as arXiv shows them, forenames
first (`C. Balázs`), the form the shipped corpus uses.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from hepqa.corpus._record import Record

__all__ = ["LineError", "explain", "read_records"]

_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class LineError:
    """One malformed input record: where it is (file, 1-based line) and what is wrong with it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    with (gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")) as handle:
        yield handle


def _is_xml(path: Path) -> bool:
    with _open_binary(path) as handle:
        head = handle.read(_SNIFF_BYTES)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _snapshot_date(versions: Any) -> str | None:
    """v1 submission date from a snapshot's `versions` list (`created`: 'Mon, 2 Apr 2007 19:18:42 GMT')."""
    if not isinstance(versions, list) or not versions:
        return None
    created = versions[0].get("created") if isinstance(versions[0], dict) else None
    if not isinstance(created, str):
        return None
    parts = created.replace(",", " ").split()
    if len(parts) < 4 or parts[2] not in _MONTHS or not (parts[1].isdigit() and parts[3].isdigit()):  # noqa: PLR2004
        return None
    return f"{int(parts[3]):04d}-{_MONTHS[parts[2]]:02d}-{int(parts[1]):02d}"


def _snapshot_version(versions: Any) -> int | None:
    """The newest version number in a snapshot's `versions` list (`{"version": "v2", ...}` entries)."""
    if not isinstance(versions, list):
        return None
    numbers = [
        int(v["version"][1:]) for v in versions
        if isinstance(v, dict) and isinstance(v.get("version"), str) and v["version"][1:].isdigit()
    ]
    return max(numbers, default=None)


def _snapshot_authors(obj: dict[str, Any]) -> list[str]:
    parsed = obj.get("authors_parsed")
    if isinstance(parsed, list) and parsed and all(isinstance(e, list) for e in parsed):
        names = []
        for entry in parsed:
            keyname, forenames, suffix = ([str(x or "") for x in entry] + ["", "", ""])[:3]
            names.append(" ".join(p for p in (forenames, keyname, suffix) if p.strip()))
        return names
    raw = obj.get("authors") or ""
    if not isinstance(raw, str):
        return []
    return [a.strip() for a in raw.replace(" and ", ", ").split(",") if a.strip()]


def _from_snapshot(obj: dict[str, Any]) -> dict[str, Any]:
    raw_categories = obj.get("categories")
    categories = raw_categories.split() if isinstance(raw_categories, str) else raw_categories
    return {
        "id": obj.get("id"),
        "title": obj.get("title"),
        "abstract": obj.get("abstract"),
        "authors": _snapshot_authors(obj),
        "categories": categories,
        "primary_category": categories[0] if isinstance(categories, list) and categories else None,
        "date": _snapshot_date(obj.get("versions")) or obj.get("update_date"),
        "updated": obj.get("update_date") or None,
        "version": _snapshot_version(obj.get("versions")),
        "doi": obj.get("doi") or None,
        "journal_ref": obj.get("journal-ref") or None,
        "source": "arxiv-metadata-snapshot",
    }


def explain(exc: ValidationError) -> str:
    """One line per failed field of a pydantic error: `field: message`."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg'].removeprefix('Value error, ')}"
        for err in exc.errors()
    )


def _parse_line(path: Path, number: int, raw: bytes) -> Record | LineError:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LineError(path, number, f"not valid UTF-8 (byte {exc.start + 1})")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        # a line that stops inside the object with no newline after it is the file's last, cut off
        cut = not raw.endswith(b"\n") and not line.rstrip().endswith("}")
        why = "the line breaks off: is the file truncated?" if cut else f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
        return LineError(path, number, f"not valid JSON ({why})")
    if not isinstance(obj, dict):
        return LineError(path, number, f"must be a JSON object, got {type(obj).__name__}")
    if "versions" in obj or "authors_parsed" in obj or isinstance(obj.get("categories"), str):
        obj = _from_snapshot(obj)
    try:
        return Record.model_validate(obj)
    except ValidationError as exc:
        return LineError(path, number, explain(exc))


def _read_json_lines(path: Path) -> Iterator[Record | LineError]:
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):  # noqa: B007 - `number` is reported after the loop
                if raw.strip():
                    yield _parse_line(path, number, raw)
    except (EOFError, OSError, zlib.error) as exc:  # truncated or corrupt gzip stream
        yield LineError(path, number + 1, f"file is truncated or corrupt ({exc}); nothing after this was read")


def read_records(path: Path) -> Iterator[Record | LineError]:
    """Yield each record of `path` as a `Record`, or as a `LineError` saying where and why it is not one.

    Blank lines are skipped. Nothing is dropped silently: every non-blank JSON line, and every OAI
    `<record>`, yields exactly one item; a file that breaks off (truncated gzip, XML that stops being
    well-formed) yields one more `LineError` at the point where reading stopped.
    """
    try:
        xml = _is_xml(path)
    except (EOFError, OSError, zlib.error) as exc:
        yield LineError(path, 1, f"cannot be read ({exc})")
        return
    if xml:
        from hepqa.corpus._oai import read_oai  # noqa: PLC0415 - only XML inputs need it

        yield from read_oai(path)
    else:
        yield from _read_json_lines(path)
