"""Safe YAML loading with schema validation whose errors name the file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from hepqa.errors import AnswerError

__all__ = ["load_validated"]

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


def load_validated(path: Path, model: type[M], *, many: bool = False) -> M | list[M]:
    """Load `path` with `yaml.safe_load` and validate it as `model` (or a list of them with `many`).

    No YAML tag can construct Python objects (safe loader), and nothing from the file is ever evaluated.

    **Raises:** `AnswerError` with one line per problem: `file:line: field: message`.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        msg = f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})"
        raise AnswerError(msg) from exc
    if many and not isinstance(data, list):
        msg = f"{path}:1: must be a YAML list of entries, got {type(data).__name__}"
        raise AnswerError(msg)
    schema: TypeAdapter[Any] = TypeAdapter(list[model] if many else model)  # type: ignore[valid-type]
    try:
        return schema.validate_python(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(top level)"
            lines.append(f"{path}:{_line_of(root, loc) or 1}: {field}: {err['msg']}")
        raise AnswerError("\n".join(lines)) from exc
