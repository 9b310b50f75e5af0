"""Markdown for the generated pages: one page per answer, the answers index and the home page.

Layout of an answer page (GUIDE §3): the question as title; a provenance line; the answer with inline
citations linking to their source rows; "Why this matters"; **Sources · N** (similarity, category, title,
arXiv id, date, best-matching abstract sentence); "Also relevant" (top-ranked papers the answer does not
cite); **Keep exploring** (follow-up questions, linked when answered); a research-aid note.

Authored answer text is Markdown and is rendered as such; every string that comes from the corpus goes
through `hepqa.site._html` (text-mode TeX decoded, then escaped) and sits inside raw HTML blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hepqa.answers import AnswerSources, Source
from hepqa.answers._schema import CITATION
from hepqa.corpus import Record, normalise_arxiv_id
from hepqa.examples import ExamplePage
from hepqa.retrieve import GlossaryEntry, similarity
from hepqa.topics import Topic
from hepqa.site._html import escape, text_with_math, visible

__all__ = [
    "answer_page",
    "answers_index",
    "examples_index",
    "glossary_page",
    "home_page",
    "search_quality_page",
    "similarity_percent",
    "topic_page",
    "topics_index",
    "with_tooltips",
]

RESEARCH_AID = (
    "This page is a research aid generated from arXiv abstracts; it is not a peer review. "
    "Read and verify the sources before citing them."
)


def similarity_percent(cosine: float) -> str:
    """The similarity shown to readers: the question–record cosine as a whole percentage (clipped at 0)."""
    return f"{similarity(cosine):.0f}%"


def _slug_of_question(answers: Sequence[AnswerSources]) -> dict[str, str]:
    return {a.answer.answer.question.strip().lower(): a.answer.slug for a in answers}


def _cite_links(markdown: str, sources: Sequence[Source]) -> str:
    number = {s.record.id: s.number for s in sources}

    def link(match: re.Match[str]) -> str:
        ids = [normalise_arxiv_id(p.strip().removeprefix("arXiv:").strip())
               for p in re.split(r"[;,]", match.group(1))]
        anchors = [
            f'<a class="hepqa-cite" href="#src-{number[i]}" title="arXiv:{i}">'
            f"{number[i]}</a>"
            for i in ids
        ]
        return f'<sup class="hepqa-cites">[{", ".join(anchors)}]</sup>'

    return CITATION.sub(link, markdown)


def _arxiv_link(record: Record) -> str:
    return f'<a href="{escape(record.url)}">{escape(record.id)}</a>'


# Cells the lexical search skips (mkdocs-material's search plugin leaves out elements carrying this attribute,
# then strips it from the page): headers, ranks, similarities, categories and dates would otherwise flatten
# into the result snippet ("#SimilarityCategory… 1 51% hep-ph"). Titles, sentences and arXiv ids stay
# indexed, so a search for a paper finds the pages that list it, and the snippet reads "title “sentence” id".
_UNSEARCHED = ' data-search-exclude="true"'


def _sources_table(rows: Sequence[Source], *, numbered: bool) -> str:
    head = "<th>#</th>" if numbered else "<th>Rank</th>"
    lines = [
        '<div class="hepqa-sources" markdown="0">',
        "<table>",
        f"<thead{_UNSEARCHED}><tr>{head}<th>Similarity</th><th>Category</th>"
        "<th>Title and best-matching sentence</th><th>arXiv</th><th>Date</th></tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        first = (f'<td id="src-{row.number}"{_UNSEARCHED}>{row.number} </td>' if numbered
                 else f"<td{_UNSEARCHED}>{row.rank if row.rank is not None else '—'} </td>")
        # One cell per line with a trailing space: the search indexer strips tags without adding
        # whitespace, so adjacent cells would otherwise fuse into one token ("2511.234102025-11").
        cells = [
            first,
            f'<td class="hepqa-sim" title="cosine {row.similarity:.3f}"{_UNSEARCHED}>'
            f"{similarity_percent(row.similarity)} </td>",
            f"<td{_UNSEARCHED}>{escape(row.record.category)} </td>",
            f'<td><span class="hepqa-title">{text_with_math(row.record.title)} </span>'
            f'<span class="hepqa-sentence">“{text_with_math(row.sentence)}” </span></td>',
            f"<td>{_arxiv_link(row.record)} </td>",
            f"<td{_UNSEARCHED}>{escape(row.record.date)} </td>",
        ]
        lines += ["<tr>", *cells, "</tr>"]
    lines += ["</tbody>", "</table>", "</div>"]
    return "\n".join(lines)


def _md_text(text: str) -> str:
    """One-line text (questions, titles, topic terms) shown literally in a Markdown heading or link label.

    Markdown punctuation is backslash-escaped; `{`/`}` too, so a trailing `{: onclick=… }` can never become an
    attribute list, and `$`, so TeX is shown as typed (escaping inside math would garble it). `&` and `<` are
    written as entities, because Python-Markdown has no backslash escape for `<` (`\\<` would show the
    backslash and still start inline HTML). Whitespace runs (newlines included) become one space, so the text
    stays on its line; control characters are dropped.
    """
    escaped = re.sub(r"([\\`*_\[\]{}>#|$])", r"\\\1", " ".join(visible(text).split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


def answer_page(
    item: AnswerSources, answered: Sequence[AnswerSources], examples: Sequence[ExamplePage] = ()
) -> str:
    """Markdown of the page for one answer (written to `answers/<slug>.md`).

    `examples` are the worked examples; those whose `supports` name this answer are linked.
    """
    answer = item.answer.answer
    slugs = _slug_of_question(answered)
    parts = [
        "---",
        "hide: [navigation]",  # the sources table needs the width; the table of contents stays
        "---",
        "",
        f"# {_md_text(answer.question)}",
        "",
        f'<p class="hepqa-provenance">Answered by {escape(answer.answered_by)} · {answer.date.isoformat()} · '
        f"{len(item.cited)} cited source{'s' if len(item.cited) != 1 else ''}</p>",
        "",
        _cite_links(answer.answer.strip(), item.cited),
        "",
    ]
    if answer.why_it_matters:
        parts += ["## Why this matters", "", answer.why_it_matters.strip(), ""]
    parts += [
        f"## Sources · {len(item.cited)} {{ #sources }}",
        "",
        "Similarity is the cosine between the question and the paper's title and abstract "
        "([how it is computed](../about.md#similarity)).",
        "",
        _sources_table(item.cited, numbered=True),
        "",
    ]
    if item.also_relevant:
        parts += [
            "### Also relevant { #also-relevant }",
            "",
            "Top-ranked papers for this question that the answer does not cite.",
            "",
            _sources_table(item.also_relevant, numbered=False),
            "",
        ]
    backing = [e for e in examples if item.answer.slug in e.supports]
    if backing:
        parts += ["## Worked examples", "", "Computed with the hepqa EFT core when the site is built:", ""]
        parts += [f"- [{_md_text(e.title)}](../examples/{e.slug}.md) — {_md_text(e.summary)}" for e in backing]
        parts.append("")
    if answer.follow_ups:
        parts += ["## Keep exploring", ""]
        for question in answer.follow_ups:
            slug = slugs.get(question.strip().lower())
            label = _md_text(question)
            parts.append(f"- [{label}]({slug}.md)" if slug else f"- {label} *(not answered yet)*")
        parts.append("")
    parts += [f'<p class="hepqa-aid">{RESEARCH_AID}</p>', ""]
    return "\n".join(parts)


def answers_index(answered: Sequence[AnswerSources]) -> str:
    """Markdown of `answers/index.md`: every answered question, newest first, then alphabetical."""
    ordered = sorted(answered, key=lambda a: (-a.answer.answer.date.toordinal(), a.answer.answer.question))
    lines = ["# Answered questions", "", f"{len(ordered)} questions, each answered from cited preprints.", ""]
    lines += [
        f"- [{_md_text(a.answer.answer.question)}]({a.answer.slug}.md) — "
        f"{len(a.cited)} sources · {a.answer.answer.date.isoformat()}"
        for a in ordered
    ]
    return "\n".join(lines) + "\n"


def examples_index(examples: Sequence[ExamplePage], answered: Sequence[AnswerSources]) -> str:
    """Markdown of `examples/index.md`: each worked example with its summary and the answers it backs."""
    questions = {a.answer.slug: a.answer.answer.question for a in answered}
    lines = ["# Worked examples", "", "Coefficient estimates computed with the `hepqa.eft` JAX core every time "
             "the site is built; each page lists its inputs with their sources, the steps, tables and plots.", ""]
    for example in examples:
        lines += [f"## [{_md_text(example.title)}]({example.slug}.md)", "", _md_text(example.summary), ""]
        backs = [f"[{_md_text(questions[s])}](../answers/{s}.md)" for s in example.supports if s in questions]
        if backs:
            lines += [f"Backs: {'; '.join(backs)}", ""]
    return "\n".join(lines)


def search_quality_page(report: dict[str, object] | None) -> str:
    """Markdown of `search-quality.md` from `kb/eval/retrieval.json` (written by scripts/bench_retrieval.py)."""
    if report is None:
        return ("# How good is the search?\n\nNot measured for this knowledge base yet: run "
                "`python scripts/bench_retrieval.py --json kb/eval/retrieval.json`, then rebuild.\n")
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = report["results"]  # type: ignore[assignment]
    names = {"titles": "(a) title → own abstract", "questions": "(b) research questions",
             "acronyms": "(c) acronym queries"}
    lines = [
        "# How good is the search?",
        "",
        f"Every sources table rests on retrieval over the {report['records']:,} corpus records. The rankers "
        "were compared on three evaluation sets (in `tests/data/`): **(a)** each record's title must retrieve "
        "its own record; **(b)** research questions in the field's own words, with the papers that answer "
        "them judged by reading abstracts; **(c)** acronym queries. The default ranker, "
        f"**{report['default_ranker']}**, is the one these numbers pick: it mixes min-max-normalised dense "
        "(all-MiniLM-L6-v2 cosine) and BM25 scores with equal weight.",
        "",
        "R@k is recall at k (share of relevant papers in the top k), MRR the mean reciprocal rank of the first "
        "relevant paper, nDCG@10 the normalised discounted cumulative gain. *glossary* rows expand acronyms "
        "from the glossary first, as the site does.",
        "",
    ]
    for set_name, by_query in results.items():
        lines += [f"## {names.get(set_name, set_name)}", "", "| query | ranker | n | R@1 | R@10 | MRR | nDCG@10 |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for query, rankers in by_query.items():
            for ranker, m in rankers.items():
                mark = " **(default)**" if query == "glossary" and ranker == report["default_ranker"] else ""
                lines.append(f"| {query} | {ranker}{mark} | {m['n']} | {m['recall@1']:.3f} | {m['recall@10']:.3f} "
                             f"| {m['MRR']:.3f} | {m['nDCG@10']:.3f} |")
        lines.append("")
    similarity = report.get("similarity", {})
    bands = similarity.get("questions", {}).get("precision_by_cosine_band") if isinstance(similarity, dict) else None
    if bands:
        lines += ["## What a similarity percentage means", "",
                  "Share of top-10 papers that answer a set (b) question, by the similarity shown on pages:", "",
                  "| similarity | answering | not answering | share answering |", "|---|---:|---:|---:|"]
        for band, row in bands.items():
            lines.append(f"| {band} | {row['relevant']} | {row['non_relevant']} | {row['precision']:.0%} |")
        lines.append("")
    return "\n".join(lines)


def home_page(answered: Sequence[AnswerSources], records: Sequence[Record]) -> str:
    """Markdown of the home page: what the site is, the answered questions, and corpus figures."""
    dates = sorted(r.date for r in records)
    categories: dict[str, int] = {}
    for record in records:
        for category in {c.split(".")[0] for c in record.categories if c.startswith("hep-")}:
            categories[category] = categories.get(category, 0) + 1
    cats = ", ".join(f"{n:,} {_md_text(c)}" for c, n in sorted(categories.items()))  # corpus text
    ordered = sorted(answered, key=lambda a: a.answer.answer.question)
    lines = [
        "# hepqa",
        "",
        "Questions about particle physics answered from real arXiv preprints, each claim cited to a paper "
        "whose abstract supports it, with the retrieved sources and their similarity scores shown.",
        "",
        "## Answered questions",
        "",
    ]
    lines += [f"- [{_md_text(a.answer.answer.question)}](answers/{a.answer.slug}.md)" for a in ordered]
    lines += [
        "",
        "## The corpus",
        "",
        f"{len(records):,} preprints (arXiv metadata: title, authors, abstract, categories), submitted "
        f"{dates[0][:7]} to {dates[-1][:7]}; by archive: {cats}. "
        "See [how this site works](about.md) for how sources are retrieved and scored, and the "
        "[glossary](glossary.md) for the field's acronyms.",
        "",
        f'<p class="hepqa-aid">{RESEARCH_AID}</p>',
        "",
    ]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("]", ")").replace("[", "(")


def with_tooltips(markdown: str, glossary: Sequence[GlossaryEntry]) -> str:
    """Append Markdown abbreviation definitions (`*[NDA]: …`) for glossary terms used in `markdown`.

    The `abbr` extension then marks every mention in the page's prose with a tooltip; corpus text in raw
    HTML tables is not touched.
    """
    defs = [
        f"*[{_one_line(e.term)}]: {_one_line(e.expansion)} — {_one_line(e.definition)}"
        for e in glossary
        if re.search(rf"(?<![\w-]){re.escape(e.term)}(?![\w-])", markdown)
    ]
    return markdown if not defs else markdown.rstrip("\n") + "\n\n" + "\n".join(defs) + "\n"


def glossary_page(glossary: Sequence[GlossaryEntry]) -> str:
    """Markdown of `glossary.md`: every term with its expansion, definition and aliases."""
    lines = ["# Glossary", "", "Acronyms and terms of the field. Questions are expanded with these before "
             "retrieval, so an acronym finds papers that spell it out.", ""]
    for entry in sorted(glossary, key=lambda e: e.term.lower()):
        anchor = re.sub(r"[^a-z0-9]+", "-", entry.term.lower()).strip("-") or "term"
        lines += [f"## {_md_text(entry.term)} {{ #{anchor} }}", "", f"**{_md_text(entry.expansion)}**. "
                  f"{entry.definition.strip()}", ""]
        if entry.aliases:
            lines += [f"*Also:* {', '.join(_md_text(a) for a in entry.aliases)}", ""]
    return "\n".join(lines)


def _record_rows(records: Sequence[Record]) -> str:
    lines = ['<div class="hepqa-sources" markdown="0">', "<table>",
             f"<thead{_UNSEARCHED}><tr><th>Category</th><th>Title</th><th>arXiv</th><th>Date</th></tr>",
             "</thead>", "<tbody>"]
    for record in records:
        lines += ["<tr>", f"<td{_UNSEARCHED}>{escape(record.category)} </td>",
                  f'<td><span class="hepqa-title">{text_with_math(record.title)} </span></td>',
                  f"<td>{_arxiv_link(record)} </td>", f"<td{_UNSEARCHED}>{escape(record.date)} </td>",
                  "</tr>"]
    lines += ["</tbody>", "</table>", "</div>"]
    return "\n".join(lines)


def topics_index(topics: Sequence[Topic], members: dict[int, list[AnswerSources]], numbers: dict[str, int]) -> str:
    """Markdown of `topics/index.md`: the corpus map and every topic with its size and answers."""
    lines = ["# Topics", "", "The corpus clustered by its abstract embeddings (k-means), each topic named by "
             "its most distinctive terms. On the map every dot is a paper; a star marks an answered question, "
             "placed at the mean position of the papers it cites.", "",
             "![Map of the corpus, coloured by topic](map.png)", "", "| # | topic | papers | answered questions |",
             "|---:|---|---:|---|"]
    for topic in topics:
        answered = ", ".join(f"[Q{numbers[a.answer.slug]}](../answers/{a.answer.slug}.md)"
                             for a in members.get(topic.index, []))
        lines.append(f"| {topic.index} | [{_md_text(topic.name)}]({topic.slug}.md) | {topic.size:,} | {answered} |")
    lines += ["", "## Answered questions", "", "Each question is placed in the topic most of its cited papers "
              "belong to.", ""]
    lines += [f"{numbers[a.answer.slug]}. [{_md_text(a.answer.answer.question)}](../answers/{a.answer.slug}.md)"
              for a in sorted((a for group in members.values() for a in group), key=lambda a: numbers[a.answer.slug])]
    lines.append("")
    return "\n".join(lines)


def topic_page(topic: Topic, representatives: Sequence[Record], answered: Sequence[AnswerSources]) -> str:
    """Markdown of one topic page: its terms, the papers closest to its centre, and its answers."""
    lines = [f"# Topic {topic.index}: {_md_text(topic.name)}", "",
             f"{topic.size:,} papers. Distinctive terms: {', '.join(_md_text(t) for t in topic.terms)}. "
             "See [all topics and the corpus map](index.md).", ""]
    if answered:
        lines += ["## Answered questions", ""]
        lines += [f"- [{_md_text(a.answer.answer.question)}](../answers/{a.answer.slug}.md)" for a in answered]
        lines.append("")
    lines += ["## Representative papers", "", "The papers closest to the topic's centre.", "",
              _record_rows(representatives), ""]
    return "\n".join(lines)
