"""Corpus text as the text it means: text-mode TeX decoded to Unicode, math spans kept apart for a renderer.

arXiv titles and abstracts are TeX source. Outside math they use TeX's text markup: escaped specials
(`0.48\\%`, `R-axion \\&`), ties (`Belle~II`), accents (`Ho\\v{r}ava`, `Schr\\"odinger`, `M{\\"o}ssbauer`),
font switches and commands (`{\\it don't}`, `\\textit{di}-Higgs`, `\\boldmath{…}`), TeX quotes and dashes
(` ``inv'' `, `10--100`), `\\texorpdfstring{TeX}{text}`, `\\href{url}{text}`, line breaks `\\\\`, and
math written without dollars (`O(\\alpha_s^3)`, an `equation*` environment). `text_and_math` splits a
string into pieces of decoded text and pieces of math (the TeX of each math span, untouched), in reading
order, so that the terminal (math as Unicode) and pages (math for KaTeX, text HTML-escaped) show the same.

Conventions:

- Decoding is pylatexenc's `LatexNodes2Text` (`decode_latex`), the project's one TeX decoder: author
  names (`hepqa.corpus._names`) and formulas (`hepqa.search._mathtext`) use it too. Each math span is
  replaced by a placeholder (a private-use character absent from the text) before decoding, so markup
  around math goes and the math comes back whole (`\\boldmath{$D^+$ and $D^0$}` → two formulas and
  " and "); a span inside an argument that TeX's text rendering drops (the first of `\\texorpdfstring`)
  is dropped with it. Math without dollars is read by pylatexenc as text (`\\alpha` → α).
- `%` is a percent sign, not a comment, and `&` an ampersand, not an alignment tab: arXiv metadata has
  neither comments nor tables, and a comment would swallow the rest of the text.
- A `~` after whitespace or at the start means "approximately" (`T ~ 0.3 GeV`, `~560 kpc`; a tie there
  would do nothing in TeX) and becomes `∼`, as `\\sim` does. Any other `~` is a tie and becomes a plain
  space, not a no-break space, so that a reader who searches output or a page for "Belle II" finds it.
- A `$` that pairs with no other is a broken delimiter (`=5.02$$ TeV`, an unclosed `$J/ψ\\to K`) and is
  dropped, except before a digit, where it is a dollar sign (`costs $5`).
- MathJax's `\\unicode{xHHHH}` (arXiv abstracts write dashes as `$\\unicode{x2014}$`; KaTeX has no such
  command) becomes its character, and a formula of one non-ASCII character (`$—$`) is that character.
- The text's own line breaks stay (Markdown answers keep their paragraphs); other whitespace runs in
  decoded text, such as pylatexenc writes for `\\\\` or an environment, become one space.
- Text without any of `\\ ~ { } `` '' --` (nearly all of it) is not decoded: pylatexenc would return it
  as it is. Text that pylatexenc cannot parse (it raises on some malformed input) is kept as written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

__all__ = ["MACRO_BEFORE_UNICODE", "MATH_SPAN", "TexPiece", "decode_latex", "text_and_math"]

MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|(?<!\\)\$([^$\n]{1,300}?)\$", re.DOTALL)
"""A math span in any of the four delimiters (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`; `\\$` is a dollar sign);
the formula is whichever group matched."""

MACRO_BEFORE_UNICODE = re.compile(r"(\\[A-Za-z]+)(?=[^\x00-\x7f])")
"""A macro name followed by a non-ASCII character (`\\toπ`, `\\ensuremathψ`): pylatexenc reads Unicode
letters as part of the name (TeX does not), so a space goes between them before decoding."""

_UNICODE = re.compile(r"\\unicode\{x([0-9A-Fa-f]{1,6})\}")
_DECODE = re.compile(r"[\\~{}]|``|''|--")
_STRAY_DOLLAR = re.compile(r"(?<!\\)\$(?!\d)")
_SPECIAL = re.compile(r"(?<!\\)([%&$])")
_APPROX = re.compile(r"(?<!\S)~")
_TIE = re.compile(r"(?<!\\)~")
_SPACE = re.compile(r"\s+")
# Font commands pylatexenc's parser knows but its text renderer drops together with their argument
# (`\texttt{PRyMordial}` would vanish): only their argument is text, as for `\textit`.
_KEEP_ARGUMENT = ("texttt", "textsf", "textmd", "textup", "mbox")


class TexPiece(NamedTuple):
    """A run of decoded text (`math=False`), or the TeX of one formula without delimiters (`math=True`)."""

    text: str
    math: bool


def _link_text(node, l2tobj) -> str:  # noqa: ANN001 - pylatexenc's node and renderer (it passes them by name)
    """`\\href{url}{text}` as its text: arXiv replaces the URLs of abstracts by "this https URL"."""
    args = [a for a in (node.nodeargd.argnlist if node.nodeargd else [])[1:] if a is not None]
    return l2tobj.nodelist_to_text(args)


@lru_cache(maxsize=1)
def _decoder():  # noqa: ANN202 - pylatexenc's LatexNodes2Text and the parser context it needs, built once
    from pylatexenc import latexwalker, macrospec  # noqa: PLC0415 - only needed for text with TeX
    from pylatexenc.latex2text import (  # noqa: PLC0415
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    # It logs a warning for every unbalanced brace of malformed input, then decodes it as well as it can.
    logging.getLogger("pylatexenc").setLevel(logging.ERROR)
    # Its parser does not know that \href takes two arguments, and its renderer then fails on `\href{a}{b}`.
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category("hepqa", prepend=True, macros=[macrospec.std_macro("href", False, 2)])
    rendering = get_default_latex_context_db()
    rendering.add_context_category("hepqa", prepend=True, macros=[
        MacroTextSpec("href", simplify_repl=_link_text),
        *(MacroTextSpec(name, discard=False) for name in _KEEP_ARGUMENT),
    ])
    return LatexNodes2Text(math_mode="text", latex_context=rendering), parsing


@lru_cache(maxsize=1 << 16)
def decode_latex(text: str) -> str:
    """pylatexenc's reading of `text` as TeX, math included (`\\alpha` → α), cached: ~0.4 ms a call, and
    the same author names recur across a dump.

    **Raises:** whatever pylatexenc raises on input it cannot parse (callers keep such text as written).
    """
    decoder, parsing = _decoder()
    return decoder.latex_to_text(text, latex_context=parsing)


def _unicode_char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)


def _placeholders(text: str) -> Iterator[str]:
    """Private-use characters that do not occur in `text` (untrusted text may hold some)."""
    used = set(text)
    codes = chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
    return (c for c in map(chr, codes) if c not in used)


def _decoded(text: str, newline: str) -> str:
    """`text` (its math held out) decoded; its line breaks are held as `newline` meanwhile."""
    tex = _TIE.sub(" ", _APPROX.sub("∼", text)).replace("\n", newline)
    tex = MACRO_BEFORE_UNICODE.sub(r"\1 ", _SPECIAL.sub(r"\\\1", tex))
    try:
        decoded = decode_latex(tex)
    except Exception:  # noqa: BLE001 - any parser failure on untrusted TeX means "show it as written"
        return text
    return _SPACE.sub(" ", unicodedata.normalize("NFC", decoded)).replace(newline, "\n")


def text_and_math(text: str) -> list[TexPiece]:
    """`text` as decoded text and formulas, in reading order (conventions in the module docstring).

    **Arguments:**
    - `text`: a title, abstract, sentence or Markdown answer, e.g. `"Ho\\v{r}ava at $\\Lambda^2$~TeV"`.

    **Returns:** its pieces, e.g. `[TexPiece("Hořava at ", False), TexPiece("\\Lambda^2", True),
    TexPiece(" TeV", False)]`; no piece is empty.
    """
    text = _UNICODE.sub(_unicode_char, text)
    free, formulas = _placeholders(text), {}

    def hold(match: re.Match[str]) -> str:
        tex = next(g for g in match.groups() if g is not None)
        if len(tex) == 1 and not tex.isascii():  # `$—$`: one symbol, shown as text
            return tex
        mark = next(free)
        formulas[mark] = tex
        return mark

    masked = _STRAY_DOLLAR.sub("", MATH_SPAN.sub(hold, text))
    if _DECODE.search(masked):
        masked = _decoded(masked, next(free))
    parts = re.split(f"([{''.join(formulas)}])", masked) if formulas else [masked]
    return [TexPiece(formulas[p], True) if p in formulas else TexPiece(p, False) for p in parts if p]
