"""Deterministic shards of a run's tasks, balanced by instances and media weight.

A cluster job array runs the same selection of tasks N times, once per array index; each
run keeps the tasks of its own shard. Every run must compute the same assignment without
talking to the others, so the assignment depends only on the selected tasks: their item
ids, instance counts and media weights, never on the order they were collected in.

The cost of a task is its instance count times the weight of one of its instances
(:data:`MODALITY_WEIGHT` times :data:`GENERATION_WEIGHT` for generation tasks): a video or
a generated image takes longer to produce than a line of text. Shards are filled greedily,
largest task first, each task going to the shard whose fuller side (instances or weight,
each as a share of the total) stays lowest, so that neither count runs away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from genbench.data import TaskSpec, read_json
from genbench.reference import GENERATION


class ShardError(ValueError):
    """A malformed shard (``--shard``), or an environment that names none."""


@dataclass(frozen=True, order=True)
class Shard:
    """The ``index``-th of ``count`` shards, counting from 1 (``3/8``)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise ShardError(
                f"shard {self.index}/{self.count}: K/N needs 1 <= K <= N (1/{self.count} ... "
                f"{max(self.count, 1)}/{self.count})"
            )

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """A shard from ``K/N`` (1-based: ``1/8`` ... ``8/8``).

    Raises:
        ShardError: not of the form K/N, or K outside 1..N.
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise ShardError(f"--shard {text!r}: use K/N (1/8 ... 8/8) or auto")
    return Shard(int(match.group(1)), int(match.group(2)))


#: Relative cost of one instance by modality: video frames and 3D scenes weigh most.
MODALITY_WEIGHT = {"NLP": 1.0, "Image": 2.0, "Audio": 2.0, "3D": 3.0, "Video": 4.0}
#: Generating media costs more than answering in text about it.
GENERATION_WEIGHT = 2.0


def task_instances(task: TaskSpec) -> int:
    """The number of instances of a task: ``task.instances`` where discovery gives it,
    else the length of the ``data`` list of its task file (0 if unreadable).
    """
    known = getattr(task, "instances", None)
    if isinstance(known, int):
        return known
    path: Path = getattr(task, "task_file", None) or task.annotation_path
    try:
        data = read_json(path)
    except ValueError:
        return 0
    items = data.get("data") if isinstance(data, dict) else None
    return len(items) if isinstance(items, list) else 0


def instance_weight(task: TaskSpec) -> float:
    """The cost of one instance of a task (see the module docstring)."""
    weight = MODALITY_WEIGHT.get(task.modality, 1.0)
    return weight * GENERATION_WEIGHT if task.paradigm == GENERATION else weight


@dataclass(frozen=True)
class TaskCost:
    """What a task costs a shard: its instances, and those instances weighted by media."""

    item_id: str
    instances: int
    weight: float


def task_cost(task: TaskSpec, limit: int | None = None) -> TaskCost:
    """A task's cost; ``limit`` caps its instances as ``--limit`` does."""
    instances = task_instances(task)
    if limit is not None:
        instances = min(instances, limit)
    return TaskCost(task.item_id, instances, instances * instance_weight(task))


def assign_shards(costs: Sequence[TaskCost], count: int) -> dict[str, int]:
    """Each task's shard (1..count), the same for any order of ``costs``.

    Greedy, largest first: a task goes to the shard where the larger of its two loads
    (instances and weight, as shares of their totals) is smallest after adding it; ties go
    to the lower share sum, then to the lower shard. A task with no instances still
    counts as one, so that empty tasks spread too.
    """
    if count < 1:
        raise ShardError(f"{count} shards: need at least 1")
    order = sorted(costs, key=lambda c: (-max(c.weight, 1.0), -max(c.instances, 1), c.item_id))
    total_instances = sum(max(c.instances, 1) for c in order) or 1
    total_weight = sum(max(c.weight, 1.0) for c in order) or 1.0
    instances = [0.0] * count
    weights = [0.0] * count
    assignment: dict[str, int] = {}
    for cost in order:
        share_i = max(cost.instances, 1) / total_instances
        share_w = max(cost.weight, 1.0) / total_weight

        def after(k: int, share_i: float = share_i, share_w: float = share_w) -> tuple[float, ...]:
            i, w = instances[k] + share_i, weights[k] + share_w
            return (max(i, w), i + w, k)

        best = min(range(count), key=after)
        instances[best] += share_i
        weights[best] += share_w
        assignment[cost.item_id] = best + 1
    return assignment
