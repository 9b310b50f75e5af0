"""`hepqa search`: rank the corpus papers and the answered questions for a free-text query, offline.

The query goes through the same pipeline as the site's questions: glossary expansion, then
all-MiniLM-L6-v2 for the dense side and BM25 on the expanded text, fused by the default ranker of
`hepqa.retrieve` (papers). Answered questions are ranked by the cosine between the query and each stored
question vector (the snippet store). The similarity shown is the same quantity as in the site's sources
tables: the dense cosine × 100 (`hepqa.retrieve.similarity`).

Without the `embed` extra (torch, sentence-transformers, the model package), or when the installed model is
not the one that made the stored vectors, papers and questions are ranked by BM25 alone, with no similarity,
and `notice` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hepqa.answers import LoadedAnswer
from hepqa.corpus import Record
from hepqa.embed import Encoder, MiniLMEncoder, load_store, text_key
from hepqa.embed._static import StaticEncoder
from hepqa.errors import EmbeddingError
from hepqa.kb import KnowledgeBase
from hepqa.retrieve import DEFAULT_RANKER, Ranker, Retriever, expand_query, has_words, similarity, split_ids
from hepqa.retrieve._bm25 import bm25_index, tokens

__all__ = ["MODELS", "AnswerHit", "PaperHit", "SearchResult", "Searcher"]

MODELS = ("minilm", "static")
"""Query encoders `Searcher.open` accepts: `minilm` is all-MiniLM-L6-v2, the model of the stored vectors;
`static` is the instant tier's static model (`kb/static-model/`, numpy only: no torch), trained so that its
query vectors rank the same stored vectors as all-MiniLM-L6-v2's do."""


@dataclass(frozen=True)
class PaperHit:
    """One ranked paper: `rank` (1-based), `record`, `cosine` with the query (`None` when ranked by BM25
    alone), `bm25` (lexical score) and `score` (what the papers were ranked on)."""

    rank: int
    record: Record
    cosine: float | None
    bm25: float
    score: float

    @property
    def similarity(self) -> float | None:
        """Percent, as on the site (`None` without the model)."""
        return None if self.cosine is None else similarity(self.cosine)


@dataclass(frozen=True)
class AnswerHit:
    """One ranked answered question: `rank`, `answer`, `cosine` between query and question (`None` without
    the model), `bm25` of the query against the question."""

    rank: int
    answer: LoadedAnswer
    cosine: float | None
    bm25: float

    @property
    def similarity(self) -> float | None:
        """Percent, as on the site (`None` without the model)."""
        return None if self.cosine is None else similarity(self.cosine)

    @property
    def page(self) -> str:
        """The answer's page, relative to the site root."""
        return f"answers/{self.answer.slug}.html"


@dataclass(frozen=True)
class SearchResult:
    """What one query found: the query as typed and as expanded, the ranker used, the ranked answered
    questions and papers, the query vector (`None` without the model), the arXiv ids it names that are in
    the corpus (`named`: those papers come first) and those that are not (`unknown`)."""

    query: str
    expanded: str
    ranker: str
    answers: list[AnswerHit]
    papers: list[PaperHit]
    vector: np.ndarray | None
    named: list[str]
    unknown: list[str]


