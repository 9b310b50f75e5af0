"""Run every `kb/examples/*.yaml` through `hepqa.eft` and write Markdown pages with SVG plots.

Two phases (mkdocs habit): every spec is loaded and validated first, so one malformed spec fails the build
before anything is written; then each example is computed (or read from the cache) and rendered.

Cache: `cache_dir/<slug>.json` holds the computed results together with their key,
`sha256(spec file bytes + hepqa.eft code hash + hepqa.examples code hash)`. The code hashes are sha256 of the
sorted source files of the two packages, so editing the core or a runner invalidates the cache, and a warm
cache never imports JAX. The rendered page and its plots are cached too (`cache_dir/<slug>.page/`, under the
same key plus matplotlib's version): drawing the SVGs is most of a warm build's time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import time
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path

from hepqa._yaml import line_of_field
from hepqa.errors import AnswerError

from . import _alphas, _deltaf2, _degeneracy, _matching, _nda
from ._spec import load_spec

__all__ = ["ExamplePage", "render_examples", "RUNNERS", "code_hash"]

log = logging.getLogger("hepqa.examples")

#: kind → module with `run(spec) -> dict`, `plots(spec, result, out_dir) -> [(file, alt)]`, `page(spec, result)`.
RUNNERS = {
    "nda-competing-scales": _nda,
    "deltaf2-bounds": _deltaf2,
    "matching-scale-fit": _matching,
    "degeneracy": _degeneracy,
    "alpha-s-thresholds": _alphas,
}

_PKG = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ExamplePage:
    """One rendered example: `slug` (file stem), `title`, `summary`, `headline` numbers (name → value, units in
    the name), `supports`: slugs of the answers it backs."""

    slug: str
    title: str
    summary: str
    headline: dict[str, float] = field(hash=False)
    supports: list[str] = field(hash=False)


def code_hash() -> str:
    """sha256 over the source files of `hepqa.eft` and `hepqa.examples` (sorted by path)."""
    h = hashlib.sha256()
    for pkg in (_PKG.parent / "eft", _PKG):
        for p in sorted(pkg.rglob("*")):
            if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(_PKG.parent)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _plain(x):
    """JSON-safe copy (numpy/JAX scalars and arrays → float/list)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, (str, bool)) or x is None:
        return x
    if isinstance(x, int):
        return x
    if hasattr(x, "tolist"):
        return _plain(x.tolist())
    return float(x)


def _results(slug: str, spec, key: str, cache_dir: Path | None) -> dict:
    path = cache_dir / f"{slug}.json" if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}
        if cached.get("key") == key:
            log.debug("%s: cache hit", slug)
            return cached["result"]
    t0 = time.perf_counter()
    result = _plain(RUNNERS[spec.kind].run(spec))
    log.info("%s: computed in %.1f s", slug, time.perf_counter() - t0)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"key": key, "result": result}, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    return result


def _markdown(slug: str, spec, result: dict, figures: list[tuple[str, str]]) -> str:
    mod = RUNNERS[spec.kind]
    body = mod.page(spec, result).replace("{slug}", slug)
    for name, alt in figures:
        ref = f"({slug}/{name})"
        if ref not in body:
            body += f"\n\n![{alt}]({slug}/{name})"
    backs = "\n".join(f"- [{qtext}](../answers/{s}.md)" for s, qtext in zip(spec.supports, spec.supports_questions))
    parts = [
        f"# {spec.title}",
        f"*Worked example, computed at build time with `hepqa.eft`. Spec: `kb/examples/{slug}.yaml`.*",
        spec.intro.strip(),
        body.strip(),
    ]
    if spec.discussion.strip():
        parts += ["## Discussion", spec.discussion.strip()]
    parts += ["## Answers this example supports", backs,
              "---\n*A research aid, not a peer review: the estimates carry the approximations stated above; "
              "check the cited sources before relying on a number.*"]
    return "\n\n".join(parts) + "\n"


def _render(slug: str, spec, result: dict, key: str, out_dir: Path, cache_dir: Path | None) -> None:
    """Write `out_dir/<slug>.md` and `out_dir/<slug>/` from `result`, or copy them from the page cache."""
    page_key = f"{key} matplotlib {metadata.version('matplotlib')}"
    cached = cache_dir / f"{slug}.page" if cache_dir is not None else None
    if cached is not None and (cached / "KEY").is_file() and (cached / "KEY").read_text() == page_key:
        log.debug("%s: page cache hit", slug)
        shutil.copytree(cached / slug, out_dir / slug, dirs_exist_ok=True)
        shutil.copyfile(cached / f"{slug}.md", out_dir / f"{slug}.md")
        return
    fig_dir = out_dir / slug
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures = RUNNERS[spec.kind].plots(spec, result, fig_dir)
    (out_dir / f"{slug}.md").write_text(_markdown(slug, spec, result, figures), encoding="utf-8")
    if cached is not None:  # fill a sibling folder, then swap it in: a crash never leaves half a page cached
        cache_dir.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=cache_dir, prefix=f".{slug}."))
        shutil.copytree(fig_dir, fresh / slug)
        shutil.copyfile(out_dir / f"{slug}.md", fresh / f"{slug}.md")
        (fresh / "KEY").write_text(page_key)
        shutil.rmtree(cached, ignore_errors=True)
        fresh.replace(cached)


def render_examples(examples_dir: Path, out_dir: Path, *, cache_dir: Path | None = None) -> list[ExamplePage]:
    """Run every `examples_dir/*.yaml` through `hepqa.eft` and write `out_dir/<slug>.md` plus
    `out_dir/<slug>/*.svg`.

    **Arguments:** `examples_dir` (the specs), `out_dir` (created; only `<slug>.md` and `<slug>/` are
    written), `cache_dir`: results cache keyed by sha256(spec bytes + core and runner code hash); `None`
    computes everything.

    **Returns:** one `ExamplePage` per spec, sorted by slug.

    **Raises:** `AnswerError` naming file, line and field for a malformed spec (before anything is written).
    """
    examples_dir, out_dir = Path(examples_dir), Path(out_dir)
    paths = sorted(examples_dir.glob("*.yaml"))
    specs = []
    for p in paths:
        spec = load_spec(p)
        if len(spec.supports) != len(spec.supports_questions):
            msg = (f"{p}:{line_of_field(p, ('supports_questions',))}: supports_questions: must have one question "
                   "per entry of supports "
                   f"({len(spec.supports)}), got {len(spec.supports_questions)}")
            raise AnswerError(msg)
        specs.append((p, spec))
    ch = code_hash()
    pages = []
    t0 = time.perf_counter()
    for p, spec in specs:
        slug = p.stem
        key = hashlib.sha256(p.read_bytes() + ch.encode()).hexdigest()
        result = _results(slug, spec, key, cache_dir)
        _render(slug, spec, result, key, out_dir, cache_dir)
        pages.append(ExamplePage(slug=slug, title=spec.title, summary=spec.summary,
                                 headline={k: float(v) for k, v in sorted(result["headline"].items())},
                                 supports=list(spec.supports)))
    log.info("examples: %d pages in %.1f s", len(pages), time.perf_counter() - t0)
    return pages
