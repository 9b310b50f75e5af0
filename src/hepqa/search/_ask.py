"""`hepqa ask`: the answered question closest to a question, when one is close enough; otherwise an
extractive digest of the best-ranked papers.

A curated answer is returned when the cosine between the (glossary-expanded) question and the closest stored
question is at least `ASK_THRESHOLD`. Its sources are assembled exactly as on its page. Otherwise the digest
lists the top-ranked papers, each with the abstract sentence most similar to the question (the sentence a
sources table shows), grouped by corpus topic (`kb/topics.json`), best group first. The digest is quotation,
not a written answer, and is labelled so.

`ASK_THRESHOLD` was measured with `scripts/calibrate_ask.py` on `tests/data/ask_questions.jsonl`: 64
paraphrases of the 32 curated questions (each labelled with its answer), 30 physics questions that no answer
addresses, and 15 questions from outside physics. A paraphrase counts as found when its own answer is
returned; precision is the share of returned answers that are the right one. The closest answers of
unanswered physics questions reach cosine 0.579, of off-topic ones 0.33; paraphrases have a median of 0.74
(re-measured 2026-12-04, after the glossary started adding acronyms to spelled-out terms).
At 0.60, precision is 0.965 (55 of 57) and recall 0.859, and no unanswered or off-topic question gets an
answer; 0.59 would reach the best F1 (0.918) with almost no margin to the closest unanswered question,
0.70 would keep precision at 1.000 but cut recall to 0.562.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hepqa.answers import AnswerSources, assemble_sources
from hepqa.answers._grounding import word_overlap
from hepqa.corpus import split_sentences
from hepqa.embed._static import StaticEncoder
from hepqa.kb import SENTENCE_DEPTH
from hepqa.search._engine import AnswerHit, PaperHit, Searcher, SearchResult

__all__ = ["ASK_THRESHOLD", "DIGEST_SOURCES", "STATIC_ASK_THRESHOLD", "AskResult", "DigestGroup", "DigestSource",
           "ask", "threshold_for"]

ASK_THRESHOLD = 0.60
"""Least query–question cosine at which an answered question is returned (see the module docstring)."""

STATIC_ASK_THRESHOLD = 0.65
"""The same for `--model static`, whose query vectors only approximate the full model's: measured the same
way (`scripts/calibrate_ask.py --model static`), 0.60 would answer 4 of the 45 questions no answer
addresses; at 0.65 none is (the closest reaches 0.632), with precision 0.98 and recall 0.80."""

DIGEST_SOURCES = 8
"""Papers quoted in a digest unless told otherwise."""

CLOSEST = 3
"""Answered questions listed as closest (with their similarity) in every result."""


@dataclass(frozen=True)
class DigestSource:
    """One quoted paper: its ranked hit, the best-matching abstract sentence, and that sentence's cosine with
    the question (`None` when chosen by word overlap, without the model)."""

    hit: PaperHit
    sentence: str
    sentence_cosine: float | None


@dataclass(frozen=True)
class DigestGroup:
    """The quoted papers of one corpus topic, best-ranked first."""

    topic: str
    sources: list[DigestSource]


@dataclass(frozen=True)
class AskResult:
    """The outcome of `ask`: `answer` (the matched answer's sources, as on its page) or `digest` (groups of
    quoted papers), never both; `closest` are the nearest answered questions either way; `named` and
    `unknown` the arXiv ids the question names that are and are not in the corpus (a question that names
    papers always gets the digest, its named papers first)."""

    question: str
    expanded: str
    threshold: float
    closest: list[AnswerHit]
    answer: AnswerSources | None
    digest: list[DigestGroup] | None
    named: list[str]
    unknown: list[str]

    @property
    def kind(self) -> str:
        """`"answer"` or `"extractive"`."""
        return "answer" if self.answer is not None else "extractive"


def threshold_for(searcher: Searcher) -> float:
    """`STATIC_ASK_THRESHOLD` when `searcher` embeds queries with the static model, else `ASK_THRESHOLD`."""
    return STATIC_ASK_THRESHOLD if isinstance(searcher.encoder, StaticEncoder) else ASK_THRESHOLD


def ask(searcher: Searcher, question: str, *, sources: int = DIGEST_SOURCES,
        threshold: float | None = None) -> AskResult:
    """Answer `question` from the knowledge base: a curated answer when one is close enough, else a digest.

    **Arguments:**
    - `searcher`: the loaded knowledge base.
    - `question`: free text.
    - `sources`: papers quoted in a digest.
    - `threshold`: least cosine between question and answered question (default `threshold_for(searcher)`).
      Without the model no cosine exists, so the result is always a digest.
    """
    threshold = threshold_for(searcher) if threshold is None else threshold
    result = searcher.search(question, k=sources, answers=CLOSEST)
    best = result.answers[0] if result.answers else None
    # a question that names papers by arXiv id asks about them: quote them rather than an answer near them
    if best is not None and best.cosine is not None and best.cosine >= threshold and not result.named:
        kb = searcher.kb
        index = kb.answers.index(best.answer)
        matched = assemble_sources(
            best.answer,
            question_text=searcher.question_texts[index],
            question_vector=searcher.question_vectors[index],
            records=kb.by_id,
            retriever=searcher.retriever,
            embed_sentences=searcher.embed_texts,
            depth=SENTENCE_DEPTH,
        )
        return AskResult(question, result.expanded, threshold, result.answers, matched, None, result.named,
                         result.unknown)
    return AskResult(question, result.expanded, threshold, result.answers, None, _digest(searcher, result),
                     result.named, result.unknown)


def _digest(searcher: Searcher, result: SearchResult) -> list[DigestGroup]:
    sentences = [split_sentences(hit.record.abstract) for hit in result.papers]
    if result.vector is None:
        picks = []
        for options in sentences:
            overlap = [word_overlap(result.expanded, s) for s in options]
            picks.append((options[int(np.argmax(overlap))], None))
    else:
        flat = [s for options in sentences for s in options]
        sims = searcher.embed_texts(flat) @ result.vector
        picks, start = [], 0
        for options in sentences:
            part = sims[start : start + len(options)]
            best = int(np.argmax(part))
            picks.append((options[best], float(part[best])))
            start += len(options)
    topics = searcher.kb.topics()
    row = {r.id: i for i, r in enumerate(searcher.kb.records)}
    groups: dict[int, list[DigestSource]] = {}
    for hit, (sentence, cosine) in zip(result.papers, picks, strict=True):
        groups.setdefault(topics.labels[row[hit.record.id]], []).append(DigestSource(hit, sentence, cosine))
    by_index = {t.index: t for t in topics.topics}
    return [DigestGroup(by_index[label].name, members) for label, members in groups.items()]
