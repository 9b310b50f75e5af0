"""Train the instant-tier static model (`kb/static-model/`) to mimic all-MiniLM-L6-v2 on the corpus.

Steps (see `hepqa.embed._static_train`):
1. the full model embeds the query-like training texts (titles and seeded abstract spans) that the
   `static_targets` store lacks: the first run takes about 10 minutes on 2 cores, later runs only embed
   what the corpus added (needs the `embed` extra);
2. the token table is fitted (ridge regression) on those and on the stored record, question and sentence
   vectors, and written int8 to `kb/static-model/` with the model's tokenizer;
3. its agreement with the full model is measured on the held-out queries of
   `tests/data/static_heldout_queries.jsonl` (never used in training): static query vectors against the
   stored full-model record vectors, as the site's instant tier and `hepqa search --model static` rank.

Usage:
    python scripts/train_static_model.py [--kb kb] [--skip-embed]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from hepqa.embed import MiniLMEncoder, update_store
from hepqa.embed._static import STATIC_DIR, StaticEncoder, WordPiece
from hepqa.embed._static_train import TARGETS_STORE, FitSettings, agreement, fit, query_like_texts, teacher_data
from hepqa.kb import KnowledgeBase

HELDOUT = Path("tests/data/static_heldout_queries.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=Path("kb"))
    parser.add_argument("--skip-embed", action="store_true", help="train on the targets already embedded")
    args = parser.parse_args()
    kb = KnowledgeBase.load(args.kb)
    teacher = MiniLMEncoder()
    if not args.skip_embed:
        _, update = update_store(kb.root, TARGETS_STORE, query_like_texts(kb.records), teacher, prune=False)
        print(update.summary())
    data = teacher_data(kb)
    settings = FitSettings()
    start = time.perf_counter()
    tokenizer = WordPiece()
    model = fit(data, tokenizer, settings)
    model.save(kb.root / STATIC_DIR, model=teacher.model, tokenizer=tokenizer)
    print(f"fitted {len(model.token_ids)} token vectors x {model.dim} on {len(data.doc_texts)} records and "
          f"{len(data.query_texts)} short texts in {time.perf_counter() - start:.0f} s")
    queries = [json.loads(line)["query"] for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line]
    static = StaticEncoder(kb.root)
    top10, top1 = agreement(static.encode(queries), teacher.encode(queries), data.doc_vectors)
    print(f"held-out ({len(queries)} queries): top-10 agreement {top10:.1%}, full top hit in static top 10 "
          f"{top1:.1%}")


if __name__ == "__main__":
    main()
