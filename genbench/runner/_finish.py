"""The end of a run: the results that count, written as the workbook and the level.

One function serves every way a run ends: the pytest session on its controller, and the
merge of shards (``genbench level OUTCOME --model-name M``). Every task's status and
reason go into the workbook's ``Task-Status`` sheet and the level JSON. A run in which
no task was scored writes no level at all (and removes this run's earlier level files,
which no longer hold), rather than a Level-1 that means nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.data import TaskSpec
from genbench.level import LevelSummary, Mode, level_scores
from genbench.reference import ReferenceTable
from genbench.report import outcome_paths, write_outcome, write_result_workbook
from genbench.runner._gather import gather_results
from genbench.runner._identity import RUN_FILE
from genbench.runner._results import SCORED, UNMATCHED, TaskResult, run_name, scores_for_level

if TYPE_CHECKING:
    from genbench.stats import BootstrapSettings, LevelIntervals

#: Where the controller keeps the tree's discovery beside a run's results.
DISCOVERY_FILE = "discovery.json"


@dataclass
class FinishedRun:
    """What the end of a run found and wrote."""

    results: dict[str, TaskResult]
    dropped: list[str]
    summary: LevelSummary | None = None
    written: list[Path] = field(default_factory=list)
    intervals: LevelIntervals | None = None

    @property
    def scored(self) -> bool:
        """Whether any task was scored (else nothing was written)."""
        return any(r.status in (SCORED, UNMATCHED) for r in self.results.values())


def status_rows(results: Mapping[str, TaskResult]) -> list[dict[str, object]]:
    """One row per task, its status and reason, for ``Task-Status`` and the level JSON."""
    return [
        {
            "item_id": r.item_id,
            "sheet": r.sheet,
            "task_name": r.task_name,
            "metric": r.metric,
            "status": r.status,
            "score": r.score,
            "normalized": r.normalized,
            "sota": r.sota,
            "win": r.win,
            "n": r.n,
            "missing": r.missing,
            "parse_failures": r.parse_failures,
            "reason": r.reason,
        }
        for r in sorted(results.values(), key=lambda r: r.item_id)
    ]


def model_settings(results: Mapping[str, TaskResult]) -> dict[str, Any] | None:
    """The model's own settings as a result recorded them (the process that writes the
    level may never have loaded the model).
    """
    for result in results.values():
        settings = result.provenance.get("model_settings")
        if isinstance(settings, dict):
            return settings
    return None


def finish_run(
    outcome_dir: Path,
    model: str,
    table: ReferenceTable,
    mode: Mode,
    provenance: Mapping[str, Any],
    *,
    limit: int | None = None,
    tasks: Sequence[TaskSpec] | None = None,
    settings_digest: str | None = None,
    fresh: dict[str, TaskResult] | None = None,
    level: bool = True,
    bootstrap: BootstrapSettings | None = None,
) -> FinishedRun:
    """Gather the run's results (genbench.runner.gather_results) and write its workbook
    and, with ``level``, its level JSON, with intervals when ``bootstrap`` asks for
    draws (genbench.stats). The caller holds the outcome folder's lock.
    """
    gathered = gather_results(outcome_dir, model, limit, tasks, settings_digest, fresh)
    finished = FinishedRun(gathered.results, gathered.dropped)
    workbook, level_json = outcome_paths(outcome_dir, run_name(model, limit))
    if not finished.scored:
        workbook.unlink(missing_ok=True)
        level_json.unlink(missing_ok=True)
        return finished
    record = dict(provenance)
    if "model_settings" not in record and model_settings(gathered.results) is not None:
        record["model_settings"] = model_settings(gathered.results)
    scores = scores_for_level(table, gathered.results)
    rows = status_rows(gathered.results)
    if level:
        finished.summary = level_scores(table, scores, model, mode)
        extra: dict[str, object] = {"limit": limit, "dropped": gathered.dropped}
        interval_rows: list[list[object]] = []
        if bootstrap is not None:
            from genbench.stats import interval_outputs, run_intervals

            finished.intervals = run_intervals(
                outcome_dir, gathered.results, table, mode, bootstrap
            )
            ci, interval_rows = interval_outputs(finished.summary, finished.intervals)
            extra.update(ci)
        finished.written += write_outcome(
            outcome_dir,
            table,
            scores,
            finished.summary,
            record,
            run_name(model, limit),
            rows,
            extra,
            interval_rows,
        )
    else:
        write_result_workbook(workbook, table, {model: scores}, [], record, rows)
        finished.written.append(workbook)
    return finished


@dataclass(frozen=True)
class RecordedRun:
    """What a run folder recorded of the session that made it: the tree's tasks, the
    settings digest and seed (None where it recorded none).
    """

    tasks: list[TaskSpec] | None
    settings_digest: str | None
    seed: int | None


def recorded_run(
    outcome_dir: Path, model: str, table: ReferenceTable, limit: int | None = None
) -> RecordedRun:
    """What a run folder recorded, for finishing it outside the session that ran it."""
    folder = outcome_dir / run_name(model, limit)
    tasks: list[TaskSpec] | None = None
    try:
        data = json.loads((folder / DISCOVERY_FILE).read_text(encoding="utf-8"))
        tasks = [TaskSpec.from_json(task, table) for task in data["tasks"]]
    except (OSError, ValueError, KeyError, TypeError):
        tasks = None
    try:
        run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = {}
    digest = run.get("settings_digest") if isinstance(run, dict) else None
    seed = run.get("seed") if isinstance(run, dict) else None
    return RecordedRun(
        tasks,
        digest if isinstance(digest, str) else None,
        seed if isinstance(seed, int) else None,
    )
