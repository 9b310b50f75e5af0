"""Hostile corpus text through ingest, page generation and a real site build: inert, readable, nothing lost.

The payloads (tests/hostile.py) carry HTML and JavaScript, Markdown and Jinja syntax, broken LaTeX, control
characters, right-to-left text, emoji and very long fields; hypothesis mixes them with arbitrary Unicode.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT, HashingEncoder, make_record, write_jsonl
from hostile import MARKER, PAYLOADS, audit, hostile_text
from hepqa.corpus import Record, ingest, load_corpus
from hepqa.corpus._names import plain_name
from hepqa.corpus._tex import text_and_math
from hepqa.errors import AnswerError, CorpusError
from hepqa.kb import KnowledgeBase
from hepqa.site._html import text_with_math, visible
from hepqa.site._pages import topic_page
from hepqa.topics import Topic

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and options of the site's mkdocs.yml."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    names = [e if isinstance(e, str) else next(iter(e)) for e in config]
    options = {next(iter(e)): next(iter(e.values())) for e in config if isinstance(e, dict)}
    return markdown.Markdown(extensions=names, extension_configs=options)


MD = _site_markdown()


def _plain(text: str) -> str:
    r"""Text as a reader sees it, up to how inline math is delimited (`$x$` in input, `\(x\)` on the page)."""
    return text.replace("\\(", "$").replace("\\)", "$")


def _meant(text: str) -> str:
    """Corpus `text` as it should read: text-mode TeX decoded (hepqa.corpus._tex), each formula as `$…$`."""
    return visible("".join(f"${p.text}$" if p.math else p.text for p in text_and_math(text)))


TEX_MARKUP = re.compile(r"[\\~{}$]|``|''|--")


@FAST
@given(hostile_text())
def test_text_with_math_is_inert_and_loses_nothing(text: str) -> None:
    """Escaping loses nothing of the decoded text, and text without TeX markup is shown exactly as typed."""
    out = audit(text_with_math(text))
    assert out.tags == [("span", ("class",))] * len(out.tags)  # only the math spans the function makes
    assert out.live == [] and out.scripts == []
    assert _plain(out.text) == _plain(_meant(text))
    if not TEX_MARKUP.search(text):
        assert out.text == visible(text)


def _record(n: int, title: str, abstract: str, category: str = "hep-ph") -> Record:
    return Record.model_validate(make_record(f"2601.{n:05d}", title, abstract, categories=[category]))


def _topic(name: str, ids: list[str]) -> Topic:
    return Topic(index=3, name=name, terms=[name, "b"], size=len(ids), representatives=ids, centroid=[1.0])


@FAST
@given(st.lists(st.tuples(hostile_text(), hostile_text(), hostile_text()), min_size=1, max_size=4), hostile_text())
def test_generated_page_has_the_same_structure_for_any_text(rows, name: str) -> None:
    """A topic page (table of corpus records, heading from a topic name) rendered with the site's Markdown
    extensions has the same elements and attributes as with plain text, apart from the math spans; every
    title is shown in full; nothing live appears."""
    records = [_record(n, title, abstract, category) for n, (title, abstract, category) in enumerate(rows, 1)]
    plain = [_record(n, "Plain title", "Plain abstract.") for n in range(1, len(rows) + 1)]
    hostile = audit(MD.reset().convert(topic_page(_topic(name, [r.id for r in records]), records, [])))
    benign = audit(MD.reset().convert(topic_page(_topic("plain", [r.id for r in plain]), plain, [])))
    assert hostile.live == [] and hostile.scripts == []
    structure = [t for t in hostile.tags if t != ("span", ("class",))]
    assert structure == [t for t in benign.tags if t != ("span", ("class",))]
    for record in records:
        assert _plain(_meant(record.title)) in _plain(hostile.text)
    assert " ".join(visible(name).split()) in hostile.text  # shown as typed, TeX included


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(hostile_text(), hostile_text(), st.booleans()), min_size=1, max_size=5))
def test_ingest_keeps_hostile_text_and_reports_every_bad_line(tmp_path_factory, rows) -> None:
    """Every line is either stored with its text intact (whitespace runs collapsed; author names with LaTeX
    commands decoded to Unicode) or reported by line: `--strict` refuses the whole input and writes nothing,
    the default keeps the valid records."""
    tmp = tmp_path_factory.mktemp("ingest")
    lines = [make_record(f"2601.{n:05d}", title if valid else " \t\n", abstract, authors=[title])
             for n, (title, abstract, valid) in enumerate(rows, 1)]
    source = write_jsonl(tmp / "in.jsonl", lines)
    bad = [n for n, (_, _, valid) in enumerate(rows, 1) if not valid]
    if bad:
        with pytest.raises(CorpusError) as info:
            ingest(tmp / "kb", [source], strict=True)
        assert [int(m) for m in re.findall(r"in\.jsonl:(\d+): title: ", str(info.value))] == bad
        assert not (tmp / "kb").exists()  # nothing written
    report = ingest(tmp / "kb", [source])
    assert [p.line for p in report.problems] == bad
    good = [row for row in rows if row[2]]
    stored = load_corpus(tmp / "kb") if good else []
    assert [r.title for r in stored] == [" ".join(t.split()) for t, _, _ in good]
    assert [r.abstract for r in stored] == [" ".join(a.split()) for _, a, _ in good]
    for record, (title, _, _) in zip(stored, good):
        expected = plain_name(title) if "\\" in title else " ".join(title.split())
        assert record.authors == [expected]


HOSTILE_QUESTION = "Can {{ config.site_name }} or {% raw %} &lt;script&gt; break a page \u202eHOSTILE\u202c 🙂?"
HOSTILE_FOLLOW_UP = "What about <b and { .evil } and [x](../y.md) HOSTILE?"
HOSTILE_ANSWER = "\n".join([
    f"question: {json.dumps(HOSTILE_QUESTION, ensure_ascii=False)}",
    "answered_by: " + json.dumps("editors {{ 7*7 }} \u05e9\u05dc\u05d5\u05dd", ensure_ascii=False),
    "date: 2026-12-02",
    "answer: |",
    "  Template syntax {{ 7*7 }} and {% if true %}x{% endif %} stays text, as does $\\frac{1}{2$ and a dollar $5",
    "  [arXiv:2601.00009]. An entity &lt;img src=x onerror=alert(1)&gt; shows as text [arXiv:2601.00001].",
    "  Every payload is cited, so each one lands in the sources table ["
    + "; ".join(f"arXiv:2601.{n:05d}" for n in range(1, len(PAYLOADS) + 1)) + "].",
    'why_it_matters: "HOSTILE **matters** {{ page.title }}"',
    "follow_ups:",
    f"  - {json.dumps(HOSTILE_FOLLOW_UP)}",
    "",
])
HOSTILE_GLOSSARY = "\n".join([
    "- term: NDA",
    f"  expansion: {json.dumps('naive {{ x }} HOSTILE')}",
    "  definition: " + json.dumps("Power counting $\\frac{1$ HOSTILE ] [ *[x]: y"),
    "",
])


@pytest.fixture(scope="module")
def hostile_site(build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny knowledge base with a record per payload, all cited by a hostile (but valid) answer, built."""
    tmp = tmp_path_factory.mktemp("hostile")
    kb = tmp / "kb"
    (kb / "answers").mkdir(parents=True)
    records = [make_record(f"2601.{n:05d}", payload, f"Naive dimensional analysis. {payload} Two mass scales.",
                           authors=[payload], categories=[f"hep-ph {payload}"[:60]])
               for n, payload in enumerate(PAYLOADS, start=1)]
    ingest(kb, [write_jsonl(tmp / "in.jsonl", records)])
    (kb / "answers" / "hostile.yaml").write_text(HOSTILE_ANSWER, encoding="utf-8")
    (kb / "glossary.yaml").write_text(HOSTILE_GLOSSARY, encoding="utf-8")
    KnowledgeBase.load(kb).embed(HashingEncoder(), show_progress=False)
    out = tmp / "site"
    build(kb, out)
    return out


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_nothing_live_comes_from_data(hostile_site: Path) -> None:
    """No page of the built site has an event handler, a script URL, or a script element carrying data."""
    pages = _pages(hostile_site)
    assert "answers/hostile.html" in pages and any(k.startswith("topics/") for k in pages)
    for name, html_text in pages.items():
        page = audit(html_text)
        assert page.live == [], name
        for attrs, body in page.scripts:
            assert MARKER not in body and MARKER not in str(attrs), name
            assert attrs.get("src") is None or not re.match(r"(https?:)?//", attrs["src"] or ""), name


