"""What changed between two builds: new records, answers whose top sources moved, citations that changed.

Each build stores a small state file, `hepqa-build-state.json`, inside the site it produced: the corpus ids,
and per answer the ids of its top-ranked sources and a fingerprint of every cited record. It lives in the
site (not in `kb/`, which is input, nor in a cache, which may be wiped independently) because it describes
exactly that site and is swapped in together with it: a failed build leaves both the old site and its state.
It is a function of `kb/` alone, so building the same kb twice still gives byte-identical sites.

The change report compares the state of the site being replaced with the new one. It is written beside the
site (`site-changes.json` next to `site/`), not into it, because it depends on two builds, and a page that
did would break byte-for-byte reproducibility.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hepqa._io import canonical_json, sha256_text
from hepqa.answers import AnswerSources
from hepqa.corpus import Record

__all__ = ["STATE_FILE", "TOP_K", "ChangeReport", "build_state", "compare_states", "read_state"]

STATE_FILE = "hepqa-build-state.json"
"""The state file's name inside the site folder."""
TOP_K = 10
"""How many top-ranked sources per answer are compared between builds."""
_FORMAT = 1

log = logging.getLogger("hepqa.site")


def _fingerprint(record: Record) -> dict[str, Any]:
    """What a citation resolves to: title, version, a hash of every field of the record, and one of every
    field but title and version (`rest`: whether anything else changed too)."""
    fields = record.model_dump(exclude_none=True)
    rest = {k: v for k, v in fields.items() if k not in ("title", "version")}
    return {"title": record.title, "version": record.version, "hash": sha256_text(canonical_json(fields))[:16],
            "rest": sha256_text(canonical_json(rest))[:16]}


def build_state(records: list[Record], answered: list[AnswerSources]) -> dict[str, Any]:
    """The state of one build: corpus ids (sorted), and per answer slug its top `TOP_K` ranked ids and cited
    records' fingerprints."""
    return {
        "format": _FORMAT,
        "records": sorted(r.id for r in records),
        "answers": {
            item.answer.slug: {
                "top": [hit.record.id for hit in item.ranked[:TOP_K]],
                "citations": {s.record.id: _fingerprint(s.record) for s in item.cited},
            }
            for item in answered
        },
    }


def read_state(site: Path) -> dict[str, Any] | None:
    """The state stored in `site`, or `None` when there is none (first build) or it is unreadable."""
    path = site / STATE_FILE
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("%s is unreadable (%s): no change report against the previous build", path, exc)
        return None
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        log.warning("%s has another format: no change report against the previous build", path)
        return None
    return state


@dataclass(frozen=True)
class ChangeReport:
    """Differences between the previous build's state and this one's.

    **Fields:** `compared` (False when there was no previous state: then every list is empty);
    `new_records` / `removed_records` (ids); `new_answers` / `removed_answers` (slugs); `top_sources`
    (`{"answer", "old", "new"}` with the old and new top-`TOP_K` ids, for each answer whose list changed);
    `citations` (`{"answer", "id", "changed", "old", "new"}` for each citation whose record changed, where
    `changed` names `title`, `version` and/or `other fields`).
    """

    compared: bool
    new_records: list[str] = field(default_factory=list)
    removed_records: list[str] = field(default_factory=list)
    new_answers: list[str] = field(default_factory=list)
    removed_answers: list[str] = field(default_factory=list)
    top_sources: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        if not self.compared:
            return "changes: no previous build state to compare with (first build)"
        return (
            f"changes since the previous build: {len(self.new_records)} new records, "
            f"{len(self.removed_records)} removed, {len(self.new_answers)} new answers, "
            f"{len(self.top_sources)} answers with changed top sources, "
            f"{len(self.citations)} citations resolving differently"
        )

    def to_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data."""
        return {
            "compared": self.compared, "top_k": TOP_K,
            "new_records": self.new_records, "removed_records": self.removed_records,
            "new_answers": self.new_answers, "removed_answers": self.removed_answers,
            "top_sources": self.top_sources, "citations": self.citations,
        }


def compare_states(old: dict[str, Any] | None, new: dict[str, Any]) -> ChangeReport:
    """The `ChangeReport` from state `old` (`None`: no previous build) to state `new`."""
    if old is None:
        return ChangeReport(compared=False)
    old_ids, new_ids = set(old["records"]), set(new["records"])
    old_answers, new_answers = old["answers"], new["answers"]
    top, citations = [], []
    for slug in sorted(set(old_answers) & set(new_answers)):
        before, after = old_answers[slug], new_answers[slug]
        if before["top"] != after["top"]:
            top.append({"answer": slug, "old": before["top"], "new": after["top"]})
        for rid, now in after["citations"].items():
            was = before["citations"].get(rid)
            if was is None or was["hash"] == now["hash"]:
                continue
            changed = [k for k in ("title", "version", "rest") if was.get(k) != now.get(k)]
            changed = ["other fields" if k == "rest" else k for k in changed]
            citations.append({"answer": slug, "id": rid, "changed": changed, "old": was, "new": now})
    return ChangeReport(
        compared=True,
        new_records=sorted(new_ids - old_ids),
        removed_records=sorted(old_ids - new_ids),
        new_answers=sorted(set(new_answers) - set(old_answers)),
        removed_answers=sorted(set(old_answers) - set(new_answers)),
        top_sources=top,
        citations=citations,
    )
