"""The merge step: the workbook and the level of a run from every result on disk.

Run after the last shard (``genbench level OUTCOME --model-name M``; ``pytest benchmarks
--step 3`` does the same inside pytest). The results of all shards are already in
``<outcome>/<model>/tasks/``; this reads them under the run's lock, writes the result
workbook and the level JSON, and names any shard whose tasks are still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from genbench.level import LevelSummary, Mode
from genbench.provenance import collect_provenance
from genbench.reference import ReferenceTable
from genbench.runner import TaskResult, finish_run, load_results, recorded_run
from genbench.shard._lock import outcome_lock
from genbench.shard._plan import describe_unscored, unscored_by_shard
from genbench.stats import BootstrapSettings


@dataclass(frozen=True)
class MergedRun:
    """What the merge wrote and found."""

    summary: LevelSummary
    results: dict[str, TaskResult]
    written: tuple[Path, ...]
    unscored: str | None


def merge_outcome(
    outcome_dir: Path,
    model: str,
    table: ReferenceTable,
    mode: Mode,
    bootstrap: BootstrapSettings | None = None,
) -> MergedRun:
    """Write ``<model>_result.xlsx`` and ``<model>_level.json`` from the stored results.

    Raises:
        FileNotFoundError: the model has no stored result in ``outcome_dir``.
    """
    with outcome_lock(outcome_dir, model):
        if not load_results(outcome_dir, model):
            raise FileNotFoundError(f"{outcome_dir}: no task results of model {model!r}")
        recorded = recorded_run(outcome_dir, model, table)
        provenance = collect_provenance(
            source=str(outcome_dir), mode=mode.value, reference=table.fingerprint
        )
        finished = finish_run(
            outcome_dir,
            model,
            table,
            mode,
            provenance,
            tasks=recorded.tasks,
            settings_digest=recorded.settings_digest,
            bootstrap=bootstrap or BootstrapSettings(seed=recorded.seed or 0),
        )
    if finished.summary is None:
        raise FileNotFoundError(f"{outcome_dir}: no task of model {model!r} was scored")
    owed = unscored_by_shard(outcome_dir, model, set(finished.results))
    return MergedRun(
        finished.summary, finished.results, tuple(finished.written), describe_unscored(owed)
    )


def pending_line(outcome_dir: Path, model: str, results: dict[str, TaskResult]) -> str | None:
    """The merge's line about shards still owing tasks, or None (not sharded, or done)."""
    return describe_unscored(unscored_by_shard(outcome_dir, model, set(results)))
