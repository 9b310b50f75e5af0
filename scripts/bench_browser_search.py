"""Benchmark both semantic tiers of browser search in headless Chromium: exact (all-MiniLM-L6-v2, int8 ONNX)
and instant (the static model of kb/static-model/).

    .venv/bin/python scripts/bench_browser_search.py [--site DIR] [--json out.json] [--loads N]

Builds the site into a temporary folder (or uses `--site`, a site built by `hepqa build`), opens
`semantic-search.html` from `file://` with networking off in Debian's chromium, and measures:

- model ready time: from the first call until the model is loaded and has run one warm-up query
  (`--loads` fresh pages; median and range);
- per-query latency: tokenising, embedding and scoring all documents, per held-out query (median, p90, max);
- agreement with the Python full model (sentence-transformers on the CPU, the same stored document
  vectors, the query glossary-expanded as the page and the command line do): top-10 overlap, top-1
  equality, and the cosine between the browser's and Python's query vector;
- the size of every semantic asset;
- the instant tier: its ready time on a fresh page (from navigation start, assets parsed and decoded), its per-query latency
  (tokenising, pooling, scoring all documents), and its agreement with the Python full model on the same
  queries plus those of `tests/data/static_heldout_queries.jsonl` (top-10 overlap; whether the full model's
  top hit is in the instant top 10).

The held-out queries below were written for this benchmark; none is an answered question or a corpus title.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from hepqa.embed import MiniLMEncoder
from hepqa.kb import KnowledgeBase
from hepqa.retrieve import expand_query
from hepqa.site import build_site
from hepqa.site._semantic import document_rows

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
HELD_OUT = (
    "anomalous magnetic moment of the muon hadronic vacuum polarization",
    "sterile neutrino searches at short baselines",
    "gravitational waves from cosmic strings",
    "top quark mass measurement at the LHC",
    "jet substructure with machine learning",
    "primordial black holes as dark matter",
    "conformal bootstrap bounds on scaling dimensions",
    "CP violation in charm decays",
    "quark-gluon plasma viscosity from heavy-ion collisions",
    "supersymmetry searches with missing transverse energy",
    "axion-like particles coupling to photons",
    "lepton flavour violation in tau decays",
    "cosmic inflation and the tensor-to-scalar ratio",
    "scattering amplitudes at two loops",
    "Hubble tension and early dark energy",
    "leptogenesis and the baryon asymmetry",
    "neutron star equation of state",
    "vector-like quarks at hadron colliders",
    "entanglement entropy in quantum field theory",
    "proton radius puzzle",
    "g-2",
    "what sets the width of the W boson?",
)


def _site(path: Path | None, tmp: Path) -> Path:
    if path is not None:
        return path.resolve()
    out = tmp / "site"
    report = build_site(ROOT / "kb", out, config_file=ROOT / "mkdocs.yml", node_modules=ROOT / "node_modules",
                        cache_dir=ROOT / ".hepqa-cache")
    if report.warnings:
        sys.exit("\n".join(report.warnings))
    return out


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "p90": float(np.percentile(ordered, 90)),
            "min": ordered[0], "max": ordered[-1]}


def measure(site: Path, loads: int) -> dict[str, object]:
    """All figures for the site at `site` (see the module docstring)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    kb = KnowledgeBase.load(ROOT / "kb")
    rows, docs = document_rows(kb)
    encoder = MiniLMEncoder()
    python = encoder.encode([expand_query(q, kb.glossary) for q in HELD_OUT])
    heldout = (ROOT / "tests" / "data" / "static_heldout_queries.jsonl").read_text(encoding="utf-8")
    instant_queries = [*HELD_OUT, *(json.loads(line)["query"] for line in heldout.splitlines())]
    instant_python = encoder.encode([expand_query(q, kb.glossary) for q in instant_queries])
    url = (site / "semantic-search.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ready = []
        for _ in range(loads):
            context = browser.new_context()
            context.set_offline(True)
            page = context.new_page()
            page.goto(url)
            ready.append(page.evaluate("async () => { const t = performance.now(); await hepqaSemantic.ready();"
                                       " return performance.now() - t; }"))
            context.close()
        context = browser.new_context()
        context.set_offline(True)
        page = context.new_page()
        page.goto(url)
        page.evaluate("() => hepqaSemantic.ready()")
        measured = page.evaluate(
            """async qs => { const out = [];
                for (const q of qs) { const v = await hepqaSemantic.embed(hepqaShared.expand(q));
                  const t = performance.now(); const hits = await hepqaSemantic.search(q, 10);
                  out.push({ms: performance.now() - t, vector: Array.from(v), ids: hits.map(h => h.id)}); }
                return out; }""",
            list(HELD_OUT),
        )
        context = browser.new_context()
        context.set_offline(True)
        page = context.new_page()
        page.goto(url)
        # from navigation start: the page starts loading the instant tier's assets as it opens
        instant_ready = page.evaluate("async () => { await hepqaInstant.ready(); return performance.now(); }")
        instant = page.evaluate(
            """qs => qs.map(q => { const t = performance.now(); const hits = hepqaInstant.search(q, 10);
                                  return {ms: performance.now() - t, ids: hits.map(h => h.id)}; })""",
            instant_queries,
        )
        browser.close()
    instant_overlap, instant_hit = [], []
    for m, vector in zip(instant, instant_python, strict=True):
        full = [rows[i][1] for i in np.argsort(-(docs @ vector), kind="stable")[:10]]
        instant_overlap.append(len(set(full) & set(m["ids"])) / 10)
        instant_hit.append(float(full[0] in m["ids"]))
    overlap, top1, cosine = [], [], []
    for m, vector in zip(measured, python, strict=True):
        full = [rows[i][1] for i in np.argsort(-(docs @ vector), kind="stable")[:10]]
        overlap.append(len(set(full) & set(m["ids"])) / 10)
        top1.append(float(full[0] == m["ids"][0]))
        cosine.append(float(np.asarray(m["vector"]) @ vector))
    assets = {p.name: p.stat().st_size for p in sorted((site / "assets" / "semantic").iterdir())}
    return {
        "queries": len(HELD_OUT),
        "documents": len(rows),
        "ready_ms": _summary(ready),
        "query_ms": _summary([m["ms"] for m in measured]),
        "top10_agreement": statistics.mean(overlap),
        "top10_agreement_min": min(overlap),
        "top1_equal": statistics.mean(top1),
        "query_cosine": _summary(cosine),
        "asset_bytes": assets,
        "asset_total_mb": sum(assets.values()) / 1e6,
        "instant_queries": len(instant_queries),
        "instant_ready_ms": instant_ready,
        "instant_query_ms": _summary([m["ms"] for m in instant]),
        "instant_top10_agreement": statistics.mean(instant_overlap),
        "instant_full_top1_in_top10": statistics.mean(instant_hit),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--loads", type=int, default=3, help="fresh page loads timed for the ready time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(_site(args.site, Path(tmp)), args.loads)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
