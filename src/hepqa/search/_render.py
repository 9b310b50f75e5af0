"""Printing search and ask results: plain text for a terminal, or JSON-ready dicts (`--json`).

Similarities are percentages, the same quantity as the site's sources tables (cosine × 100, clipped at 0):
text output rounds them to whole percents as the site does; JSON gives one decimal plus the raw cosine.
Titles, sentences and answers are shown as plain text: math as Unicode (`hepqa.search._mathtext`).
"""

from __future__ import annotations

import re
import textwrap

from hepqa.answers import Source
from hepqa.retrieve import similarity
from hepqa.search._ask import AskResult
from hepqa.search._engine import AnswerHit, PaperHit, SearchResult
from hepqa.search._mathtext import plain_text

__all__ = ["ask_json", "ask_text", "search_json", "search_text"]

EXTRACTIVE_LABEL = (
    "Extractive digest: sentences quoted from the abstracts of the best-ranked papers, grouped by topic. "
    "It is not a written answer; read the papers before relying on it."
)
_WIDTH = 100
_LIST_ITEM = re.compile(r"(?:^|\n)\s*([-*+]|\d+[.)])\s+")


def _pct(value: float | None) -> str:
    return "  —" if value is None else f"{value:3.0f}%"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _answer_json(hit: AnswerHit) -> dict[str, object]:
    return {"rank": hit.rank, "slug": hit.answer.slug, "question": hit.answer.answer.question, "page": hit.page,
            "similarity": _round(hit.similarity, 1), "cosine": _round(hit.cosine, 4), "bm25": round(hit.bm25, 3)}


def _paper_json(hit: PaperHit) -> dict[str, object]:
    r = hit.record
    return {"rank": hit.rank, "id": r.id, "title": plain_text(r.title), "category": r.category, "date": r.date,
            "url": r.url, "similarity": _round(hit.similarity, 1), "cosine": _round(hit.cosine, 4),
            "bm25": round(hit.bm25, 3), "score": round(hit.score, 4)}


def search_json(result: SearchResult, *, model: str | None, notice: str | None) -> dict[str, object]:
    """The `hepqa search --json` object."""
    return {"query": result.query, "expanded_query": result.expanded, "model": model, "ranker": result.ranker,
            "notice": notice, "named_ids": result.named, "unknown_ids": result.unknown,
            "answers": [_answer_json(h) for h in result.answers],
            "papers": [_paper_json(h) for h in result.papers]}


def _answer_line(hit: AnswerHit) -> str:
    return f"  {_pct(hit.similarity)}  {hit.answer.answer.question}\n        {hit.page}"


def search_text(result: SearchResult) -> str:
    """The `hepqa search` listing: closest answered questions, then ranked papers."""
    lexical = result.ranker == "bm25"
    lines = []
    if result.answers or not result.papers:
        lines.append("Answered questions (BM25 ranking, no similarity without the model):" if lexical
                     else "Answered questions (similarity of query and question):")
        lines += [_answer_line(h) for h in result.answers] or ["  (none)"]
    if result.named:
        alone = result.ranker == "dense"
        lines.append(f"Papers (the {_papers(len(result.named))} named in the query first, then "
                     + ("the closest to them; similarity to the named):" if alone
                        else "BM25 ranking of the words, no similarity without the model):" if lexical
                        else "the closest to them and to the words; similarity to both):"))
    else:
        lines.append("Papers (BM25 ranking, no similarity without the model):" if lexical
                     else "Papers (dense + BM25 ranking; similarity of query and paper):")
    for hit in result.papers:
        r = hit.record
        lines.append(f"  {hit.rank:>2}. {_pct(hit.similarity)}  arXiv:{r.id}  {r.category}  {r.date}  "
                     f"{plain_text(r.title)}")
    if not result.papers:
        lines.append("  (none)")
    lines += [f"Not in this knowledge base: {_ids(result.unknown)}"] if result.unknown else []
    return "\n".join(lines)


def _ids(ids: list[str]) -> str:
    return ", ".join(f"arXiv:{i}" for i in ids)


def _papers(n: int) -> str:
    return "paper" if n == 1 else f"{n} papers"


def _source_json(source: Source) -> dict[str, object]:
    r = source.record
    return {"number": source.number, "id": r.id, "title": plain_text(r.title), "url": r.url,
            "similarity": round(similarity(source.similarity), 1),
            "cosine": round(source.similarity, 4), "sentence": plain_text(source.sentence)}


