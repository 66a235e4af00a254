"""annotation.json: parsing and validation, with errors that name file, instance and field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MISSING = object()


class AnnotationError(ValueError):
    """A malformed annotation.json; the message names the file, the instance id and the field."""

    def __init__(
        self, path: Path, problem: str, instance: str | None = None, field: str | None = None
    ) -> None:
        where = str(path)
        if instance is not None:
            where += f": instance {instance!r}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {problem}")
        self.path, self.instance, self.field = path, instance, field


@dataclass(frozen=True, slots=True)
class Instance:
    """One instance of a task: its id and its fields as written in annotation.json."""

    id: str
    fields: dict[str, Any]
    source: Path

    def find(self, *names: str, default: Any = _MISSING) -> Any:
        """The first of ``names`` present, each a dotted path (``input.question``).

        A name without a dot is looked up under ``input`` first, then at the instance's top
        level (several NLP families keep their fields there). Raises AnnotationError naming
        the file, the instance and the field when none is present and no default is given.
        """
        found = self.locate(*names)
        if found is not None:
            return found[1]
        if default is not _MISSING:
            return default
        raise AnnotationError(self.source, "missing", self.id, " or ".join(names))

    def locate(self, *names: str) -> tuple[str, Any] | None:
        """The dotted path and value of the first of ``names`` present (as :meth:`find`)."""
        for name in names:
            candidates = [name] if "." in name else [f"input.{name}", name]
            for dotted in candidates:
                value = self._lookup(dotted)
                if value is not _MISSING:
                    return dotted, value
        return None

    def error(self, problem: str, field: str) -> AnnotationError:
        """An error about one of this instance's fields (file, instance and field named)."""
        return AnnotationError(self.source, problem, self.id, field)

    def _lookup(self, dotted: str) -> Any:
        node: Any = self.fields
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return _MISSING
            node = node[part]
        return node

    @property
    def output(self) -> Any:
        """The ground truth (``output``), or None in a close-set release."""
        return self.fields.get("output")


@dataclass(frozen=True)
class Annotation:
    """A parsed annotation.json."""

    path: Path
    task: str
    type: str
    instances: tuple[Instance, ...]

    def __iter__(self) -> Iterator[Instance]:
        return iter(self.instances)

    def __len__(self) -> int:
        return len(self.instances)


def read_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error becomes an AnnotationError naming the line."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise AnnotationError(path, f"not valid JSON: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AnnotationError(path, f"cannot read: {error}") from None


def read_annotation(path: Path, limit: int | None = None) -> Annotation:
    """Parse and validate an annotation.json (the first ``limit`` instances when given).

    Raises:
        AnnotationError: bad JSON, a missing or mistyped ``task``, ``type`` or ``data``, an
            instance that is not an object, has no ``id`` or repeats one.
    """
    data = read_json(path)
    if not isinstance(data, dict):
        raise AnnotationError(path, "top level is not an object", field="(root)")
    for key in ("task", "type"):
        if key in data and not isinstance(data[key], str):
            raise AnnotationError(path, "not a string", field=key)
    items = data.get("data")
    if not isinstance(items, list):
        raise AnnotationError(path, "missing or not a list", field="data")
    if not items:
        raise AnnotationError(path, "no instances", field="data")
    instances: list[Instance] = []
    seen: set[str] = set()
    for index, item in enumerate(items[:limit] if limit is not None else items):
        if not isinstance(item, dict):
            raise AnnotationError(path, "not an object", f"#{index}", "data")
        if "id" not in item or not isinstance(item["id"], str | int) or item["id"] == "":
            raise AnnotationError(path, "missing or not a string/number", f"#{index}", "id")
        ident = str(item["id"])
        if ident in seen:
            raise AnnotationError(path, "repeated id", ident, "id")
        seen.add(ident)
        instances.append(Instance(ident, item, path))
    return Annotation(path, data.get("task", ""), data.get("type", ""), tuple(instances))
