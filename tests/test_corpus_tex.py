"""Text-mode TeX in corpus text read as the text it means (hepqa.corpus._tex), in the terminal and on pages.

The expected strings are what the TeX typesets to (accents from the Unicode names of the letters, `~` as a
space); the corpus-wide tests scan every real title (and, marked slow, every abstract) for markup left over.
"""

from __future__ import annotations

import re

import pytest

from hepqa.corpus._tex import TexPiece, text_and_math
from hepqa.search import plain_text
from hepqa.site._html import text_with_math

TEXT_MODE = {
    # escaped specials, ties, TeX quotes and dashes
    r"muon g-2 to 0.48\%": "muon g-2 to 0.48%",
    r"R-axion \& the QCD Axion, \#1": "R-axion & the QCD Axion, #1",
    r"at Belle~II in de~Sitter": "at Belle II in de Sitter",
    r"the ``inv'' channel": "the \u201cinv\u201d channel",
    r"10--100 GeV---or more": "10\u2013100 GeV\u2014or more",
    # accents, in every spelling arXiv uses
    r"Ho\v{r}ava, Ho\v rava, Ho{\v{r}}ava, Ho{ř}ava": "Hořava, Hořava, Hořava, Hořava",
    r"Schr\"odinger, Schr{\"o}dinger, M{ö}ssbauer": "Schrödinger, Schrödinger, Mössbauer",
    r"Painlev\'e \`a \^o \~n \c{c} \u{g} \H{o} \={a} \.{z}": "Painlevé à ô ñ ç ğ ő ā ż",
    # font switches and commands: only their text is left
    r"What {\it don't} we know, {\bf bold}, {\em emphasis}": "What don't we know, bold, emphasis",
    r"\textit{di}-Higgs, \textbf{b}, \emph{e}, \textrm{r}, \texttt{PRyMordial}": (
        "di-Higgs, b, e, r, PRyMordial"),
    r"\texorpdfstring{\five}{sqrt(sNN)=5.36 TeV}": "sqrt(sNN)=5.36 TeV",  # the text version
    r"code at~\href{this https URL}{GRAV-T}": "code at GRAV-T",  # a link is its text
    # math macros written without dollars
    r"O(\alpha_s^3) and \beta-deformation": "O(α_s^3) and β-deformation",
}


@pytest.mark.parametrize(("tex", "text"), TEXT_MODE.items())
def test_text_mode_tex_reads_as_text(tex: str, text: str) -> None:
    assert plain_text(tex) == text
    assert text_with_math(tex) == text.replace("&", "&amp;").replace("'", "&#x27;")  # the same text on pages


def test_tilde_is_approximately_after_a_space_and_a_tie_otherwise() -> None:
    assert plain_text("constant, T ~ 0.3 GeV, over ~560 kpc") == "constant, T ∼ 0.3 GeV, over ∼560 kpc"
    assert plain_text(r"C.~N.~Kozameh and \~n") == "C. N. Kozameh and ñ"


def test_what_is_not_tex_markup_stays() -> None:
    """A percent sign is not a comment, an ampersand not an alignment tab, a `$` before digits is money."""
    assert plain_text("5% of R&D costs $5 million") == "5% of R&D costs $5 million"
    assert plain_text(r"5% of {R&D}, \emph{not} a comment") == "5% of R&D, not a comment"


def test_math_comes_back_whole_and_in_reading_order() -> None:
    r"""Markup around formulas goes (`\boldmath{…}`); the formulas come back untouched, for their renderer."""
    assert text_and_math(r"First \boldmath{$D^+ \to a_0ρ$ and $D^0$} in {\it data}") == [
        TexPiece("First ", False), TexPiece(r"D^+ \to a_0ρ", True), TexPiece(" and ", False),
        TexPiece("D^0", True), TexPiece(" in data", False)]
    assert text_with_math(r"{\it Belle~II}: $B\to K\nu\bar\nu$") == (
        r'Belle II: <span class="arithmatex">\(B\to K\nu\bar\nu\)</span>')
    assert plain_text(r"J/{\ensuremathψ} and the \texorpdfstring{\(B_c(1P)\)}{Bc(1P)} sector") == (
        "J/ψ and the Bc(1P) sector")


def test_markdown_emphasis_goes_but_math_keeps_its_stars() -> None:
    """`plain_text` drops Markdown marks from text only: `D_s^{**}` (two excited states) is not emphasis."""
    assert plain_text(r"**Worked** `code` $B_s\to D_s^{**}\ell\nu$") == "Worked code B_s→D_s^**ℓν"


def test_an_unpaired_dollar_is_a_broken_delimiter_unless_money() -> None:
    assert plain_text(r"at $\sqrt{s_{NN}}=5.02$$ TeV") == "at √(s_NN)=5.02 TeV"
    assert plain_text(r"asymmetries in $J/ψ\to K^*(892)\bar K") == "asymmetries in J/ψ→K^*(892)K̅"
    assert text_with_math("multi-$1B experiments") == "multi-$1B experiments"


def test_line_breaks_stay_and_decoder_whitespace_goes() -> None:
    """Markdown answers keep their paragraphs; TeX line breaks and display environments read as one line."""
    assert plain_text("A ``quote''.\n\n- item ~1\n- item") == "A \u201cquote\u201d.\n\n- item ∼1\n- item"
    assert plain_text(r"ideal \\ spin-0 and \begin{equation*} x=1 \end{equation*} done") == (
        "ideal spin-0 and x=1 done")


def test_private_use_characters_in_the_text_are_not_taken_for_formulas() -> None:
    pieces = text_and_math("\ue000 {x} $y$ \ue001")
    assert pieces == [TexPiece("\ue000 x ", False), TexPiece("y", True), TexPiece(" \ue001", False)]


def _leftover(source: str, shown: str) -> list[str]:
    """TeX markup in `shown` (text decoded from `source`): backslashes, tildes, TeX quotes, a `$` that is not
    money, and braces unless the source escapes some (`\\{b;c\\}` is a set, and its braces are text)."""
    markup = r"\\|~|``|''|\$(?!\d)" + ("" if re.search(r"\\[{}]|\\[lr]brace", source) else "|[{}]")
    return [shown[max(0, m.start() - 20) : m.end() + 20] for m in re.finditer(markup, shown)]


def test_no_corpus_title_shows_tex_markup(real_kb) -> None:
    """Every title of the shipped corpus, as the terminal shows it (`plain_text`, math as Unicode) and as
    pages show it (text outside the formulas KaTeX renders). Before text-mode decoding, 57 titles kept
    `\\alpha`, `Ho\\v{r}ava`, `{\\it don't}`, `{\\cal U}_q`, `Belle~II`, `0.48\\%`, a stray `$` or braces."""
    terminal = {r.id: _leftover(r.title, plain_text(r.title)) for r in real_kb.records}
    pages = {r.id: _leftover(r.title, "".join(p.text for p in text_and_math(r.title) if not p.math))
             for r in real_kb.records}
    assert {i: bad for i, bad in terminal.items() if bad} == {}
    assert {i: bad for i, bad in pages.items() if bad} == {}
    assert len(real_kb.records) > 11_000  # noqa: PLR2004 - the whole corpus was scanned


@pytest.mark.slow
def test_no_corpus_abstract_shows_tex_markup_outside_math(real_kb) -> None:
    """Every abstract's text outside its formulas (what sources tables and digests quote from), ~12 s."""
    leftover = {r.id: _leftover(r.abstract, "".join(p.text for p in text_and_math(r.abstract) if not p.math))
                for r in real_kb.records}
    assert {i: bad for i, bad in leftover.items() if bad} == {}