def test_hostile_text_is_shown_literally(hostile_site: Path) -> None:
    page = audit((hostile_site / "answers" / "hostile.html").read_text(encoding="utf-8"))
    shown = page.text
    assert f"<script>alert('{MARKER}')</script>" in shown  # as text, for the reader to see
    assert "{{ config.site_name }}" in shown and "{% raw %}" in shown and "{{ 7*7 }}" in shown  # never run
    assert "49" not in shown.split("Template syntax", 1)[1][:40]
    assert "&lt;script&gt;" in shown  # the question's entity text is shown as typed, not turned into a tag
    assert "{ .evil }" in shown and "🙂" in shown and "\u202e" in shown
    assert "wzxhzdk" in shown and "\x02" not in shown  # control characters dropped, the rest kept
    assert "A" * 5000 in shown  # a very long title is not cut


def test_search_index_holds_escaped_text(hostile_site: Path) -> None:
    """The search UI renders index entries as HTML, so data must sit there escaped."""
    index = (hostile_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert MARKER in index
    assert "<script>alert" not in index and "<img src=x" not in index and "<svg" not in index


def test_an_answer_with_raw_html_fails_the_build_and_names_it(build, hostile_site: Path, tmp_path: Path) -> None:
    kb = hostile_site.parent / "kb"
    bad = kb / "answers" / "raw-html.yaml"
    bad.write_text(HOSTILE_ANSWER.replace("stays text", "<script>alert(1)</script>")
                   .replace(HOSTILE_QUESTION, "Another question here?"), encoding="utf-8")
    before = _pages(hostile_site)
    try:
        with pytest.raises(AnswerError, match=rf"{re.escape(str(bad))}:4: answer: raw HTML is not allowed"):
            build(kb, hostile_site)
    finally:
        bad.unlink()
    assert _pages(hostile_site) == before
