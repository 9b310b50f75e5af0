// Render the math that pymdownx.arithmatex (generic mode) and hepqa's page generator mark up:
// <span class="arithmatex">\(...\)</span> and <div class="arithmatex">\[...\]</div>.
// KaTeX is shipped with the site (no CDN); a formula KaTeX cannot parse is left as its source text.
(function () {
  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.rendered) return;
      var tex = el.textContent.trim();
      var display = el.tagName === "DIV";
      tex = tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: true, trust: false, strict: "ignore" });
      } catch (e) {
        el.textContent = display ? "$$" + tex + "$$" : "$" + tex + "$";
        el.classList.add("hepqa-math-error");
      }
      el.dataset.rendered = "1";
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { render(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  }
})();
