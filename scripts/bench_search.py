"""Benchmark `hepqa search` and `hepqa ask` on the full corpus: load time, then per-query latency cold vs warm.

    .venv/bin/python scripts/bench_search.py [--kb kb] [--model minilm|static] [--repeat 3] [--json out.json]

In one process, timed with `time.perf_counter`:

- **load**: imports, the knowledge base (corpus, glossary, answers), the BM25 index built from scratch and
  then loaded from its on-disk cache (a fresh temporary cache folder), and `Searcher.open` on that cache;
- **search**: the first query (cold: it loads all-MiniLM-L6-v2, imports and weights, and runs its first
  forward pass; with `--model static` the static model is loaded by `Searcher.open`), the second, and then every query of a fixed list of ten, `--repeat` times (warm), as
  median and maximum;
- **ask**: the same for `ask` on questions that get an answer and questions that get a digest (a digest
  embeds the quoted papers' sentences that the snippet store lacks: cold once per question, then reused).

Then the CLI end to end, as a reader runs it: `hepqa search` in a fresh process, wall time, with the BM25
cache empty and then filled. Targets (issue 9): warm search at most 1 s per query. No number here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "NDA", "muon g-2 hadronic vacuum polarisation", "B→K*μμ charm loops", "freeze-in dark matter",
    "two-loop SMEFT running", "positivity bounds on Wilson coefficients", "islands and the Page curve",
    "lattice QCD form factors for B decays", "Higgs self-coupling at a muon collider", "sterile neutrinos",
]
ASKED = [
    "Do islands and replica wormholes resolve the black hole information paradox?",  # answered
    "Is the DESI evidence for evolving dark energy robust?",  # answered
    "How are jets quenched in the quark-gluon plasma?",  # digest
    "What is the current measurement of the top quark mass at the LHC?",  # digest
]


def _timed(fn):  # noqa: ANN001, ANN202
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _stats(seconds: list[float]) -> dict[str, float]:
    return {"median_ms": round(1000 * statistics.median(seconds), 1), "max_ms": round(1000 * max(seconds), 1),
            "n": len(seconds)}


def in_process(kb_dir: Path, repeat: int, model: str) -> dict[str, object]:
    """Load and per-query timings inside one process."""
    t0 = time.perf_counter()
    from hepqa.corpus import record_text  # noqa: PLC0415
    from hepqa.kb import KnowledgeBase  # noqa: PLC0415
    from hepqa.retrieve._bm25 import bm25_index  # noqa: PLC0415
    from hepqa.search import Searcher, ask  # noqa: PLC0415
    imports = time.perf_counter() - t0

    kb, kb_load = _timed(lambda: KnowledgeBase.load(kb_dir))
    texts = [record_text(r) for r in kb.records]
    with tempfile.TemporaryDirectory() as cache:
        _, bm25_build = _timed(lambda: bm25_index(texts, cache_dir=Path(cache)))
        _, bm25_cached = _timed(lambda: bm25_index(texts, cache_dir=Path(cache)))
        searcher, searcher_open = _timed(lambda: Searcher.open(kb_dir, model=model, cache_dir=Path(cache)))
    if searcher.encoder is None:
        msg = f"the benchmark needs the embedding model: {searcher.notice}"
        raise SystemExit(msg)
    _, cold = _timed(lambda: searcher.search(QUERIES[0]))  # loads the model: imports, weights, first pass
    _, second = _timed(lambda: searcher.search(QUERIES[1]))
    warm = [_timed(lambda q=q: searcher.search(q))[1] for _ in range(repeat) for q in QUERIES]
    ask_cold, ask_warm, kinds = [], [], {}
    for question in ASKED:
        result, seconds = _timed(lambda q=question: ask(searcher, q))
        kinds[question] = result.kind
        ask_cold.append(seconds)
        ask_warm += [_timed(lambda q=question: ask(searcher, q))[1] for _ in range(repeat)]
    return {
        "records": len(kb.records),
        "load_s": {"imports": round(imports, 2), "kb": round(kb_load, 2), "bm25_build": round(bm25_build, 2),
                   "bm25_from_cache": round(bm25_cached, 3), "searcher_open_cached": round(searcher_open, 2)},
        "search": {"cold_first_query_s": round(cold, 2), "second_query_ms": round(1000 * second, 1),
                   "warm": _stats(warm)},
        "ask": {"kinds": kinds, "cold": _stats(ask_cold), "warm": _stats(ask_warm)},
    }


def end_to_end(kb_dir: Path, model: str) -> dict[str, float]:
    """Wall time of `hepqa search` in a fresh process, BM25 cache empty then filled."""
    hepqa = Path(sys.executable).with_name("hepqa")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = {}
    with tempfile.TemporaryDirectory() as cache:
        for label in ("cli_empty_cache_s", "cli_cached_s"):
            start = time.perf_counter()
            subprocess.run([str(hepqa), "search", "NDA", "--model", model, "--kb", str(kb_dir), "--cache-dir", cache],
                           env=env, check=True, capture_output=True)
            out[label] = round(time.perf_counter() - start, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    parser.add_argument("--model", choices=("minilm", "static"), default="minilm", help="query encoder")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the query lists for warm timings")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    figures = {"model": args.model, **in_process(args.kb, args.repeat, args.model),
               "end_to_end": end_to_end(args.kb, args.model), "cpus": os.cpu_count()}
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
