"""The results that make a run's workbook and level: stored ones, checked against now.

Results accumulate across runs of one model and settings (``-k video`` today, ``-k
audio`` tomorrow, shards on other machines). A stored result counts only if this run's
inputs would produce it: its task is still in the tree, its task file is the one it was
scored from, and it was made with this run's settings. Every result left out is named
with the reason; none is silently kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genbench.data import TaskSpec
from genbench.runner._results import SCORED, UNMATCHED, TaskResult, load_results
from genbench.runner._run import task_digest


@dataclass
class Gathered:
    """The results that count, and one line per stored result left out."""

    results: dict[str, TaskResult]
    dropped: list[str] = field(default_factory=list)


def _why_dropped(
    result: TaskResult, task: TaskSpec | None, settings_digest: str | None, check_tasks: bool
) -> str | None:
    if check_tasks and task is None:
        return "its task is no longer in the dataset"
    recorded = result.digests.get("settings")
    if settings_digest is not None and recorded is not None and recorded != settings_digest:
        return "it was made with other settings"
    scored_from = result.digests.get("task")
    if (
        task is not None
        and result.status in (SCORED, UNMATCHED)
        and scored_from is not None
        and task.annotation_path.is_file()
        and scored_from != task_digest(task)
    ):
        return "its task file changed since it was scored (run the task again)"
    return None


def gather_results(
    outcome_dir: Path,
    model: str,
    limit: int | None = None,
    tasks: Sequence[TaskSpec] | None = None,
    settings_digest: str | None = None,
    fresh: dict[str, TaskResult] | None = None,
) -> Gathered:
    """The model's stored results (updated by this session's ``fresh`` ones) that count,
    checked against the tree's ``tasks`` and the run's ``settings_digest`` when given.
    """
    results = load_results(outcome_dir, model, limit)
    results.update(fresh or {})
    by_id = {task.item_id: task for task in tasks} if tasks is not None else {}
    gathered = Gathered({})
    for item, result in sorted(results.items()):
        why = _why_dropped(result, by_id.get(item), settings_digest, tasks is not None)
        if why is None:
            gathered.results[item] = result
        else:
            gathered.dropped.append(f"{item}: stored result left out: {why}")
    return gathered
