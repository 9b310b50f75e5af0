/* Exact semantic search in the page: all-MiniLM-L6-v2 (ONNX, int8 weights) run by onnxruntime-web for the query,
 * scored against the build-time document vectors. Works from file:// with no network: every asset is a
 * classic script under ../semantic/ (see hepqa/site/_semantic.py for what each one holds).
 *
 * window.hepqaSemantic exposes tokenize(text) -> token ids, embed(text) -> unit Float32Array(384),
 * search(text, k) -> [{kind, id, title, href, score}], and ready() -> Promise resolved once the model is
 * loaded (it loads on the first call, not with the page).
 */
(function () {
  "use strict";

  var MAX_TOKENS = 256; // sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included
  var MAX_WORD_CHARS = 100; // longer words become [UNK], as in the Python WordPiece
  var SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  var base = new URL("../semantic/", document.currentScript.src).href;

  // ---- WordPiece tokenizer, matching the model's tokenizer.json (BertNormalizer with lowercase and
  // accent stripping, BertPreTokenizer, WordPiece with "##"). Written here because the model ships only
  // its vocabulary; tests compare it token for token with the Python tokenizer.
  var vocab = null; // token -> id

  function isCJK(cp) {
    return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2b73f) ||
      (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
  }
  var CONTROL = /^\p{C}$/u, SPACE = /^\p{White_Space}$/u, MARK = /\p{Mn}/gu;
  var PUNCT = /^(?:[!-\/:-@\[-`{-~]|\p{P})$/u;

  function normalize(text) {
    var out = "";
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      var layout = ch === "\t" || ch === "\n" || ch === "\r";
      if (cp === 0xfffd || (!layout && CONTROL.test(ch))) continue;  // controls first: U+0085 is dropped
      if (layout || SPACE.test(ch)) { out += " "; continue; }
      out += isCJK(cp) ? " " + ch + " " : ch;
    }
    out = out.normalize("NFD").replace(MARK, "");
    // Per character, as the Rust tokenizer does: String.toLowerCase would apply context rules
    // (final sigma) that it does not.
    return Array.from(out, function (c) { return c.toLowerCase(); }).join("");
  }

  function words(text) {
    var out = [], word = "";
    for (var ch of text) {
      if (SPACE.test(ch)) { if (word) out.push(word); word = ""; }
      else if (PUNCT.test(ch)) { if (word) out.push(word); out.push(ch); word = ""; }
      else word += ch;
    }
    if (word) out.push(word);
    return out;
  }

  function wordPiece(word, ids) {
    var chars = Array.from(word);
    if (chars.length > MAX_WORD_CHARS) { ids.push(vocab.get("[UNK]")); return; }
    var pieces = [], start = 0;
    while (start < chars.length) {
      var end = chars.length, id;
      for (; end > start; end--) {
        id = vocab.get((start > 0 ? "##" : "") + chars.slice(start, end).join(""));
        if (id !== undefined) break;
      }
      if (end === start) { ids.push(vocab.get("[UNK]")); return; }
      pieces.push(id);
      start = end;
    }
    for (var p of pieces) ids.push(p);
  }

  function tokenize(text) {
    if (vocab === null) {
      vocab = new Map(window.HEPQA_VOCAB.split("\n").map(function (t, i) { return [t, i]; }));
    }
    var ids = [];
    // Special tokens written literally are matched on the raw text, before normalisation.
    var parts = text.split(/(\[PAD\]|\[UNK\]|\[CLS\]|\[SEP\]|\[MASK\])/);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) { ids.push(vocab.get(part)); return; }
      for (var w of words(normalize(part))) wordPiece(w, ids);
    });
    ids = ids.slice(0, MAX_TOKENS - 2);
    return [vocab.get("[CLS]")].concat(ids, [vocab.get("[SEP]")]);
  }

  // ---- assets and model ------------------------------------------------------------------------------
  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + name;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    });
  }

  function unpack(b64) {  // base64 of gzip -> Uint8Array
    var raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  var session = null, docs = null, loading = null, loadMs = null;

  function load() {
    var t0 = performance.now();
    return Promise.all(["ort.wasm.min.js", "ort-glue.js", "ort-wasm.js", "model.js", "vocab.js", "vectors.js"]
      .map(loadScript))
      .then(function () {
        var v = window.HEPQA_SEMANTIC_VECTORS;
        return Promise.all([unpack(window.HEPQA_ORT_WASM), unpack(window.HEPQA_SEMANTIC_MODEL), unpack(v.vectors)]);
      })
      .then(function (parts) {
        var v = window.HEPQA_SEMANTIC_VECTORS;
        docs = { dim: v.dim, scales: Float32Array.from(v.scales), rows: v.rows,
                 vectors: new Int8Array(parts[2].buffer, parts[2].byteOffset, parts[2].byteLength) };
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.wasmBinary = parts[0];
        ort.env.wasm.wasmPaths = { mjs: URL.createObjectURL(new Blob([window.HEPQA_ORT_GLUE], { type: "text/javascript" })) };
        // disable_quant_qdq: fold the weights' DequantizeLinear nodes at load, so the graph runs at float
        // speed (hepqa.embed._onnx); otherwise they are dequantized on every query, twice as slow.
        return ort.InferenceSession.create(parts[1], { executionProviders: ["wasm"], graphOptimizationLevel: "all",
                                                       extra: { session: { disable_quant_qdq: "1" } } });
      })
      .then(function (s) {
        session = s;
        return embed("warm up");  // the first run allocates and is slow; do it before the reader's query
      })
      .then(function () { loadMs = performance.now() - t0; });
  }

  function ready() {
    if (loading === null) loading = load();
    return loading;
  }

  function embed(text) {
    var ids = tokenize(text), n = ids.length;
    var feeds = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
      token_type_ids: new ort.Tensor("int64", new BigInt64Array(n), [1, n]),
    };
    return session.run(feeds).then(function (out) {
      var h = out.last_hidden_state.data, dim = out.last_hidden_state.dims[2];
      var v = new Float32Array(dim), norm = 0;
      for (var t = 0; t < n; t++) for (var j = 0; j < dim; j++) v[j] += h[t * dim + j];  // mean pooling
      for (j = 0; j < dim; j++) norm += v[j] * v[j];
      norm = Math.sqrt(norm) || 1;
      for (j = 0; j < dim; j++) v[j] /= norm;  // the 1/n of the mean cancels in the normalisation
      return v;
    });
  }

  function rank(query, k) {
    var dim = docs.dim, d = docs.vectors, count = docs.rows.length, scores = new Float32Array(count);
    var scaled = new Float32Array(dim);  // the per-dimension scales applied once to the query, not per row
    for (var j = 0; j < dim; j++) scaled[j] = query[j] * docs.scales[j];
    for (var i = 0, off = 0; i < count; i++, off += dim) {
      var s = 0;
      for (j = 0; j < dim; j++) s += scaled[j] * d[off + j];
      scores[i] = s;
    }
    var top = [];  // k best, kept sorted (k is small)
    for (i = 0; i < count; i++) {
      if (top.length === k && scores[i] <= scores[top[k - 1]]) continue;
      var at = top.length;
      while (at > 0 && scores[top[at - 1]] < scores[i]) at--;
      top.splice(at, 0, i);
      if (top.length > k) top.pop();
    }
    return top.map(function (r) {
      var row = docs.rows[r];
      return { kind: row[0], id: row[1], title: row[2], score: scores[r],
               href: row[0] === "a" ? "answers/" + row[1] + ".html" : "https://arxiv.org/abs/" + row[1] };
    });
  }

  function search(text, k) {
    return ready().then(function () { return embed(text); }).then(function (q) { return rank(q, k || 10); });
  }

  window.hepqaSemantic = { tokenize: function (t) { return ready().then(function () { return tokenize(t); }); },
                           embed: function (t) { return ready().then(function () { return embed(t); }); },
                           search: search, ready: ready, loadMs: function () { return loadMs; } };

  // ---- the search box ---------------------------------------------------------------------------------
  var input = document.getElementById("hepqa-semantic-input");
  if (!input) return;
  var status = document.getElementById("hepqa-semantic-status");
  var list = document.getElementById("hepqa-semantic-results");
  var timer = null, latest = 0;

  function show(hits, ms) {
    list.textContent = "";
    hits.forEach(function (hit) {
      var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span");
      li.className = "hepqa-semantic-hit";
      li.dataset.kind = hit.kind;
      li.dataset.id = hit.id;
      a.href = hit.href;
      a.textContent = hit.title;  // corpus text: never parsed as HTML
      meta.className = "hepqa-semantic-meta";
      meta.textContent = (hit.kind === "a" ? " — answered question" : " — arXiv:" + hit.id) +
        " · " + Math.round(Math.max(hit.score, 0) * 100) + "%";
      li.append(a, meta);
      list.appendChild(li);
    });
    status.textContent = hits.length + " closest by meaning (" + ms.toFixed(0) + " ms)";
  }

  function run() {
    var text = input.value.trim(), mine = ++latest;
    if (!text) { list.textContent = ""; return; }
    if (session === null) status.textContent = "Loading the model…";
    ready().then(function () {
      var t0 = performance.now();
      return embed(text).then(function (q) {
        if (mine === latest) show(rank(q, 10), performance.now() - t0);
      });
    }).catch(function (err) { status.textContent = "Semantic search failed: " + err.message; });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
})();
