"""arXiv identifiers written in a query: "2603.15801", "arXiv:2603.15801v2", "hep-th/0703182",
"https://arxiv.org/abs/2603.15801".

A reader who types an identifier means that paper, but neither ranker can find it: the embedding model reads
the digits as noise and BM25 indexes no identifiers. So the search names those papers first; a query of
identifiers alone ranks the papers closest to the named ones (the unit mean of their stored vectors is the
query vector), and identifiers with words rank by both: the query vector is the unit sum of that mean and
the words' vector, so "2603.15801 neutrino masses" finds papers near that one on neutrino masses, and
words that say little ("What does 2603.15801 find?") leave the ranking to the named paper. The browser's
semantic page applies the same rule (`hepqa/site/assets/semantic-shared.js`), with the same pattern, so both
places find the same papers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["QueryIds", "has_words", "split_ids"]

_WORD = "A-Za-z0-9_"
ARXIV_ID = re.compile(
    rf"(?<![{_WORD}./-])"
    r"(?:[aA][rR][xX][iI][vV]:|(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/|10\.48550/[aA][rR][xX][iI][vV]\.)?"
    r"((?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.\d{4}"
    r"|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5}"
    r"|[A-Za-z][A-Za-z-]*(?:\.[A-Za-z]{2})?/(?:9[1-9]|0[0-7])(?:0[1-9]|1[0-2])\d{3})"
    rf"(?:v\d+)?(?:\.pdf)?(?:/|[?#][^ \t\n\r\f\v]*)?(?![{_WORD}/-]|\.\d)"
)
"""An arXiv id as arXiv issues them: new style YYMM.NNNN (2007-2014) or YYMM.NNNNN (from 2015), old style
archive/YYMMNNN (1991-2007), months 01-12; with an optional `arXiv:` prefix, arxiv.org abs/pdf address or
arXiv DOI (10.48550/arXiv.…), version, ".pdf", trailing slash or URL query. Group 1 is the id (see
`normalise`). So "mass 2603.1580 MeV" or "Phys. Rev. D 1103.01234" name no paper. Word characters are
ASCII's here, as in the browser's copy of this pattern (Python's `\\w` is Unicode, JavaScript's is not)."""

_SPACES = re.compile(r" {2,}")
_ARXIV_WORD = re.compile(r"(?<![A-Za-z])[aA][rR][xX][iI][vV](?![A-Za-z])")
_CATEGORY_TAG = re.compile(r"\[[A-Za-z-]+(?:\.[A-Za-z-]+)?\]")
"""A category tag as arXiv listings print it after the id: "arXiv:2603.15801 [hep-ex]"."""


def normalise(match: str) -> str:
    """The id as the corpus stores it: an old-style archive in lower case and its subject class in upper
    case ("HEP-TH/9711200" → "hep-th/9711200", "math.ag/0601001" → "math.AG/0601001")."""
    if "/" not in match:
        return match
    archive, number = match.split("/")
    name, _, subject = archive.partition(".")
    return f"{name.lower()}{'.' + subject.upper() if subject else ''}/{number}"


@dataclass(frozen=True)
class QueryIds:
    """The identifiers of a query: `ids` (bare, in order of mention, each once) and `rest` (the query with
    them, the word "arXiv" and category tags like "[hep-ex]" removed)."""

    ids: list[str]
    rest: str


def split_ids(query: str) -> QueryIds:
    """The arXiv identifiers written in `query`, and the query without them (see the module docstring)."""
    ids = list(dict.fromkeys(normalise(m.group(1)) for m in ARXIV_ID.finditer(query)))
    if not ids:
        return QueryIds([], query)
    rest = _CATEGORY_TAG.sub(" ", _ARXIV_WORD.sub(" ", ARXIV_ID.sub(" ", query)))
    return QueryIds(ids, _SPACES.sub(" ", rest).strip(" "))


def has_words(text: str) -> bool:
    """Whether `text` holds a letter or a digit (Unicode categories L and N): punctuation, spaces, and
    invisible format or control characters alone are nothing to search for."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)
