"""What authored text in `kb/` specs may contain: Markdown and TeX, but nothing that becomes live HTML.

Answers, the glossary and worked-example specs are rendered as Markdown by mkdocs, and Python-Markdown
passes raw HTML through and does not sanitise link targets or attribute lists. So a spec string may not hold
raw HTML (a tag, comment or declaration), an attribute list that sets an event handler, a URL or a style,
or a link whose target is neither a page of the site nor arXiv or a DOI resolver. Checked when the spec is
loaded, so the error names the file, line and field instead of the page silently running the text.

Written here rather than taken from a sanitiser package: the rules are about Markdown source (which no HTML
sanitiser reads) and are three patterns long.
"""

from __future__ import annotations

import html
import re

__all__ = ["ALLOWED_LINK_PREFIXES", "markup_problem"]

ALLOWED_LINK_PREFIXES = ("https://arxiv.org/", "https://doi.org/")
"""The only external link targets authored text (and the site) may use."""

# Python-Markdown's inline HTML: "<" then a letter, "/", "!" or "?", up to the next ">" with no "<" or ">"
# in between. "<" in math such as $M_\nu<0.049$ or $v < f$ is not matched.
_RAW_HTML = re.compile(r"<[A-Za-z/!?][^<>]*>")
# `{: …}` is always an attribute list; `{ … }` on one line is one when it sets a handler, URL or style (LaTeX
# groups such as {x=1} or \frac{1}{2} are not matched).
_ATTR_LIST = re.compile(r"\{:|\{[^{}\n]*\b(?:on[a-z]+|href|src|style|formaction)\s*=[^{}\n]*\}", re.IGNORECASE)
# Targets of inline links and images `[text](target)` and of reference definitions `[id]: target`.
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)>]*)|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S*)", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:|^//")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside URLs ("java\tscript:")


def markup_problem(text: str) -> str | None:
    """Why `text` may not be rendered as authored Markdown, or `None` when it is fine."""
    if match := _RAW_HTML.search(text):
        return f"raw HTML is not allowed, found {match.group()[:40]!r} (write &lt; for a literal '<')"
    if match := _ATTR_LIST.search(text):
        return f"Markdown attribute lists that set handlers, URLs or styles are not allowed, found {match.group()!r}"
    for match in _LINK_TARGET.finditer(text):
        # Python-Markdown keeps entities in href, and the browser decodes them ("&#106;avascript:").
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        target = _INVISIBLE.sub("", html.unescape(raw))
        if _SCHEME.match(target) and not target.startswith(ALLOWED_LINK_PREFIXES):
            allowed = " or ".join(ALLOWED_LINK_PREFIXES)
            return f"links must go to a page of the site, {allowed}, got {target[:60]!r}"
    return None
