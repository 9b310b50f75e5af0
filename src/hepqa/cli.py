"""The `hepqa` command line: one subcommand per pipeline stage, a thin layer over the library.

Every command prints one summary line; expected failures (`HepqaError`) print one clear message and exit
with status 1, without a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler

from hepqa.errors import HepqaError

__all__ = ["main"]

_KB = click.option("--kb", "kb_dir", type=click.Path(path_type=Path), default=Path("kb"), show_default=True,
                   help="Knowledge-base folder.")


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HepqaError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="hepqa")
def main(verbose: int, quiet: bool) -> None:  # noqa: FBT001 - click flags
    """hepqa: a Q&A knowledge site over particle-physics preprints."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(message)s", handlers=[RichHandler(level=level, console=Console(stderr=True), show_path=False)], force=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_KB
@click.option("--categories", "categories", multiple=True, metavar="CATS",
              help="Keep records in any of these arXiv categories (comma-separated or repeated): hep-ph,hep-th; "
                   "an archive matches its subject classes (astro-ph: astro-ph.CO); a trailing - is a prefix (hep-).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Keep records first submitted (v1 date) on or after this day.")
@click.option("--strict", is_flag=True, help="Fail on any malformed record, and then write nothing.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the full report (every problem with file and line) to this JSON file.")
def ingest(  # noqa: PLR0913 - one option per filter
    files: tuple[Path, ...], kb_dir: Path, categories: tuple[str, ...], since: dt.datetime | None, strict: bool,  # noqa: FBT001
    report_file: Path | None,
) -> None:
    """Add arXiv metadata to the corpus: our JSONL, the arXiv snapshot (JSON lines) or OAI-PMH XML; .gz is fine.

    Records are validated and deduplicated by id (newest metadata wins). Malformed records are listed with
    file and line; the valid ones are still ingested unless --strict is given.
    """
    from hepqa._io import write_json  # noqa: PLC0415
    from hepqa.corpus import Selection, format_problems  # noqa: PLC0415
    from hepqa.corpus import ingest as run_ingest  # noqa: PLC0415

    wanted = tuple(c.strip() for value in categories for c in value.split(",") if c.strip())
    day = since.date() if since is not None else None
    report = run_ingest(kb_dir, files, selection=Selection(wanted, day), strict=strict)
    if report_file is not None:
        write_json(report_file, report.to_json())
    for name in report.empty_inputs:
        click.echo(f"warning: {name} holds no records (an empty file?)", err=True)
    if report.problems:
        listed = f" (all in {report_file})" if report_file is not None else ""
        click.echo(f"{len(report.problems)} malformed record(s) not ingested{listed}:\n"
                   f"{format_problems(report.problems)}", err=True)
    click.echo(report.summary())


@main.command()
@_KB
@click.option("--batch-size", default=32, show_default=True, help="Texts per forward pass.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Embed in this process, or on a Ray cluster with Ray Data (needs the `ray` extra).")
@click.option("--ray-address", help="Ray cluster address for --engine ray  [default: $RAY_ADDRESS, else local]")
@click.option("--ray-actors", default=1, show_default=True, help="Encoder actors for --engine ray.")
def embed(kb_dir: Path, batch_size: int, engine: str, ray_address: str | None, ray_actors: int) -> None:
    """Embed every corpus record and every question that has no stored vector yet."""
    from hepqa.embed import MiniLMEncoder  # noqa: PLC0415
    from hepqa.kb import KnowledgeBase  # noqa: PLC0415

    encoder = MiniLMEncoder(batch_size=batch_size)
    if engine == "ray":
        from hepqa.embed import RayEncoder  # noqa: PLC0415

        encoder = RayEncoder(address=ray_address, actors=ray_actors, batch_size=batch_size)
    updates = KnowledgeBase.load(kb_dir).embed(encoder, show_progress=sys.stderr.isatty())
    click.echo("; ".join(u.summary() for u in updates))


_STRICT = click.option("--strict", is_flag=True, help="Fail on weakly grounded citations too.")


@main.command()
@_KB
@_STRICT
def check(kb_dir: Path, strict: bool) -> None:  # noqa: FBT001
    """Validate the knowledge base: schemas, citations resolve and are grounded, embeddings up to date."""
    from hepqa.kb import KnowledgeBase  # noqa: PLC0415

    report = KnowledgeBase.load(kb_dir).check(strict=strict)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.problems:
        raise click.ClickException("\n".join([*report.problems, report.summary()]))
    click.echo(report.summary())


@main.command()
@_KB
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Site folder; replaced only when the build succeeds.")
@click.option("--config-file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=Path("mkdocs.yml"), show_default=True)
@click.option("--node-modules", type=click.Path(path_type=Path), default=Path("node_modules"), show_default=True,
              help="Where `npm ci` installed KaTeX and iframe-worker.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=Path(".hepqa-cache"), show_default=True,
              help="Cache of worked-example results (keyed by spec and code hash).")
@click.option("--changes-file", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the change report against the previous build  [default: <out>-changes.json]")
@_STRICT
def build(  # noqa: PLR0913 - one option per build input
    kb_dir: Path, out: Path, config_file: Path, node_modules: Path, cache_dir: Path, changes_file: Path | None,
    strict: bool,  # noqa: FBT001
) -> None:
    """Generate the pages and build the static site (mkdocs-material, strict); report what changed."""
    from hepqa.site import build_site  # noqa: PLC0415

    report = build_site(kb_dir, out, config_file=config_file, node_modules=node_modules, cache_dir=cache_dir,
                        changes_file=changes_file, strict=strict)
    click.echo(report.summary())


from hepqa.cli_search import ask, search  # noqa: E402 - registered after the group is defined

main.add_command(search)
main.add_command(ask)
