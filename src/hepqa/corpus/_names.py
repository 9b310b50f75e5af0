"""Author names as plain Unicode: LaTeX accents decoded, NFC-normalised, whitespace collapsed.

arXiv metadata spells many names in LaTeX (`Bal\\'azs`, `Terzi{\\'c}`, `M\\"uller`, `{\\L}ukasz`); pages and
search need the letters themselves. Decoding is `hepqa.corpus._tex.decode_latex` (pylatexenc, cached: the same
authors recur across thousands of papers of a dump), the decoder of titles and abstracts too, applied only to
names that contain a LaTeX command (a backslash), so plain names (the vast majority) are untouched, and
braces, `--`, `&`, `%`, `_` or `~` in a name without a command are never read as LaTeX.
"""

from __future__ import annotations

import re
import unicodedata

from hepqa.corpus._tex import decode_latex

__all__ = ["plain_name"]

_SPACE = re.compile(r"\s+")


def plain_name(name: str) -> str:
    """`name` with LaTeX accents and letters decoded to Unicode (NFC) and runs of whitespace collapsed.

    **Arguments:**
    - `name`: one author name as arXiv gives it, e.g. `"C. Bal\\'azs"` or `"Balázs, C."`.

    **Returns:** e.g. `"C. Balázs"`; a name without `\\` only has its whitespace collapsed.
    """
    if "\\" in name:
        name = decode_latex(name)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()
