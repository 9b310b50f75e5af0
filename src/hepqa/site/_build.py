"""`hepqa build`: generate the pages, build the site with mkdocs-material (strict), swap it into place.

Two-phase and safe: everything is gathered and validated first (knowledge base, citations, embeddings),
pages are written to a staging folder beside the output, mkdocs builds into staging, and only a complete
build replaces the output folder. A failure or interruption at any point leaves the previous site exactly as
it was. Each site carries its build state (see `hepqa.site._changes`); after the swap, a change report
against the replaced site's state is written beside the site.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hepqa._io import write_json
from hepqa.answers import AnswerSources
from hepqa.errors import HepqaError, SiteBuildError
from hepqa.examples import render_examples
from hepqa.kb import KnowledgeBase
from hepqa.site._pages import (
    answer_page,
    answers_index,
    examples_index,
    glossary_page,
    home_page,
    search_quality_page,
    topic_page,
    topics_index,
    with_tooltips,
)
from hepqa.site._changes import STATE_FILE, ChangeReport, build_state, compare_states, read_state
from hepqa.site._plots import topic_map
from hepqa.site._semantic import semantic_search

__all__ = ["BuildReport", "build_site"]

log = logging.getLogger("hepqa.site")

_PACKAGE_ASSETS = Path(__file__).parent / "assets"
# (source inside node_modules, destination inside the docs folder)
_NPM_ASSETS = (
    ("katex/dist/katex.min.js", "assets/katex/katex.min.js"),
    ("katex/dist/katex.min.css", "assets/katex/katex.min.css"),
    ("katex/dist/fonts", "assets/katex/fonts"),
    ("iframe-worker/shim/index.js", "assets/javascripts/iframe-worker-shim.js"),
)


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    out: Path
    pages: int
    answers: int
    files: int
    bytes: int
    seconds: float
    changes: ChangeReport
    changes_file: Path
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """Lines for the CLI: what was built, what changed since the previous build, then one per warning."""
        return "\n".join([
            f"built {self.out} in {self.seconds:.1f} s: {self.answers} answers, {self.pages} generated pages, "
            f"{self.files} files, {self.bytes / 1e6:.1f} MB",
            f"{self.changes.summary()} (in {self.changes_file})",
            *(f"warning: {w}" for w in self.warnings),
        ])


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy_assets(docs: Path, node_modules: Path) -> None:
    for src, dst in _NPM_ASSETS:
        source = node_modules / src
        if not source.exists():
            msg = (
                f"{source} is missing: the site ships KaTeX and iframe-worker from npm; "
                "run `npm ci` in the repository (scripts/dev.sh does)"
            )
            raise SiteBuildError(msg)
        target = docs / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
    for name, folder in (("katex-render.js", "javascripts"), ("hepqa.css", "stylesheets")):
        target = docs / "assets" / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_PACKAGE_ASSETS / name, target)


def generate_docs(
    kb: KnowledgeBase, authored: Path, docs: Path, node_modules: Path, *, cache_dir: Path, strict: bool = False
) -> tuple[int, list[AnswerSources]]:
    """Write the full docs tree into `docs`: authored pages, generated pages, assets.

    **Returns:** the number of generated pages, and the sources of every answer (for the build state).

    Worked examples are computed (or read from `cache_dir/examples`) into `docs/examples/`.
    """
    report = kb.require_clean(strict=strict)
    log.info("check: %s", report.summary())
    for warning in report.warnings:
        log.warning(warning)
    if authored.exists():
        shutil.copytree(authored, docs, dirs_exist_ok=True)
    answered = kb.sources()
    examples = render_examples(kb.root / "examples", docs / "examples", cache_dir=cache_dir / "examples")
    pages = {f"answers/{item.answer.slug}.md": answer_page(item, answered, examples) for item in answered}
    pages["answers/index.md"] = answers_index(answered)
    pages["examples/index.md"] = examples_index(examples, answered)
    evaluation = kb.root / "eval" / "retrieval.json"
    report = json.loads(evaluation.read_text(encoding="utf-8")) if evaluation.exists() else None
    pages["search-quality.md"] = search_quality_page(report)
    pages.update(_topic_pages(kb, answered, docs))
    pages["index.md"] = home_page(answered, kb.records)
    pages["glossary.md"] = glossary_page(kb.glossary)
    for name, markdown in pages.items():
        _write(docs / name, markdown if name == "glossary.md" else with_tooltips(markdown, kb.glossary))
    _copy_assets(docs, node_modules)
    return len(pages) + len(examples), answered


def _topic_pages(kb: KnowledgeBase, answered: list, docs: Path) -> dict[str, str]:
    """The topics index, one page per topic, and the corpus map image."""
    topics = kb.topics()
    snippets = kb.snippets()
    from hepqa.embed import text_key  # noqa: PLC0415

    numbers = {a.answer.slug: n for n, a in enumerate(sorted(answered, key=lambda a: a.answer.slug), start=1)}
    row = {r.id: i for i, r in enumerate(kb.records)}
    members: dict[int, list] = {}
    for item in answered:
        # A question belongs where most of its cited papers are (so the page agrees with the map);
        # a tie goes to the topic whose centroid is closest to the question's own embedding.
        votes = Counter(topics.labels[row[s.record.id]] for s in item.cited)
        nearest = topics.topic_of(snippets.matrix([text_key(item.question_text)])[0]).index
        best = max(votes.values(), default=0)
        tied = sorted(t for t, v in votes.items() if v == best)
        members.setdefault(nearest if nearest in tied or not tied else tied[0], []).append(item)
    marks = [(numbers[a.answer.slug], a.answer.answer.question, [row[s.record.id] for s in a.cited])
             for a in answered]
    topic_map(topics, marks, docs / "topics" / "map.png")
    pages = {"topics/index.md": topics_index(topics.topics, members, numbers)}
    for topic in topics.topics:
        pages[f"topics/{topic.slug}.md"] = topic_page(
            topic, [kb.by_id[i] for i in topic.representatives], members.get(topic.index, [])
        )
    return pages


def _source_date_epoch(kb: KnowledgeBase) -> str:
    """A fixed timestamp for reproducible output (sitemap dates, gzip headers): the newest answer's date."""
    newest = max((a.answer.date for a in kb.answers), default=dt.date(2026, 1, 1))
    return str(int(dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC).timestamp()))


