"""How a session spreads over xdist workers: the longest tasks first, and ``-n auto``.

xdist's default ``--dist load`` hands items out in collection order, a round-robin first
quarter and then one or two at a time to whichever worker is free. In that order the
tasks would run by item id, so one long task coming last keeps one worker busy while
the others wait. Each worker therefore orders its items longest first, by the weight the
shards use (instances times media weight, genbench.shard.task_cost), the same order in
every worker as xdist requires. Other ``--dist`` modes were measured and not chosen
(docs/HARNESS.md): ``worksteal`` splits the list into contiguous halves, so the longest
tasks would all land on the first worker; ``loadgroup``/``loadscope`` send whole groups.

``-n auto`` starts one worker per GPU group (the visible GPUs divided by
``--gpus-per-worker``) where GPUs are visible, else xdist's default of one per CPU.
"""

from __future__ import annotations

import pytest

from genbench.placement import visible_gpus
from genbench.plugin._shard import _task_of
from genbench.shard import task_cost


def longest_first(items: list[pytest.Item], limit: int | None) -> list[pytest.Item]:
    """The items, benchmark tasks by decreasing cost (ties by item id), others last in
    their order.
    """

    def key(indexed: tuple[int, pytest.Item]) -> tuple[int, float, int, str, int]:
        index, item = indexed
        task = _task_of(item)
        if task is None:
            return (1, 0.0, 0, "", index)
        cost = task_cost(task, limit)
        return (0, -max(cost.weight, 1.0), -max(cost.instances, 1), task.item_id, index)

    return [item for _, item in sorted(enumerate(items), key=key)]


class LongestFirst:
    """In an xdist worker: orders the collected items longest task first."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items[:] = longest_first(items, self.limit)


def auto_workers(per_worker: int) -> int | None:
    """Workers for ``-n auto``: one per group of ``per_worker`` visible GPUs, or None
    (xdist then starts one per CPU) where no GPU is visible.
    """
    gpus = visible_gpus()
    return max(1, len(gpus) // max(1, per_worker)) if gpus else None
