"""Calibrate the citation-grounding threshold on a labelled sample of (claim, record) pairs.

The sample (`tests/data/grounding_labels.jsonl`) is made from the shipped answers:
- `supported`: each citing sentence with each record it cites (the answers were written from those
  abstracts and spot-checked by reading them);
- `unrelated`: the same sentence with a record cited by a *different* answer (seeded choice);
- `random`: the same sentence with a random corpus record (seeded);
- `sibling`: the same sentence with a record the *same* answer cites for another sentence (a hard,
  on-topic mismatch; reported separately, not used to pick the threshold).

Usage:
    python scripts/calibrate_grounding.py --write-labels   # (re)make the sample from kb/answers
    python scripts/calibrate_grounding.py                  # score it; print precision/recall per threshold
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from hepqa.answers._grounding import GROUNDING_THRESHOLD, claims_in, grounding_score
from hepqa.embed import MiniLMEncoder
from hepqa.kb import KnowledgeBase

LABELS = Path("tests/data/grounding_labels.jsonl")


def make_labels(kb: KnowledgeBase, seed: int = 20261203) -> list[dict[str, object]]:
    """The labelled pairs, deterministic for a given kb and seed."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    cited_by = {a.slug: set(a.answer.citations) for a in kb.answers}
    ids = [r.id for r in kb.records]
    for item in kb.answers:
        others = sorted(set().union(*(c for s, c in cited_by.items() if s != item.slug)) - cited_by[item.slug])
        for claim in claims_in(item.answer.answer):
            base = {"answer": item.slug, "claim": claim.text}
            rows += [{**base, "record": rid, "label": 1, "kind": "supported"} for rid in claim.cited]
            rows.append({**base, "record": rng.choice(others), "label": 0, "kind": "unrelated"})
            rows.append({**base, "record": rng.choice(ids), "label": 0, "kind": "random"})
            siblings = sorted(cited_by[item.slug] - set(claim.cited))
            if siblings:
                rows.append({**base, "record": rng.choice(siblings), "label": 0, "kind": "sibling"})
    return rows


def score_rows(kb: KnowledgeBase, rows: list[dict[str, object]], encoder: MiniLMEncoder) -> np.ndarray:
    """Grounding score of every labelled pair, embedding with the real model."""
    cache: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        if todo:
            cache.update(zip(todo, encoder.encode(todo), strict=True))
        return np.stack([cache[t] for t in texts])

    return np.array([
        grounding_score(str(r["claim"]), kb.by_id[str(r["record"])], embed=embed).score for r in rows
    ])


def precision_recall(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    """Precision and recall of 'supported' (score ≥ threshold)."""
    predicted = scores >= threshold
    tp = float(np.sum(predicted & (labels == 1)))
    precision = tp / max(float(np.sum(predicted)), 1.0)
    recall = tp / max(float(np.sum(labels == 1)), 1.0)
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-labels", action="store_true")
    args = parser.parse_args()
    kb = KnowledgeBase.load(Path("kb"))
    if args.write_labels:
        rows = make_labels(kb)
        LABELS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"wrote {len(rows)} labelled pairs to {LABELS}")
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    scores = score_rows(kb, rows, MiniLMEncoder())
    kinds = np.array([r["kind"] for r in rows])
    labels = np.array([r["label"] for r in rows])
    main_set = kinds != "sibling"
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}  (supported vs unrelated+random)")
    best = (0.0, 0.0)
    for threshold in np.arange(0.20, 0.71, 0.025):
        p, r = precision_recall(scores[main_set], labels[main_set], threshold)
        f1 = 2 * p * r / max(p + r, 1e-9)
        best = max(best, (f1, threshold))
        print(f"{threshold:9.3f} {p:9.3f} {r:7.3f} {f1:6.3f}")
    p, r = precision_recall(scores[main_set], labels[main_set], GROUNDING_THRESHOLD)
    print(f"\nbest F1 {best[0]:.3f} at {best[1]:.3f}; shipped threshold {GROUNDING_THRESHOLD}: "
          f"precision {p:.3f}, recall {r:.3f}")
    for kind in ("supported", "unrelated", "random", "sibling"):
        chosen = scores[kinds == kind]
        if chosen.size:
            passed = float(np.mean(chosen >= GROUNDING_THRESHOLD))
            print(f"{kind:>9}: n={chosen.size:4d} median score {np.median(chosen):.3f}, "
                  f"{passed:.1%} at or above the threshold")


if __name__ == "__main__":
    main()
