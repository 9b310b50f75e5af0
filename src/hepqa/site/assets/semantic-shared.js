/* What both semantic tiers (instant-search.js and semantic-search.js) share, as window.hepqaShared:
 * - tokenize(text) -> token ids of all-MiniLM-L6-v2's WordPiece, [CLS] first and [SEP] last, at most 256;
 *   the vocabulary is window.HEPQA_VOCAB (semantic/vocab.js: one token a line, line number = token id);
 * - expand(text) -> the query with each glossary term's expansion after its first mention ("NDA" ->
 *   "NDA (naive dimensional analysis, power counting)") and the TeX of Unicode notation after each word
 *   that carries it ("b→sμμ" -> "b→sμμ ($b\to s\mu \mu$)"), as hepqa.retrieve.expand_query does for the
 *   command line; the entries are window.HEPQA_GLOSSARY (semantic/glossary.js: [term, expansion, extra]),
 *   the notation table window.HEPQA_NOTATION ({tex: char -> macro, combining: mark -> accent});
 * - loadScript(name) -> Promise: adds the classic script semantic/<name> to the page (file:// allows no fetch);
 * - unpack(base64 of gzip) -> Promise of a Uint8Array;
 * - documents() -> Promise of the build-time document vectors of semantic/vectors.js (loaded once, by
 *   whichever tier asks first): {dim, scales: Float32Array (one per dimension), vectors: Int8Array, rows};
 * - hasWords(text): whether text holds a letter or digit (anything else is nothing to search for);
 * - splitIds(text) -> {ids, rest}: the arXiv ids written in a query, as hepqa.retrieve.split_ids;
 * - parse(text, docs) -> {named, unknown, rest, near, alone}: what a query's ids mean for the ranking (the
 *   papers named come first; ids alone rank by their mean stored vector `near`), withWords(parsed, vector)
 *   -> the query vector for ids with words, status(parsed, hits, detail) -> the status line's text;
 * - unit(v) -> v scaled in place to unit length (a zero vector stays zero);
 * - rank(query, docs, k, first) -> the k best rows [{kind, id, title, href, score}] of those int8 vectors,
 *   the rows `first` ahead of the rest;
 * - render(list, hits): the result list items (titles as text, never parsed as HTML).
 */
