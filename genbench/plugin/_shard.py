"""``--shard K/N`` and ``--shard auto``: keep this job's shard of the selected items.

The hook runs last among collection modifiers, so ``-k`` and ``-m`` have already
deselected: every job of an array, given the same selection, computes the same
assignment and keeps its own part. The kept items may still spread over ``-n`` workers.
The full assignment is recorded in the run's shard plan so that the merge can name a
shard that has not delivered.
"""

from __future__ import annotations

import os

import pytest

from genbench.data import TaskSpec
from genbench.plugin._state import STATE
from genbench.shard import Shard, ShardError, assign_shards, record_plan, resolve_shard, task_cost

_SHARD = pytest.StashKey[Shard | None]()


def shard_of(config: pytest.Config) -> Shard | None:
    """The shard this run keeps (None without ``--shard``); parsed once per process.

    Raises:
        pytest.UsageError: a malformed ``--shard``, or ``auto`` outside a job array.
    """
    if _SHARD not in config.stash:
        text = config.getoption("shard", None)
        try:
            config.stash[_SHARD] = resolve_shard(text, os.environ) if text else None
        except ShardError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_SHARD]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Deselect the selected tasks that belong to other shards (reported as deselected)."""
    shard = shard_of(config)
    if shard is None:
        return
    tasks: dict[str, TaskSpec] = {}
    for item in items:
        task = _task_of(item)
        if task is not None:
            tasks[task.item_id] = task
    state = config.stash[STATE]
    limit = state.settings.limit
    assignment = assign_shards([task_cost(t, limit) for t in tasks.values()], shard.count)
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        task = _task_of(item)
        in_shard = task is None or assignment[task.item_id] == shard.index
        (kept if in_shard else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    if not config.option.collectonly:
        settings = state.settings
        record_plan(settings.outcome_dir, settings.model_name, shard.count, assignment)


def _task_of(item: pytest.Item) -> TaskSpec | None:
    callspec = getattr(item, "callspec", None)
    task = callspec.params.get("genbench_task") if callspec is not None else None
    return task if isinstance(task, TaskSpec) else None
