"""The site build: strict mkdocs-material over the real kb, escaping, offline assets, safe failure."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import KB, ROOT, HashingEncoder, make_record, write_jsonl
from hepqa.corpus import ingest
from hepqa.errors import AnswerError, HepqaError
from hepqa.kb import KnowledgeBase

HOSTILE_TITLE = '<script>alert("t")</script> {{ config.site_name }} {% raw %} $\\frac{1}{2$ **bold**'
HOSTILE_ABSTRACT = (
    'Power counting with <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">link</a>. '
    "A second sentence about naive dimensional analysis and two mass scales, with \u202eRTL\u202c and 🙂."
)


def test_real_build_has_every_answer_page(real_site: Path, real_kb: KnowledgeBase) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    for answer in real_kb.answers:
        page = real_site / "answers" / f"{answer.slug}.html"
        assert page.exists()
        assert f'href="answers/{answer.slug}.html"' in home
        html = page.read_text(encoding="utf-8")
        assert "Sources · " in html and "Keep exploring" in html and "not a peer review" in html
    assert (real_site / "about.html").exists()
    # Answers link to the worked examples that back them, and the examples link back.
    nda = (real_site / "answers" / "nda-competing-scales.html").read_text(encoding="utf-8")
    assert 'href="../examples/nda-competing-scales.html"' in nda
    example = (real_site / "examples" / "nda-competing-scales.html").read_text(encoding="utf-8")
    assert 'href="../answers/nda-competing-scales.html"' in example
    assert len(list(real_site.rglob("*.html"))) < 200  # noqa: PLR2004 - no page per corpus record (11k)


def test_topics_pages_place_every_answer_once(real_site: Path, real_kb: KnowledgeBase) -> None:
    """Every topic has a page with its representative papers; every answer sits in exactly one topic, the
    one most of its cited papers belong to."""
    topics = real_kb.topics()
    index = (real_site / "topics" / "index.html").read_text(encoding="utf-8")
    assert (real_site / "topics" / "map.png").stat().st_size > 50_000  # noqa: PLR2004 - a real scatter plot
    placed: dict[str, str] = {}
    for topic in topics.topics:
        page = (real_site / "topics" / f"{topic.slug}.html").read_text(encoding="utf-8")
        assert f'href="{topic.slug}.html"' in index
        assert all(f"arxiv.org/abs/{i}" in page for i in topic.representatives)
        article = page.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
        for slug in re.findall(r'href="\.\./answers/([\w-]+)\.html"', article):
            assert slug not in placed, f"{slug} on two topic pages"
            placed[slug] = topic.name
    assert set(placed) == {a.slug for a in real_kb.answers}
    row = {r.id: i for i, r in enumerate(real_kb.records)}
    by_name = {t.name: t.index for t in topics.topics}
    for item in real_kb.sources():
        labels = [topics.labels[row[s.record.id]] for s in item.cited]
        assert labels.count(by_name[placed[item.answer.slug]]) == max(labels.count(x) for x in labels)


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


def test_build_is_deterministic(build, real_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(KB, again)
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


def test_corpus_text_is_inert_in_the_built_page(build, hostile_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(hostile_kb, out)
    html = (out / "answers" / "nda-two-scales.html").read_text(encoding="utf-8")
    assert '<script>alert("t")' not in html and "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "{{ config.site_name }}" not in html and " config.site_name " in html  # TeX groups; not evaluated
    assert "<strong>bold</strong>" not in html
    assert "🙂" in html


def test_failed_build_leaves_previous_site_intact(build, tiny_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny_kb, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    answer = tiny_kb / "answers" / "nda-two-scales.yaml"
    answer.write_text(answer.read_text().replace("2601.00002", "2601.99999"))
    with pytest.raises(HepqaError, match=r"2601\.99999"):
        build(tiny_kb, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # staging cleaned up


def test_missing_node_assets_fail_with_the_fix(build, tiny_kb: Path, tmp_path: Path) -> None:
    with pytest.raises(HepqaError, match="npm ci"):
        build(tiny_kb, tmp_path / "site", node_modules=tmp_path / "nope")
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



class _TableText(HTMLParser):
    """The text of a page's sources and paper tables (`.hepqa-sources`), outside the math KaTeX renders."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, "math" | "table" | "")
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            classes = (dict(attrs).get("class") or "").split()
            kind = "math" if "arithmatex" in classes else "table" if "hepqa-sources" in classes else ""
            self.open.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        kinds = {kind for _, kind in self.open}
        if "table" in kinds and "math" not in kinds:
            self.chunks.append(data)


def test_corpus_text_on_pages_reads_as_text(real_site: Path) -> None:
    """Titles and best-matching sentences outside math show no text-mode TeX (KaTeX renders only math):
    `\\textit{di}-Higgs`, `Belle~II`, ``` ``inv'' ```, `de~Sitter` were on answer pages before."""
    shown = {}
    for page in sorted([*(real_site / "answers").glob("*.html"), *(real_site / "topics").glob("*.html")]):
        parser = _TableText()
        parser.feed(page.read_text(encoding="utf-8"))
        shown[page.relative_to(real_site).as_posix()] = " ".join(parser.chunks)
    markup = re.compile(r"\\[A-Za-z]+|\\[%&#~]|~|``|''|\$(?!\d)")
    assert {page: markup.findall(text) for page, text in shown.items() if markup.search(text)} == {}
    assert "di-Higgs" in shown["answers/higgs-self-coupling-hl-lhc-future.html"]
    assert "Belle II" in shown["answers/belle2-b-to-k-nu-nu-excess.html"]
    assert sum(len(text) for text in shown.values()) > 100_000  # noqa: PLR2004 - every table was read
