/* Instant semantic search in the page: the static model of kb/static-model/ (one vector per WordPiece
 * token, trained on the corpus to mimic all-MiniLM-L6-v2's query vectors) answers on every key press,
 * before the exact tier (semantic-search.js) has loaded; the exact tier's results replace these when it
 * is ready. A query's vector is the mean of its tokens' vectors (tokens without one are skipped),
 * normalised; it is scored against the same build-time all-MiniLM-L6-v2 document vectors the exact tier
 * ranks (semantic/vectors.js, loaded with the page). The token table comes from semantic/instant.js
 * (window.HEPQA_INSTANT; see hepqa/site/_semantic.py).
 *
 * window.hepqaInstant exposes ready() -> Promise, embed(text) -> unit Float32Array(dim), and
 * search(text, k) -> [{kind, id, title, href, score}] (synchronous once ready; the text is
 * glossary-expanded first, as on the command line).
 */
(function () {
  "use strict";

  var shared = window.hepqaShared;
  var model = null, docs = null, loading = null;
  var WARM_UP = ["warm up", "NDA and naive dimensional analysis in the SMEFT", "b→sμμ ($b\\to s\\mu\\mu$)",
                 "Why is the muon g−2 anomaly (arXiv:2603.15801) interesting?", "warm up again"];

  function load() {
    var d = window.HEPQA_INSTANT;
    return Promise.all([d.token_ids, d.table, d.scales].map(shared.unpack).concat([shared.documents()]))
      .then(function (p) {
        var tokenIds = new Int32Array(p[0].buffer), table = new Int8Array(p[1].buffer);
        var scales = new Float32Array(p[2].buffer), rowOf = new Int32Array(d.vocab_size).fill(-1);
        var vectors = new Float32Array(table.length);  // dequantised once: row r is table[r] * scales[r]
        for (var r = 0; r < tokenIds.length; r++) {
          rowOf[tokenIds[r]] = r;
          for (var j = 0; j < d.dim; j++) vectors[r * d.dim + j] = table[r * d.dim + j] * scales[r];
        }
        model = { dim: d.dim, rowOf: rowOf, vectors: vectors };
        docs = p[3];
        // The first searches build the vocabulary map and the glossary patterns, and V8 compiles the
        // tokenizer, the expansion's regular expressions and the scoring loop (the first query took
        // ~35 ms, the next ones ~5): do it here, not on the reader's first key presses.
        WARM_UP.forEach(function (text) { search(text, 10); });
      });
  }

  function ready() {
    if (loading === null) loading = load();
    return loading;
  }

  function embed(text) {
    var dim = model.dim, v = new Float32Array(dim);
    shared.tokenize(text).forEach(function (id) {
      var r = model.rowOf[id];
      if (r < 0) return;
      for (var j = 0; j < dim; j++) v[j] += model.vectors[r * dim + j];
    });
    return shared.unit(v);  // the 1/n of the mean cancels in the normalisation
  }

  function search(text, k) {  // arXiv ids in the text: see hepqaShared.parse
    var q = shared.parse(text, docs);
    if (!q.alone && !shared.hasWords(q.rest)) return [];
    return shared.rank(q.alone ? q.near : shared.withWords(q, embed(shared.expand(q.rest))), docs, k || 10, q.named);
  }

  window.hepqaInstant = { ready: ready, embed: embed, search: search };

  // ---- the search box (shared with the exact tier, which takes over once its model is loaded) ----------
  var input = document.getElementById("hepqa-semantic-input");
  if (!input) return;
  var status = document.getElementById("hepqa-semantic-status");
  var list = document.getElementById("hepqa-semantic-results");
  ready();

  input.addEventListener("input", function () {
    var text = input.value.trim();
    ready().then(function () {
      if (!shared.hasWords(text) || input.value.trim() !== text) return;
      var t0 = performance.now(), hits = search(text, 10);
      shared.render(list, hits);
      list.dataset.tier = "instant";
      status.textContent = shared.status(shared.parse(text, docs), hits, "instant, " +
        (performance.now() - t0).toFixed(0) + " ms; refining with the full model…");
    });
  });
})();
