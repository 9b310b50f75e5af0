"""LaTeX math as plain text: for terminal output and for the site's lexical search index.

Two renderings of one formula:

- `math_to_text`: readable Unicode, decoded by `pylatexenc` through `hepqa.corpus._tex.decode_latex`
  (`B^0\\to K^{*0}\\mu^+\\mu^-` → `B^0→K^*0μ^+μ^-`).
- `search_forms`: the compact spellings a reader types into a search box, with charges, sub/superscript
  marks, braces and accents dropped and script letters folded (`B→K*μμ`), plus the same with Greek letters
  spelled out in ASCII (`B->K*mumu`).

`plain_text` reads a string's text-mode TeX as the text it means (`Ho\\v{r}ava`, `Belle~II`, `0.48\\%`,
`\\textit{di}-Higgs`: `hepqa.corpus._tex`), applies `math_to_text` to every `$…$` / `$$…$$` / `\\(…\\)` /
`\\[…\\]` span and drops Markdown emphasis marks, so answers and titles read cleanly outside the browser.
"""

from __future__ import annotations

import re
import unicodedata

from hepqa.corpus._tex import MACRO_BEFORE_UNICODE, MATH_SPAN, decode_latex, text_and_math

__all__ = ["MATH_SPAN", "math_to_text", "plain_text", "search_forms"]

# Wide accents pylatexenc does not know (it drops them with their meaning): as their narrow forms, which it
# writes as combining marks (`\overline{\rm MS}` → M̅S̅, as `\bar{MS}`).
_WIDE_ACCENT = re.compile(r"\\(?:overline|widetilde|widehat)(?![A-Za-z])")
_NARROW = {"overline": "bar", "widetilde": "tilde", "widehat": "hat"}
# Charge and neutral marks in TeX: K^{*0} → K^{*}, then B^0, \mu^+, \ell^{-}, e^\pm → bare letters. A sign
# followed by digits (10^{-11}) is an exponent and stays.
_STARRED_CHARGE = re.compile(r"\^\s*\{\s*(\(?\s*(?:\*|\\ast)\s*\)?)\s*[0+\-−]\s*\}")
_CHARGE = re.compile(r"\^\s*(?:\{\s*)?(?:[0+\-−]|\\pm|\\mp)(?:\s*\})?(?![\w{])")
_MARKS = re.compile(r"[\^_{}\s]")
_EMPHASIS = re.compile(r"\*\*|__|`")


# A script or fraction argument that needs parentheses once its braces are gone: an operator after its
# first character (`3/2`, `a+b`, but not `-1` or `*0`), or, in a denominator, more than one factor.
_NEEDS_PARENS = re.compile(r".[+\-−/=]|\\cdot|\\times")
_ONE_FACTOR = re.compile(r"\s*(?:\\[A-Za-z]+|[A-Za-z]|\d+(?:\.\d+)?|\([^()]*\))\s*(?:[\^_]\s*(?:\{[^{}]*\}|\w)\s*)*")


def _group(tex: str, start: int) -> int | None:
    """Index just past the brace group opening at `tex[start]` (`None` when it never closes)."""
    depth = 0
    for i in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return i + 1
    return None


def _parenthesized(tex: str) -> str:
    """Add the parentheses the braces stood for: `Λ^{3/2}` → `Λ^{(3/2)}`, `\\frac{g^2}{16\\pi^2}` →
    `{g^2}/{(16\\pi^2)}`, so that `Λ^3/2` or `g^2/16π^2` never reads as something else.

    Written here because pylatexenc drops the braces without a trace; a scan for brace groups, not a parse.
    """
    out, i = [], 0
    while i < len(tex):
        frac = tex.startswith("\\frac", i) and not tex[i + 5 : i + 6].isalpha()
        if frac or (tex[i] in "^_" and tex[i + 1 : i + 2] == "{"):
            head = i + 5 if frac else i + 1
            while frac and tex[head : head + 1].isspace():
                head += 1
            end = _group(tex, head) if tex[head : head + 1] == "{" else None
            if end is not None and not frac:
                inner = _parenthesized(tex[head + 1 : end - 1])
                out.append(f"{tex[i]}{{({inner})}}" if _NEEDS_PARENS.search(inner) else f"{tex[i]}{{{inner}}}")
                i = end
                continue
            second = end
            while second is not None and tex[second : second + 1].isspace():
                second += 1
            tail = _group(tex, second) if second is not None and tex[second : second + 1] == "{" else None
            if end is not None and tail is not None:
                top, bottom = _parenthesized(tex[head + 1 : end - 1]), _parenthesized(tex[second + 1 : tail - 1])
                top = f"({top})" if _NEEDS_PARENS.search(top) else top
                bottom = bottom if _ONE_FACTOR.fullmatch(bottom) else f"({bottom})"
                out.append(f"{{{top}}}/{{{bottom}}}")
                i = tail
                continue
        out.append(tex[i])
        i += 1
    return "".join(out)


def math_to_text(tex: str) -> str:
    """Readable Unicode for one formula (without its delimiters); whitespace runs become one space.

    Formulas come from the corpus, so some are malformed: on `\\sqrt` with no argument pylatexenc raises from
    deep inside its macro table (KeyError, IndexError, ...), on `\\frac{1}` it returns its `%s/%s` template.
    Such a formula is kept as written.
    """
    try:
        narrow = _WIDE_ACCENT.sub(lambda m: "\\" + _NARROW[m.group()[1:]], tex)
        text = decode_latex(MACRO_BEFORE_UNICODE.sub(r"\1 ", _parenthesized(narrow)))
    except Exception:  # noqa: BLE001 - any parser failure on untrusted TeX means "show it as written"
        text = tex
    if "%s" in text and "%s" not in tex:
        text = tex
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Compatibility-fold (𝒩 → N, ℓ → l, µ → μ) and drop combining accents (ν̄ → ν)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _ascii_greek(text: str) -> str:
    out = []
    for c in text:
        name = unicodedata.name(c, "")
        if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")) and " WITH " not in name:
            out.append(name.rsplit(" ", 1)[1].lower().replace("lamda", "lambda"))
        else:
            out.append(c)
    return "".join(out).replace("→", "->")


def search_forms(tex: str) -> list[str]:
    """The compact spellings of one formula that a search should match, without repeats.

    `B^0\\to K^{*0}\\mu^+\\mu^-` and `B\\to K^{(*)}\\mu\\mu` both give `["B→K*μμ", "B->K*mumu"]`: charge
    superscripts (`0 + - ± ∓`, not exponents like `10^{-11}`) go, `∗` and `(*)` become `*`, and every
    `^ _ { }` and space is dropped.
    """
    bare = _CHARGE.sub("", _STARRED_CHARGE.sub(r"^{\1}", tex))
    compact = _MARKS.sub("", _fold(math_to_text(bare)).replace("∗", "*").replace("(*)", "*"))
    return list(dict.fromkeys(f for f in (compact, _ascii_greek(compact)) if f))


def plain_text(text: str) -> str:
    """`text` with its text-mode TeX decoded, each math span rendered by `math_to_text`, and Markdown emphasis
    marks removed outside math (`D_s^{**}` keeps its stars).

    `plain_text(r"{\\it Belle~II} at 0.48\\% and $B^0\\to K^{*0}\\mu^+\\mu^-$")` is
    `"Belle II at 0.48% and B^0→K^*0μ^+μ^-"`.
    """
    return "".join(math_to_text(p.text) if p.math else _EMPHASIS.sub("", p.text) for p in text_and_math(text))
