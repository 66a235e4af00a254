"""Task results on disk: one JSON file per task under ``<outcome>/<model>/tasks/``.

Each item writes its result as soon as it is scored, so results survive a crash and
accumulate across runs: ``-k video`` today and ``-k audio`` tomorrow fill one workbook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.reference import ReferenceTable, TaskKey
from genbench.report import safe_model_name

SCORED, SKIPPED, UNMATCHED = "scored", "skipped", "unmatched"
CLOSESET, FAILED = "closeset", "failed"
#: Every status a task result may have.
STATUSES = (SCORED, UNMATCHED, SKIPPED, CLOSESET, FAILED)


@dataclass
class TaskResult:
    """The outcome of one task for one model.

    ``score`` is on the reference table's scale for ``metric``; ``normalized`` on 0-100.
    ``status``: scored (counts toward the level), unmatched (scored, but the task has no
    reference row), skipped (not scored: ``reason`` says why), closeset (no references
    to score against), failed (``reason`` holds the one-line error).
    """

    model: str
    item_id: str
    status: str
    sheet: str
    task_name: str
    metric: str
    score: float | None = None
    normalized: float | None = None
    sota: float | None = None
    win: bool | None = None
    n: int = 0
    missing: int = 0
    parse_failures: int = 0
    reason: str = ""
    seconds: float = 0.0
    #: ``--limit`` of the run (None: every instance); limited results are kept apart.
    limit: int | None = None
    #: How the task score is made from the per-instance records: ``{"kind": "mean"}``
    #: (the mean of their ``score``), ``{"kind": "stats", "reducer": name}`` (the
    #: reducer of their summed ``stats``), or ``{"kind": "none"}`` (set-level metrics).
    aggregation: dict[str, str] = field(default_factory=lambda: {"kind": "none"})
    #: The samples file, relative to the run folder (None: no per-instance records).
    samples: str | None = None
    #: ``settings`` (the run's), ``task`` (the task file's) and ``score`` (every input of
    #: the score: a stored result with the same ``score`` digest is reused).
    digests: dict[str, str] = field(default_factory=dict)
    #: Whether this result was reused from an earlier run rather than scored again.
    reused: bool = False
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON object (``dataclasses.asdict``'s value: its own copy of
        every nested dict, list and tuple), made without asdict's deep copy of each leaf:
        every item's result is turned into JSON for its report, 700 in a tree.
        """
        return {name: _copied(getattr(self, name)) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaskResult:
        """A result from its JSON object (unknown keys ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def _copied(value: Any) -> Any:
    """A copy of the dicts, lists and tuples of a JSON-like value (other values shared:
    a result holds only strings, numbers, booleans and None in them).
    """
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copied(item) for item in value)
    return value


def run_name(model: str, limit: int | None = None) -> str:
    """The folder name of a model's files under the outcome folder: its safe name, and
    ``@limit<N>`` for a run limited to N instances per task (kept apart from full runs).
    """
    name = safe_model_name(model)
    return name if limit is None else f"{name}@limit{limit}"


def results_dir(outcome_dir: Path, model: str, limit: int | None = None) -> Path:
    """Where a model's task results live."""
    return outcome_dir / run_name(model, limit) / "tasks"


def samples_path(outcome_dir: Path, run: str, item_id: str) -> Path:
    """The per-instance records of a task (``run`` as :func:`run_name` gives it)."""
    return outcome_dir / run / "samples" / f"{item_id}.jsonl"


def save_result(outcome_dir: Path, result: TaskResult) -> Path:
    """Write a task's result atomically; returns its path."""
    path = results_dir(outcome_dir, result.model, result.limit) / f"{result.item_id}.json"
    write_json_atomic(path, result.to_json())
    return path


def load_result(
    outcome_dir: Path, model: str, item_id: str, limit: int | None = None
) -> TaskResult | None:
    """A task's stored result, if any."""
    path = results_dir(outcome_dir, model, limit) / f"{item_id}.json"
    if not path.is_file():
        return None
    return TaskResult.from_json(json.loads(path.read_text(encoding="utf-8")))


def load_results(outcome_dir: Path, model: str, limit: int | None = None) -> dict[str, TaskResult]:
    """Every stored result of a model, by item id."""
    folder = results_dir(outcome_dir, model, limit)
    found = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        result = TaskResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        found[result.item_id] = result
    return found


def scores_for_level(
    table: ReferenceTable, results: dict[str, TaskResult]
) -> dict[TaskKey, float | None]:
    """The scored, matched results as the level engine's input (by reference row)."""
    scores: dict[TaskKey, float | None] = {}
    for result in results.values():
        if result.status != SCORED or result.score is None:
            continue
        row = table.find(result.sheet, result.task_name, result.metric)
        if row is not None:
            scores[row.key] = result.score
    return scores


def unmatched(results: dict[str, TaskResult]) -> list[TaskResult]:
    """Results of tasks that match no reference row (reported, never counted)."""
    return [r for r in results.values() if r.status == UNMATCHED]
