"""Safe YAML loading with schema validation whose errors name the file, line and field.

Beyond the schema, two checks PyYAML and pydantic do not make: a key given twice in one mapping is an error
(PyYAML silently keeps the last), and every string must pass `hepqa._markup.markup_problem` (spec text is
rendered as Markdown, so it may not carry raw HTML, script links or attribute lists).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from hepqa._markup import markup_problem
from hepqa.errors import AnswerError

__all__ = ["line_of_field", "load_validated"]

M = TypeVar("M", bound=BaseModel)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at path `loc` (keys and list indices), or of its deepest ancestor."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def line_of_field(path: Path, loc: tuple[Any, ...]) -> int:
    """1-based line of the field at `loc` (keys and list indices) in the YAML file `path` (1 if not found).

    For messages about a field that the schema accepted but a later check rejects (a term defined twice).
    """
    return _line_of(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader), loc) or 1


def _duplicate_keys(node: yaml.Node | None, loc: tuple[Any, ...] = ()) -> list[tuple[int, str]]:
    """(line, field) of every key that repeats an earlier key of the same mapping, depth first."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            name = getattr(key, "value", None)
            if name in seen:
                found.append((key.start_mark.line + 1, ".".join(str(p) for p in (*loc, name))))
            seen.add(name)
            found += _duplicate_keys(value, (*loc, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _duplicate_keys(item, (*loc, index))
    return found


def _strings(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every string value in `data` (keys excluded) with its path."""
    if isinstance(data, str):
        return [(loc, data)]
    if isinstance(data, dict):
        return [item for key, value in data.items() for item in _strings(value, (*loc, key))]
    if isinstance(data, list):
        return [item for index, value in enumerate(data) for item in _strings(value, (*loc, index))]
    return []


def _parse(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        elif isinstance(exc, yaml.reader.ReaderError):  # a character YAML forbids (control characters)
            line = text.count("\n", 0, exc.position) + 1
        else:
            line = None
        where = f"{path}:{line}" if line is not None else str(path)
        msg = f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})"
        raise AnswerError(msg) from exc


def load_validated(path: Path, model: type[M], *, many: bool = False) -> M | list[M]:
    """Load `path` with `yaml.safe_load` and validate it as `model` (or a list of them with `many`).

    No YAML tag can construct Python objects (safe loader), and nothing from the file is ever evaluated.

    **Raises:** `AnswerError` with one line per problem: `file:line: field: message` (YAML syntax, duplicate
    keys, schema violations and disallowed markup are all reported).
    """
    data, root = _parse(path, path.read_text(encoding="utf-8"))
    if many and not isinstance(data, list):
        msg = f"{path}:1: must be a YAML list of entries, got {type(data).__name__}"
        raise AnswerError(msg)
    problems = [f"{path}:{line}: {field}: key given twice" for line, field in _duplicate_keys(root)]
    for loc, text in _strings(data):
        if (problem := markup_problem(text)) is not None:
            problems.append(f"{path}:{_line_of(root, loc) or 1}: {'.'.join(str(p) for p in loc)}: {problem}")
    schema: TypeAdapter[Any] = TypeAdapter(list[model] if many else model)  # type: ignore[valid-type]
    try:
        value = schema.validate_python(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(top level)"
            problems.append(f"{path}:{_line_of(root, loc) or 1}: {field}: {err['msg']}")
    if problems:
        raise AnswerError("\n".join(problems))
    return value
