"""The site build: strict mkdocs-material over the real kb, escaping, offline assets, safe failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import KB, ROOT, HashingEncoder, make_record, write_jsonl
from hepqa.corpus import ingest
from hepqa.errors import AnswerError, HepqaError
from hepqa.kb import KnowledgeBase
from hepqa.site import build_site

HOSTILE_TITLE = '<script>alert("t")</script> {{ config.site_name }} {% raw %} $\\frac{1}{2$ **bold**'
HOSTILE_ABSTRACT = (
    'Power counting with <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">link</a>. '
    "A second sentence about naive dimensional analysis and two mass scales, with \u202eRTL\u202c and 🙂."
)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    build_site(KB, out, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules")
    return out


def test_real_build_has_every_answer_page(real_site: Path, real_kb: KnowledgeBase) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    for answer in real_kb.answers:
        page = real_site / "answers" / f"{answer.slug}.html"
        assert page.exists()
        assert f'href="answers/{answer.slug}.html"' in home
        html = page.read_text(encoding="utf-8")
        assert "Sources · " in html and "Keep exploring" in html and "not a peer review" in html
    assert (real_site / "about.html").exists()
    assert len(list(real_site.rglob("*.html"))) < 50  # no page per corpus record


def test_real_build_needs_no_network(real_site: Path) -> None:
    """Scripts, stylesheets and fonts are all local; search works from file:// (inlined index + shim)."""
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", url), f"{page.name} loads {url}"
    assert (real_site / "search" / "search_index.js").exists()
    assert (real_site / "assets" / "javascripts" / "iframe-worker-shim.js").exists()
    assert list((real_site / "assets" / "katex" / "fonts").glob("*.woff2"))
    assert "fonts.googleapis" not in (real_site / "index.html").read_text(encoding="utf-8")


def test_build_is_deterministic(real_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(KB, again, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules")
    first = {p.relative_to(real_site): p.read_bytes() for p in real_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


@pytest.fixture
def hostile_kb(tiny_kb: Path, tmp_path: Path) -> Path:
    bad = make_record("2601.00009", HOSTILE_TITLE, HOSTILE_ABSTRACT)
    ingest(tiny_kb, [write_jsonl(tmp_path / "hostile.jsonl", [bad])])
    answer = tiny_kb / "answers" / "nda-two-scales.yaml"
    answer.write_text(answer.read_text().replace("[arXiv:2601.00001]", "[arXiv:2601.00001; arXiv:2601.00009]"))
    KnowledgeBase.load(tiny_kb).embed(HashingEncoder(), show_progress=False)
    return tiny_kb


def test_corpus_text_is_inert_in_the_built_page(hostile_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(hostile_kb, out, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules")
    html = (out / "answers" / "nda-two-scales.html").read_text(encoding="utf-8")
    assert '<script>alert("t")' not in html and "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "{{ config.site_name }}" in html  # shown literally, never evaluated
    assert "<strong>bold</strong>" not in html
    assert "🙂" in html


def test_failed_build_leaves_previous_site_intact(tiny_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(tiny_kb, out, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    answer = tiny_kb / "answers" / "nda-two-scales.yaml"
    answer.write_text(answer.read_text().replace("2601.00002", "2601.99999"))
    with pytest.raises(HepqaError, match=r"2601\.99999"):
        build_site(tiny_kb, out, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # staging cleaned up


def test_missing_node_assets_fail_with_the_fix(tiny_kb: Path, tmp_path: Path) -> None:
    with pytest.raises(HepqaError, match="npm ci"):
        build_site(tiny_kb, tmp_path / "site", config_file=ROOT / "mkdocs.yml", node_modules=tmp_path / "nope")
    assert not (tmp_path / "site").exists()


def test_invalid_answer_yaml_names_file_line_and_field(tiny_kb: Path) -> None:
    path = tiny_kb / "answers" / "broken.yaml"
    path.write_text('question: "Is this long enough?"\nanswered_by: x\ndate: not-a-date\nanswer: short\n')
    with pytest.raises(AnswerError) as info:
        KnowledgeBase.load(tiny_kb)
    message = str(info.value)
    assert f"{path}:3: date:" in message and f"{path}:4: answer:" in message


def test_authored_docs_are_copied_not_modified(real_site: Path) -> None:
    assert "What the similarity percentage means" in (real_site / "about.html").read_text(encoding="utf-8")
    assert not (ROOT / "docs" / "answers").exists()  # generated pages never land in docs/

