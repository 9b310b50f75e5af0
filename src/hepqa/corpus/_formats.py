"""Readers for the input formats `hepqa ingest` accepts.

Two JSON-lines formats are understood, detected per line:

- **hepqa JSONL**: the fields of `hepqa.corpus.Record` (`authors` and `categories` are lists).
- **arXiv metadata snapshot** (the Kaggle / OAI JSON-lines dump): `id, submitter, authors, title, comments,
  journal-ref, doi, categories, abstract, versions, update_date, authors_parsed`, where `categories` is one
  space-separated string and `authors_parsed` holds `[keyname, forenames, suffix]` triples.

Files may be gzip-compressed (`.gz`). Reading is streamed line by line, so a dump of any size is read in
constant memory.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hepqa.corpus._record import Record

__all__ = ["LineError", "read_records"]

_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}


@dataclass(frozen=True)
class LineError:
    """One malformed input line: where it is and what is wrong with it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def _snapshot_date(versions: Any) -> str | None:
    """v1 submission date from a snapshot's `versions` list (`created`: 'Mon, 2 Apr 2007 19:18:42 GMT')."""
    if not isinstance(versions, list) or not versions:
        return None
    created = versions[0].get("created") if isinstance(versions[0], dict) else None
    if not isinstance(created, str):
        return None
    parts = created.replace(",", " ").split()
    if len(parts) < 4 or parts[2] not in _MONTHS:  # noqa: PLR2004 - 'Mon 2 Apr 2007 ...'
        return None
    return f"{int(parts[3]):04d}-{_MONTHS[parts[2]]:02d}-{int(parts[1]):02d}"


def _snapshot_authors(obj: dict[str, Any]) -> list[str]:
    parsed = obj.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for entry in parsed:
            keyname, forenames = (entry + ["", ""])[:2]
            names.append(f"{keyname}, {forenames}".strip(" ,") if forenames else keyname)
        return names
    raw = obj.get("authors") or ""
    return [a.strip() for a in raw.replace(" and ", ", ").split(",") if a.strip()]


def _from_snapshot(obj: dict[str, Any]) -> dict[str, Any]:
    categories = str(obj.get("categories") or "").split()
    return {
        "id": obj.get("id"),
        "title": obj.get("title"),
        "abstract": obj.get("abstract"),
        "authors": _snapshot_authors(obj),
        "categories": categories,
        "primary_category": categories[0] if categories else None,
        "date": _snapshot_date(obj.get("versions")) or obj.get("update_date"),
        "doi": obj.get("doi") or None,
        "journal_ref": obj.get("journal-ref") or None,
        "source": "arxiv-metadata-snapshot",
    }


def _explain(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}" for err in exc.errors()
    )


def read_records(path: Path) -> Iterator[Record | LineError]:
    """Yield each line of `path` as a `Record`, or as a `LineError` saying why it is not one.

    Blank lines are skipped. Nothing is dropped silently: every non-blank line yields exactly one item.
    """
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield LineError(path, number, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield LineError(path, number, f"must be a JSON object, got {type(obj).__name__}")
                continue
            if "versions" in obj or "authors_parsed" in obj or isinstance(obj.get("categories"), str):
                obj = _from_snapshot(obj)
            try:
                yield Record.model_validate(obj)
            except ValidationError as exc:
                yield LineError(path, number, _explain(exc))
