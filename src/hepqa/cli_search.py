"""`hepqa search` and `hepqa ask`: querying the knowledge base offline (registered by `hepqa.cli`).

Both load the knowledge base, the BM25 index (cached by content hash under `--cache-dir`) and the query
encoder: all-MiniLM-L6-v2, or with `--model static` the static model of `kb/static-model/` (numpy and
`tokenizers` only). Without the `embed` extra the default model is missing, and they rank by BM25 alone
and say so on stderr.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import click

__all__ = ["ask", "search"]

_KB = click.option("--kb", "kb_dir", type=click.Path(path_type=Path), default=Path("kb"), show_default=True,
                   help="Knowledge-base folder.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
_MODEL = click.option("--model", type=click.Choice(["minilm", "static"]), default="minilm", show_default=True,
                      help="Query encoder: all-MiniLM-L6-v2 (the model of the stored vectors), or the "
                           "static model of kb/static-model/ trained to mimic it (no torch; instant).")
_CACHE = click.option("--cache-dir", type=click.Path(path_type=Path), default=Path(".hepqa-cache"),
                      show_default=True, help="Where the BM25 index is cached (keyed by content hash).")


@cache
def _searcher(kb_dir: Path, model: str, cache_dir: Path):  # noqa: ANN202 - hepqa.search.Searcher
    # One load per process and knowledge base: a process that runs several commands (a test session)
    # loads the corpus, the index and the model once.
    from hepqa.search import Searcher  # noqa: PLC0415 - heavy import, only for these commands

    return Searcher.open(kb_dir, model=model, cache_dir=cache_dir)


def _open(kb_dir: Path, model: str, cache_dir: Path):  # noqa: ANN202
    return _searcher(kb_dir.resolve(), model, cache_dir.resolve())


def _not_blank(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    from hepqa.retrieve import has_words  # noqa: PLC0415 - keeps `hepqa --help` light

    if any("\ud800" <= c <= "\udfff" for c in value):  # how Python passes on bytes that are not UTF-8
        msg = "it is not valid UTF-8 text: check the terminal's encoding"
        raise click.BadParameter(msg)
    if not has_words(value):
        msg = "it has no letter or digit: give some words to search for"
        raise click.BadParameter(msg)
    return value


def _emit(payload: dict[str, object] | str, notice: str | None) -> None:
    if notice:
        click.echo(f"notice: {notice}", err=True)
    click.echo(payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, indent=1))


@click.command()
@click.argument("query", callback=_not_blank)
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True, help="Papers to list.")
@click.option("--answers", type=click.IntRange(min=0), default=3, show_default=True,
              help="Answered questions to list.")
@_JSON
@_KB
@_MODEL
@_CACHE
def search(query: str, k: int, answers: int, as_json: bool, kb_dir: Path, model: str, cache_dir: Path) -> None:  # noqa: FBT001, PLR0913
    """Rank the papers and answered questions for QUERY, with their similarity (cosine × 100, as on the site)."""
    from hepqa.search._render import search_json, search_text  # noqa: PLC0415

    searcher = _open(kb_dir, model, cache_dir)
    result = searcher.search(query, k=k, answers=answers)
    model_id = None if searcher.encoder is None else searcher.encoder.model
    _emit(search_json(result, model=model_id, notice=searcher.notice) if as_json else search_text(result),
          searcher.notice)


@click.command()
@click.argument("question", callback=_not_blank)
@click.option("-k", "k", type=click.IntRange(min=1, max=50), default=8, show_default=True,
              help="Papers quoted when no answered question is close enough (at most 50).")
@_JSON
@_KB
@_MODEL
@_CACHE
def ask(question: str, k: int, as_json: bool, kb_dir: Path, model: str, cache_dir: Path) -> None:  # noqa: FBT001, PLR0913
    """The answer to QUESTION when an answered question is close enough; otherwise an extractive digest."""
    from hepqa.search import ask as run_ask  # noqa: PLC0415
    from hepqa.search._render import ask_json, ask_text  # noqa: PLC0415

    searcher = _open(kb_dir, model, cache_dir)
    result = run_ask(searcher, question, sources=k)
    model_id = None if searcher.encoder is None else searcher.encoder.model
    _emit(ask_json(result, model=model_id, notice=searcher.notice) if as_json else ask_text(result),
          searcher.notice)
