"""The run's shard plan on disk, and which shard still owes which task.

Every shard of a run records the plan it ran under (``<outcome>/<model>/shards.json``:
the number of shards and each selected task's shard), so that the merge step can name a
shard whose tasks have no result yet, without being told how the run was split.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from genbench._atomic import write_json_atomic
from genbench.report import safe_model_name
from genbench.shard._lock import outcome_lock
from genbench.shard._partition import Shard

PLAN_FILE = "shards.json"


def plan_path(outcome_dir: Path, model: str) -> Path:
    """Where a run's shard plan lives."""
    return outcome_dir / safe_model_name(model) / PLAN_FILE


def read_plan(outcome_dir: Path, model: str) -> tuple[int, dict[str, int]] | None:
    """The recorded number of shards and each task's shard; None when the run was not
    sharded (or the file is unreadable).
    """
    path = plan_path(outcome_dir, model)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        count, tasks = int(data["shards"]), data["tasks"]
        return count, {str(item): int(shard) for item, shard in tasks.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record_plan(outcome_dir: Path, model: str, count: int, assignment: Mapping[str, int]) -> None:
    """Add this shard run's assignment to the run's plan, under the run's lock.

    Runs with the same number of shards add up (a later ``-k`` adds its tasks); a run
    split into a different number of shards replaces the plan.
    """
    with outcome_lock(outcome_dir, model):
        recorded = read_plan(outcome_dir, model)
        tasks = dict(recorded[1]) if recorded is not None and recorded[0] == count else {}
        if all(tasks.get(item) == shard for item, shard in assignment.items()) and tasks:
            return
        tasks.update(assignment)
        write_json_atomic(
            plan_path(outcome_dir, model), {"shards": count, "tasks": dict(sorted(tasks.items()))}
        )


@dataclass(frozen=True)
class Unscored:
    """The tasks of one shard that have no result yet."""

    shard: Shard
    item_ids: tuple[str, ...]


def unscored_by_shard(outcome_dir: Path, model: str, scored: set[str]) -> list[Unscored]:
    """Per shard of the recorded plan, its tasks that are not in ``scored`` (item ids with
    a stored result); empty when the run was not sharded or nothing is owed.
    """
    plan = read_plan(outcome_dir, model)
    if plan is None:
        return []
    count, tasks = plan
    owed: dict[int, list[str]] = {}
    for item, shard in sorted(tasks.items()):
        if item not in scored:
            owed.setdefault(shard, []).append(item)
    return [Unscored(Shard(k, count), tuple(items)) for k, items in sorted(owed.items())]


def describe_unscored(owed: list[Unscored]) -> str | None:
    """One line naming what is owed: ``tasks not yet scored: 37, shard 3/8`` (several
    shards: ``tasks not yet scored: 45, shard 3/8 (37), shard 5/8 (8)``); None if nothing.
    """
    if not owed:
        return None
    total = sum(len(u.item_ids) for u in owed)
    if len(owed) == 1:
        return f"tasks not yet scored: {total}, shard {owed[0].shard}"
    shards = ", ".join(f"shard {u.shard} ({len(u.item_ids)})" for u in owed)
    return f"tasks not yet scored: {total}, {shards}"
