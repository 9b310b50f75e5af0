"""The exact semantic tier of browser search: all-MiniLM-L6-v2 run in the page by onnxruntime-web.

The build writes, under `assets/semantic/` of the docs tree, everything the page needs as classic scripts
(ES modules and `fetch()` of `file://` URLs are blocked, origin `null`; GUIDE §6):

- `ort.wasm.min.js`: onnxruntime-web's UMD build, copied from `node_modules`;
- `ort-glue.js`: its `ort-wasm-simd-threaded.mjs` loader as a string (`HEPQA_ORT_GLUE`), imported from a
  `blob:` URL;
- `ort-wasm.js`, `model.js`: the wasm binary and the ONNX graph with int8 weights (`hepqa.embed._onnx`),
  gzip-compressed and base64-encoded (`HEPQA_ORT_WASM`, `HEPQA_SEMANTIC_MODEL`; the page decodes them with
  `DecompressionStream`);
- `vocab.js`: the model's WordPiece `vocab.txt` (`HEPQA_VOCAB`, one token a line, line number = token id);
- `vectors.js`: the document vectors (`HEPQA_SEMANTIC_VECTORS`): every corpus record, then every answered
  question, as int8 with one scale per dimension (`vector[j] = scales[j] * int8[j]`; one scale for all
  cost a point of top-10 agreement on some query sets), 384 dimensions, row-major, gzip + base64,
  with each row's kind (`p` paper, `a` answer), arXiv id or answer slug, and title or question.

The query is tokenised, encoded, mean-pooled and normalised by `assets/javascripts/semantic-search.js`;
documents are ranked by the dot product of the unit query with the dequantised vectors. When the model or
onnxruntime-web is not available at build time, the page says so and the build reports a warning.

The instant tier answers on every key press before that model has loaded, with the static model of
`kb/static-model/` (`hepqa.embed.StaticEncoder`), from two more assets:
- `instant.js` (`HEPQA_INSTANT`): the token table (int8, one float32 scale per row, and each row's vocabulary
  id), the static vectors of the same rows `vectors.js` holds (int8, one float32 scale per row), the rows
  themselves, each array little-endian, gzip + base64;
- `assets/javascripts/instant-search.js` pools and ranks; the WordPiece tokenizer, ranking and result list
  are shared with the exact tier in `assets/javascripts/semantic-shared.js`.
Without a static model (or with one trained on another vocabulary) the page has the exact tier only, and
the build warns. The static document vectors are cached under `cache_dir/instant/`.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from hepqa._io import atomic_open
from hepqa.embed._static import StaticEncoder, quantize_rows
from hepqa.errors import EmbeddingError
from hepqa.kb import KnowledgeBase
from hepqa.search._mathtext import plain_text
from hepqa.site._html import escape

__all__ = ["SEMANTIC_PAGE", "semantic_search"]

SEMANTIC_PAGE = "semantic-search.md"
_ASSETS = "assets/semantic"
_ORT_DIST = "onnxruntime-web/dist"
_SCRIPT = "assets/javascripts/semantic-search.js"
_SHARED_SCRIPT = "assets/javascripts/semantic-shared.js"
_INSTANT_SCRIPT = "assets/javascripts/instant-search.js"


def _js_string(name: str, text: str) -> str:
    """A classic script that assigns `text` to `window[name]` (JSON string: every character escaped)."""
    return f"window.{name} = {json.dumps(text)};\n"


def _packed(data: bytes) -> str:
    """gzip (mtime 0, so reproducible) then base64."""
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def _packed_script(source: Path, name: str, cache: Path) -> str:
    """`_js_string(name, _packed(bytes of source))`, cached beside `source`'s content hash."""
    data = source.read_bytes()
    cached = cache / f"{name}-{hashlib.sha256(data).hexdigest()[:32]}.js"
    if not cached.exists():
        with atomic_open(cached) as handle:
            handle.write(_js_string(name, _packed(data)))
    return cached.read_text(encoding="utf-8")


