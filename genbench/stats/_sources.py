"""A model's material for the commands: its level, its scores and its tasks' instances,
from an outcome folder or from a result workbook (with the run folder of its records).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from genbench.level import LevelSummary, Mode, level_scores
from genbench.reference import ReferenceTable, TaskKey
from genbench.report import WorkbookError, read_result_workbook, rescale_fractions
from genbench.runner import TaskResult, load_results, scores_for_level
from genbench.stats._tasks import TaskSample, fixed_task, load_tasks


@dataclass(frozen=True)
class ModelMaterial:
    """What the statistics need of one model.

    Attributes:
        summary: its General-Level (the point values).
        scores: its task scores, as the level engine takes them.
        tasks: its tasks' bootstrap material, by item id.
    """

    summary: LevelSummary
    scores: dict[TaskKey, float | None]
    tasks: dict[str, TaskSample]

    def item_ids(self) -> dict[TaskKey, str]:
        """Each task's item id by its reference row."""
        return {task.row.key: item_id for item_id, task in sorted(self.tasks.items())}


def from_outcome(
    outcome_dir: Path,
    model: str,
    table: ReferenceTable,
    mode: Mode,
    limit: int | None = None,
) -> ModelMaterial:
    """A model's material from its stored task results and samples files.

    Raises:
        ValueError: the outcome folder holds no result of the model.
    """
    results = load_results(outcome_dir, model, limit)
    if not results:
        raise ValueError(f"{outcome_dir}: no task results of model {model!r}")
    scores = scores_for_level(table, results)
    summary = level_scores(table, scores, model, mode)
    return ModelMaterial(summary, scores, load_tasks(outcome_dir, results, table))


def run_folder(path: Path) -> Path:
    """A run folder (holding ``tasks/`` and ``samples/``) given as itself or its samples/."""
    return path.parent if path.name == "samples" else path


def from_workbook(
    path: Path,
    model: str | None,
    table: ReferenceTable,
    mode: Mode,
    records: Path | None = None,
    rescale: bool = False,
) -> ModelMaterial:
    """A model's material from a result workbook; its instances from a run folder.

    The workbook's scores are the point values (percent-metric scores multiplied by 100
    with ``rescale``); each scored row's instances come from the run folder's task
    results and samples files (``records``), and a row without them is held fixed.

    Raises:
        WorkbookError: the workbook cannot be read, or holds several model columns and
            ``model`` is None.
        ValueError: the run folder has no task results.
    """
    book = read_result_workbook(path, table, [model] if model else None)
    if len(book.models) != 1:
        raise WorkbookError(f"{path}: several model columns; choose one with -m")
    name = book.models[0]
    scores = rescale_fractions(table, book.scores[name]) if rescale else book.scores[name]
    summary = level_scores(table, scores, name, mode)
    found: dict[str, TaskSample] = {}
    if records is not None:
        folder = run_folder(records)
        results = {}
        for result_path in sorted((folder / "tasks").glob("*.json")):
            result = TaskResult.from_json(json.loads(result_path.read_text(encoding="utf-8")))
            results[result.item_id] = result
        if not results:
            raise ValueError(f"{folder}: no task results under tasks/")
        found = load_tasks(folder.parent, results, table, run_dir=folder)
    by_key = {task.row.key: task for task in found.values()}
    tasks: dict[str, TaskSample] = {}
    for key, score in scores.items():
        row = table.get(key)
        if score is None or row is None:
            continue
        task = by_key.get(key)
        if task is None:
            item_id = f"{row.sheet}/{row.name}"
            tasks[item_id] = fixed_task(item_id, row, score, "no per-instance records")
        else:
            tasks[task.item_id] = task
    return ModelMaterial(summary, scores, tasks)
