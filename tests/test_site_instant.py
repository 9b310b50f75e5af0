"""The instant semantic tier in headless Chromium from file://, no network: the page's static-model
ranking equals the Python `StaticEncoder` ranking of the same rows, and it shows while the reader types."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpers import offline_page

from hepqa.embed._static import StaticEncoder
from hepqa.kb import KnowledgeBase
from hepqa.site._semantic import document_rows, instant_scores

# Written for this test, not taken from kb/ (answers' questions or corpus titles).
QUERIES = (
    "constraints on axion dark matter from haloscopes",
    "How is the top quark mass measured at hadron colliders?",
    "gravitational waves from cosmic strings",
)


@pytest.fixture(scope="module")
def instant_page(real_site: Path, browser):
    """The semantic search page with the instant tier ready, networking off; and every URL it requested."""
    with offline_page(browser) as page:
        page.goto((real_site / "semantic-search.html").as_uri())
        page.evaluate("() => hepqaInstant.ready()")
        yield page, page.requests


@pytest.fixture(scope="module")
def static(real_kb: KnowledgeBase) -> StaticEncoder:
    return StaticEncoder(real_kb.root)


def python_top(real_kb: KnowledgeBase, static: StaticEncoder, query: str, cache: Path, k: int) -> list[str]:
    rows, _ = document_rows(real_kb)
    scores = instant_scores(real_kb, static, query, cache)
    return [rows[i][1] for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES)
def test_instant_ranking_matches_python(instant_page, real_kb: KnowledgeBase, static: StaticEncoder,
                                        build_cache: Path, query: str) -> None:
    page, requests = instant_page
    vector = np.array(page.evaluate("q => Array.from(hepqaInstant.embed(q))", query))
    np.testing.assert_allclose(vector, static.encode([query])[0], atol=1e-5)
    hits = page.evaluate("q => hepqaInstant.search(q, 5)", query)
    assert [h["id"] for h in hits] == python_top(real_kb, static, query, build_cache, 5)
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []


@pytest.mark.browser
@pytest.mark.slow
def test_results_show_as_the_reader_types(instant_page, real_kb: KnowledgeBase, static: StaticEncoder,
                                          build_cache: Path) -> None:
    """Typed key by key, the list shows the instant tier's ranking of the text typed so far (before the
    exact tier, which loads on the first query, replaces it)."""
    page, requests = instant_page
    query = QUERIES[0]
    page.click("#hepqa-semantic-input")
    page.keyboard.type(query, delay=5)
    shown = page.wait_for_function(
        """q => { const l = document.getElementById('hepqa-semantic-results');
                  return l.dataset.tier === 'instant' && document.getElementById('hepqa-semantic-input').value === q
                    && Array.from(l.querySelectorAll('li.hepqa-semantic-hit'), e => e.dataset.id); }""",
        arg=query, polling="raf", timeout=15000).json_value()
    assert shown[:5] == python_top(real_kb, static, query, build_cache, 5)
    assert len(shown) == 10  # noqa: PLR2004
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []


def test_instant_asset_holds_every_row(real_site: Path, real_kb: KnowledgeBase, static: StaticEncoder) -> None:
    text = (real_site / "assets" / "semantic" / "instant.js").read_text(encoding="utf-8")
    payload = json.loads(text.removeprefix("window.HEPQA_INSTANT = ").removesuffix(";\n"))
    assert payload["rows"] == [list(r) for r in document_rows(real_kb)[0]]
    assert payload["dim"] == static.dim and payload["model"] == static.model
    html = (real_site / "semantic-search.html").read_text(encoding="utf-8")
    assert "assets/javascripts/instant-search.js" in html and "assets/semantic/instant.js" in html
