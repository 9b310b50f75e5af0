"""Retrieval on the real corpus: glossary expansion, and power-counting papers for the NDA question."""

from __future__ import annotations

import pytest

from hepqa.retrieve import GlossaryEntry, expand_query

NDA = GlossaryEntry(term="NDA", expansion="naive dimensional analysis", definition="Manohar-Georgi power counting",
                    related=["power counting"])


def test_expansion_reads_nda_as_naive_dimensional_analysis() -> None:
    assert expand_query("Can NDA estimate it?", [NDA]) == (
        "Can NDA (naive dimensional analysis, power counting) estimate it?"
    )
    assert expand_query("NDA (naive dimensional analysis) again", [NDA]) == "NDA (naive dimensional analysis) again"
    assert expand_query("the agenda of SNDA", [NDA]) == "the agenda of SNDA"
    assert expand_query("nda in lower case", [NDA]) == "nda in lower case"


# Papers about EFT power counting in the corpus, read from their abstracts
# (see ../shared/cases/nda-means-naive-dimensional-analysis.md).
POWER_COUNTING = {"2511.23410", "2607.13958"}


@pytest.mark.parametrize(
    "query",
    [
        "Can NDA estimate coefficients in theories where multiple mass scales compete?",
        "NDA multiple mass scales",
    ],
)
def test_nda_query_ranks_power_counting_papers_in_top_10(real_kb, minilm, query: str) -> None:
    expanded = expand_query(query, real_kb.glossary)
    assert "naive dimensional analysis" in expanded
    hits = real_kb.retriever.search(expanded, minilm.encode([expanded])[0], k=10)
    ids = [h.record.id for h in hits]
    assert POWER_COUNTING & set(ids), ids


def test_stored_question_vectors_match_the_model(real_kb, minilm) -> None:
    """Question vectors shipped in kb/embeddings are the model's embeddings of the expanded questions."""
    from hepqa.embed import text_key

    store = real_kb.snippets()
    texts = [real_kb.question_text(a) for a in real_kb.answers]
    stored = store.matrix([text_key(t) for t in texts])
    fresh = minilm.encode(texts)
    assert (stored * fresh).sum(axis=1).min() >= 0.999


def test_ranking_is_deterministic(real_kb) -> None:
    store = real_kb.snippets()
    from hepqa.embed import text_key

    text = real_kb.question_text(real_kb.answers[0])
    vector = store.matrix([text_key(text)])[0]
    first = [h.record.id for h in real_kb.retriever.search(text, vector, k=20)]
    assert first == [h.record.id for h in real_kb.retriever.search(text, vector, k=20)]


def test_unicode_notation_gets_its_tex_spelling() -> None:
    """The corpus writes notation in TeX and its vectors were made from that text: a query in Unicode gets
    the TeX after each word that carries notation; words without it, and free-standing "->", are left."""
    from hepqa.retrieve._notation import notation_tex  # noqa: PLC0415

    assert notation_tex("b→sμμ anomalies") == "b→sμμ ($b\\to s\\mu \\mu$) anomalies"
    assert notation_tex("Is B+→K+νν̄ new?") == "Is B+→K+νν̄ ($B+\\to K+\\nu \\bar{\\nu}$) new?"
    assert notation_tex("B->K*mumu") == "B->K*mumu ($B\\to K*mumu$)"
    assert notation_tex("R(D*) at Λ_QCD") == "R(D*) at Λ_QCD ($\\Lambda _QCD$)"
    for unchanged in ("B+ -> K+ nu nubar", "plain words only", "", "g-2"):
        assert notation_tex(unchanged) == unchanged
    assert notation_tex("(ΔF = 2)") == "(ΔF ($\\Delta F$) = 2)"  # an unmatched bracket is not notation


def test_expansion_is_idempotent(real_kb) -> None:
    for query in ("b→sμμ anomalies", "K→πνν̄ at NA62", "DeltaF2 mixing", "NDA in SMEFT", "plain words"):
        once = expand_query(query, real_kb.glossary)
        assert expand_query(once, real_kb.glossary) == once
