"""Retrieval measured on the evaluation sets (issue 7), with the real model on fixed subsets.

Sets: (a) titles → own record, a seeded subset of `TITLES` records;
(b) `tests/data/retrieval_questions.jsonl`; (c) `tests/data/retrieval_acronyms.jsonl` (relevant ids judged by reading the abstracts). Queries go through
the same pipeline as pages: glossary expansion, then MiniLM for the dense side and BM25 on the expanded text.
The full tables come from `scripts/bench_retrieval.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hepqa.retrieve import (
    DEFAULT_RANKER,
    RANKERS,
    EvalQuery,
    Metrics,
    evaluate,
    expand_query,
    load_eval_set,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    title_queries,
)

DATA = Path(__file__).parent / "data"
QUESTIONS = DATA / "retrieval_questions.jsonl"
ACRONYMS = DATA / "retrieval_acronyms.jsonl"
TITLES = 300
SEED = 0
SINGLE = ("dense", "bm25")
POWER_COUNTING = {"2511.23410", "2607.13958"}  # see ../shared/cases/nda-means-naive-dimensional-analysis.md


# ---- metrics, on hand-made rankings ------------------------------------------------------------------


def test_metrics_on_a_hand_made_ranking() -> None:
    relevant = frozenset({"b", "d"})
    ranked = ["a", "b", "c", "d", "e"]
    assert recall_at_k(ranked, relevant, 1) == 0.0
    assert recall_at_k(ranked, relevant, 2) == 0.5
    assert recall_at_k(ranked, relevant, 10) == 1.0
    assert reciprocal_rank(ranked, relevant) == 0.5
    assert reciprocal_rank(["a", "c"], relevant) == 0.0
    ideal = 1.0 + 1.0 / np.log2(3)
    assert ndcg_at_k(ranked, relevant) == pytest.approx((1.0 / np.log2(3) + 1.0 / np.log2(5)) / ideal)
    assert ndcg_at_k(["b", "d"], relevant) == pytest.approx(1.0)


def test_metrics_means_over_queries() -> None:
    m = Metrics({"q1": (1.0, 1.0, 1.0, 1.0), "q2": (0.0, 0.5, 0.25, 0.3)})
    assert m.n == 2
    assert (m.recall_1, m.recall_10, m.mrr, m.ndcg_10) == pytest.approx((0.5, 0.75, 0.625, 0.65))


# ---- the evaluation sets themselves ------------------------------------------------------------------


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(("path", "minimum"), [(QUESTIONS, 40), (ACRONYMS, 15)])
def test_evaluation_sets_are_well_formed(real_kb, path: Path, minimum: int) -> None:
    rows = _rows(path)
    assert len(rows) >= minimum
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert 1 <= len(row["relevant"]) <= 6, row["id"]
        assert len(set(row["relevant"])) == len(row["relevant"]), row["id"]
    # Raises on an id that is not in the corpus.
    load_eval_set(path, known_ids=real_kb.by_id)


def test_acronym_queries_use_glossary_terms(real_kb) -> None:
    for row in _rows(ACRONYMS):
        expanded = expand_query(row["query"], real_kb.glossary)
        assert expanded != row["query"], f"{row['id']}: {row['acronym']} is not expanded by kb/glossary.yaml"


def test_title_subset_is_fixed(real_kb) -> None:
    first = [q.id for q in title_queries(real_kb.records, n=TITLES, seed=SEED)]
    assert first == [q.id for q in title_queries(real_kb.records, n=TITLES, seed=SEED)]
    assert len(set(first)) == TITLES


# ---- ranking on the real corpus ----------------------------------------------------------------------


def _run(real_kb, minilm, queries: list[EvalQuery]) -> dict[str, Metrics]:
    texts = [expand_query(q.query, real_kb.glossary) for q in queries]
    return evaluate(real_kb.retriever, queries, minilm.encode(texts), RANKERS, texts=texts)


@pytest.fixture(scope="module")
def results(real_kb, minilm) -> dict[str, dict[str, Metrics]]:
    """Every ranker on the three sets (titles: the fixed subset), glossary-expanded as on pages."""
    ids = real_kb.by_id
    return {
        "titles": _run(real_kb, minilm, title_queries(real_kb.records, n=TITLES, seed=SEED)),
        "questions": _run(real_kb, minilm, load_eval_set(QUESTIONS, known_ids=ids)),
        "acronyms": _run(real_kb, minilm, load_eval_set(ACRONYMS, known_ids=ids)),
    }


def test_titles_retrieve_their_own_record(results) -> None:
    default = results["titles"][DEFAULT_RANKER]
    assert default.recall_10 >= 0.9, default.row()


@pytest.mark.parametrize("single", SINGLE)
def test_default_hybrid_beats_each_single_ranker_on_questions(results, single: str) -> None:
    hybrid, other = results["questions"][DEFAULT_RANKER], results["questions"][single]
    assert hybrid.mrr >= other.mrr, (hybrid.row(), other.row())
    assert hybrid.recall_10 >= other.recall_10, (hybrid.row(), other.row())


@pytest.mark.parametrize("single", SINGLE)
def test_default_hybrid_is_not_worse_than_single_rankers_on_acronyms(results, single: str) -> None:
    hybrid, other = results["acronyms"][DEFAULT_RANKER], results["acronyms"][single]
    assert hybrid.mrr >= other.mrr or hybrid.recall_10 >= other.recall_10, (hybrid.row(), other.row())


def _spelled_out(real_kb) -> list[EvalQuery]:
    """The acronym set with each acronym replaced by its glossary expansion ("NDA multiple mass scales" →
    "naive dimensional analysis multiple mass scales"): a reader who spells the term out."""
    meaning = {e.term: e.expansion for e in real_kb.glossary}
    return [EvalQuery(q.id, q.query.replace(row["acronym"], meaning[row["acronym"]], 1), q.relevant)
            for q, row in zip(load_eval_set(ACRONYMS, known_ids=real_kb.by_id), _rows(ACRONYMS), strict=True)]


def test_spelled_out_acronyms_are_found_as_well_as_the_acronyms(real_kb, minilm, results) -> None:
    """Measured (2026-12-04, default ranker): recall@10 0.79 and MRR 0.79 spelled out, with the glossary
    adding the acronym to a spelled-out term; 0.69 / 0.71 when only acronyms were expanded."""
    spelled = _run(real_kb, minilm, _spelled_out(real_kb))[DEFAULT_RANKER]
    assert spelled.recall_10 >= 0.75 and spelled.mrr >= 0.75, spelled.row()  # noqa: PLR2004
    assert spelled.recall_10 >= results["acronyms"][DEFAULT_RANKER].recall_10 - 0.05, spelled.row()  # noqa: PLR2004


def test_nda_acronym_query_finds_a_power_counting_paper(real_kb, minilm) -> None:
    text = expand_query("NDA multiple mass scales", real_kb.glossary)
    assert "naive dimensional analysis" in text
    hits = real_kb.retriever.search(text, minilm.encode([text])[0], k=10)
    assert POWER_COUNTING & {h.record.id for h in hits}, [h.record.id for h in hits]


def test_search_default_and_ranker_option(real_kb, minilm) -> None:
    text = expand_query("NDA multiple mass scales", real_kb.glossary)
    vector = minilm.encode([text])[0]
    default = real_kb.retriever.search(text, vector, k=10)
    assert default == real_kb.retriever.search(text, vector, k=10, ranker=DEFAULT_RANKER)
    dense = real_kb.retriever.search(text, vector, k=10, ranker="dense")
    assert [h.cosine for h in dense] == sorted((h.cosine for h in dense), reverse=True)
    assert [h.dense_rank for h in dense] == list(range(1, 11))
    lexical = real_kb.retriever.search(text, vector, k=10, ranker="bm25")
    assert [h.lexical_rank for h in lexical] == list(range(1, 11))
    with pytest.raises(ValueError, match="unknown ranker"):
        real_kb.retriever.search(text, vector, ranker="cosine")  # type: ignore[arg-type]


def test_evaluate_ranks_as_search_does(real_kb, minilm) -> None:
    text = expand_query("NDA multiple mass scales", real_kb.glossary)
    vector = minilm.encode([text])[0]
    query = EvalQuery("nda", text, frozenset(POWER_COUNTING))
    for ranker in RANKERS:
        ids = [h.record.id for h in real_kb.retriever.search(text, vector, k=100, ranker=ranker)]
        metrics = evaluate(real_kb.retriever, [query], vector[None, :], [ranker])[ranker]
        assert metrics.mrr == pytest.approx(reciprocal_rank(ids, query.relevant)), ranker
        assert metrics.recall_10 == pytest.approx(recall_at_k(ids, query.relevant, 10)), ranker