def build_site(
    kb_dir: Path,
    out: Path,
    *,
    config_file: Path = Path("mkdocs.yml"),
    node_modules: Path = Path("node_modules"),
    cache_dir: Path = Path(".hepqa-cache"),
    changes_file: Path | None = None,
    strict: bool = False,
) -> BuildReport:
    """Build the static site for `kb_dir` into `out`, replacing it only when the build succeeds.

    **Arguments:**
    - `kb_dir`: the knowledge-base folder (`kb/`).
    - `out`: the site folder to produce (`site/`).
    - `config_file`: the mkdocs configuration; its `docs_dir` holds authored pages, copied into staging.
    - `node_modules`: where `npm ci` put KaTeX and iframe-worker.
    - `cache_dir`: cache of expensive build results (worked examples), keyed by content hash.
    - `changes_file`: where the change report against the replaced site goes (JSON); default
      `<out>-changes.json` beside `out`.
    - `strict`: fail on weakly grounded citations too (they are always reported).

    **Raises:** `HepqaError` subclasses naming what failed; the previous `out` is untouched.
    """
    from mkdocs.commands.build import build as mkdocs_build  # noqa: PLC0415 - heavy import
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    start = time.perf_counter()
    kb = KnowledgeBase.load(kb_dir)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    changes_file = (changes_file or out.with_name(f"{out.name}-changes.json")).resolve()
    _recover(out)
    old_state = read_state(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        config_file = config_file.resolve()
        authored = (config_file.parent / "docs").resolve()
        pages, answered = generate_docs(
            kb, authored, staging / "docs", node_modules.resolve(), cache_dir=cache_dir.resolve(), strict=strict
        )
        warnings = semantic_search(kb, staging / "docs", node_modules.resolve(), cache_dir=cache_dir.resolve())
        for warning in warnings:
            log.warning(warning)
        os.environ["SOURCE_DATE_EPOCH"] = _source_date_epoch(kb)
        try:
            config = load_config(
                config_file=str(config_file),
                docs_dir=str(staging / "docs"),
                site_dir=str(staging / "site"),
                strict=True,
            )
            mkdocs_build(config)
        except (MkDocsException, SystemExit) as exc:
            msg = f"mkdocs build failed (strict): {exc}"
            raise SiteBuildError(msg) from exc
        state = build_state(kb.records, answered)
        write_json(staging / "site" / STATE_FILE, state)
        _swap(staging / "site", out)
    except HepqaError:
        raise
    except Exception as exc:
        msg = f"site build failed: {type(exc).__name__}: {exc}"
        raise SiteBuildError(msg) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    changes = compare_states(old_state, state)
    write_json(changes_file, changes.to_json())
    files = [p for p in out.rglob("*") if p.is_file()]
    report = BuildReport(out, pages + 1, len(kb.answers), len(files), sum(p.stat().st_size for p in files),
                         time.perf_counter() - start, changes, changes_file, tuple(warnings))
    log.info(report.summary())
    return report


def _parked(out: Path) -> Path:
    """Where the previous site waits during a swap."""
    return out.with_name(f".{out.name}.old")


def _recover(out: Path) -> None:
    """Put back a previous site that a swap interrupted by a crash left parked (`out` missing)."""
    parked = _parked(out)
    if parked.exists() and not out.exists():
        log.warning("restoring the previous site from %s (an earlier build was interrupted mid-swap)", parked)
        parked.rename(out)


def _swap(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames on one filesystem.

    The previous site is parked first and put back if the second rename fails, so `out` ends as either the
    old or the new site. Between the two renames (microseconds) `out` is absent; a crash exactly there
    leaves the old site parked, and the next build restores it (`_recover`) before doing anything else.
    """
    parked = _parked(out)
    shutil.rmtree(parked, ignore_errors=True)
    if out.exists():
        out.rename(parked)
    try:
        new.rename(out)
    except BaseException:
        if parked.exists():
            parked.rename(out)
        raise
    shutil.rmtree(parked, ignore_errors=True)
