"""Benchmark ingestion of a large arXiv snapshot dump, and the single-machine embedding path.

    PYTHONPATH=src .venv/bin/python scripts/bench_ingest.py [--records 200000] [--sample 200] [--no-embed]

1. Generates a gzip snapshot-format dump (`--records` lines, ~1 kB abstracts, a quarter with a hep-* primary,
   5% of names in LaTeX, 2% repeated ids with a newer version, 0.1% malformed lines) in a temporary folder.
2. Ingests it into an empty temporary kb with `--categories hep-` and prints time and peak memory (the
   process's peak RSS, and its growth over the ingest).
3. Streams the dump once more through `read_records` under `tracemalloc`, printing the traced peak after a
   quarter and after all of the file: equal peaks mean the reader holds no more than one record at a time.
4. Unless `--no-embed`: embeds `--sample` real corpus records with all-MiniLM-L6-v2 (per-record throughput),
   then, in the same process, runs the incremental path (`update_store`) on a copy of the shipped
   full-corpus store with 100 new records added, and prints the ratio of the extrapolated full-corpus embed to that +100 run.

Nothing is written into `kb/`. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from hepqa.corpus import Record, Selection, ingest, load_corpus, read_records, record_text

ROOT = Path(__file__).resolve().parents[1]
_WORDS = ("quark gluon lattice coupling anomaly symmetry boson fermion scalar vacuum loop matching running "
          "operator coefficient collider decay flavour neutrino axion gravity string duality entropy horizon "
          "amplitude cross section luminosity detector calorimeter jet tau muon electron photon higgs top").split()
_CATEGORIES = ("hep-ph", "hep-th", "hep-ex", "hep-lat", "astro-ph.CO", "gr-qc", "cond-mat.str-el", "math.AG",
               "cs.LG", "quant-ph", "nucl-th", "physics.optics")


def _row(n: int, version: int) -> dict[str, object]:
    """Snapshot line `n`; content is seeded by `n`, so a newer version differs only in its abstract's end."""
    rng = random.Random(n)
    cats = [rng.choice(_CATEGORIES[:4] if n % 4 == 0 else _CATEGORIES[4:])]
    cats += rng.sample(_CATEGORIES[4:], rng.randint(0, 2))
    authors = []
    for _ in range(rng.randint(1, 8)):
        surname = "".join(rng.choices("aeioubcdfghklmnprstvz", k=rng.randint(4, 9))).capitalize()
        if rng.random() < 0.05:  # noqa: PLR2004 - a few names spelled in LaTeX, as in real dumps
            surname = surname[:2] + "\\'" + surname[2:]
        authors.append([surname, f"{rng.choice('ABCDEFGHIJKLMNOPRSTVW')}.", ""])
    return {
        "id": f"{15 + n // 900_000:02d}{1 + (n // 90_000) % 12:02d}.{n % 90_000:05d}",
        "submitter": "A. Submitter", "authors": ", ".join(f"{a[1]} {a[0]}" for a in authors),
        "title": " ".join(rng.choices(_WORDS, k=rng.randint(5, 14))).capitalize(),
        "comments": "12 pages", "journal-ref": None, "doi": None, "report-no": None,
        "categories": " ".join(dict.fromkeys(cats)), "license": None,
        "abstract": " ".join(rng.choices(_WORDS, k=rng.randint(100, 200))) + (" (revised)" * (version - 1)) + ".",
        "versions": [{"version": f"v{v}", "created": f"Mon, {1 + v} Apr 2019 10:00:00 GMT"}
                     for v in range(1, version + 1)],
        "update_date": f"2020-01-{version:02d}", "authors_parsed": authors,
    }


def generate(path: Path, count: int) -> None:
    """Write `count` snapshot lines (gzip level 1) to `path`."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for n in range(count):
            if n % 1000 == 999:  # noqa: PLR2004 - 0.1% malformed
                handle.write('{"id": "not an id", "title": "broken"\n')
            elif n % 50 == 49:  # noqa: PLR2004 - 2% a newer version of an earlier id
                handle.write(json.dumps(_row(n - 41, 2)) + "\n")
            else:
                handle.write(json.dumps(_row(n, 1)) + "\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ingest(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="hepqa-bench-ingest-") as tmp:
        dump = Path(tmp) / "arxiv-metadata-snapshot.json.gz"
        start = time.perf_counter()
        generate(dump, count)
        print(f"generated {count} lines ({dump.stat().st_size / 1e6:.0f} MB gzip) in "
              f"{time.perf_counter() - start:.1f} s")
        rss_before = _rss_mb()
        start = time.perf_counter()
        report = ingest(Path(tmp) / "kb", [dump], selection=Selection(("hep-",)))
        seconds = time.perf_counter() - start
        print(f"ingest --categories hep-: {seconds:.1f} s ({count / seconds:,.0f} lines/s); {report.summary()}")
        print(f"  peak RSS {_rss_mb():.0f} MB (grew {_rss_mb() - rss_before:.0f} MB during ingest; "
              f"it holds the {report.total} kept records to write them sorted)")
        tracemalloc.start()
        seen, quarter_peak = 0, 0
        for _ in read_records(dump):
            seen += 1
            if seen == count // 4:
                quarter_peak = tracemalloc.get_traced_memory()[1]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"streaming read of {seen} items: traced peak {quarter_peak / 1e6:.2f} MB after a quarter, "
              f"{peak / 1e6:.2f} MB after all (constant memory)")


def bench_embed(sample: int) -> None:
    from hepqa.embed import MiniLMEncoder, update_store  # noqa: PLC0415 - needs the embed extra

    records = load_corpus(ROOT / "kb")
    encoder = MiniLMEncoder()
    encoder.encode(["warm-up"])
    texts = [record_text(r) for r in records[:sample]]
    start = time.perf_counter()
    encoder.encode(texts)
    per_record = (time.perf_counter() - start) / sample
    full = per_record * len(records)
    print(f"embed: {1 / per_record:.1f} records/s on {sample} records; full corpus ({len(records)}) "
          f"extrapolated {full / 60:.1f} min")
    extra = [record_text(Record.model_validate({**r.model_dump(), "id": f"2699.{n:05d}", "title": f"New {r.title}"}))
             for n, r in enumerate(records[sample : sample + 100])]
    with tempfile.TemporaryDirectory(prefix="hepqa-bench-embed-") as tmp:
        store = Path(tmp) / "embeddings"
        store.mkdir()
        for name in ("corpus.npy", "corpus.json"):  # the shipped full-corpus store, so load/save are real size
            shutil.copyfile(ROOT / "kb" / "embeddings" / name, store / name)
        start = time.perf_counter()
        _, update = update_store(Path(tmp), "corpus", [record_text(r) for r in records] + extra, encoder,
                                 show_progress=False)
        plus = time.perf_counter() - start
    print(f"incremental +100: {plus:.1f} s ({update.summary()}); full / +100 = {full / plus:.0f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--no-embed", action="store_true")
    args = parser.parse_args()
    bench_ingest(args.records)
    if not args.no_embed:
        bench_embed(args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
