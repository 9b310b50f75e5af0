"""Author names as plain Unicode: LaTeX accents decoded, NFC-normalised, whitespace collapsed.

arXiv metadata spells many names in LaTeX (`Bal\\'azs`, `Terzi{\\'c}`, `M\\"uller`, `{\\L}ukasz`); pages and
search need the letters themselves. Decoding is left to `pylatexenc` and applied only to names that contain
a backslash or a brace, so plain names (the vast majority) are untouched, and `&`, `%`, `_` or `~` in a name
without LaTeX markup are never read as LaTeX. Decoded names are cached: pylatexenc takes ~0.4 ms a name, and
the same authors recur across thousands of papers of a dump.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["plain_name"]

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _decoder():  # noqa: ANN202 - pylatexenc's LatexNodes2Text, built once
    from pylatexenc.latex2text import LatexNodes2Text  # noqa: PLC0415 - only needed for LaTeX names

    return LatexNodes2Text(math_mode="verbatim")


@lru_cache(maxsize=1 << 16)
def _decode(name: str) -> str:
    return _decoder().latex_to_text(name)


def plain_name(name: str) -> str:
    """`name` with LaTeX accents and letters decoded to Unicode (NFC) and runs of whitespace collapsed.

    **Arguments:**
    - `name`: one author name as arXiv gives it, e.g. `"C. Bal\\'azs"` or `"Balázs, C."`.

    **Returns:** e.g. `"C. Balázs"`; a name without `\\` or `{` only has its whitespace collapsed.
    """
    if "\\" in name or "{" in name:
        name = _decode(name)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()
