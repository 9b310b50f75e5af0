"""Physics notation typed in Unicode, also written as TeX for retrieval: "b→sμμ" → "b→sμμ ($b \\to s \\mu \\mu$)".

Abstracts write their notation in TeX (`$b\\to s\\mu^+\\mu^-$`), and the stored vectors were made from that
text; all-MiniLM-L6-v2 places a query written with Unicode arrows and Greek letters far from it. Measured on
the corpus: "b→sμμ anomalies" ranks five papers on quantum anomalies first, "b→sμμ ($b \\to s \\mu \\mu$)
anomalies" five on b→sμμ. So `expand_query` appends the TeX spelling of every word that carries such
notation, as it appends glossary expansions.

A word is notation when it contains an arrow, a Greek letter, ℓ, ±, ∓ or a prime (′), or "->" between two characters
(`B->K*mumu`; a free-standing "->" is left alone). `NOTATION_TEX` maps each such character to its TeX
macro; a combining macron, overline or tilde after a character (ν̄) becomes `\\bar{…}` / `\\tilde{…}`.
Written here because no library converts Unicode math back to TeX for this purpose; the browser applies the
same table (exported by the site build) with the same rule.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NOTATION_TEX", "COMBINING_TEX", "notation_tex"]


def _greek() -> dict[str, str]:
    letters = {}
    for code in range(0x391, 0x3CA):
        name = unicodedata.name(chr(code), "")
        if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")) and " WITH " not in name:
            word = name.rsplit(" ", 1)[1].lower().replace("lamda", "lambda")
            letters[chr(code)] = "\\" + (word.capitalize() if "CAPITAL" in name else word)
    return letters


NOTATION_TEX: dict[str, str] = {
    **_greek(), "µ": "\\mu", "ℓ": "\\ell", "→": "\\to", "←": "\\leftarrow", "↔": "\\leftrightarrow",
    "±": "\\pm", "∓": "\\mp", "′": "\\prime",
}
"""TeX macro of each notation character (Greek letters as `\\mu`, `\\Lambda`; `\\Alpha`-like names for the
capitals TeX writes as Latin letters are harmless for retrieval)."""

COMBINING_TEX = {"\u0304": "bar", "\u0305": "bar", "\u0303": "tilde"}
"""Combining marks written as TeX accents on the character before them."""

# Whitespace is ASCII's here, as in the browser's copy of this rule (Python and JavaScript disagree on
# U+001C-U+001F, U+0085 and U+FEFF).
_INNER_ARROW = re.compile(r"(?<=[^ \t\n\r\f\v])->(?=[^ \t\n\r\f\v])")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_EDGE = "?!.,;:\"'"  # punctuation around a word that is not part of it (brackets can be: R(D*))


def _word_tex(word: str) -> str:
    chars = list(_INNER_ARROW.sub("→", word))
    out: list[str] = []
    for i, c in enumerate(chars):
        if c in COMBINING_TEX:
            continue
        tex = NOTATION_TEX.get(c, c) + (" " if c in NOTATION_TEX else "")
        if i + 1 < len(chars) and chars[i + 1] in COMBINING_TEX:
            tex = f"\\{COMBINING_TEX[chars[i + 1]]}{{{tex.rstrip(' ')}}} "
        out.append(tex)
    return " ".join(x for x in _SPACES.split("".join(out)) if x)


def _core(word: str) -> str:
    """`word` without the punctuation around it, and without an opening or closing bracket that the word
    does not close or open ("(ΔF" inside a glossary expansion, but R(D*) whole)."""
    core = word.strip(_EDGE)
    if core.startswith("(") and core.count("(") > core.count(")"):
        core = core[1:]
    if core.endswith(")") and core.count(")") > core.count("("):
        core = core[:-1]
    return core


def notation_tex(query: str) -> str:
    """`query` with `($TeX$)` after every word that carries Unicode notation (the query itself when none).

    Deterministic and idempotent: a word already followed by a `($…$)` span is left as it is.
    """
    words = query.split(" ")
    for i, word in enumerate(words):
        core = _core(word)
        spelled = i + 1 < len(words) and words[i + 1].startswith("($")
        if core and not spelled and (any(c in NOTATION_TEX for c in core) or _INNER_ARROW.search(core)):
            at = word.index(core) + len(core)
            words[i] = f"{word[:at]} (${_word_tex(core)}$){word[at:]}"
    return " ".join(words)
