"""Hand-written YAML specs (answers, worked examples, glossary): loaded safely, validated, errors name the file,
line and field, and authored text cannot smuggle live HTML into the site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import KB, TINY_ANSWER, TINY_GLOSSARY
from hepqa.answers import load_answers
from hepqa.errors import AnswerError
from hepqa.examples._spec import load_spec
from hepqa.retrieve import load_glossary

EXAMPLE = (KB / "examples" / "alpha-s-thresholds.yaml").read_text(encoding="utf-8")

# (what is broken, text transformation, expected line, pattern the message must contain after "file:line: ")
# Each kind gets the same six breakages; lines are those of the edited field in the tiny specs above.
ANSWER_CASES = [
    ("wrong type", lambda t: t.replace("date: 2026-12-01", "date: [2026, 12]"), 3, r"date: Input should be"),
    ("missing field", lambda t: t.replace("answered_by: test editors\n", ""), 1, r"answered_by: Field required"),
    ("unknown field", lambda t: t + "score: 3\n", 9, r"score: Extra inputs are not permitted"),
    ("duplicate key", lambda t: t + "answered_by: someone else\n", 9, r"answered_by: key given twice"),
    ("YAML syntax", lambda t: t.replace("answered_by: test editors", "answered_by: test: editors"), 2,
     r"not valid YAML \(mapping values are not allowed here\)"),
    ("python tag", lambda t: t.replace("answered_by: test editors",
                                       "answered_by: !!python/object/apply:os.system [echo pwned]"), 2,
     r"not valid YAML \(could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply"),
]
EXAMPLE_CASES = [
    ("wrong type", lambda t: t.replace("n_points: 60", "n_points: sixty"), 28, r"n_points: Input should be"),
    ("missing field", lambda t: re.sub(r"mu_low: .*\n", "", t), 1, r"mu_low: Field required"),
    ("unknown field", lambda t: t + "colour: red\n", 30, r"colour: Extra inputs are not permitted"),
    ("duplicate key", lambda t: t + "n_points: 61\n", 30, r"n_points: key given twice"),
    ("YAML syntax", lambda t: t.replace("n_points: 60", "n_points: a: 60"), 28,
     r"not valid YAML \(mapping values are not allowed here\)"),
    ("python tag", lambda t: t.replace("n_points: 60", "n_points: !!python/object:builtins.int {}"), 28,
     r"not valid YAML \(could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:builtins"),
]
GLOSSARY_CASES = [
    ("wrong type", lambda t: t.replace("aliases: []", "aliases: {a: 1}"), 4, r"0\.aliases: Input should be"),
    ("missing field", lambda t: t.replace("  expansion: naive dimensional analysis\n", ""), 1,
     r"0\.expansion: Field required"),
    ("unknown field", lambda t: t + "  colour: red\n", 5, r"0\.colour: Extra inputs are not permitted"),
    ("duplicate key", lambda t: t + "  term: PC\n", 5, r"0\.term: key given twice"),
    ("YAML syntax", lambda t: t.replace("term: NDA", "term: NDA: x"), 1,
     r"not valid YAML \(mapping values are not allowed here\)"),
    ("python tag", lambda t: t.replace("term: NDA", "term: !!python/name:os.system"), 1,
     r"not valid YAML \(could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os"),
]


def _load_answer(tmp_path: Path, text: str) -> Path:
    (tmp_path / "answers").mkdir(exist_ok=True)
    path = tmp_path / "answers" / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    load_answers(tmp_path)
    return path


def _load_example(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    load_spec(path)
    return path


def _load_glossary(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    load_glossary(tmp_path)
    return path


def test_the_unbroken_specs_load(tmp_path: Path) -> None:
    """The baselines the cases below break are valid, so each failure is caused by its one edit."""
    _load_answer(tmp_path, TINY_ANSWER)
    _load_example(tmp_path, EXAMPLE)
    _load_glossary(tmp_path, TINY_GLOSSARY)


@pytest.mark.parametrize(
    ("loader", "base", "case"),
    [(_load_answer, TINY_ANSWER, c) for c in ANSWER_CASES]
    + [(_load_example, EXAMPLE, c) for c in EXAMPLE_CASES]
    + [(_load_glossary, TINY_GLOSSARY, c) for c in GLOSSARY_CASES],
    ids=[f"answer-{c[0]}" for c in ANSWER_CASES] + [f"example-{c[0]}" for c in EXAMPLE_CASES]
    + [f"glossary-{c[0]}" for c in GLOSSARY_CASES],
)
def test_broken_spec_names_file_line_and_field(tmp_path: Path, loader, base: str, case) -> None:
    _, breakage, line, expected = case
    name = {_load_answer: "answers/broken.yaml", _load_example: "broken.yaml", _load_glossary: "glossary.yaml"}
    path = tmp_path / name[loader]
    with pytest.raises(AnswerError) as info:
        loader(tmp_path, breakage(base))
    message = str(info.value)
    assert re.search(rf"^{re.escape(str(path))}:{line}: {expected}", message, re.MULTILINE), message


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    """A `!!python/object/apply` tag is refused before anything is constructed: the command never runs."""
    marker = tmp_path / "pwned"
    text = TINY_ANSWER.replace("answered_by: test editors",
                               f"answered_by: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:"
                               f"pathlib.Path ['{marker}']]")
    with pytest.raises(AnswerError, match="not valid YAML"):
        _load_answer(tmp_path, text)
    assert not marker.exists()


def test_every_problem_of_a_file_is_listed(tmp_path: Path) -> None:
    text = TINY_ANSWER.replace("date: 2026-12-01", "date: soon") + "extra: 1\nanswered_by: twice\n"
    with pytest.raises(AnswerError) as info:
        _load_answer(tmp_path, text)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == ["10", "3", "9"]


def test_control_character_in_yaml_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(AnswerError, match=r"broken\.yaml:5: not valid YAML \(unacceptable character #x0007"):
        _load_answer(tmp_path, TINY_ANSWER.replace("Naive dimensional", "Naive\x07 dimensional"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("See <script>alert(1)</script> here.", r"raw HTML is not allowed, found '<script>'"),
        ('An <img src=x onerror="alert(1)"> image.', r"raw HTML is not allowed, found '<img src=x"),
        ("A comment <!-- hidden --> here.", r"raw HTML is not allowed, found '<!-- hidden -->'"),
        ("An autolink <javascript:alert(1)> here.", r"raw HTML is not allowed"),
        ("A [link](javascript:alert(1)) here.", r"links must go to a page of the site, https://arxiv.org/ or https://doi.org/, got 'javascript:alert"),
        ("A [link](<javascript:alert(1)>) here.", r"raw HTML is not allowed, found '<javascript:alert"),
        ("A [link](&#106;avascript:alert(1)) here.", r"links must go .*, got 'javascript:alert"),
        ("A [link](java\tscript:alert(1)) here.", r"links must go .*, got 'javascript:alert"),
        ("An ![image](data:image/svg+xml,x) here.", r"links must go .*'data:image"),
        ("A [link](//evil.example/x) here.", r"links must go .*'//evil"),
        ("A [ref][r] here.\n\n[r]: https://evil.example/", r"links must go .*'https://evil"),
        ("Emphasis *x*{: onclick=\"alert(1)\" } here.", r"Markdown attribute lists .* found '\{:'"),
        ("Heading text { onmouseover=alert(1) } here.", r"Markdown attribute lists .* found '\{ onmouseover=alert\(1\) \}'"),
    ],
)
def test_authored_markdown_cannot_carry_live_html(tmp_path: Path, text: str, found: str) -> None:
    answer = TINY_ANSWER.replace("follow_ups:", f"why_it_matters: {json.dumps(text)}\nfollow_ups:")
    with pytest.raises(AnswerError, match=rf"broken\.yaml:7: why_it_matters: {found}"):
        _load_answer(tmp_path, answer)


@pytest.mark.parametrize(
    "text",
    [
        r"Bounds $M_\nu<0.049$ eV and $w_0>-1$, $w_a<0$.",  # '<' in math as the shipped answers write it
        r"Two scales $v < f$ and $\left.x\right|_{x=1}$ with \frac{1}{2}.",
        "Links to [the about page](../about.md#similarity), [arXiv](https://arxiv.org/abs/2511.23410) and "
        "[a DOI](https://doi.org/10.1103/PhysRevD.1.1).",
        "Template syntax {{ config.site_name }} and {% raw %} is plain text here.",
        "An entity &lt;script&gt; shows as text.",
    ],
)
def test_ordinary_physics_markdown_is_accepted(tmp_path: Path, text: str) -> None:
    answer = TINY_ANSWER.replace("follow_ups:", f"why_it_matters: {json.dumps(text)}\nfollow_ups:")
    assert _load_answer(tmp_path, answer).exists()


def test_markup_rules_apply_to_every_kind(tmp_path: Path) -> None:
    with pytest.raises(AnswerError, match=r"glossary\.yaml:3: 0\.definition: raw HTML"):
        _load_glossary(tmp_path, TINY_GLOSSARY.replace("Manohar-Georgi", "<b onclick=x>Manohar</b>"))
    with pytest.raises(AnswerError, match=r"broken\.yaml:24: qcd\.m_c\.source: links must go"):
        _load_example(tmp_path, EXAMPLE.replace('source: "PDG 2024, quark summary table, MS-bar m_c(m_c)"',
                                                'source: "[PDG](javascript:alert(1))"'))


def test_duplicate_glossary_term_and_question_name_their_line(tmp_path: Path) -> None:
    with pytest.raises(AnswerError, match=r"glossary\.yaml:5: 1\.term: 'NDA' is already defined by entry 0"):
        _load_glossary(tmp_path, TINY_GLOSSARY * 2)
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "a.yaml").write_text(TINY_ANSWER, encoding="utf-8")
    (tmp_path / "answers" / "b.yaml").write_text("# the same question again\n" + TINY_ANSWER, encoding="utf-8")
    with pytest.raises(AnswerError, match=r"b\.yaml:2: question: same question as .*a\.yaml"):
        load_answers(tmp_path)
