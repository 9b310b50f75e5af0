"""The sources of an answer: its cited records and the best retrieved records it does not cite.

For each source the page shows the dense similarity between the question and the record (cosine of
all-MiniLM-L6-v2 vectors, as a percentage) and the abstract sentence most similar to the question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from hepqa.answers._load import LoadedAnswer
from hepqa.corpus import Record, split_sentences
from hepqa.errors import AnswerError
from hepqa.retrieve import Hit, Retriever

__all__ = ["AnswerSources", "Source", "assemble_sources"]

ALSO_RELEVANT = 5
"""How many uncited top-ranked records are listed under "Also relevant"."""


@dataclass(frozen=True)
class Source:
    """One row of a sources table.

    **Fields:** `number` (citation number, `None` for uncited rows); `record`; `similarity` (cosine of
    question and record, in [-1, 1]); `rank` (hybrid retrieval rank, `None` when beyond the ranked list);
    `sentence` (the abstract sentence most similar to the question) and `sentence_similarity`.
    """

    number: int | None
    record: Record
    similarity: float
    rank: int | None
    sentence: str
    sentence_similarity: float


@dataclass(frozen=True)
class AnswerSources:
    """Everything a page needs about one answer's evidence."""

    answer: LoadedAnswer
    question_text: str
    cited: list[Source]
    also_relevant: list[Source]
    ranked: list[Hit]


def assemble_sources(
    answer: LoadedAnswer,
    *,
    question_text: str,
    question_vector: np.ndarray,
    records: Mapping[str, Record],
    retriever: Retriever,
    embed_sentences: Callable[[list[str]], np.ndarray],
    depth: int = 50,
) -> AnswerSources:
    """Collect the sources of `answer`.

    **Arguments:**
    - `question_text` / `question_vector`: the glossary-expanded question and its unit-norm embedding.
    - `records`: the corpus by arXiv id.
    - `retriever`: hybrid ranking over the corpus.
    - `embed_sentences`: returns unit-norm vectors `(n, dim)` for `n` sentences (from the snippet store).
    - `depth`: how many ranked records are considered (ranks beyond it are shown as "—").

    **Raises:** `AnswerError` naming the file when a citation does not resolve to a corpus record.
    """
    missing = [rid for rid in answer.answer.citations if rid not in records]
    if missing:
        msg = f"{answer.path}: answer: cites {', '.join(missing)}, not in the corpus"
        raise AnswerError(msg)
    ranked = retriever.search(question_text, question_vector, k=depth)
    rank_of = {hit.record.id: i for i, hit in enumerate(ranked, start=1)}
    qv = np.asarray(question_vector, dtype=np.float32)

    def row(number: int | None, record: Record) -> Source:
        sentences = split_sentences(record.abstract)
        sims = embed_sentences(sentences) @ qv
        best = int(np.argmax(sims))
        cosine = retriever.cosine(record.id, qv)
        return Source(number, record, cosine, rank_of.get(record.id), sentences[best], float(sims[best]))

    cited = [row(n, records[rid]) for n, rid in enumerate(answer.answer.citations, start=1)]
    cited_ids = set(answer.answer.citations)
    also = [row(None, hit.record) for hit in ranked if hit.record.id not in cited_ids][:ALSO_RELEVANT]
    return AnswerSources(answer, question_text, cited, also, ranked)

