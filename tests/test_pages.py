"""Answer pages: the sources table's content checked against independent computations."""

from __future__ import annotations

import re

import markdown
import numpy as np
import pytest

from hepqa.corpus import split_sentences
from hepqa.embed import text_key
from hepqa.examples import ExamplePage
from hepqa.site._html import escape, text_with_math
from hepqa.site._pages import answer_page, examples_index


@pytest.fixture(scope="module")
def nda_sources(real_kb):
    return next(s for s in real_kb.sources() if s.answer.slug == "nda-competing-scales")


def test_sources_table_lists_every_citation_in_order(real_kb, nda_sources) -> None:
    page = answer_page(nda_sources, real_kb.sources())
    cited = nda_sources.answer.answer.citations
    assert f"## Sources · {len(cited)} {{ #sources }}" in page
    table = page.split("## Sources")[1].split("### Also relevant")[0]
    links = re.findall(r'<a href="https://arxiv.org/abs/([^"]+)">', table)
    assert links == cited
    for number in range(1, len(cited) + 1):
        assert f'<td id="src-{number}" data-search-exclude="true">{number} </td>' in table
        assert f'href="#src-{number}"' in page.split("## Sources")[0]  # inline citation links to its row


def test_similarity_is_the_question_record_cosine(real_kb, nda_sources, minilm) -> None:
    """Independent check: embed the expanded question and the records with the real model."""
    question = minilm.encode([nda_sources.question_text])[0]
    records = minilm.encode([f"{s.record.title}\n{s.record.abstract}" for s in nda_sources.cited])
    np.testing.assert_allclose([s.similarity for s in nda_sources.cited], records @ question, atol=2e-3)
    table = answer_page(nda_sources, real_kb.sources()).split("## Sources")[1].split("### Also relevant")[0]
    shown = [int(p) for p in re.findall(r'class="hepqa-sim"[^>]*>(\d+)% </td>', table)]
    assert len(shown) == len(nda_sources.cited)
    np.testing.assert_allclose(shown, 100 * (records @ question), atol=1.0)


def test_best_sentence_is_the_most_similar_sentence(nda_sources, minilm) -> None:
    question = minilm.encode([nda_sources.question_text])[0]
    for source in nda_sources.cited + nda_sources.also_relevant:
        sentences = split_sentences(source.record.abstract)
        assert source.sentence in sentences
        sims = minilm.encode(sentences) @ question
        assert sims[sentences.index(source.sentence)] >= sims.max() - 2e-3


def test_also_relevant_lists_uncited_top_ranked_papers(nda_sources) -> None:
    cited = set(nda_sources.answer.answer.citations)
    also = [s.record.id for s in nda_sources.also_relevant]
    assert also and not cited & set(also)
    ranked_uncited = [h.record.id for h in nda_sources.ranked if h.record.id not in cited]
    assert also == ranked_uncited[: len(also)]


def test_follow_ups_link_to_answered_questions(real_kb) -> None:
    sources = real_kb.sources()
    slugs = {s.answer.answer.question: s.answer.slug for s in sources}
    for item in sources:
        page = answer_page(item, sources)
        for question in item.answer.answer.follow_ups:
            if question in slugs:
                assert f"]({slugs[question]}.md)" in page
            else:
                assert "*(not answered yet)*" in page


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ('<a href="javascript:alert(1)">x</a>', "<a href"),
        ("$<b>bold</b>$ math", "<b>"),
    ],
)
def test_corpus_text_is_escaped(text: str, forbidden: str) -> None:
    out = text_with_math(text)
    assert forbidden not in out and "&lt;" in out


def test_math_is_wrapped_and_unbalanced_dollars_stay_literal() -> None:
    assert text_with_math(r"Top pairs $\mathrm{t\bar{t}}$ at 13 TeV") == (
        r'Top pairs <span class="arithmatex">\(\mathrm{t\bar{t}}\)</span> at 13 TeV'
    )
    assert text_with_math("costs $5 and more") == "costs $5 and more"
    assert escape("a\x00b\x1bc") == "abc"


def test_question_vectors_cover_every_answer(real_kb) -> None:
    store = real_kb.snippets()
    assert all(text_key(real_kb.question_text(a)) in store for a in real_kb.answers)


def test_example_summaries_stay_literal_text(real_kb, nda_sources) -> None:
    """A summary such as "(f, g*, m*)" must not turn into emphasis on the answer page or the examples index."""
    summary = "strong sector (f, g*, m*) with couplings run to m_b, and |c| = 1"
    example = ExamplePage(slug="x", title="A *title*", summary=summary, headline={"a": 1.0},
                          supports=[nda_sources.answer.slug])
    answered = real_kb.sources()
    page = answer_page(nda_sources, answered, [example])
    section = page.split("## Worked examples")[1].split("## Keep exploring")[0]
    index = examples_index([example], answered)
    for md in (section, index):
        html = markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html"])  # the engine mkdocs uses
        assert "<em>" not in html
        assert "(f, g*, m*) with couplings run to m_b, and |c| = 1" in html
        assert "A *title*" in html


def test_mathjax_unicode_becomes_its_character() -> None:
    """arXiv abstracts write dashes as `$\\unicode{x2014}$` (MathJax; KaTeX would show it raw): the character
    is shown as text, inside math it is substituted, and an invalid code point is left as it was."""
    from hepqa.site._html import text_with_math

    assert text_with_math(r"infrared$\unicode{x2014}$unitarity") == "infrared\u2014unitarity"
    assert text_with_math(r"$x$\unicode{x2013}$y$").count("arithmatex") == 2  # two spans, not merged
    assert "\\(a\u2013b\\)" in text_with_math(r"$a\unicode{x2013}b$")
    assert "\\unicode{xD800}" in text_with_math(r"$\unicode{xD800}$")
