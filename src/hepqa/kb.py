"""The knowledge base as a whole: loading `kb/`, bringing its embeddings up to date, and checking it.

This is where the stages meet: corpus records, the glossary, the answers and the embedding stores are
loaded together so that `hepqa embed`, `hepqa check` and `hepqa build` see one consistent view.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from hepqa.answers import AnswerSources, LoadedAnswer, assemble_sources, load_answers
from hepqa.answers._grounding import GROUNDING_THRESHOLD, Claim, GroundingScore, claims_in, grounding_score
from hepqa.answers._grounding import record_passages
from hepqa.corpus import Record, load_corpus, record_text
from hepqa.embed import Encoder, StoreUpdate, VectorStore, load_store, text_key, update_store
from hepqa.errors import AnswerError, EmbeddingError
from hepqa.retrieve import GlossaryEntry, Retriever, expand_query, load_glossary
from hepqa.topics import Topics, load_topics, save_topics, update_topics, vectors_hash

__all__ = ["CheckReport", "KnowledgeBase"]

SENTENCE_DEPTH = 20
"""Top-ranked records per question whose abstract sentences are embedded ahead of time."""

log = logging.getLogger("hepqa.kb")


@dataclass
class CheckReport:
    """Outcome of `KnowledgeBase.check`: problems fail the check; warnings are reported only."""

    answers: int = 0
    citations: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.answers} answers, {self.citations} citations: "
            f"{len(self.problems)} problem(s), {len(self.warnings)} warning(s)"
        )


@dataclass
class KnowledgeBase:
    """Everything under one `kb/` folder.

    **Fields:** `root` (the folder), `records` (sorted by id), `glossary`, `answers` (sorted by slug).
    """

    root: Path
    records: list[Record]
    glossary: list[GlossaryEntry]
    answers: list[LoadedAnswer]

    @classmethod
    def load(cls, root: Path) -> KnowledgeBase:
        """Load and validate `root`; raises `CorpusError` / `AnswerError` naming file and line."""
        return cls(root, load_corpus(root), load_glossary(root), load_answers(root))

    @cached_property
    def by_id(self) -> dict[str, Record]:
        """Records by arXiv id."""
        return {r.id: r for r in self.records}

    def question_text(self, answer: LoadedAnswer) -> str:
        """The text a question is embedded and ranked as: the question with glossary expansions."""
        return expand_query(answer.answer.question, self.glossary)

    # ---- embeddings -------------------------------------------------------------------------------------

    def corpus_vectors(self) -> np.ndarray:
        """float32 `(n_records, dim)` embeddings aligned with `records`."""
        store = load_store(self.root, "corpus")
        return store.matrix([text_key(record_text(r)) for r in self.records])

    def snippets(self) -> VectorStore:
        """The store of question and sentence vectors; it must come from the same model as the corpus."""
        snippets, corpus = load_store(self.root, "snippets"), load_store(self.root, "corpus")
        if snippets.model != corpus.model:
            msg = (
                f"snippet embeddings were made with {snippets.model!r} but corpus embeddings with "
                f"{corpus.model!r}: run `hepqa embed`"
            )
            raise EmbeddingError(msg)
        return snippets

    @cached_property
    def retriever(self) -> Retriever:
        """Hybrid retrieval over the stored corpus vectors."""
        return Retriever(self.records, self.corpus_vectors())

    def embed(self, encoder: Encoder, *, show_progress: bool = True) -> list[StoreUpdate]:
        """Bring both stores up to date, embedding only texts that have no vector yet.

        Order matters: corpus first, then the questions, then (using the retrieval those allow) the
        sentences of each question's candidate sources.
        """
        corpus_store, corpus_update = update_store(
            self.root, "corpus", [record_text(r) for r in self.records], encoder, show_progress=show_progress
        )
        self.__dict__.pop("retriever", None)
        questions = [self.question_text(a) for a in self.answers]
        qstore, _ = update_store(self.root, "snippets", questions, encoder, show_progress=False, prune=False)
        sentences: list[str] = []
        for answer, text in zip(self.answers, questions, strict=True):
            ranked = self.retriever.search(text, qstore.matrix([text_key(text)])[0], k=SENTENCE_DEPTH)
            cited = [self.by_id[rid] for rid in answer.answer.citations if rid in self.by_id]
            for record in cited + [hit.record for hit in ranked]:
                sentences += record_passages(record)
            sentences += [claim.text for claim in claims_in(answer.answer.answer)]
        _, snippet_update = update_store(
            self.root, "snippets", questions + sentences, encoder, show_progress=show_progress
        )
        current = load_topics(self.root)
        topics = update_topics(self.records, self.corpus_vectors(), self.topic_keys(), current)
        if topics is not current:
            save_topics(self.root, topics)
        return [corpus_update, snippet_update]

    def topic_keys(self) -> list[str]:
        """Content keys of the records for the topics: the text key under the corpus store's model, so that
        a new model, like a changed text, makes a record count as new."""
        model = load_store(self.root, "corpus").model
        return [text_key(f"{model}\n{text_key(record_text(r))}") for r in self.records]

    def topics(self) -> Topics:
        """The corpus topics stored in `kb/topics.json`; they must come from the current corpus vectors."""
        topics = load_topics(self.root)
        if topics is None or topics.source_hash != vectors_hash(self.corpus_vectors()):
            msg = f"{self.root / 'topics.json'} is missing or stale for the current corpus: run `hepqa embed`"
            raise EmbeddingError(msg)
        return topics

    # ---- answers ----------------------------------------------------------------------------------------

    def sources(self) -> list[AnswerSources]:
        """The sources of every answer (cited and also-relevant rows), in slug order."""
        snippets = self.snippets()
        out = []
        for answer in self.answers:
            text = self.question_text(answer)
            out.append(
                assemble_sources(
                    answer,
                    question_text=text,
                    question_vector=snippets.matrix([text_key(text)])[0],
                    records=self.by_id,
                    retriever=self.retriever,
                    embed_sentences=lambda s: snippets.matrix([text_key(x) for x in s]),
                    depth=SENTENCE_DEPTH,
                )
            )
        return out

    def grounding(self) -> list[tuple[LoadedAnswer, Claim, GroundingScore]]:
        """Score every (claim, cited record) pair of every answer; see `hepqa.answers._grounding`."""
        snippets = self.snippets()

        def embed(texts: list[str]) -> np.ndarray:
            return snippets.matrix([text_key(t) for t in texts])

        return [
            (item, claim, grounding_score(claim.text, self.by_id[rid], embed=embed))
            for item in self.answers
            for claim in claims_in(item.answer.answer)
            for rid in claim.cited
            if rid in self.by_id
        ]

    def check(self, *, strict: bool = False) -> CheckReport:
        """Validate what loading does not: citations resolve and are grounded; embeddings are current.

        A citation whose grounding score is below `GROUNDING_THRESHOLD` is a warning, or with `strict` a
        problem.
        """
        report = CheckReport(answers=len(self.answers))
        for item in self.answers:
            cited = item.answer.citations
            report.citations += len(cited)
            missing = [rid for rid in cited if rid not in self.by_id]
            if missing:
                lines = item.path.read_text(encoding="utf-8").splitlines()
                report.problems += [
                    f"{item.path}:{_first_line_with(lines, f'arXiv:{rid}')}: answer: cites arXiv:{rid}, which is "
                    "not in the corpus"
                    for rid in missing
                ]
            if not cited:
                report.warnings.append(f"{item.path}: answer: cites no corpus record")
            if item.answer.question in item.answer.follow_ups:
                report.problems.append(f"{item.path}: follow_ups: repeats the question itself")
        try:
            snippets = self.snippets()
            self.topics()
        except EmbeddingError as exc:
            report.problems.append(str(exc))
            return report
        stale = [
            f"{item.path}: the question or a citing sentence has no embedding yet: run `hepqa embed`"
            for item in self.answers
            if snippets.missing([text_key(self.question_text(item))]
                                + [text_key(c.text) for c in claims_in(item.answer.answer)])
        ]
        if stale:
            report.problems += stale
            return report
        try:
            weak = [
                f"{item.path}: weakly supported citation arXiv:{score.record_id} "
                f"(score {score.score:.2f} < {GROUNDING_THRESHOLD}: dense {score.dense:.2f}, "
                f"lexical {score.lexical:.2f}) for: {claim.text[:120]}"
                for item, claim, score in self.grounding()
                if score.score < GROUNDING_THRESHOLD
            ]
        except EmbeddingError as exc:
            report.problems.append(str(exc))
        else:
            (report.problems if strict else report.warnings).extend(weak)
        return report

    def require_clean(self, *, strict: bool = False) -> CheckReport:
        """`check`, raising `AnswerError` with every problem when there is any."""
        report = self.check(strict=strict)
        if report.problems:
            raise AnswerError("\n".join(report.problems))
        return report


def _first_line_with(lines: list[str], text: str) -> int:
    """1-based number of the first of `lines` that contains `text` (1 when none does)."""
    return next((n for n, line in enumerate(lines, start=1) if text in line), 1)