(function () {
  "use strict";

  var MAX_TOKENS = 256; // sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included
  var MAX_WORD_CHARS = 100; // longer words become [UNK], as in the Python WordPiece

  // Matching the model's tokenizer.json (BertNormalizer with lowercase and
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

  // ---- glossary expansion ------------------------------------------------------------------------------
  // The same rule as hepqa.retrieve.expand_query, entries in glossary order: a term gets its expansion and
  // related terms unless the expansion is already there; a term spelled out (expansion or alias) outside
  // brackets gets the term, the expansion (unless that was written) and the related terms not already
  // there (all compared in lower case with every dash a hyphen: fold). A term with no
  // capital letter matches in any case; a match may not touch a word character or a dash on either side
  // (Python's \w is Unicode letters, digits and "_"); a hyphen in a term matches any of DASHES.
  var glossary = null, DASHES = "\u2010\u2013\u2212-";
  var WORD_END = /[)\]}]+[^ \t\n\r\f\v]*|[_^][^ \t\n\r\f\v]*/y;  // _glossary._WORD_END
  var DASH = /[\u2010\u2013\u2212-]/g;

  function fold(text) { return text.toLowerCase().replace(DASH, "-"); }  // _glossary._fold

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function pattern(term) {
    var flags = /\p{Lu}/u.test(term) ? "gu" : "giu", edge = "[\\p{L}\\p{N}_" + DASHES + "]";
    var body = term.split(DASH).map(escapeRegExp).join("[" + DASHES + "]");
    return new RegExp("(?<!" + edge + ")" + body + "(?!" + edge + ")", flags);
  }

  function inBrackets(text, at) { var head = text.slice(0, at); return count(head, "(") > count(head, ")"); }

  function insert(text, match, words) {
    var end = match.index + match[0].length;
    WORD_END.lastIndex = end;
    var tail = WORD_END.exec(text);
    if (tail) end = WORD_END.lastIndex;
    return text.slice(0, end) + " (" + words.join(", ") + ")" + text.slice(end);
  }

  function expand(text) {
    if (glossary === null) {
      glossary = (window.HEPQA_GLOSSARY || []).map(function (e) {
        return { term: e[0], expansion: e[1], related: e[2], spellings: [e[1]].concat(e[3]).map(function (a) {
          return { text: a, pattern: pattern(a) };
        }), pattern: pattern(e[0]) };
      });
    }
    var out = text;
    glossary.forEach(function (e) {
      if (e.expansion === e.term) return;
      var bare = fold(out.replace(/ \(\$[^$]*\$\)/g, ""));  // without the TeX spans of notation
      var related = e.related.filter(function (r) { return bare.indexOf(fold(r)) < 0; });
      e.pattern.lastIndex = 0;
      var term = e.pattern.exec(out);
      if (term) {
        if (bare.indexOf(fold(e.expansion)) < 0) out = insert(out, term, [e.expansion].concat(related));
        return;
      }
      for (var s of e.spellings) {
        for (var m of out.matchAll(s.pattern)) {
          if (inBrackets(out, m.index)) continue;
          var meaning = fold(s.text) === fold(e.expansion) ? [] : [e.expansion];
          out = insert(out, m, [e.term].concat(meaning, related));
          return;
        }
      }
    });
    return notationTex(out);
  }

  // The rule of hepqa.retrieve._notation, with its table from semantic/glossary.js.
  // Whitespace is ASCII's, as in the Python (the two disagree on U+001C-U+001F, U+0085 and U+FEFF).
  var INNER_ARROW = /(?<=[^ \t\n\r\f\v])->(?=[^ \t\n\r\f\v])/g, SPACES = /[ \t\n\r\f\v]+/;
  var EDGE = /^[?!.,;:"']*([\s\S]*?)[?!.,;:"']*$/;

  function count(text, ch) { return text.split(ch).length - 1; }

  function core(word) {  // hepqa.retrieve._notation._core
    var c = EDGE.exec(word)[1];
    if (c.charAt(0) === "(" && count(c, "(") > count(c, ")")) c = c.slice(1);
    if (c.charAt(c.length - 1) === ")" && count(c, ")") > count(c, "(")) c = c.slice(0, -1);
    return c;
  }

  function wordTex(word, table) {
    var chars = Array.from(word.replace(INNER_ARROW, "→")), out = "";
    chars.forEach(function (c, i) {
      if (table.combining[c] !== undefined) return;
      var tex = table.tex[c] !== undefined ? table.tex[c] + " " : c;
      if (i + 1 < chars.length && table.combining[chars[i + 1]] !== undefined) {
        tex = "\\" + table.combining[chars[i + 1]] + "{" + tex.replace(/ +$/, "") + "} ";
      }
      out += tex;
    });
    return out.split(SPACES).filter(Boolean).join(" ");
  }

  function notationTex(text) {
    var table = window.HEPQA_NOTATION;
    if (!table) return text;
    var words = text.split(" ");
    return words.map(function (word, i) {
      var c = core(word);
      var spelled = i + 1 < words.length && words[i + 1].indexOf("($") === 0;
      if (!c || spelled) return word;
      var notation = Array.from(c).some(function (ch) { return table.tex[ch] !== undefined; }) ||
        /(?<=[^ \t\n\r\f\v])->(?=[^ \t\n\r\f\v])/.test(c);
      if (!notation) return word;
      var at = word.indexOf(c) + c.length;
      return word.slice(0, at) + " ($" + wordTex(c, table) + "$)" + word.slice(at);
    }).join(" ");
  }

  // ---- assets, ranking, results ---------------------------------------------------------------------
  var assets = new URL("../semantic/", document.currentScript.src).href, documentsLoading = null;

  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = assets + name;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    });
  }

  function documents() {
    if (documentsLoading === null) {
      documentsLoading = (window.HEPQA_SEMANTIC_VECTORS ? Promise.resolve() : loadScript("vectors.js"))
        .then(function () { return unpack(window.HEPQA_SEMANTIC_VECTORS.vectors); })
        .then(function (bytes) {
          var v = window.HEPQA_SEMANTIC_VECTORS;
          return { dim: v.dim, scales: Float32Array.from(v.scales), rows: v.rows,
                   vectors: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
        });
    }
    return documentsLoading;
  }

  function unpack(b64) {
    var raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  // ---- arXiv ids in the query (hepqa.retrieve._ids, the same pattern) ---------------------------------
  var ARXIV_ID = new RegExp(
    "(?<![A-Za-z0-9_./-])" +
    "(?:[aA][rR][xX][iI][vV]:|(?:https?://)?(?:www\\.)?arxiv\\.org/(?:abs|pdf)/|10\\.48550/[aA][rR][xX][iI][vV]\\.)?" +
    "((?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\\.\\d{4}" +
    "|(?:1[5-9]|[2-9]\\d)(?:0[1-9]|1[0-2])\\.\\d{5}" +
    "|[A-Za-z][A-Za-z-]*(?:\\.[A-Za-z]{2})?/(?:9[1-9]|0[0-7])(?:0[1-9]|1[0-2])\\d{3})" +
    "(?:v\\d+)?(?:\\.pdf)?(?:/|[?#][^ \\t\\n\\r\\f\\v]*)?(?![A-Za-z0-9_/-]|\\.\\d)", "g");
  var ARXIV_WORD = /(?<![A-Za-z])[aA][rR][xX][iI][vV](?![A-Za-z])/g;
  var CATEGORY_TAG = /\[[A-Za-z-]+(?:\.[A-Za-z-]+)?\]/g;

  function hasWords(text) { return /[\p{L}\p{N}]/u.test(text); }

  function normaliseId(id) {  // hepqa.retrieve._ids.normalise
    if (id.indexOf("/") < 0) return id;
    var parts = id.split("/"), dot = parts[0].indexOf(".");
    var archive = dot < 0 ? parts[0].toLowerCase()
      : parts[0].slice(0, dot).toLowerCase() + "." + parts[0].slice(dot + 1).toUpperCase();
    return archive + "/" + parts[1];
  }

  function splitIds(text) {  // -> {ids: bare ids in order of mention, each once; rest: the text without them}
    var ids = [];
    for (var m of text.matchAll(ARXIV_ID)) { var id = normaliseId(m[1]); if (ids.indexOf(id) < 0) ids.push(id); }
    if (!ids.length) return { ids: ids, rest: text };
    var rest = text.replace(ARXIV_ID, " ").replace(ARXIV_WORD, " ").replace(CATEGORY_TAG, " ")
      .replace(/ {2,}/g, " ").replace(/^ +| +$/g, "");
    return { ids: ids, rest: rest };
  }

  function unit(v) {
    var norm = 0, j;
    for (j = 0; j < v.length; j++) norm += v[j] * v[j];
    norm = Math.sqrt(norm) || 1;
    for (j = 0; j < v.length; j++) v[j] /= norm;
    return v;
  }

  // What hepqa.search.Searcher.search does with ids: the papers named come first. Alone, they rank the
  // papers closest to them (the unit mean of their stored vectors is the query: `near`, with `alone`);
  // with words, the query is the unit sum of that mean and the words' vector (`withWords`). Returns
  // {named: row indices, unknown: ids not in the corpus, rest, near: Float32Array or null, alone}.
  function parse(text, docs) {
    if (!docs.byId) {
      docs.byId = new Map();
      docs.rows.forEach(function (row, i) { if (row[0] === "p") docs.byId.set(row[1], i); });
    }
    var found = splitIds(text), named = [], unknown = [];
    found.ids.forEach(function (id) { (docs.byId.has(id) ? named : unknown).push(id); });
    named = named.map(function (id) { return docs.byId.get(id); });
    var near = null, dim = docs.dim;
    if (named.length) {
      near = new Float32Array(dim);
      named.forEach(function (r) { for (var j = 0; j < dim; j++) near[j] += docs.vectors[r * dim + j] * docs.scales[j]; });
      unit(near);
    }
    return { named: named, unknown: unknown, rest: found.rest, near: near, alone: near !== null && !hasWords(found.rest) };
  }

  function withWords(parsed, vector) {  // the query vector for words embedded as `vector`
    if (!parsed.near) return vector;
    var v = new Float32Array(vector.length);
    for (var j = 0; j < v.length; j++) v[j] = parsed.near[j] + vector[j];
    return unit(v);
  }

  function status(parsed, hits, detail) {  // the status line under the search box
    return note(parsed) + (hits.length ? hits.length + " closest by meaning (" + detail + ")" : "Nothing found.");
  }

  function note(parsed) {  // what the status line says of the ids a query names
    var out = "";
    if (parsed.unknown.length) out += parsed.unknown.map(function (id) { return "arXiv:" + id; }).join(", ") +
      " not in this knowledge base. ";
    if (parsed.alone) out += "Named papers first, then the closest to them. ";
    else if (parsed.named.length) out += "Named papers first, then the closest to them and to the words. ";
    return out;
  }

  function rank(query, docs, k, first) {
    // int8 rows with one scale per dimension: the scales are applied to the query once. Rows in `first`
    // (the papers the query names) come first, in their order.
    var dim = docs.dim, d = docs.vectors, count = docs.rows.length, scores = new Float32Array(count);
    var q = new Float32Array(dim), j;
    for (j = 0; j < dim; j++) q[j] = query[j] * docs.scales[j];
    for (var i = 0, off = 0; i < count; i++, off += dim) {
      var s = 0;
      for (j = 0; j < dim; j++) s += q[j] * d[off + j];
      scores[i] = s;
    }
    first = first || [];
    var top = [], m = Math.max(k - first.length, 0);  // the m best of the others, kept sorted (k is small)
    for (i = 0; i < count; i++) {
      if (m === 0 || first.indexOf(i) >= 0) continue;
      if (top.length === m && scores[i] <= scores[top[m - 1]]) continue;
      var at = top.length;
      while (at > 0 && scores[top[at - 1]] < scores[i]) at--;
      top.splice(at, 0, i);
      if (top.length > m) top.pop();
    }
    return first.concat(top).map(function (r) {
      var row = docs.rows[r];
      return { kind: row[0], id: row[1], title: row[2], score: scores[r],
               href: row[0] === "a" ? "answers/" + row[1] + ".html" : "https://arxiv.org/abs/" + row[1] };
    });
  }

  function render(list, hits) {
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
  }

  window.hepqaShared = { tokenize: tokenize, expand: expand, loadScript: loadScript, unpack: unpack,
                         documents: documents, hasWords: hasWords, splitIds: splitIds, parse: parse, withWords: withWords,
                         unit: unit, status: status,
                         rank: rank, render: render };
})();
