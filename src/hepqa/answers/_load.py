"""Loading the answers from a knowledge-base folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hepqa._yaml import line_of_field, load_validated
from hepqa.answers._schema import Answer
from hepqa.errors import AnswerError

__all__ = ["LoadedAnswer", "load_answers"]


@dataclass(frozen=True)
class LoadedAnswer:
    """An answer together with where it came from: `slug` is the file name without `.yaml`."""

    slug: str
    path: Path
    answer: Answer


def load_answers(kb: Path) -> list[LoadedAnswer]:
    """Every `kb/answers/*.yaml`, sorted by slug.

    **Raises:** `AnswerError` with file, line and field for every invalid file (all files are checked
    before raising), or when two files ask the same question.
    """
    folder = kb / "answers"
    loaded, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded.append(LoadedAnswer(path.stem, path, load_validated(path, Answer)))
        except AnswerError as exc:
            problems.append(str(exc))
    seen: dict[str, Path] = {}
    for item in loaded:
        key = item.answer.question.strip().lower()
        if key in seen:
            line = line_of_field(item.path, ("question",))
            problems.append(f"{item.path}:{line}: question: same question as {seen[key]}")
        seen[key] = item.path
    if problems:
        raise AnswerError("\n".join(problems))
    return loaded
