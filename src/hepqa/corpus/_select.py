"""Which records of an input `hepqa ingest` keeps: `--categories` and `--since`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hepqa.corpus._record import Record

__all__ = ["Selection"]


@dataclass(frozen=True)
class Selection:
    """A filter on records; the default keeps everything.

    **Fields:**
    - `categories`: a record is kept when any of its categories matches any of these. `hep-ph` matches
      exactly; an archive also matches its subject classes (`astro-ph` matches `astro-ph.CO`); a pattern
      ending in `-` or `.` is a prefix (`hep-` matches hep-ph, hep-th, hep-ex and hep-lat). Empty: all.
    - `since`: a record is kept when its v1 submission date (`Record.date`) is on or after this day; a
      month-only date (`2026-04`) is kept when its month is on or after the month of `since`. `None`: all.
      (The submission date, not the metadata update date, so that a re-harvested old paper whose journal
      reference changed is not mistaken for a new preprint.)
    """

    categories: tuple[str, ...] = ()
    since: dt.date | None = None

    def _category_matches(self, category: str) -> bool:
        return any(
            category == pattern
            or category.startswith(f"{pattern}.")
            or (pattern.endswith(("-", ".")) and category.startswith(pattern))
            for pattern in self.categories
        )

    def matches(self, record: Record) -> bool:
        """Whether `record` is kept."""
        if self.categories and not any(self._category_matches(c) for c in record.categories):
            return False
        return self.since is None or record.date >= self.since.isoformat()[: len(record.date)]

    def __str__(self) -> str:
        parts = [f"categories {' '.join(self.categories)}"] if self.categories else []
        parts += [f"submitted since {self.since.isoformat()}"] if self.since else []
        return ", ".join(parts) or "everything"
