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
    """Expanding twice changes nothing, for every spelling of every term: no expansion or related term of the
    glossary holds another term that would fire on a second pass."""
    cases = ["b→sμμ anomalies", "K→πνν̄ at NA62", "DeltaF2 mixing", "NDA in SMEFT", "plain words", "(g-2)_μ"]
    for entry in real_kb.glossary:
        for form in [entry.term, entry.expansion, *entry.aliases, *entry.related]:
            cases += [form, f"What is {form} for?", f"({form})", f"{form}s and {entry.term}"]
    twice = {q: expand_query(expand_query(q, real_kb.glossary), real_kb.glossary) for q in cases}
    assert {q: t for q, t in twice.items() if t != expand_query(q, real_kb.glossary)} == {}


def test_spelled_out_terms_get_their_acronym(real_kb) -> None:
    glossary = real_kb.glossary
    assert expand_query("naive dimensional analysis", glossary) == "naive dimensional analysis (NDA, power counting)"
    assert expand_query("Manohar-Georgi power counting", glossary) == (  # "power counting" is there already
        "Manohar-Georgi power counting (NDA, naive dimensional analysis)")
    assert expand_query("NDA power counting", glossary) == "NDA (naive dimensional analysis) power counting"
    assert expand_query("Cabibbo–Kobayashi–Maskawa matrix", glossary) == (  # any dash
        "Cabibbo–Kobayashi–Maskawa matrix (CKM)")
    # inside brackets, a spelled-out term is left alone: it may be an expansion this function added
    assert expand_query("(naive dimensional analysis)", glossary) == "(naive dimensional analysis)"
    assert expand_query("SMEFT", glossary) == "SMEFT (Standard Model effective field theory)"


def test_a_term_matches_any_dash_and_its_expansion_follows_the_whole_word(real_kb) -> None:
    glossary = real_kb.glossary
    meaning = " (anomalous magnetic moment (g − 2)/2)"
    for dash in "-\u2010\u2013\u2212":
        assert expand_query(f"muon g{dash}2", glossary) == f"muon g{dash}2{meaning}"
    assert expand_query("(g-2)_μ now", glossary) == f"(g-2)_μ ($(g-2)_\\mu$){meaning} now"
    assert expand_query("(g\u22122)μ now", glossary) == f"(g\u22122)μ ($(g\u22122)\\mu$){meaning} now"
    assert expand_query("g-2-like", glossary) == "g-2-like"  # part of a compound, not the term
