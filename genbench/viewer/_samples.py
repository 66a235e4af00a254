"""A task's sample view: its instances side by side with the references, failures first.

Only ``ReportOptions.samples_per_task`` instances are shown (missing answers, then parse
failures, then the lowest scores, then the file's order), the rest are counted; long texts
are cut. That keeps a report of 700 tasks small while still showing what went wrong.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from genbench.runner import read_samples
from genbench.viewer._media import MediaEmbedder, MediaItem
from genbench.viewer._model import ReportOptions, TaskRow

#: Media roles of a record's ``media`` object, in the order shown.
MEDIA_ROLES = ("inputs", "prediction", "reference")
#: Files shown per role and instance (video frames can be many); the rest are counted.
FILES_PER_ROLE = 2
#: The record's flags and how they read.
_FLAGS = (("missing", "missing"), ("parse_failure", "parse failure"))


@dataclass(frozen=True)
class MediaGroup:
    """The files of one role (inputs, prediction, reference) of an instance."""

    role: str
    items: tuple[MediaItem, ...]
    more: int


@dataclass(frozen=True)
class InstanceView:
    """One instance as shown: texts already cut, flags as words."""

    id: str
    prompt: str
    prompt_digest: str
    prediction: str
    parsed: str
    reference: str
    score: str
    flags: tuple[str, ...]
    media: tuple[MediaGroup, ...]


@dataclass(frozen=True)
class SampleView:
    """The instances shown for a task, how many there are, and any reading problem."""

    instances: tuple[InstanceView, ...] = ()
    total: int = 0
    failures: int = 0
    error: str = ""


def sample_view(task: TaskRow, embedder: MediaEmbedder, options: ReportOptions) -> SampleView:
    """The task's sample view, read from its samples file (empty when it has none)."""
    if task.samples_file is None:
        return SampleView()
    try:
        records = read_samples(task.samples_file)
    except (OSError, ValueError) as error:
        return SampleView(error=str(error))
    ordered = sorted(enumerate(records), key=lambda pair: _failure_order(*pair))
    shown = [record for _, record in ordered[: options.samples_per_task]]
    embedder.begin_task()
    instances = []
    for record in shown:
        media = []
        for role in MEDIA_ROLES:
            paths = [str(p) for p in _as_list((record.get("media") or {}).get(role))]
            items = []
            for path in paths[:FILES_PER_ROLE]:
                items.append(embedder.item(path))
            if items:
                media.append(MediaGroup(role, tuple(items), len(paths) - len(items)))
        instances.append(_instance_view(record, tuple(media), options.text_chars))
    return SampleView(
        instances=tuple(instances),
        total=len(records),
        failures=sum(_failure_order(0, r)[0] < 3 for r in records),
    )


def _failure_order(index: int, record: dict[str, Any]) -> tuple[int, float, int]:
    """Missing answers, parse failures, zero scores, other scores low to high, then the rest."""
    score = _score(record)
    if record.get("missing"):
        return (0, 0.0, index)
    if record.get("parse_failure"):
        return (1, 0.0, index)
    if score is not None and score <= 0.0:
        return (2, 0.0, index)
    if score is not None:
        return (3, score, index)
    return (4, 0.0, index)


def _score(record: dict[str, Any]) -> float | None:
    value = record.get("score")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _instance_view(
    record: dict[str, Any], media: tuple[MediaGroup, ...], limit: int
) -> InstanceView:
    score = _score(record)
    flags = tuple(name for key, name in _FLAGS if record.get(key))
    return InstanceView(
        id=str(record.get("id", "")),
        prompt=_text(record.get("prompt"), limit),
        prompt_digest=str(record.get("prompt_sha256") or ""),
        prediction=_text(record.get("prediction"), limit),
        parsed=_text(record.get("parsed"), limit),
        reference=_text(record.get("reference"), limit),
        score="" if score is None else f"{score:.4g}",
        flags=flags,
        media=media,
    )


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
