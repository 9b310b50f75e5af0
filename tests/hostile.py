"""Hostile text for the input-safety tests, and an HTML audit of what pages made from it contain."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import strategies as st

MARKER = "HOSTILE"
"""Every payload carries this word, so anything live that it produced can be traced back to data."""

PAYLOADS = [
    f"<script>alert('{MARKER}')</script>",
    f'<img src=x onerror="alert(\'{MARKER}\')">',
    f'<a href="javascript:alert(\'{MARKER}\')">{MARKER} link</a>',
    f"[{MARKER} md link](javascript:alert(1))",
    f"<javascript:alert('{MARKER}')>",
    f"<svg onload=alert('{MARKER}')>",
    f"<!-- {MARKER} --><style>body{{display:none}}</style>",
    f"{{{{ config.site_name }}}} {MARKER} {{% raw %}}{{% include 'x' %}}",
    f"{MARKER} heading {{: onclick=\"alert(1)\" }}",
    f"{MARKER} {{ #id .cls onmouseover=alert(1) }}",
    f"**{MARKER} bold** _em_ `code` # not a heading | pipe",
    r"$\frac{1}{2$ unbalanced $$ and \left( braces } { $x^{2}$",
    r"$\href{javascript:alert(1)}{HOSTILE}$",
    f"{MARKER} \x00\x01\x02wzxhzdk:0\x03\x07\x1b[31m\x7f\x85 controls",
    f"\u202e{MARKER} right-to-left override\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    f"{MARKER} emoji 🙂🧪👩🏽‍🔬 and ZWJ\u200d and BOM\ufeff",
    f"{MARKER} entity &lt;script&gt; &#106;avascript:alert(1) &amp;",
    "A" * 5000 + f" {MARKER} very long",
]

_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])  # any valid Unicode scalar, controls too


def hostile_text(min_size: int = 1) -> st.SearchStrategy[str]:
    """Payloads and arbitrary Unicode, concatenated; always contains a non-space character."""
    piece = st.one_of(st.sampled_from(PAYLOADS), st.text(_ALPHABET, max_size=40))
    return st.lists(piece, min_size=min_size, max_size=4).map(" ".join).map(lambda t: f"{t} {MARKER}")


_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class Audit(HTMLParser):
    """Parses HTML and records every tag (with its attribute names), text, and anything live.

    `live` lists event-handler attributes and script-like URLs; `scripts` every script element (attributes,
    body); `text` is the decoded character data outside scripts (what a reader sees).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.live: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.chunks: list[str] = []
        self._in_script = False

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value!r}>")
            target = _INVISIBLE.sub("", value or "").lower()
            if name in _URL_ATTRS and target.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._in_script = True
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.chunks.append(data)


def audit(html_text: str) -> Audit:
    """An `Audit` of `html_text`."""
    parser = Audit()
    parser.feed(html_text)
    parser.close()
    return parser
