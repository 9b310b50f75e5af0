"""The command line: one summary line on success, one clear message and exit status 1 on failure."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers import ROOT, make_record, write_jsonl
from hepqa.cli import main


def test_ingest_then_check(tmp_path: Path, tiny_kb: Path) -> None:
    runner = CliRunner()
    new = write_jsonl(tmp_path / "new.jsonl", [make_record("2601.00010", "A new paper", "Its abstract.")])
    result = runner.invoke(main, ["ingest", str(new), "--kb", str(tiny_kb)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "corpus now 5 records" in result.output
    # The new record has no vector yet: check says so and names the fix.
    result = runner.invoke(main, ["check", "--kb", str(tiny_kb)])
    assert result.exit_code == 1 and "run `hepqa embed`" in result.output


def test_ingest_error_names_file_and_line_without_traceback(tmp_path: Path, tiny_kb: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "2601.00011"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(bad), "--kb", str(tiny_kb)])
    assert result.exit_code == 0 and f"{bad}:1: " in result.stderr and "corpus now 4 records" in result.stdout
    result = CliRunner().invoke(main, ["ingest", str(bad), "--kb", str(tiny_kb), "--strict"])
    assert result.exit_code == 1
    assert f"{bad}:1: " in result.output and "Traceback" not in result.output


def test_build_prints_a_summary(tiny_kb: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", "--kb", str(tiny_kb), "--out", str(tmp_path / "site"),
         "--config-file", str(ROOT / "mkdocs.yml"), "--node-modules", str(ROOT / "node_modules"),
         "--cache-dir", str(tmp_path / "cache")],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built ") and "1 answers" in result.stdout
    assert (tmp_path / "site" / "answers" / "nda-two-scales.html").exists()


def test_check_passes_on_a_clean_kb(tiny_kb: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--kb", str(tiny_kb)])
    assert result.exit_code == 0, result.output
    assert "1 answers, 2 citations: 0 problem(s)" in result.output


def test_check_names_file_and_line_of_a_citation_missing_from_the_corpus(tiny_kb: Path) -> None:
    answer = tiny_kb / "answers" / "nda-two-scales.yaml"
    text = answer.read_text(encoding="utf-8")
    answer.write_text(text.replace("[arXiv:2601.00002]", "[arXiv:2699.99999]"), encoding="utf-8")
    line = next(n for n, t in enumerate(answer.read_text(encoding="utf-8").splitlines(), 1) if "2699.99999" in t)
    result = CliRunner().invoke(main, ["check", "--kb", str(tiny_kb)])
    assert result.exit_code == 1
    assert f"{answer}:{line}: answer: cites arXiv:2699.99999, which is not in the corpus" in result.output