class Searcher:
    """The knowledge base loaded for querying.

    **Arguments:**
    - `kb`: the loaded knowledge base (its stored corpus and question vectors must be current).
    - `encoder`: embeds queries; `None` ranks by BM25 alone.
    - `cache_dir`: where the BM25 index is cached (`None`: built in memory).
    - `notice`: why there is no encoder, when there is none.

    **Raises:** `EmbeddingError` when stored vectors are missing for a record or a question.
    """

    def __init__(
        self, kb: KnowledgeBase, *, encoder: Encoder | None, cache_dir: Path | None = None, notice: str | None = None
    ) -> None:
        self.kb = kb
        self.encoder = encoder
        self.notice = notice
        self.retriever = Retriever(kb.records, kb.corpus_vectors(), cache_dir=cache_dir)
        self.snippets = kb.snippets()
        self.question_texts = [kb.question_text(a) for a in kb.answers]
        self.question_vectors = self.snippets.matrix([text_key(t) for t in self.question_texts])
        self._question_bm25 = bm25_index(self.question_texts) if kb.answers else None
        self._computed: dict[str, np.ndarray] = {}  # vectors the encoder made for texts the store lacks

    @classmethod
    def open(cls, kb_dir: Path, *, model: str = "minilm", cache_dir: Path | None = Path(".hepqa-cache")) -> Searcher:
        """Load `kb_dir` and the query encoder named by `model` (one of `MODELS`).

        Falls back to BM25 alone, with `notice` set, when the model is not installed or is not the one the
        stored vectors were made with (for `static`: the one it was trained for). all-MiniLM-L6-v2 itself is
        loaded on the first query.

        **Raises:** `ValueError` for an unknown `model`; `EmbeddingError` for missing stored vectors.
        """
        if model not in MODELS:
            msg = f"model must be one of {', '.join(MODELS)}, got {model!r}"
            raise ValueError(msg)
        kb = KnowledgeBase.load(kb_dir)
        encoder: Encoder | None = None
        notice = None
        try:
            stored = load_store(kb.root, "corpus").model
            if model == "static":
                encoder = StaticEncoder(kb.root)
                if encoder.teacher != stored:
                    notice = (f"{encoder.folder} was trained for {encoder.teacher!r}, not the model of the "
                              f"stored vectors ({stored!r}): retrain it (`python scripts/train_static_model.py`)")
                    encoder = None
            else:
                encoder = MiniLMEncoder(threads=1)
                if encoder.model != stored:
                    notice = (f"the installed model {encoder.model!r} did not make the stored vectors "
                              f"({stored!r}); run `hepqa embed`")
                    encoder = None
        except EmbeddingError as exc:
            notice = str(exc)
        return cls(kb, encoder=encoder, cache_dir=cache_dir, notice=_fallback(notice))

    # ---- embedding ----------------------------------------------------------------------------------------

    def embed_query(self, expanded: str) -> np.ndarray | None:
        """The unit-norm vector of an expanded query, or `None` when ranking by BM25 alone.

        An encoder that fails to load (torch or sentence-transformers missing) switches this searcher to
        BM25 alone, with `notice` saying why.
        """
        if self.encoder is None:
            return None
        try:
            return self.encoder.encode([expanded])[0]
        except EmbeddingError as exc:
            self.encoder, self.notice = None, _fallback(str(exc))
            return None

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-norm vectors `(len(texts), dim)`: stored snippet vectors where present, the encoder for the rest
        (kept for the life of this searcher, so asking again embeds nothing new). With the static encoder
        those are its own vectors, in the same space but less precise than the stored full-model ones.

        **Raises:** `EmbeddingError` when some text has no stored vector and there is no encoder.
        """
        keys = [text_key(t) for t in texts]
        fresh = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True)
                                   if k not in self.snippets and k not in self._computed))
        if fresh and self.encoder is None:
            msg = f"{len(fresh)} text(s) have no stored vector and the embedding model is not available"
            raise EmbeddingError(msg)
        if fresh:
            self._computed.update(zip([text_key(t) for t in fresh], self.encoder.encode(fresh), strict=True))
        return np.stack([self._computed[k] if k in self._computed else self.snippets.matrix([k])[0] for k in keys])

    # ---- ranking ------------------------------------------------------------------------------------------

    def search(self, query: str, *, k: int = 10, answers: int = 3) -> SearchResult:
        """The `k` best papers and the `answers` closest answered questions for `query`, best first.

        Papers the query names by arXiv id come first (`hepqa.retrieve._ids`). A query of ids alone ranks
        the papers closest to the named ones, by the cosine to the unit mean of their stored vectors (so it
        needs no model); ids with words rank by the cosine to the unit sum of that mean and the words' vector
        (BM25 on the words alone without the model). A query of ids none of which is in the corpus, and
        nothing else, finds nothing.
        """
        found = split_ids(query)
        named = [i for i in found.ids if i in self.kb.by_id]
        unknown = [i for i in found.ids if i not in self.kb.by_id]
        expanded = expand_query(found.rest, self.kb.glossary)
        ranker: Ranker = DEFAULT_RANKER
        near = _unit(self.retriever.vectors[[self.retriever.row(i) for i in named]].mean(axis=0)) if named else None
        if has_words(found.rest):
            vector = self.embed_query(expanded)
            if vector is not None and near is not None:
                # dense alone: BM25 on the words would rank by words that say little ("What does … find?")
                vector, ranker = _unit(near + vector), "dense"
        elif near is not None:
            vector, ranker = near, "dense"
        else:
            return SearchResult(query, expanded, ranker, [], [], None, named, unknown)
        if vector is None:
            ranker = "bm25"
        hits = self.retriever.search(
            expanded, np.zeros(self.retriever.vectors.shape[1], np.float32) if vector is None else vector,
            k=max(k, len(named)), ranker=ranker, first=named)
        papers = [
            PaperHit(rank, h.record, None if vector is None else h.cosine, h.bm25, h.fused)
            for rank, h in enumerate(hits, start=1)
        ]
        return SearchResult(query, expanded, ranker, self.rank_answers(expanded, vector)[:answers], papers, vector,
                            named, unknown)

    def rank_answers(self, expanded: str, vector: np.ndarray | None) -> list[AnswerHit]:
        """Every answered question, closest first: by cosine with `vector`, or by BM25 when it is `None`.

        Ties keep slug order.
        """
        if self._question_bm25 is None:
            return []
        query_tokens = tokens([expanded])[0]
        lexical = (np.asarray(self._question_bm25.get_scores(query_tokens), dtype=np.float64) if query_tokens
                   else np.zeros(len(self.kb.answers)))
        cosine = None if vector is None else self.question_vectors @ np.asarray(vector, dtype=np.float32)
        score = lexical if cosine is None else cosine
        order = np.lexsort((np.arange(len(score)), -score))
        return [
            AnswerHit(rank, self.kb.answers[i], None if cosine is None else float(cosine[i]), float(lexical[i]))
            for rank, i in enumerate(order, start=1)
        ]


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _fallback(reason: str | None) -> str | None:
    if reason is None:
        return None
    return f"semantic search is off ({reason}); ranking by BM25 alone, without similarity scores"
