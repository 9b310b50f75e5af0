"""Putting untrusted corpus text into pages: text-mode TeX decoded, then everything HTML-escaped; math spans
become KaTeX spans.

Corpus titles and abstracts are text from the whole world. They are only ever placed inside raw HTML
blocks of the generated Markdown, escaped with `html.escape`, so no tag, attribute, Markdown or template
syntax in them is ever interpreted. Their text-mode TeX (`Belle~II`, `\\textit{di}-Higgs`, `Ho\\v{r}ava`) is
decoded first (`hepqa.corpus._tex`; KaTeX renders only math), so a page shows the same text as the terminal,
and escaping comes after decoding, so nothing decoding produces is live either. Each math span (`$…$`,
`$$…$$`, `\\(…\\)`, `\\[…\\]`) is wrapped in the same inline `<span class="arithmatex">` element that
pymdownx.arithmatex produces, with its TeX escaped too; the browser-side KaTeX renderer reads the element's
text, so escaping never changes the math it sees.
"""

from __future__ import annotations

import html

from hepqa.corpus._tex import text_and_math

__all__ = ["escape", "text_with_math", "visible"]


def visible(text: str) -> str:
    """`text` without control characters other than tab and newline (C0, DEL and C1).

    Besides being unreadable, `\\x02`/`\\x03` are the placeholder delimiters of Python-Markdown's raw-HTML
    stash, so text carrying them could splice stashed HTML into a page.
    """
    return "".join(c for c in text if c in "\t\n" or ord(c) >= 0x20 and not 0x7F <= ord(c) < 0xA0)


def escape(text: str) -> str:
    """HTML-escape `text` (quotes included) and drop control characters other than tab and newline."""
    return html.escape(visible(text), quote=True)


def text_with_math(text: str) -> str:
    """Escaped HTML for corpus `text`, its text-mode TeX decoded and each math span an inline KaTeX span.

    An unpaired `$` before a digit is a dollar sign, any other is dropped; MathJax's `\\unicode{xHHHH}`
    becomes its character (the conventions of `hepqa.corpus._tex.text_and_math`).
    """
    return "".join(f'<span class="arithmatex">\\({escape(p.text)}\\)</span>' if p.math else escape(p.text)
                   for p in text_and_math(text))