def document_rows(kb: KnowledgeBase) -> tuple[list[list[str]], np.ndarray]:
    """The rows the browser ranks: `(kind, id, title)` per row and their float32 `(n, 384)` vectors.

    Records in corpus order (kind `p`, arXiv id, title), then answers in slug order (kind `a`, slug,
    question); the vectors are the stored ones (`kb/embeddings/`), as the command line ranks with.
    """
    from hepqa.embed import text_key  # noqa: PLC0415

    questions = kb.snippets().matrix([text_key(kb.question_text(a)) for a in kb.answers])
    # Titles are shown as text (the page never renders TeX), so their math is written out in Unicode.
    rows = [["p", r.id, plain_text(r.title)] for r in kb.records] + [["a", a.slug, a.answer.question]
                                                                     for a in kb.answers]
    return rows, np.vstack([kb.corpus_vectors(), questions])


def _vectors_script(kb: KnowledgeBase, model: str) -> str:
    rows, vectors = document_rows(kb)
    scales = np.abs(vectors).max(axis=0) / np.float32(127.0)
    scales[scales == 0] = 1.0
    quantized = np.clip(np.rint(vectors / scales), -127, 127).astype(np.int8)
    payload = {
        "model": model,
        "dim": int(vectors.shape[1]),
        "count": len(rows),
        "scales": [float(x) for x in scales],
        "rows": rows,
        "vectors": _packed(quantized.tobytes()),
    }
    return f"window.HEPQA_SEMANTIC_VECTORS = {json.dumps(payload, ensure_ascii=True)};\n"


def instant_document_vectors(kb: KnowledgeBase, encoder: StaticEncoder, cache_dir: Path) -> np.ndarray:
    """float32 static vectors of the rows of `document_rows` (records' title + abstract, then questions).

    Cached under `cache_dir/instant/` by the hash of the model and of every text.
    """
    from hepqa.corpus import record_text  # noqa: PLC0415

    texts = [record_text(r) for r in kb.records] + [kb.question_text(a) for a in kb.answers]
    digest = hashlib.sha256(encoder.model.encode("utf-8"))
    for text in texts:
        digest.update(hashlib.sha256(text.encode("utf-8")).digest())
    cached = cache_dir / "instant" / f"documents-{digest.hexdigest()[:32]}.npy"
    if cached.exists():
        return np.load(cached, allow_pickle=False)
    vectors = encoder.encode(texts)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(cached, "wb") as handle:
        np.save(handle, vectors, allow_pickle=False)
    return vectors


def instant_scores(kb: KnowledgeBase, encoder: StaticEncoder, query: str, cache_dir: Path) -> np.ndarray:
    """The instant tier's score of every row of `document_rows` for `query`, as the page computes it."""
    table, scales = quantize_rows(instant_document_vectors(kb, encoder, cache_dir))
    return (table.astype(np.float32) @ encoder.encode([query])[0]) * scales


def _instant_script(kb: KnowledgeBase, encoder: StaticEncoder, cache_dir: Path) -> str:
    rows, _ = document_rows(kb)
    table, scales = quantize_rows(encoder.token_vectors)
    vectors, doc_scales = quantize_rows(instant_document_vectors(kb, encoder, cache_dir))
    payload = {
        "model": encoder.model,
        "dim": encoder.dim,
        "vocab_size": encoder.vocab_size,
        "rows": rows,
        "token_ids": _packed(encoder.token_ids.astype("<i4").tobytes()),
        "table": _packed(table.tobytes()),
        "scales": _packed(scales.astype("<f4").tobytes()),
        "vectors": _packed(vectors.tobytes()),
        "doc_scales": _packed(doc_scales.astype("<f4").tobytes()),
    }
    return f"window.HEPQA_INSTANT = {json.dumps(payload, ensure_ascii=True)};\n"


def _static_encoder(kb: KnowledgeBase) -> tuple[StaticEncoder | None, str | None]:
    """The kb's static model, or why the instant tier is unavailable."""
    try:
        encoder = StaticEncoder(kb.root)
        encoder.vocab_size  # noqa: B018 - checks the vocabulary it was trained with
    except EmbeddingError as exc:
        return None, str(exc)
    return encoder, None


def _unavailable_reason(kb: KnowledgeBase, node_modules: Path) -> str | None:
    from hepqa.embed import load_store, model_id  # noqa: PLC0415

    try:
        expected = model_id()
    except EmbeddingError as exc:
        return str(exc)
    stored = load_store(kb.root, "corpus").model
    if stored != expected:
        return f"the stored document vectors come from {stored!r}, not the model the browser runs ({expected!r})"
    if not (node_modules / _ORT_DIST / "ort.wasm.min.js").exists():
        return f"{node_modules / _ORT_DIST} is missing: run `npm ci` (scripts/dev.sh does)"
    return None


