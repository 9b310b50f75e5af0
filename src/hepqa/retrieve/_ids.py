"""arXiv identifiers written in a query: "2603.15801", "arXiv:2603.15801v2", "hep-th/0703182",
"https://arxiv.org/abs/2603.15801".

A reader who types an identifier means that paper, but neither ranker can find it: the embedding model reads
the digits as noise and BM25 indexes no identifiers. So the search names those papers first and ranks the
rest of the query as usual; a query of identifiers alone ranks the papers closest to the named ones (the
mean of their stored vectors is the query vector). The browser's semantic page applies the same rule
(`hepqa/site/assets/semantic-shared.js`), with the same pattern, so both places find the same papers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["QueryIds", "has_words", "split_ids"]

_WORD = "A-Za-z0-9_"
ARXIV_ID = re.compile(
    rf"(?<![{_WORD}./-])"
    r"(?:[aA][rR][xX][iI][vV]:|(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/)?"
    r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})"
    rf"(?:v\d+)?(?:\.pdf)?(?![{_WORD}/-])"
)
"""An arXiv id, new style (YYMM.NNNNN) or old (hep-th/0703182), with an optional `arXiv:` prefix or an
arxiv.org abs/pdf address, and an optional version; group 1 is the bare id. Word characters are ASCII's
here, as in the browser's copy of this pattern (Python's `\\w` is Unicode, JavaScript's is not)."""

_SPACES = re.compile(r" {2,}")
_ARXIV_WORD = re.compile(r"(?<![A-Za-z])[aA][rR][xX][iI][vV](?![A-Za-z])")


@dataclass(frozen=True)
class QueryIds:
    """The identifiers of a query: `ids` (bare, in order of mention, each once) and `rest` (the query with
    them and the word "arXiv" removed)."""

    ids: list[str]
    rest: str


def split_ids(query: str) -> QueryIds:
    """The arXiv identifiers written in `query`, and the query without them (see the module docstring)."""
    ids = list(dict.fromkeys(m.group(1) for m in ARXIV_ID.finditer(query)))
    if not ids:
        return QueryIds([], query)
    rest = _ARXIV_WORD.sub(" ", ARXIV_ID.sub(" ", query))
    return QueryIds(ids, _SPACES.sub(" ", rest).strip(" "))


def has_words(text: str) -> bool:
    """Whether `text` holds a letter or a digit (Unicode categories L and N): punctuation, spaces, and
    invisible format or control characters alone are nothing to search for."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)
