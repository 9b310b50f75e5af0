"""Schema of a curated answer (`kb/answers/<slug>.yaml`) and the citation syntax inside it."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hepqa.corpus import normalise_arxiv_id

__all__ = ["Answer", "citations_in"]

# Inline citations: [arXiv:2511.23410] or several ids in one bracket, separated by ';' or ','.
CITATION = re.compile(r"\[arXiv:\s*([^\]]+)\]")


def citations_in(markdown: str) -> list[str]:
    """The arXiv ids cited in `markdown`, in order of first appearance, without repeats.

    **Raises:** `ValueError` for a malformed id inside a citation bracket.
    """
    ids: list[str] = []
    for match in CITATION.finditer(markdown):
        for raw in re.split(r"[;,]", match.group(1)):
            rid = normalise_arxiv_id(raw.strip().removeprefix("arXiv:").strip())
            if rid not in ids:
                ids.append(rid)
    return ids


class Answer(BaseModel):
    """One curated question with its cited answer (`kb/answers/<slug>.yaml`).

    `answer` and `why_it_matters` are Markdown; citations are written `[arXiv:ID]` and must name corpus
    records. `follow_ups` are further questions; they are linked when another answer has that exact question.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=8)
    answered_by: str = Field(min_length=1)
    date: dt.date
    answer: str = Field(min_length=40)
    why_it_matters: str | None = None
    follow_ups: list[str] = Field(default_factory=list)

    @field_validator("answer")
    @classmethod
    def _check_citations(cls, value: str) -> str:
        citations_in(value)  # raises ValueError on a malformed id, reported with the field's line
        return value

    @property
    def citations(self) -> list[str]:
        """Cited arXiv ids in order of first appearance."""
        return citations_in(self.answer)
