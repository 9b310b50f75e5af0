"""Putting untrusted corpus text into pages: everything is HTML-escaped; `$…$` math becomes KaTeX spans.

Corpus titles and abstracts are text from the whole world. They are only ever placed inside raw HTML
blocks of the generated Markdown, escaped with `html.escape`, so no tag, attribute, Markdown or template
syntax in them is ever interpreted. Balanced inline math (`$…$`) is wrapped in the same
`<span class="arithmatex">` element that pymdownx.arithmatex produces, with its TeX escaped too; the
browser-side KaTeX renderer reads the element's text, so escaping never changes the math it sees.
"""

from __future__ import annotations

import html
import re

__all__ = ["escape", "text_with_math", "visible"]

_MATH = re.compile(r"\$([^$\n]{1,300}?)\$")
# MathJax's `\unicode{x2014}` (arXiv abstracts use it for dashes); KaTeX has no such command.
_UNICODE = re.compile(r"\\unicode\{x([0-9A-Fa-f]{1,6})\}")


def _unicode_char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)


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
    """Escaped HTML for `text`, with each balanced `$…$` as an inline KaTeX span.

    An unbalanced `$` is left as a literal dollar sign; MathJax's `\\unicode{xHHHH}` becomes its character.
    """
    text = _UNICODE.sub(_unicode_char, text)
    out, last = [], 0
    for match in _MATH.finditer(text):
        out.append(escape(text[last : match.start()]))
        tex = match.group(1)
        if len(tex) == 1 and not tex.isascii():  # `$—$`: one symbol, shown as text
            out.append(escape(tex))
        else:
            out.append(f'<span class="arithmatex">\\({escape(tex)}\\)</span>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)
