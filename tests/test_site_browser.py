"""The built site as a reader sees it: headless Chromium opens it from file:// with networking off.

Covers ../shared/cases/search-from-file-url.md: search initialises from disk, finds words and arXiv ids,
and no request leaves the machine. Needs Debian's chromium (scripts/dev.sh test installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import KB
from hepqa.answers import load_answers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


def _search(page, query: str) -> list[str]:
    page.click("input.md-search__input")
    page.keyboard.type(query, delay=20)
    page.wait_for_function(
        "() => /matching|No matching/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15000,
    )
    page.wait_for_timeout(300)  # results render just after the count
    return page.eval_on_selector_all("li.md-search-result__item > a", "els => els.map(e => e.href)")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("dimensional analysis", "nda-competing-scales.html"), ("2511.23410", "nda-competing-scales.html")],
)
def test_search_from_file_url(site: Path, page, query: str, expected: str) -> None:
    page.goto((site / "index.html").as_uri())
    hits = _search(page, query)
    assert any(h.split("?")[0].endswith(expected) for h in hits), hits
    outside = [u for u in page.requests if not u.startswith(("file://", "data:", "blob:"))]
    assert outside == []


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [("g-2", "muon-g-2-hadronic-contributions-status.html", 1),
     ("b→sμμ", "b-to-s-ll-charm-loops-vs-new-physics.html", 1),
     # lunr trims non-ASCII letters off both ends of every token, in the index and in the query, so this
     # searches for "b→k*": the B→K νν̄ page competes with the B→K*μμ one.
     ("B→K*μμ", "b-to-s-ll-charm-loops-vs-new-physics.html", 2)],
)
def test_physics_terms_find_their_page_on_top_with_readable_snippets(site: Path, page, query: str, expected: str,
                                                                      within: int) -> None:
    """The separator and the math field of the index (hepqa.search._site_index) at work in the real search box."""
    page.goto((site / "index.html").as_uri())
    hits = _search(page, query)
    pages = list(dict.fromkeys(h.split("?")[0].split("#")[0] for h in hits))
    assert any(p.endswith(expected) for p in pages[:within]), pages[:5]
    snippets = page.eval_on_selector_all("li.md-search-result__item", "els => els.map(e => e.innerText)")
    assert not [s for s in snippets if "\\(" in s or "\\frac" in s or "$" in s]


def test_answer_page_renders_math_and_citations(site: Path, page) -> None:
    page.goto((site / "answers" / "nda-competing-scales.html").as_uri())
    page.wait_for_selector(".katex", timeout=10000)
    assert page.locator(".katex-display").count() >= 1
    assert page.locator(".hepqa-math-error").count() == 0
    page.click("a.hepqa-cite >> nth=0")
    assert page.url.endswith("#src-1")
    rows = page.locator(".hepqa-sources").first.locator("tbody tr")
    nda = next(a for a in load_answers(KB) if a.slug == "nda-competing-scales")
    assert rows.count() == len(nda.answer.citations) >= 3
