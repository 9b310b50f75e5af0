"""The site's lexical search index after `hepqa build` (hepqa.search._site_index), on the real build.

Covers ../shared/cases/search-from-file-url.md on the index itself: readable snippets (no raw LaTeX) and
physics terms findable. Rankings are checked by running Material's own search worker under Node
(`tests/search_worker.js`), which is what the search box runs; test_site_browser.py checks two of them in
Chromium as well.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hepqa.search import plain_text
from hepqa.search._site_index import MATH_BOOST, MATH_FIELD, clean_search_index

WORKER_HARNESS = Path(__file__).parent / "search_worker.js"
RAW_TEX = re.compile(r"\\[()\[\]]|\$|\\[A-Za-z]+")


@pytest.fixture(scope="module")
def index(real_site: Path) -> dict:
    return json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def _docs(index: dict, page: str) -> list[dict]:
    return [d for d in index["docs"] if d["location"].split("#")[0] == page]


def test_offline_copy_is_the_same_index(real_site: Path) -> None:
    data = (real_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert (real_site / "search" / "search_index.js").read_text(encoding="utf-8") == f"var __index = {data}"


def test_no_raw_latex_in_titles_or_text(index: dict) -> None:
    # The glossary lists LaTeX spellings of its terms on purpose ("Also: \overline{MS}"): they are text there.
    offending = [(d["location"], m.group(0)) for d in index["docs"] if not d["location"].startswith("glossary")
                 for m in RAW_TEX.finditer(d["title"] + " " + d["text"])]
    assert offending == []
    everything = " ".join(d["text"] for d in index["docs"])
    assert "B^0→K^*0μ^+μ^-" in everything  # LHCb's $B^0\to K^{*0}\mu^+\mu^-$ title, as text


def test_formulas_get_their_typed_spellings_in_the_math_field(index: dict) -> None:
    assert index["config"]["fields"][MATH_FIELD] == {"boost": MATH_BOOST}
    assert set(index["config"]["fields"]) >= {"title", "text"}
    forms = " ".join(d.get(MATH_FIELD, "") for d in _docs(index, "answers/b-to-s-ll-charm-loops-vs-new-physics.html"))
    assert "B→K*μμ" in forms.split() and "B-&gt;K*mumu" in forms.split()


def test_separator_keeps_arxiv_ids_and_arrowed_decays_whole(index: dict) -> None:
    separator = re.compile(index["config"]["separator"])
    split = lambda s: [t for t in separator.split(s) if t]  # noqa: E731
    assert split("arXiv:2603.15801, see e.g. this") == ["arXiv", "2603.15801", "see", "e", "g", "this"]
    assert split("b→sμμ and B→K*μμ") == ["b→sμμ", "and", "B→K*μμ"]
    assert split("the g-2 of the μ^+") == ["the", "g", "2", "of", "the", "μ"]  # as lunr's query parser splits it
    assert split("B-&gt;K*mumu") == ["B", "K*mumu"]


def test_cleaning_again_changes_nothing(real_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(real_site / "search", copy / "search")
    before = {p.name: p.read_bytes() for p in (copy / "search").iterdir()}
    assert clean_search_index(copy) == 0  # no math spans are left to clean
    assert {p.name: p.read_bytes() for p in (copy / "search").iterdir()} == before


@pytest.fixture(scope="module")
def worker_results(real_site: Path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run the tests through `bash scripts/dev.sh test`")
    (worker,) = (real_site / "assets" / "javascripts" / "workers").glob("search.*.min.js")

    def run(queries: list[str]) -> list[list[str]]:
        out = subprocess.run([node, str(WORKER_HARNESS), str(worker), str(real_site / "search" / "search_index.json")],
                             input=json.dumps(queries), capture_output=True, text=True, check=True, timeout=120)
        return [[loc.split("#")[0] for loc in locations] for locations in json.loads(out.stdout)]

    return run


CASES = [  # query, expected page, the rank it must reach at least
    ("g-2", "answers/muon-g-2-hadronic-contributions-status.html", 1),
    ("muon g-2", "answers/muon-g-2-hadronic-contributions-status.html", 1),
    ("B→K*μμ", "answers/b-to-s-ll-charm-loops-vs-new-physics.html", 1),
    ("b→sμμ", "answers/b-to-s-ll-charm-loops-vs-new-physics.html", 1),
    ("B->K*mumu", "answers/b-to-s-ll-charm-loops-vs-new-physics.html", 3),
    ("K+→π+νν̄", "answers/na62-k-to-pi-nu-nu-implications.html", 1),
    ("R(D*)", "answers/r-d-star-b-to-c-tau-nu.html", 1),
    ("seesaw", "answers/juno-first-results-implications.html", 1),
    ("arXiv:2511.23410", "answers/nda-competing-scales.html", 1),
]


def test_material_search_finds_physics_terms(worker_results) -> None:
    results = worker_results([q for q, _, _ in CASES])
    ranks = {q: [p for p in dict.fromkeys(pages)].index(page) + 1 if page in pages else None
             for (q, page, _), pages in zip(CASES, results, strict=True)}
    assert {q: r for (q, _, worst), r in zip(CASES, ranks.values(), strict=True) if r is None or r > worst} == {}


def test_material_search_finds_every_page_citing_an_arxiv_id(worker_results, real_site: Path) -> None:
    citing = {p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html")
              if "2603.15801" in p.read_text(encoding="utf-8")}
    (pages,) = worker_results(["2603.15801"])
    assert len(citing) >= 2 and set(pages) == citing  # noqa: PLR2004


def _row_text(source) -> str:
    """A sources-table row as the index should hold it: title, best-matching sentence, arXiv id."""
    text = f"{plain_text(source.record.title)} “{plain_text(source.sentence)}” {source.record.id}"
    return " ".join(html.escape(text, quote=False).split())


def test_sources_tables_are_indexed_as_readable_rows(index: dict, real_kb) -> None:
    """Each sources table of every answer page reads in the index (and so in result snippets) as its rows'
    "title “sentence” arXiv id", in order: header, number, similarity, category and date cells are left out
    (they made snippets like "#SimilarityCategoryTitle and best-matching sentencearXivDate 1 51% …")."""
    docs = {d["location"]: d for d in index["docs"]}
    tables = 0
    for item in real_kb.sources():
        for anchor, rows in (("sources", item.cited), ("also-relevant", item.also_relevant)):
            if not rows:
                continue
            text = " ".join(docs[f"answers/{item.answer.slug}.html#{anchor}"]["text"].split())
            intro, table = text.split("</p>", 1)
            assert intro.startswith("<p>") and table.strip() == " ".join(_row_text(r) for r in rows)
            tables += 1
    assert tables >= 2 * 30  # noqa: PLR2004 - both tables of every answer page were checked


def test_material_search_finds_answer_pages_by_a_cited_title(worker_results, real_kb) -> None:
    """Paper titles stay searchable: a cited title (one in plain words, so the query parser takes it as typed)
    finds the answer page that cites it."""
    wanted = {}
    for item in real_kb.sources():
        plain = [plain_text(source.record.title) for source in item.cited]
        titles = [t for t in plain if re.fullmatch(r"[\w ,.:-]+", t)]
        if titles:
            wanted[titles[0]] = f"answers/{item.answer.slug}.html"
    found = worker_results(list(wanted))
    assert len(wanted) >= 20  # noqa: PLR2004 - most answers cite a title in plain words
    missed = {title: page for (title, page), pages in zip(wanted.items(), found, strict=True) if page not in pages}
    assert missed == {}
