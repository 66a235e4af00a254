"""Externally supplied scores (``--external-scores``): for judged metrics (MOS, GPT-Score,
user preference) and any metric this machine cannot compute.

A CSV with columns ``task`` and ``score`` (a task score on the reference table's scale),
or ``task``, ``id`` and ``score`` (per-instance scores, averaged); or a JSON object
``{"<task>": score}`` or ``{"<task>": {"<instance id>": score}}``. ``task`` is the item
id (``audio-generation-TTS``), the task folder or the table's task name; case, spaces,
hyphens and underscores do not matter.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from genbench.data import TaskSpec
from genbench.reference import task_key


class ExternalScoresError(ValueError):
    """A malformed external-scores file; the message names the file, row and field."""


@dataclass(frozen=True)
class ExternalScore:
    """A task's supplied score: the task score, or the per-instance scores."""

    task_score: float | None = None
    instances: dict[str, float] | None = None


def _number(path: Path, where: str, value: object) -> float:
    try:
        number = float(str(value))
    except ValueError:
        raise ExternalScoresError(f"{path}: {where}: field 'score': not a number") from None
    if not math.isfinite(number):
        raise ExternalScoresError(f"{path}: {where}: field 'score': not finite")
    return number


def load_external_scores(path: Path) -> dict[str, ExternalScore]:
    """The scores of a file, keyed by folded task name (see the module docstring).

    Raises:
        ExternalScoresError: unreadable file, a missing column, a non-numeric score.
    """
    scores: dict[str, ExternalScore] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ExternalScoresError(f"{path}: cannot read: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ExternalScoresError(f"{path}: not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ExternalScoresError(f"{path}: top level is not an object")
        for task, value in data.items():
            if isinstance(value, dict):
                instances = {
                    str(k): _number(path, f"task {task!r}: instance {k!r}", v)
                    for k, v in value.items()
                }
                scores[task_key(task)] = ExternalScore(instances=instances)
            else:
                scores[task_key(task)] = ExternalScore(_number(path, f"task {task!r}", value))
        return scores
    rows = list(csv.DictReader(text.splitlines()))
    for number, row in enumerate(rows, start=2):
        if not row.get("task") or row.get("score") in (None, ""):
            raise ExternalScoresError(f"{path}: row {number}: needs 'task' and 'score'")
        key, score = task_key(row["task"]), _number(path, f"row {number}", row["score"])
        if row.get("id"):
            earlier = scores.get(key, ExternalScore(instances={}))
            merged = dict(earlier.instances or {})
            merged[str(row["id"])] = score
            scores[key] = ExternalScore(instances=merged)
        else:
            scores[key] = ExternalScore(score)
    return scores


def external_score_for(scores: dict[str, ExternalScore], task: TaskSpec) -> ExternalScore | None:
    """The supplied score of a task, by item id, folder or task name.

    Entries under several of these names are merged: a task score wins over instance
    scores; instance scores from every entry are pooled.
    """
    names = [task.item_id, task.folder.name, task.display_name]
    if task.reference is not None:
        names.append(task.reference.task_name)
    found = [scores[key] for key in dict.fromkeys(task_key(n) for n in names) if key in scores]
    if not found:
        return None
    for entry in found:
        if entry.task_score is not None:
            return entry
    merged: dict[str, float] = {}
    for entry in found:
        merged.update(entry.instances or {})
    return ExternalScore(instances=merged)
