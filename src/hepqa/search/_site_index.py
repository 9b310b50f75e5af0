"""The built site's lexical search index, cleaned of LaTeX: run by `hepqa build` after mkdocs.

mkdocs-material's search plugin indexes each page section's text as it is in the HTML, so math shows in
result snippets as raw TeX (`\\(B^0\\to K^{*0}\\mu^+\\mu^-\\)`). This rewrites `search/search_index.json`, and the
`search/search_index.js` copy the offline plugin makes of it for `file://`, so that:

- every math span of a title or text reads as Unicode (`B^0→K^*0μ^+μ^-`, `hepqa.search._mathtext`). Text-mode
  TeX of corpus text (`\\textit{di}`, `Belle~II`) is decoded earlier, when the pages are written
  (`hepqa.site._html`), so the index gets it as the pages show it;
- each section gets a `math` field holding the compact spellings of its formulas (`B→K*μμ`,
  `B->K*mumu`), declared in the index configuration as a searched field. Material's search worker
  indexes every configured field but shows only title and text, so the spellings a reader types match
  without appearing in snippets.

Serialisation follows the plugin's own (compact separators), so the same site gives the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from hepqa.errors import SiteBuildError
from hepqa.search._mathtext import MATH_SPAN, math_to_text, search_forms

__all__ = ["MATH_BOOST", "MATH_FIELD", "clean_search_index"]

MATH_FIELD = "math"
"""The index field holding the compact spellings of a section's formulas."""

MATH_BOOST = 200.0
"""Weight of a match in `MATH_FIELD` (titles weigh 1000, text 1). Chosen by running Material's own search
worker over the built index for 18 probe queries (formulas typed in Unicode and ASCII, `g-2`, arXiv ids,
words): 150–300 puts the expected page first for `g-2`, `B→K*μμ` and `b→sμμ` and third for the ASCII
`B->K*mumu` (the query parser always adds a bare `b`, which titles match 1000-fold); 30 or less lets
topic pages outrank the g-2 answer for `g-2`, 400 or more lets formulas outrank words."""

_OFFLINE_PREFIX = "var __index = "


def _clean(text: str, forms: list[str]) -> str:
    def render(match: re.Match[str]) -> str:
        tex = html.unescape(next(g for g in match.groups() if g is not None))
        forms.extend(search_forms(tex))
        return html.escape(math_to_text(tex), quote=False)

    return MATH_SPAN.sub(render, text)


def clean_search_index(site: Path) -> int:
    """Rewrite the search index of the built site in `site`; returns how many sections held math.

    A site without a search index (search plugin off) is left alone.

    **Raises:** `SiteBuildError` when the index or its offline copy is not in the format the plugins write.
    """
    path = site / "search" / "search_index.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = data["config"].get("fields")
    if not isinstance(fields, dict) or not {"title", "text"} <= fields.keys():
        msg = f"{path}: config.fields must declare the title and text fields, got {fields!r}"
        raise SiteBuildError(msg)
    with_math = 0
    for doc in data["docs"]:
        forms: list[str] = []
        for key in ("title", "text"):
            doc[key] = _clean(doc[key], forms)
        if forms:
            doc[MATH_FIELD] = html.escape(" ".join(dict.fromkeys(forms)), quote=False)
            with_math += 1
    fields[MATH_FIELD] = {"boost": MATH_BOOST}
    payload = json.dumps(data, separators=(",", ":"))
    path.write_text(payload, encoding="utf-8")
    offline = path.with_suffix(".js")
    if offline.exists():
        if not offline.read_text(encoding="utf-8").startswith(_OFFLINE_PREFIX):
            msg = f"{offline} must start with {_OFFLINE_PREFIX!r} (the offline plugin's format); the format changed"
            raise SiteBuildError(msg)
        offline.write_text(_OFFLINE_PREFIX + payload, encoding="utf-8")
    return with_math
