"""Task families: how an instance becomes a request, and a raw answer a scorable value.

A family owns three things for its tasks: the request a model gets for an instance, the
reference (ground truth) in the form its metric needs, and the parsing of a model's raw
prediction into that same form. The metric itself is the one the reference table names
for the task; a family only supplies a default for tasks that match no table row.
NLP families are chosen by the annotation's ``type``; other modalities by the instance's
fields, the modality and the paradigm. Users extend both through :func:`register_family`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench.data import AnnotationError, Instance, TaskSpec
from genbench.models import Request
from genbench.tasks._parsing import parse_numbers


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed prediction: the value to score and whether the raw answer parsed cleanly."""

    value: Any
    ok: bool = True


class TaskFamily:
    """Base class of task families; subclasses override the three steps."""

    name: str = "family"
    default_metric: str = "ACC"
    #: Whether a missing prediction can be scored as a wrong answer (text answers); media
    #: outputs cannot, so a missing one fails the task instead.
    missing_scores_as_wrong: bool = True

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The request a model gets for an instance."""
        raise NotImplementedError

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The ground truth in the form the metric's scorer takes."""
        raise NotImplementedError

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """A raw prediction (None when missing) in the form the metric's scorer takes.

        ``base`` is the prediction file's folder, against which media paths resolve.
        """
        raise NotImplementedError

    def output_suffix(self, task: TaskSpec) -> str:
        """The file suffix of a media output ('' for text outputs)."""
        return ""

    def scorer_variant(self, task: TaskSpec, first: Instance | None) -> str:
        """Which variant of the metric's scorer the task needs ('' for the plain one)."""
        return ""


def make_request(
    task: TaskSpec, instance: Instance, prompt: str, options: tuple[str, ...] = (), **media: Any
) -> Request:
    """A request for one instance of a task; ``media`` are Request's media/output fields."""
    return Request(
        id=instance.id,
        task=task.display_name,
        modality=task.modality,
        paradigm=task.paradigm,
        prompt=prompt,
        options=options,
        **media,
    )


def reference_numbers(instance: Instance, value: Any, field: str) -> list[float]:
    """A reference number (or list of numbers) as floats; AnnotationError names the field."""
    values = value if isinstance(value, list) else [value]
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise AnnotationError(instance.source, "not a number", instance.id, field) from None


def parse_leading_numbers(raw: str | None, want: int) -> Parsed:
    """The first ``want`` numbers of an answer; absent ones count as 0 and fail the parse."""
    numbers = parse_numbers(raw or "")[:want]
    return Parsed(
        numbers + [0.0] * (want - len(numbers)), ok=raw is not None and len(numbers) == want
    )


def family_key(name: str) -> str:
    """Fold a family or type name: case, spaces, hyphens and underscores."""
    return re.sub(r"[\s\-_]+", "", name).casefold()


_BY_TYPE: dict[str, TaskFamily] = {}
#: Picks a family from the task and its first instance, or returns None to pass.
Resolver = Callable[[TaskSpec, Instance | None], "TaskFamily | None"]
_RESOLVERS: list[Resolver] = []


class UnknownFamilyError(LookupError):
    """No family handles a task."""


def register_family(family: TaskFamily, *types: str) -> None:
    """Register a family for annotation ``type`` values (folded: case, spaces, hyphens)."""
    for kind in types:
        _BY_TYPE[family_key(kind)] = family


def register_resolver(resolver: Resolver) -> None:
    """Register a function that picks a family for some tasks (returning None for others).

    Resolvers registered later are asked first, so a user's overrides a built-in; a
    resolver's answer takes precedence over a ``type`` registered with register_family.
    """
    _RESOLVERS.insert(0, resolver)


def resolve_family(task: TaskSpec, first: Instance | None) -> TaskFamily:
    """The family of a task, from its ``type`` (NLP) or its fields (other modalities).

    Raises:
        UnknownFamilyError: nothing handles the task; the message names it and its type.
    """
    for resolver in _RESOLVERS:
        family = resolver(task, first)
        if family is not None:
            return family
    if task.type is not None and family_key(task.type) in _BY_TYPE:
        return _BY_TYPE[family_key(task.type)]
    raise UnknownFamilyError(
        f"{task.annotation_path}: no task family for type {task.type!r} "
        f"({task.modality} {task.paradigm or ''}); register one with "
        "genbench.tasks.register_family"
    )