def semantic_search(kb: KnowledgeBase, docs: Path, node_modules: Path, *, cache_dir: Path) -> list[str]:
    """Write the semantic search page and its assets into `docs`; returns build warnings (empty when ready).

    The ONNX graph and the packed binaries are cached under `cache_dir/onnx/`.
    """
    reason = _unavailable_reason(kb, node_modules)
    instant_reason: str | None = None
    if reason is None:
        from hepqa.embed import model_id  # noqa: PLC0415
        from hepqa.embed._model import model_dir  # noqa: PLC0415
        from hepqa.embed._onnx import quantized_onnx  # noqa: PLC0415

        try:
            graph = quantized_onnx(cache_dir)
        except EmbeddingError as exc:
            reason = str(exc)
        else:
            target, dist, cache = docs / _ASSETS, node_modules / _ORT_DIST, cache_dir / "onnx"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dist / "ort.wasm.min.js", target / "ort.wasm.min.js")
            (docs / _SCRIPT).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(__file__).parent / "assets" / "semantic-search.js", docs / _SCRIPT)
            glue = (dist / "ort-wasm-simd-threaded.mjs").read_text(encoding="utf-8")
            vocab = (model_dir() / "vocab.txt").read_text(encoding="utf-8")
            scripts = {
                "ort-glue.js": _js_string("HEPQA_ORT_GLUE", glue),
                "ort-wasm.js": _packed_script(dist / "ort-wasm-simd-threaded.wasm", "HEPQA_ORT_WASM", cache),
                "model.js": _packed_script(graph, "HEPQA_SEMANTIC_MODEL", cache),
                "vocab.js": _js_string("HEPQA_VOCAB", vocab),
                "vectors.js": _vectors_script(kb, model_id()),
            }
            instant, instant_reason = _static_encoder(kb)
            if instant is not None:
                scripts["instant.js"] = _instant_script(kb, instant, cache_dir)
                shutil.copyfile(Path(__file__).parent / "assets" / "instant-search.js", docs / _INSTANT_SCRIPT)
            shutil.copyfile(Path(__file__).parent / "assets" / "semantic-shared.js", docs / _SHARED_SCRIPT)
            for name, text in scripts.items():
                (target / name).write_text(text, encoding="utf-8", newline="\n")
    page = docs / SEMANTIC_PAGE
    page.parent.mkdir(parents=True, exist_ok=True)
    instant = reason is None and instant_reason is None
    page.write_text(semantic_page(reason, len(kb.records), len(kb.answers), instant=instant),
                    encoding="utf-8", newline="\n")
    if reason is not None:
        return [f"semantic search is unavailable in this build: {reason}"]
    return [] if instant_reason is None else [f"instant semantic search is unavailable in this build: {instant_reason}"]


def semantic_page(reason: str | None, records: int, answers: int, *, instant: bool = False) -> str:
    """Markdown of `semantic-search.md`: the search box (with the instant tier's scripts when `instant`),
    or why this build has none."""
    parts = [
        "# Semantic search",
        "",
        f"Search the {records:,} papers and {answers} answered questions by meaning: your query is embedded "
        "by the same model as the documents (all-MiniLM-L6-v2), running in this browser. Nothing leaves "
        "your machine.",
        "",
    ]
    if reason is not None:
        return "\n".join([*parts, '!!! warning "Not available in this build"', "",
                          f"    {escape(reason)}. Rebuild with the `embed` extra installed "
                          "(`bash scripts/dev.sh build` does).", ""])
    return "\n".join([
        *parts,
        '<div class="hepqa-semantic" markdown="0">',
        '<input id="hepqa-semantic-input" type="search" autocomplete="off" spellcheck="false" '
        'placeholder="Ask in your own words, e.g. dark matter from a light mediator" aria-label="Semantic search">',
        '<p id="hepqa-semantic-status">The model (about 40 MB of assets) loads on your first query.</p>',
        '<ol id="hepqa-semantic-results"></ol>',
        "</div>",
        f'<script src="{_ASSETS}/vocab.js"></script>',
        f'<script src="{_SHARED_SCRIPT}"></script>',
        *([f'<script src="{_ASSETS}/instant.js"></script>', f'<script src="{_INSTANT_SCRIPT}"></script>']
          if instant else []),
        f'<script src="{_SCRIPT}"></script>',
        "",
    ])

