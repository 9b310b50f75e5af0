"""Benchmark every ranker on every retrieval evaluation set, with and without glossary expansion.

    .venv/bin/python scripts/bench_retrieval.py [--json out.json] [--titles N] [--cache DIR]

Sets: `titles` (each record's title must retrieve its own record; all 11,022 unless `--titles N` takes a
seeded subset), `questions` (`tests/data/retrieval_questions.jsonl`) and `acronyms`
(`tests/data/retrieval_acronyms.jsonl`). Rankers: dense, BM25, RRF and the two calibrated score mixes at a
few weights (see `hepqa.retrieve._rank`). Prints one table (recall@1, recall@10, MRR, nDCG@10) and the
distribution of dense cosines of relevant and non-relevant top-10 hits under the default ranker, which is
what the similarity percentage on pages means; `--json` writes all of it.

Query vectors are embedded with all-MiniLM-L6-v2 and cached by text hash in `--cache` (default
`/tmp/hepqa-bench`), never in `kb/`. Needs the corpus embeddings in `kb/embeddings/` to be complete.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from hepqa.embed import MiniLMEncoder, text_key
from hepqa.kb import KnowledgeBase
from hepqa.retrieve import (
    DEFAULT_RANKER,
    MINMAX_WEIGHT,
    ZMIX_WEIGHT,
    EvalQuery,
    Metrics,
    evaluate,
    expand_query,
    load_eval_set,
    title_queries,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
WEIGHTS = (0.3, 0.5, 0.7)


def rankers() -> list[str | tuple[str, float]]:
    """Every ranker benchmarked: the three plain ones and the mixes at each weight."""
    return ["dense", "bm25", "rrf"] + [(m, w) for m in ("zmix", "minmax") for w in WEIGHTS]


class QueryCache:
    """Query embeddings keyed by `text_key`, kept in one `.npz` per model under `folder`."""

    def __init__(self, folder: Path, encoder: MiniLMEncoder) -> None:
        self.encoder = encoder
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"queries-{text_key(encoder.model)[:12]}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 `(len(texts), dim)`; embeds (and saves) only texts not cached yet."""
        missing = sorted({t for t in texts if text_key(t) not in self.vectors})
        if missing:
            t0 = time.perf_counter()
            fresh = self.encoder.encode(missing)
            self.vectors.update(zip([text_key(t) for t in missing], fresh, strict=True))
            keys = sorted(self.vectors)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
            print(f"embedded {len(missing)} query texts in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return np.stack([self.vectors[text_key(t)] for t in texts]).astype(np.float32)


def run_set(
    kb, cache, queries: list[EvalQuery], *, plain: dict[str, Metrics] | None = None
) -> dict[str, Metrics]:
    """All rankers on one set: on the queries as written, or (given `plain`, their results) expanded.

    With expansion, BM25 and the encoder see glossary-expanded queries; queries that expansion leaves
    unchanged keep their `plain` results (identical by construction), so only the changed ones are run.
    """
    texts = [expand_query(q.query, kb.glossary) if plain is not None else q.query for q in queries]
    todo = [i for i, (q, t) in enumerate(zip(queries, texts, strict=True)) if plain is None or t != q.query]
    results = evaluate(
        kb.retriever, [queries[i] for i in todo], cache.embed([texts[i] for i in todo]), rankers(),
        texts=[texts[i] for i in todo],
    )
    if plain is None:
        return results
    return {label: Metrics({**plain[label].per_query, **results[label].per_query}) for label in plain}


def similarity_study(kb, cache, queries: list[EvalQuery]) -> dict[str, object]:
    """Dense cosines of relevant vs non-relevant top-10 hits (default ranker, expanded queries)."""
    rel, non, judged = [], [], []

    def collect(label, query, top, cosine):
        if label != DEFAULT_RANKER:
            return
        ids = [kb.retriever.records[i].id for i in top]
        for i, rid in zip(top, ids, strict=True):
            (rel if rid in query.relevant else non).append(float(cosine[i]))
        judged.extend(float(kb.retriever.cosine(rid, kb_query_vec[query.id])) for rid in query.relevant)

    texts = [expand_query(q.query, kb.glossary) for q in queries]
    vecs = cache.embed(texts)
    kb_query_vec = {q.id: v for q, v in zip(queries, vecs, strict=True)}
    evaluate(kb.retriever, queries, vecs, [DEFAULT_RANKER], texts=texts, on_hits=collect)

    def stats(x: list[float]) -> dict[str, float]:
        a = np.asarray(x)
        q = np.quantile(a, [0.1, 0.25, 0.5, 0.75, 0.9])
        return {"n": len(a), "mean": round(float(a.mean()), 3), "p10": round(float(q[0]), 3),
                "p25": round(float(q[1]), 3), "median": round(float(q[2]), 3), "p75": round(float(q[3]), 3),
                "p90": round(float(q[4]), 3)}

    bands = {}
    for lo, hi in ((-1.0, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 1.01)):
        r = sum(lo <= c < hi for c in rel)
        n = sum(lo <= c < hi for c in non)
        label = "<0.4" if lo < 0 else ">=0.7" if hi > 1 else f"{lo:.1f}-{hi:.1f}"
        bands[label] = {"relevant": r, "non_relevant": n, "precision": round(r / (r + n), 3) if r + n else None}
    return {"ranker": DEFAULT_RANKER, "relevant_top10": stats(rel), "non_relevant_top10": stats(non),
            "all_judged_relevant": stats(judged), "precision_by_cosine_band": bands}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the table and the similarity study here")
    parser.add_argument("--titles", type=int, default=None, help="seeded subset of titles (default: all)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hepqa-bench"), help="query-vector cache")
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    args = parser.parse_args(argv)

    kb = KnowledgeBase.load(args.kb)
    t0 = time.perf_counter()
    kb.retriever  # noqa: B018 - build the index (and check the corpus vectors) before timing queries
    print(f"index of {len(kb.records)} records in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    cache = QueryCache(args.cache, MiniLMEncoder(batch_size=64))
    ids = {r.id for r in kb.records}
    sets = {
        "titles": title_queries(kb.records, n=args.titles),
        "questions": load_eval_set(DATA / "retrieval_questions.jsonl", known_ids=ids),
        "acronyms": load_eval_set(DATA / "retrieval_acronyms.jsonl", known_ids=ids),
    }
    table: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for name, queries in sets.items():
        t0 = time.perf_counter()
        plain = run_set(kb, cache, queries)
        expanded = run_set(kb, cache, queries, plain=plain)
        table[name] = {key: {label: m.row() for label, m in results.items()}
                       for key, results in (("plain", plain), ("glossary", expanded))}
        print(f"{name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    default_label = {"zmix": f"zmix@{ZMIX_WEIGHT:g}", "minmax": f"minmax@{MINMAX_WEIGHT:g}"}.get(
        DEFAULT_RANKER, DEFAULT_RANKER)
    header = (f"{'set':<10} {'query':<9} {'ranker':<11} {'n':>6} {'R@1':>6} {'R@10':>6} {'MRR':>6} "
              f"{'nDCG@10':>8}")
    print(header)
    print("-" * len(header))
    for name, by_expand in table.items():
        for key, by_ranker in by_expand.items():
            for label, row in by_ranker.items():
                mark = " *" if label == default_label and key == "glossary" else ""
                print(f"{name:<10} {key:<9} {label:<11} {row['n']:>6} {row['recall@1']:>6.3f} "
                      f"{row['recall@10']:>6.3f} {row['MRR']:>6.3f} {row['nDCG@10']:>8.3f}{mark}")
    print(f"(* = the default: ranker {default_label!r} on glossary-expanded queries)")

    similarity = {name: similarity_study(kb, cache, sets[name]) for name in ("questions", "acronyms")}
    for name, study in similarity.items():
        print(f"\nsimilarity on {name} (default ranker, top-10 hits):")
        for part in ("relevant_top10", "non_relevant_top10", "all_judged_relevant"):
            print(f"  {part:<20} {study[part]}")
        print(f"  precision by cosine band: {study['precision_by_cosine_band']}")

    if args.json:
        args.json.write_text(json.dumps({
            "model": cache.encoder.model,
            "records": len(kb.records),
            "default_ranker": default_label,
            "results": table,
            "similarity": similarity,
        }, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
