/* Exact semantic search in the page: all-MiniLM-L6-v2 (ONNX, int8 weights) run by onnxruntime-web for the query,
 * scored against the build-time document vectors. Works from file:// with no network: every asset is a
 * classic script under ../semantic/ (see hepqa/site/_semantic.py for what each one holds).
 *
 * window.hepqaSemantic exposes tokenize(text) -> token ids, embed(text) -> unit Float32Array(384),
 * search(text, k) -> [{kind, id, title, href, score}] (the text glossary-expanded first, as the command
 * line does), and ready() -> Promise resolved once the model is loaded (it loads on the first call, not
 * with the page).
 */
(function () {
  "use strict";

  var shared = window.hepqaShared, tokenize = shared.tokenize, unpack = shared.unpack;  // semantic-shared.js

  // ---- assets and model ------------------------------------------------------------------------------
  var session = null, docs = null, loading = null, loadMs = null;

  function load() {
    var t0 = performance.now();
    return Promise.all(["ort.wasm.min.js", "ort-glue.js", "ort-wasm.js", "model.js"].map(shared.loadScript))
      .then(function () {
        return Promise.all([unpack(window.HEPQA_ORT_WASM), unpack(window.HEPQA_SEMANTIC_MODEL), shared.documents()]);
      })
      .then(function (parts) {
        docs = parts[2];
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
      var v = new Float32Array(dim);
      for (var t = 0; t < n; t++) for (var j = 0; j < dim; j++) v[j] += h[t * dim + j];  // mean pooling
      return shared.unit(v);  // the 1/n of the mean cancels in the normalisation
    });
  }

  // The query is expanded with the glossary first, as on the command line; arXiv ids in it: hepqaShared.parse.
  function search(text, k) {
    return ready().then(function () {
      var q = shared.parse(text, docs);
      if (!q.alone && !shared.hasWords(q.rest)) return [];
      return (q.alone ? Promise.resolve(q.near) : embed(shared.expand(q.rest)).then(function (v) { return shared.withWords(q, v); }))
        .then(function (v) { return shared.rank(v, docs, k || 10, q.named); });
    });
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

  function run() {
    var text = input.value.trim(), mine = ++latest;
    if (!shared.hasWords(text)) {
      list.textContent = "";
      delete list.dataset.tier;
      status.textContent = text ? "Nothing to search for: type a word or an arXiv id." : "";
      return;
    }
    if (session === null) status.textContent = "Loading the model…";
    var t0;
    ready().then(function () {
      t0 = performance.now();
      return search(text, 10);
    }).then(function (hits) {
      // the instant tier (instant-search.js) showed its results meanwhile; these replace them
      if (mine !== latest || input.value.trim() !== text) return;
      shared.render(list, hits);
      list.dataset.tier = "exact";
      status.textContent = shared.status(shared.parse(text, docs), hits, (performance.now() - t0).toFixed(0) + " ms");
    }).catch(function (err) { status.textContent = "Semantic search failed: " + err.message; });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
})();
