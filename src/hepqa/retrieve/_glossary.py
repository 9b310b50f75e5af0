"""The glossary (`kb/glossary.yaml`) and query expansion from it: "NDA" → "NDA (naive dimensional analysis)".

Field acronyms are ambiguous to a general-purpose embedding model (it has no reason to read NDA as naive
dimensional analysis), so questions are expanded before they are embedded or matched lexically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hepqa._yaml import line_of_field, load_validated
from hepqa.errors import AnswerError
from hepqa.retrieve._notation import notation_tex

__all__ = ["GlossaryEntry", "expand_query", "load_glossary"]


class GlossaryEntry(BaseModel):
    """A term of the field: used for query expansion and for tooltips on pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    """Terms added to a query that mentions this one (retrieval only; not shown as the expansion)."""


def load_glossary(kb: Path) -> list[GlossaryEntry]:
    """The entries of `kb/glossary.yaml` (empty when the file does not exist).

    **Raises:** `AnswerError` naming file, line and field, or a term defined twice.
    """
    path = kb / "glossary.yaml"
    if not path.exists():
        return []
    entries = load_validated(path, GlossaryEntry, many=True)
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.term in first:
            line = line_of_field(path, (index, "term"))
            msg = f"{path}:{line}: {index}.term: {entry.term!r} is already defined by entry {first[entry.term]}"
            raise AnswerError(msg)
        first[entry.term] = index
    return entries


_TEX_SPAN = re.compile(r" \(\$[^$]*\$\)")
"""A span `notation_tex` added."""


def _pattern(term: str) -> re.Pattern[str]:
    # Acronyms (any upper-case letter) match case-sensitively, so "nda" inside a word or "Uv" do not fire.
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)


def expand_query(query: str, glossary: Sequence[GlossaryEntry]) -> str:
    """Append each glossary expansion and its related terms, in parentheses, after the term's first mention,
    then the TeX spelling of Unicode notation (`hepqa.retrieve._notation`: "b→sμμ" → "b→sμμ ($b\\to s\\mu \\mu$)").

    "NDA" becomes "NDA (naive dimensional analysis, power counting)". Terms whose expansion already appears
    in the query are left alone. Deterministic: entries are applied in glossary order.

    **Arguments:**
    - `query`: the text to expand.
    - `glossary`: entries from `kb/glossary.yaml`.

    **Returns:** the expanded query (the query itself when no term occurs).
    """
    expanded = query
    for entry in glossary:
        # the expansion counts as present when it is there apart from the TeX spans of notation
        if entry.expansion.lower() in _TEX_SPAN.sub("", expanded).lower() or entry.expansion == entry.term:
            continue
        match = _pattern(entry.term).search(expanded)
        if match:
            extra = ", ".join([entry.expansion, *entry.related])
            expanded = f"{expanded[: match.end()]} ({extra}){expanded[match.end() :]}"
    return notation_tex(expanded)
