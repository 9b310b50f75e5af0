"""The preprint record: one arXiv paper's metadata, validated and normalised."""

from __future__ import annotations

import re

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from hepqa.corpus._names import plain_name

__all__ = ["Record", "arxiv_version", "normalise_arxiv_id", "record_text"]

# New-style ids (0704.0001 onwards: YYMM.NNNN, YYMM.NNNNN from 1501) and old-style ids (archive[.SUBJ]/YYMMNNN).
_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}$")
_OLD_ID = re.compile(r"^[a-z][a-z\-]*(\.[A-Z]{2})?/\d{7}$")
_VERSION = re.compile(r"v(\d+)$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_SPACE = re.compile(r"\s+")


def normalise_arxiv_id(raw: str) -> str:
    """Return the arXiv identifier without the `arXiv:` prefix and without a version suffix.

    **Arguments:**
    - `raw`: e.g. `"arXiv:2511.23410v2"`, `"hep-th/0703182"`.

    **Returns:** the bare id, e.g. `"2511.23410"`.

    **Raises:** `ValueError` when the id is neither new-style (`YYMM.NNNNN`) nor old-style (`hep-th/0703182`).
    """
    text = raw.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    text = _VERSION.sub("", text)
    if not (_NEW_ID.match(text) or _OLD_ID.match(text)):
        msg = f"arXiv id must look like 2511.23410 or hep-th/0703182, got {raw!r}"
        raise ValueError(msg)
    return text


def arxiv_version(raw: str) -> int | None:
    """The version number an arXiv id carries (`"2511.23410v2"` gives 2), or `None` when it has none."""
    match = _VERSION.search(raw.strip())
    return int(match.group(1)) if match else None


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class Record(BaseModel):
    """Metadata of one preprint, as stored in `kb/corpus/records.jsonl.gz`.

    Titles and abstracts keep their LaTeX; runs of whitespace are collapsed to one space. Author names are
    plain Unicode (LaTeX accents decoded, NFC). `date` is the v1 submission date, `YYYY-MM-DD` when known,
    otherwise `YYYY-MM`. `updated` (optional, same form) is the date of the newest metadata the source had
    (the snapshot's `update_date`, the OAI header datestamp) and `version` the newest version number known
    (from `versions`, or the `vN` suffix of the id given); both decide which copy of a record is newer.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=1)
    abstract: str = Field(min_length=1)
    authors: list[str] = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    primary_category: str | None = None
    date: str
    announced: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    source: str | None = None
    also_in: list[str] | None = None
    updated: str | None = None
    version: int | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _version_from_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("version") is None and isinstance(data.get("id"), str):
            version = arxiv_version(data["id"])
            if version is not None:
                data = {**data, "version": version}
        return data

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return normalise_arxiv_id(value)

    @field_validator("title", "abstract")
    @classmethod
    def _check_text(cls, value: str) -> str:
        value = _squash(value)
        if not value:
            msg = "must not be blank"
            raise ValueError(msg)
        return value

    @field_validator("authors", "categories")
    @classmethod
    def _check_names(cls, value: list[str], info: ValidationInfo) -> list[str]:
        cleaned = [plain_name(v) if info.field_name == "authors" else _squash(v) for v in value]
        if any(not v for v in cleaned):
            msg = "must not contain blank entries"
            raise ValueError(msg)
        return cleaned

    @field_validator("date", "announced", "updated")
    @classmethod
    def _check_date(cls, value: str | None) -> str | None:
        if value is not None and not _DATE.match(value):
            msg = f"must be YYYY-MM or YYYY-MM-DD, got {value!r}"
            raise ValueError(msg)
        return value

    @property
    def category(self) -> str:
        """The primary category when known, otherwise the first listed one."""
        return self.primary_category or self.categories[0]

    @property
    def url(self) -> str:
        """The arXiv abstract page."""
        return f"https://arxiv.org/abs/{self.id}"


def record_text(record: Record) -> str:
    """The text that is embedded and indexed for a record: title, a newline, then the abstract."""
    return f"{record.title}\n{record.abstract}"
