"""hepqa.examples: worked coefficient-estimation examples computed at build time with `hepqa.eft`.

Each `kb/examples/<slug>.yaml` spec (schema in `_spec.py`) is run by the module for its `kind` and rendered as
a Markdown page with tables and deterministic SVG plots. Public API: `render_examples`, `ExamplePage`.
"""

from ._render import ExamplePage as ExamplePage, render_examples as render_examples

__all__ = ["ExamplePage", "render_examples"]
