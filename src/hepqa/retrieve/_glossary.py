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


_DASHES = "\u2010\u2013\u2212-"
"""A hyphen in a term also matches these: hyphen, en dash, minus sign ("g−2", as typeset) and hyphen-minus
(last, so that it stands for itself in a character class)."""

_DASH = re.compile(f"[{_DASHES}]")

_WORD_END = re.compile(r"[)\]}]+[^ \t\n\r\f\v]*|[_^][^ \t\n\r\f\v]*")
"""What a match runs on to before its expansion goes in: after closing brackets or a sub- or superscript, the
rest of the word, so that "(g-2)_μ" and "(g−2)μ" become "(g-2)_μ (…)", not "(g-2 (…))_μ". Whitespace is
ASCII's, as in the browser's copy."""


def _pattern(term: str) -> re.Pattern[str]:
    # Acronyms (any upper-case letter) match case-sensitively, so "nda" inside a word or "Uv" do not fire.
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    body = f"[{_DASHES}]".join(re.escape(part) for part in _DASH.split(term))
    return re.compile(rf"(?<![\w{_DASHES}]){body}(?![\w{_DASHES}])", flags)


def _fold(text: str) -> str:
    """`text` for comparing spellings: lower case, every dash a hyphen-minus."""
    return _DASH.sub("-", text.lower())


def _insert(text: str, match: re.Match[str], words: Sequence[str]) -> str:
    end = match.end()
    tail = _WORD_END.match(text, end)
    end = tail.end() if tail else end
    return f"{text[:end]} ({', '.join(words)}){text[end:]}"


def _in_brackets(text: str, at: int) -> bool:
    """Whether position `at` of `text` lies inside parentheses: spelled-out terms there are left alone, as
    they may be expansions this function added ("SMEFT (Standard Model effective field theory)" gets no
    "(EFT)"), which keeps it idempotent."""
    return text.count("(", 0, at) > text.count(")", 0, at)


def expand_query(query: str, glossary: Sequence[GlossaryEntry]) -> str:
    """Add each glossary term's meaning after its first mention, then the TeX spelling of Unicode notation
    (`hepqa.retrieve._notation`: "b→sμμ" → "b→sμμ ($b\\to s\\mu \\mu$)").

    - A term gets its expansion and related terms, in parentheses: "NDA" → "NDA (naive dimensional analysis,
      power counting)", unless the expansion is already there; a related term already there is not added.
    - A term spelled out (its expansion or an alias), outside parentheses, gets the term, its expansion
      (unless that is what was written) and its related terms: "naive dimensional analysis" → "naive
      dimensional analysis (NDA, power counting)". The answers and many abstracts use the acronym; without
      it, a reader who spells it out is matched on the words alone.

    A term with a capital letter matches case-sensitively, otherwise in any case; never inside a word or
    a hyphenated compound; a hyphen in a term also matches the dashes of `_DASHES`. Deterministic (entries in
    glossary order) and idempotent.

    **Arguments:**
    - `query`: the text to expand.
    - `glossary`: entries from `kb/glossary.yaml`.

    **Returns:** the expanded query (the query itself when no term occurs).
    """
    expanded = query
    for entry in glossary:
        if entry.expansion == entry.term:
            continue
        # what is there already, apart from the TeX spans of notation: the expansion and related terms count
        # as present as substrings, whatever their case and dashes
        bare = _fold(_TEX_SPAN.sub("", expanded))
        related = [r for r in entry.related if _fold(r) not in bare]
        term = _pattern(entry.term).search(expanded)
        if term:
            if _fold(entry.expansion) not in bare:
                expanded = _insert(expanded, term, [entry.expansion, *related])
            continue
        spelled = next(((a, m) for a in [entry.expansion, *entry.aliases] for m in _pattern(a).finditer(expanded)
                        if not _in_brackets(expanded, m.start())), None)
        if spelled:
            alias, match = spelled
            meaning = [] if _fold(alias) == _fold(entry.expansion) else [entry.expansion]
            expanded = _insert(expanded, match, [entry.term, *meaning, *related])
    return notation_tex(expanded)
