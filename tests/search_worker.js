// Runs mkdocs-material's own search worker (lunr with Material's query parsing) under Node, outside a browser.
// Usage: node search_worker.js WORKER.min.js search_index.json < queries.json > results.json
// Input: a JSON list of query strings. Output: for each query, the page locations of its result groups, best first.
"use strict";
const fs = require("fs");
const [workerPath, indexPath] = process.argv.slice(2);
let onMessage = null;
const replies = [];
globalThis.self = globalThis;
globalThis.addEventListener = (type, handler) => { onMessage = handler; };
globalThis.postMessage = (message) => replies.push(message);
globalThis.importScripts = () => {};  // only needed for non-English languages
console.warn = () => {};
// The worker is a self-contained script meant for a Worker global scope; evaluating it here defines its handler.
(0, eval)(fs.readFileSync(workerPath, "utf8"));
const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
index.options = { suggest: false };
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
(async () => {
  onMessage({ data: { type: 0, data: index } });
  while (!replies.length) await settle();  // the worker's "ready" reply
  const results = [];
  for (const query of queries) {
    replies.length = 0;
    onMessage({ data: { type: 2, data: query } });
    while (!replies.length) await settle();
    results.push(replies[0].data.items.map((group) => group[0].location));
  }
  process.stdout.write(JSON.stringify(results));
})();
