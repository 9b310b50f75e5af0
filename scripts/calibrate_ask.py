"""Choose `hepqa ask`'s threshold: precision and recall of returning a curated answer, by threshold.

    .venv/bin/python scripts/calibrate_ask.py [--labels tests/data/ask_questions.jsonl] [--model static]
                                              [--json out.json]

For each labelled question (see `hepqa.search._calibrate`) the closest answered question and its cosine are
computed with all-MiniLM-L6-v2 (or `--model static`: the static model), exactly as `hepqa ask` does; then, for thresholds 0.40–0.90, the script prints
precision, recall and F1, and how often an unanswered physics question or an off-topic one would get an answer.
It also prints every labelled paraphrase whose closest answer is a different one, and the cosines of the
closest answers of each kind (the distributions the threshold has to separate).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from hepqa.search import MODELS, Searcher, threshold_for
from hepqa.search._calibrate import closest_matches, load_ask_labels, precision_recall

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "tests" / "data" / "ask_questions.jsonl")
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    parser.add_argument("--model", choices=MODELS, default="minilm", help="query encoder, as `hepqa ask --model`")
    parser.add_argument("--json", type=Path, help="write the table here")
    args = parser.parse_args(argv)

    searcher = Searcher.open(args.kb, model=args.model, cache_dir=ROOT / ".hepqa-cache")
    current = threshold_for(searcher)
    labels = load_ask_labels(args.labels, known_slugs={a.slug for a in searcher.kb.answers})
    matches = closest_matches(searcher, labels)

    kinds = sorted({m.label.kind for m in matches})
    for kind in kinds:
        c = np.array([m.cosine for m in matches if m.label.kind == kind])
        print(f"{kind:<12} n={len(c):>3}  closest-answer cosine: min {c.min():.3f}  median {np.median(c):.3f}  "
              f"max {c.max():.3f}")
    wrong = [m for m in matches if m.label.answer is not None and m.slug != m.label.answer]
    for m in wrong:
        print(f"  paraphrase closest to another answer ({m.cosine:.3f} {m.slug}): {m.label.query}")

    rows = []
    unanswered = sorted({m.label.kind for m in matches if m.label.answer is None})
    print(f"\n{'t':>5} {'precision':>9} {'recall':>7} {'F1':>6} " + " ".join(f"{'FP ' + k:>14}" for k in unanswered))
    for t in np.round(np.arange(0.40, 0.901, 0.01), 2):
        p, r = precision_recall(matches, float(t))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        answered = {k: sum(m.cosine >= t for m in matches if m.label.kind == k and m.label.answer is None)
                    for k in unanswered}
        rows.append({"threshold": float(t), "precision": p, "recall": r, "f1": f1, "false_answers": answered})
        mark = " *" if abs(t - current) < 1e-9 else ""
        print(f"{t:>5.2f} {p:>9.3f} {r:>7.3f} {f1:>6.3f} "
              + " ".join(f"{answered[k]:>14}" for k in unanswered) + mark)
    print(f"(* = the threshold `hepqa ask --model {args.model}` uses, {current}; FP = questions with no curated "
          "answer that would get one)")
    if args.json:
        args.json.write_text(json.dumps({"labels": str(args.labels), "rows": rows}, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
