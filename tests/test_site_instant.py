"""The instant semantic tier in headless Chromium from file://, no network: the page's static-model
ranking equals the Python `StaticEncoder` ranking of the same rows (its query vector against the stored
full-model document vectors, the query glossary-expanded first), and it shows while the reader types."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpers import offline_page

from hepqa.embed._static import StaticEncoder
from hepqa.kb import KnowledgeBase
from hepqa.retrieve import expand_query, has_words, split_ids
from hepqa.site._semantic import document_rows, instant_scores, quantized_documents

# Written for this test, not taken from kb/ (answers' questions or corpus titles).
QUERIES = (
    "constraints on axion dark matter from haloscopes",
    "How is the top quark mass measured at hadron colliders?",
    "gravitational waves from cosmic strings",
    "NDA estimate of a dipole operator in SMEFT",  # two glossary terms: expanded before embedding
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


def python_top(real_kb: KnowledgeBase, static: StaticEncoder, query: str, k: int) -> list[str]:
    rows, _ = document_rows(real_kb)
    scores = instant_scores(real_kb, static, expand_query(query, real_kb.glossary))
    return [rows[i][1] for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES)
def test_instant_ranking_matches_python(instant_page, real_kb: KnowledgeBase, static: StaticEncoder,
                                        query: str) -> None:
    page, requests = instant_page
    vector = np.array(page.evaluate("q => Array.from(hepqaInstant.embed(q))", query))
    np.testing.assert_allclose(vector, static.encode([query])[0], atol=1e-5)
    hits = page.evaluate("q => hepqaInstant.search(q, 5)", query)
    assert [h["id"] for h in hits] == python_top(real_kb, static, query, 5)
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []


@pytest.mark.browser
@pytest.mark.slow
def test_results_show_as_the_reader_types(instant_page, real_kb: KnowledgeBase, static: StaticEncoder) -> None:
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
    assert shown[:5] == python_top(real_kb, static, query, 5)
    assert len(shown) == 10  # noqa: PLR2004
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []


def test_instant_asset_holds_the_table_and_the_page_loads_the_document_vectors(
        real_site: Path, static: StaticEncoder) -> None:
    text = (real_site / "assets" / "semantic" / "instant.js").read_text(encoding="utf-8")
    payload = json.loads(text.removeprefix("window.HEPQA_INSTANT = ").removesuffix(";\n"))
    assert payload["dim"] == static.dim == 384 and payload["model"] == static.model  # noqa: PLR2004
    assert "rows" not in payload and "vectors" not in payload  # it ranks the exact tier's vectors.js
    html = (real_site / "semantic-search.html").read_text(encoding="utf-8")
    order = [html.index(f'src="assets/{name}"') for name in
             ("semantic/vectors.js", "semantic/instant.js", "javascripts/semantic-shared.js",
              "javascripts/instant-search.js", "javascripts/semantic-search.js")]
    assert order == sorted(order)


@pytest.mark.browser
@pytest.mark.slow
def test_glossary_expansion_matches_python(instant_page, real_kb: KnowledgeBase) -> None:
    """The page expands queries as `hepqa.retrieve.expand_query` does: every term alone, in a sentence, in
    lower case, glued to a hyphen or a letter, after its expansion, and two terms together."""
    page, _ = instant_page
    cases = ["", "NDA", "nda", "NDA-like", "xNDA", "naive dimensional analysis and NDA", "SMEFT and NDA",
             "Λ_NDA from 4π f", "NDA\u00e9", "ÉNDA", "b→sμμ anomalies", "B->K*mumu", "B+ -> K+ nu nubar",
             "Is B+→K+νν̄ new physics?", "(α_s)", "R(D*) and b→cτν", "'μ'", "?!", "NDA for b→sμμ", "0νββ  decay",
             "\u03bc\u0305x", "ΔF=2 mixing and Λ_QCD", "→", "a->", "🙂μ🙂", "DeltaF2 mixing", "(ΔF)",
             "a\ufeff->b", "a\x85->b", "μ\x1cx", "\x1f\u0304μ", "μ\tν", "b→sμμ ($b\\to s\\mu \\mu$) twice",
             "(g-2)_μ hadronic", "muon g−2", "g‐2 and g–2", "(NDA) and [SMEFT]^2", "R(D*)_SM", "a_μ\ufeff_x",
             "Standard Model effective field theory", "(naive dimensional analysis)", "NDA (naive …"]
    for entry in real_kb.glossary:
        cases += [entry.term, f"What does {entry.term} mean?", entry.term.lower(), f"{entry.term}-based",
                  f"{entry.expansion} ({entry.term})"]
        cases += [f"Is {form} new?" for form in [entry.expansion, *entry.aliases, *entry.related]]
    got = page.evaluate("ts => ts.map(t => hepqaShared.expand(t))", cases)
    want = [expand_query(c, real_kb.glossary) for c in cases]
    assert [(c, g) for c, g, w in zip(cases, got, want, strict=True) if g != w] == []


@pytest.mark.browser
@pytest.mark.slow
def test_arxiv_ids_are_read_as_python_reads_them(instant_page) -> None:
    page, _ = instant_page
    cases = ["2603.15801", "arXiv:2603.15801v2 muon g-2", "ARXIV:2603.15801", "https://arxiv.org/abs/2603.15801v3",
             "http://www.arxiv.org/pdf/2603.15801.pdf", "hep-th/0703182 and hep-ph/9207278v1", "math.AG/0601001",
             "see (2603.15801), then 2603.15801.", "1234.5", "12345.67890", "2603.158012", "v2603.15801",
             "x/2603.15801", "é2603.15801", "2603.15801é", "arXiv 2603.15801", "arxiv  :  2603.15801", "", "?!",
             "  2603.15801  NDA  ", "B→K*μμ at 13.6 TeV", "\u200b2603.15801", "arXivtools 2603.15801",
             "arXiv:2603.15801 [hep-ex]", "https://arxiv.org/abs/2603.15801?context=hep-ph", "HEP-TH/9711200",
             "math.ag/0601001v2", "10.48550/arXiv.2603.15801", "mass 2603.1580 MeV", "1103.01234", "0713.1234",
             "2603.15801.5", "https://arxiv.org/abs/2603.15801/ and 0704.0449"]
    got = page.evaluate("ts => ts.map(t => { const r = hepqaShared.splitIds(t);"
                        " return [r.ids, r.rest, hepqaShared.hasWords(r.rest)]; })", cases)
    want = [[split_ids(c).ids, split_ids(c).rest, has_words(split_ids(c).rest)] for c in cases]
    assert [(c, g) for c, g, w in zip(cases, got, want, strict=True) if g != w] == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_paper_named_by_id_comes_first(instant_page, real_kb: KnowledgeBase, static: StaticEncoder) -> None:
    """Alone, the id ranks the rows closest to its paper's stored vector, as `hepqa search` does; with words,
    the paper comes first and the rest are closest to it and to the words; an id not in the corpus is said to
    be missing."""
    page, _ = instant_page
    rows, vectors = document_rows(real_kb)
    row = next(i for i, r in enumerate(rows) if r[1] == "2603.15801")
    closest = [rows[i][1] for i in np.argsort(-(vectors @ vectors[row]), kind="stable")[:6]]
    hits = page.evaluate("q => hepqaInstant.search(q, 6)", "arXiv:2603.15801v1")
    assert hits[0]["id"] == closest[0] == "2603.15801" and hits[0]["score"] == pytest.approx(1, abs=0.01)
    assert {h["id"] for h in hits[:6]} == set(closest)
    # with words, the query is the unit sum of the paper's vector (as the page holds it: int8) and the words'
    both = page.evaluate("q => hepqaInstant.search(q, 4).map(h => h.id)", "2603.15801 axion haloscopes")
    _, quantized, scales = quantized_documents(real_kb)
    near = quantized[row].astype(np.float32) * scales
    query = near / np.linalg.norm(near) + static.encode([expand_query("axion haloscopes", real_kb.glossary)])[0]
    scores = quantized.astype(np.float32) @ (query / np.linalg.norm(query) * scales)
    expected = [rows[i][1] for i in np.argsort(-scores, kind="stable") if i != row][:3]
    assert both == ["2603.15801", *expected]
    assert page.evaluate("q => hepqaInstant.search(q, 5)", "arXiv:9912.99999") == []
    page.fill("#hepqa-semantic-input", "")
    page.click("#hepqa-semantic-input")
    page.keyboard.type("9912.99999 axion", delay=5)
    page.wait_for_function(
        "() => document.getElementById('hepqa-semantic-status').textContent"
        ".startsWith('arXiv:9912.99999 not in this knowledge base.')", timeout=15000)


def test_a_static_model_for_another_vocabulary_or_model_is_left_out(real_kb: KnowledgeBase, monkeypatch) -> None:
    """The page tokenizes with the installed model's vocab.txt and ranks that model's stored vectors: a static
    model trained with another vocabulary or for another model is not used, and the build says why."""
    from hepqa.embed._model import model_dir  # noqa: PLC0415
    from hepqa.site import _semantic  # noqa: PLC0415

    vocab = (model_dir() / "vocab.txt").read_text(encoding="utf-8")
    assert _semantic._static_encoder(real_kb, vocab)[1] is None
    encoder, reason = _semantic._static_encoder(real_kb, vocab + "extra\n")
    assert encoder is None and "another vocabulary" in reason and "train_static_model.py" in reason
    monkeypatch.setattr("hepqa.embed.model_id", lambda: "another/model@1")
    encoder, reason = _semantic._static_encoder(real_kb, vocab)
    assert encoder is None and "not the model of the stored vectors" in reason


@pytest.mark.browser
@pytest.mark.slow
def test_clearing_the_box_clears_results_and_status(instant_page) -> None:
    page, _ = instant_page
    page.fill("#hepqa-semantic-input", "axion haloscopes")
    page.wait_for_selector("#hepqa-semantic-results li.hepqa-semantic-hit", timeout=15000)
    page.fill("#hepqa-semantic-input", "")
    page.wait_for_function(
        """() => document.getElementById('hepqa-semantic-results').children.length === 0
                 && document.getElementById('hepqa-semantic-status').textContent === ''
                 && !('tier' in document.getElementById('hepqa-semantic-results').dataset)""",
        timeout=15000)


@pytest.mark.browser
@pytest.mark.slow
def test_the_status_line_says_why_nothing_is_listed(instant_page) -> None:
    page, _ = instant_page
    status = "t => document.getElementById('hepqa-semantic-status').textContent === t"
    page.fill("#hepqa-semantic-input", "?!")
    page.wait_for_function(status, arg="Nothing to search for: type a word or an arXiv id.", timeout=15000)
    page.fill("#hepqa-semantic-input", "arXiv:9912.99999")
    page.wait_for_function(status, arg="arXiv:9912.99999 not in this knowledge base. Nothing found.", timeout=15000)
    assert page.eval_on_selector("#hepqa-semantic-results", "l => l.children.length") == 0
