"""Citation grounding: claim extraction, the lexical signal, and the check over the shipped answers."""

from __future__ import annotations

from hepqa.answers._grounding import GROUNDING_THRESHOLD, claims_in, lexical_overlap
from hepqa.corpus import Record

RECORD = Record(
    id="2601.00001", title="Two-scale power counting in HEFT", authors=["Doe, J."], categories=["hep-ph"],
    date="2026-01", abstract="We derive consistent power-counting rules with two scales v and f. "
    "Observables expand in small dimensionless ratios.",
)


def test_claims_are_the_citing_sentences_without_citations() -> None:
    text = (
        "NDA is power counting. Two scales give two rules [arXiv:2511.23410].\n\n"
        "$$\\mathcal L = \\frac{\\Lambda^4}{16\\pi^2}$$\n\n"
        "Both **matter** [arXiv:2607.13958; arXiv:2511.23410]. An uncited closing sentence here."
    )
    claims = claims_in(text)
    assert [c.text for c in claims] == ["Two scales give two rules.", "Both matter."]
    assert [c.cited for c in claims] == [("2511.23410",), ("2607.13958", "2511.23410")]


def test_lexical_overlap_counts_content_words() -> None:
    assert lexical_overlap("Power counting rules with two scales.", RECORD) == 1.0
    assert lexical_overlap("Dark matter annihilates into photons.", RECORD) == 0.0
    assert lexical_overlap("the and of", RECORD) == 0.0


def test_shipped_answers_are_grounded(real_kb) -> None:
    """Every citation in kb/answers scores at or above the calibrated threshold (as `hepqa check --strict`)."""
    scores = real_kb.grounding()
    assert len(scores) >= sum(len(a.answer.citations) for a in real_kb.answers)
    weak = [(item.slug, score.record_id, round(score.score, 3)) for item, _, score in scores
            if score.score < GROUNDING_THRESHOLD]
    assert weak == []
