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

- `glossary.js`: the glossary's terms and expansions (`HEPQA_GLOSSARY`) and the notation table
  (`HEPQA_NOTATION`): both tiers expand the query with them before embedding it, as the command line does
  ("NDA" → "NDA (naive dimensional analysis, …)", "b→sμμ" → "b→sμμ ($b\\to s\\mu \\mu$)").

The instant tier answers on every key press before that model has loaded, with the static model of
`kb/static-model/` (`hepqa.embed.StaticEncoder`): its query vector is scored against the same
`vectors.js` document vectors (asymmetric: the static model only ever embeds queries), which the page then
loads with itself rather than on the first query. One more asset:
- `instant.js` (`HEPQA_INSTANT`): the token table (int8, one float32 scale per row, and each row's vocabulary
  id), each array little-endian, gzip + base64;
- `assets/javascripts/instant-search.js` pools and ranks; the WordPiece tokenizer, glossary expansion,
  document vectors, ranking and result list are shared with the exact tier in
  `assets/javascripts/semantic-shared.js`.
Without a static model (or with one trained on another vocabulary or dimension) the page has the exact
tier only, and the build warns.
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


def quantized_documents(kb: KnowledgeBase) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """The rows of `document_rows` as the page holds them: rows, int8 `(n, 384)` vectors and float32 `(384,)`
    scales, one per dimension (`vector[j] ≈ scales[j] * int8[j]`)."""
    rows, vectors = document_rows(kb)
    scales = np.abs(vectors).max(axis=0) / np.float32(127.0)
    scales[scales == 0] = 1.0
    return rows, np.clip(np.rint(vectors / scales), -127, 127).astype(np.int8), scales.astype(np.float32)


def _vectors_script(kb: KnowledgeBase, model: str) -> str:
    rows, quantized, scales = quantized_documents(kb)
    payload = {
        "model": model,
        "dim": int(quantized.shape[1]),
        "count": len(rows),
        "scales": [float(x) for x in scales],
        "rows": rows,
        "vectors": _packed(quantized.tobytes()),
    }
    return f"window.HEPQA_SEMANTIC_VECTORS = {json.dumps(payload, ensure_ascii=True)};\n"


def _glossary_script(kb: KnowledgeBase) -> str:
    """`HEPQA_GLOSSARY`: `[term, expansion, related terms, aliases]` per entry, in glossary order; and
    `HEPQA_NOTATION`: the notation table of `hepqa.retrieve._notation`."""
    from hepqa.retrieve._notation import COMBINING_TEX, NOTATION_TEX  # noqa: PLC0415

    entries = [[e.term, e.expansion, e.related, e.aliases] for e in kb.glossary]
    notation = {"tex": NOTATION_TEX, "combining": COMBINING_TEX}
    return (f"window.HEPQA_GLOSSARY = {json.dumps(entries, ensure_ascii=True)};\n"
            f"window.HEPQA_NOTATION = {json.dumps(notation, ensure_ascii=True, sort_keys=True)};\n")


def instant_scores(kb: KnowledgeBase, encoder: StaticEncoder, query: str) -> np.ndarray:
    """The instant tier's score of every row of `document_rows` for `query` (as typed: the page expands it
    with the glossary first), as the page computes it: the static query vector against the int8 full-model
    document vectors of `vectors.js`."""
    _, quantized, scales = quantized_documents(kb)
    return quantized.astype(np.float32) @ (encoder.encode([query])[0] * scales)


def _instant_script(encoder: StaticEncoder) -> str:
    table, scales = quantize_rows(encoder.token_vectors)
    payload = {
        "model": encoder.model,
        "dim": encoder.dim,
        "vocab_size": encoder.vocab_size,
        "token_ids": _packed(encoder.token_ids.astype("<i4").tobytes()),
        "table": _packed(table.tobytes()),
        "scales": _packed(scales.astype("<f4").tobytes()),
    }
    return f"window.HEPQA_INSTANT = {json.dumps(payload, ensure_ascii=True)};\n"


def _static_encoder(kb: KnowledgeBase, vocab: str) -> tuple[StaticEncoder | None, str | None]:
    """The kb's static model, or why the instant tier is unavailable (`vocab`: the page's `vocab.txt`)."""
    from hepqa.embed import model_id  # noqa: PLC0415

    try:
        encoder = StaticEncoder(kb.root)
        encoder.vocab_size  # noqa: B018 - loads and checks its tokenizer
    except EmbeddingError as exc:
        return None, str(exc)
    retrain = "retrain it (`python scripts/train_static_model.py`)"
    if encoder.vocab_sha256 != hashlib.sha256(vocab.encode("utf-8")).hexdigest():
        return None, f"{encoder.folder} was trained with another vocabulary than the installed model's: {retrain}"
    if encoder.teacher != model_id() or encoder.dim != kb.corpus_vectors().shape[1]:
        return None, f"{encoder.folder} mimics {encoder.teacher!r}, not the model of the stored vectors: {retrain}"
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
                "glossary.js": _glossary_script(kb),
            }
            instant, instant_reason = _static_encoder(kb, vocab)
            if instant is not None:
                scripts["instant.js"] = _instant_script(instant)
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
    if instant:
        parts += ["Results appear as you type, from a small static model trained on this corpus to stand in "
                  "for the full one; the full model's replace them once it has loaded (on your first query). "
                  "Acronyms from the [glossary](glossary.md) are spelled out first (NDA → naive dimensional "
                  "analysis).", ""]
    return "\n".join([
        *parts,
        '<div class="hepqa-semantic" markdown="0">',
        '<input id="hepqa-semantic-input" type="search" autocomplete="off" spellcheck="false" '
        'placeholder="Ask in your own words, e.g. dark matter from a light mediator" aria-label="Semantic search">',
        '<p id="hepqa-semantic-status">The full model (about 33 MB of assets) loads on your first query.</p>',
        '<ol id="hepqa-semantic-results"></ol>',
        "</div>",
        f'<script src="{_ASSETS}/vocab.js"></script>',
        f'<script src="{_ASSETS}/glossary.js"></script>',
        # The instant tier ranks the exact tier's document vectors, so with it they load with the page.
        *([f'<script src="{_ASSETS}/vectors.js"></script>', f'<script src="{_ASSETS}/instant.js"></script>']
          if instant else []),
        f'<script src="{_SHARED_SCRIPT}"></script>',
        *([f'<script src="{_INSTANT_SCRIPT}"></script>'] if instant else []),
        f'<script src="{_SCRIPT}"></script>',
        "",
    ])