def ask_json(result: AskResult, *, model: str | None, notice: str | None) -> dict[str, object]:
    """The `hepqa ask --json` object: `kind` is `"answer"` (with `answer`) or `"extractive"` (with `digest`)."""
    out: dict[str, object] = {
        "kind": result.kind, "question": result.question, "expanded_query": result.expanded, "model": model,
        "notice": notice, "threshold": result.threshold, "named_ids": result.named, "unknown_ids": result.unknown,
        "closest": [_answer_json(h) for h in result.closest],
    }
    if result.answer is not None:
        a = result.answer.answer
        out["answer"] = {
            "slug": a.slug, "question": a.answer.question, "page": f"answers/{a.slug}.html",
            "answered_by": a.answer.answered_by, "date": a.answer.date.isoformat(),
            "text": plain_text(a.answer.answer).strip(),
            "sources": [_source_json(s) for s in result.answer.cited],
        }
    if result.digest is not None:
        out["digest"] = {
            "label": EXTRACTIVE_LABEL,
            "groups": [
                {"topic": g.topic, "sources": [
                    {**_paper_json(s.hit), "sentence": plain_text(s.sentence),
                     "sentence_similarity": _round(None if s.sentence_cosine is None
                                                   else similarity(s.sentence_cosine), 1)}
                    for s in g.sources]}
                for g in result.digest
            ],
        }
    return out


def _wrap(text: str, indent: str = "") -> str:
    """Paragraphs (blank-line separated) filled to `_WIDTH`, broken at spaces only (never inside
    `a_μ^(LO-HVP)`); Markdown list items keep their own lines."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        items = _LIST_ITEM.split(block)
        lines = [textwrap.fill(" ".join(items[0].split()), _WIDTH, initial_indent=indent,
                               subsequent_indent=indent, break_on_hyphens=False)] if items[0].strip() else []
        lines += [textwrap.fill(" ".join(f"{mark} {body}".split()), _WIDTH, initial_indent=indent,
                                subsequent_indent=indent + " " * (len(mark) + 1), break_on_hyphens=False)
                  for mark, body in zip(items[1::2], items[2::2], strict=True)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def ask_text(result: AskResult) -> str:
    """The `hepqa ask` output: the matched answer with its sources, or the labelled extractive digest."""
    lines = [f"Not in this knowledge base: {_ids(result.unknown)}", ""] if result.unknown else []
    if result.answer is not None:
        a = result.answer.answer
        best = result.closest[0]
        lines += [f"Answered question ({_pct(best.similarity).strip()} similar): {a.answer.question}",
                  f"Page: {best.page}   (answered by {a.answer.answered_by}, {a.answer.date.isoformat()})", "",
                  _wrap(plain_text(a.answer.answer)), "", f"Sources · {len(result.answer.cited)}:"]
        for s in result.answer.cited:
            lines.append(f"  [{s.number}] {_pct(similarity(s.similarity))}  "
                         f"arXiv:{s.record.id}  {plain_text(s.record.title)}")
        others = [h for h in result.closest[1:] if h.cosine is not None and h.cosine >= result.threshold]
        if others:
            lines += ["", "Also close:"] + [_answer_line(h) for h in others]
        return "\n".join(lines)
    closest = result.closest[0] if result.closest else None
    if result.named:
        # a question that names papers by arXiv id is answered by quoting them (hepqa.search._ask)
        lines.append(f"The question names {_ids(result.named)}: quoted first.")
    elif closest is not None and closest.cosine is not None:
        lines.append(f"No answered question is close enough (closest: {_pct(closest.similarity).strip()}, "
                     f"needs {result.threshold * 100:.0f}%): {closest.answer.answer.question} ({closest.page})")
    if not result.digest:
        lines.append("Nothing to quote.")
        return "\n".join(lines)
    lines += [_wrap(EXTRACTIVE_LABEL), ""]
    for group in result.digest or []:
        lines.append(f"Topic: {group.topic}")
        for s in group.sources:
            r = s.hit.record
            lines.append(f"  [arXiv:{r.id}] {_pct(s.hit.similarity).strip()}  {plain_text(r.title)}")
            lines.append(_wrap(f"“{plain_text(s.sentence)}”", "      "))
        lines.append("")
    return "\n".join(lines).rstrip()
