"""A task's per-instance material, read from the outcome folder, and its bootstrap scores.

What a task score is made of decides how it is resampled (the task result's
``aggregation``):

- ``mean``: the stored per-instance scores; a resample's score is their mean;
- ``stats``: per-instance sufficient statistics; a resample's score is the named reducer
  of their sums (genbench/metrics/_reducers.py);
- ``ranked``: per-instance matched detections; a resample's score is recomputed by the
  named ranked reducer (COCO AP, genbench/metrics/_ranked.py);
- anything else (FID and other set-level metrics, judged and external scores, results
  without per-instance records) is *held fixed* at its score, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from genbench.metrics import JUDGED_METRICS, get_metric, get_ranked_reducer, reduce_sums
from genbench.metrics._reducers import get_reducer
from genbench.reference import ReferenceRow, ReferenceTable
from genbench.runner import SCORED, TaskResult, run_name
from genbench.stats._draws import (
    BootstrapSettings,
    Floats,
    Indices,
    resample_counts,
    task_index_chunks,
)
from genbench.stats._records import read_instance_fields

MEAN, STATS, RANKED, FIXED = "mean", "stats", "ranked", "fixed"
#: Gathering (B, n, K) statistics costs memory; past this many, sums go through counts.
_GATHER_LIMIT = 8


@dataclass(frozen=True)
class TaskSample:
    """One scored task of one model, as the bootstrap sees it.

    Attributes:
        item_id: the task's item id.
        row: its reference row.
        score: the task score as stored, on the table's scale.
        ids: the instance ids, in the samples file's order.
        kind: ``mean``, ``stats``, ``ranked`` or ``fixed`` (see the module docstring).
        values: per-instance scores (``mean``).
        stats: per-instance statistics by name (``stats``).
        ranked: per-instance matched detections (``ranked``).
        reducer: the reducer's name (``stats`` and ``ranked``).
        note: ``""``, or ``"no interval: <why>"`` for a task held fixed.
    """

    item_id: str
    row: ReferenceRow
    score: float
    ids: tuple[str, ...] = ()
    kind: str = FIXED
    values: Floats | None = None
    stats: dict[str, Floats] = field(default_factory=dict)
    ranked: tuple[Mapping[str, Any], ...] = ()
    reducer: str | None = None
    note: str = ""

    @property
    def n(self) -> int:
        """The number of instances."""
        return len(self.ids)

    @property
    def resampled(self) -> bool:
        """Whether the task gets an interval (it is not held fixed)."""
        return self.kind != FIXED

    def subset(self, positions: Sequence[int]) -> TaskSample:
        """The same task restricted to the instances at ``positions`` (in that order)."""
        take = np.asarray(positions, dtype=np.int64)
        return replace(
            self,
            ids=tuple(self.ids[i] for i in take),
            values=None if self.values is None else self.values[take],
            stats={name: values[take] for name, values in self.stats.items()},
            ranked=tuple(self.ranked[i] for i in take) if self.ranked else (),
        )

    def draws(self, indices: Indices) -> Floats:
        """The task score of each resample (rows of ``indices``: instance positions),
        shape (B,); the stored score on every draw when the task is held fixed.
        """
        count = indices.shape[0]
        if self.kind == MEAN:
            assert self.values is not None
            return np.asarray(self.values[indices].mean(axis=1), dtype=np.float64)
        if self.kind == STATS:
            assert self.reducer is not None
            return reduce_sums(self.reducer, self._sums(indices))
        if self.kind == RANKED:
            assert self.reducer is not None
            counts = resample_counts(indices, self.n)
            return get_ranked_reducer(self.reducer)(self.ranked, counts)
        return np.full(count, self.score)

    def _sums(self, indices: Indices) -> dict[str, Floats]:
        """Each statistic summed over each resample's instances."""
        if len(self.stats) <= _GATHER_LIMIT:
            return {name: values[indices].sum(axis=1) for name, values in self.stats.items()}
        names = list(self.stats)
        matrix = np.stack([self.stats[name] for name in names], axis=1)
        sums = resample_counts(indices, self.n).astype(np.float64) @ matrix
        return {name: sums[:, j] for j, name in enumerate(names)}

    def recomputed(self) -> float:
        """The task score recomputed from the instances as they are (one draw of all)."""
        if self.kind == FIXED:
            return self.score
        every = np.arange(self.n, dtype=np.int64)[None, :]
        return float(self.draws(every)[0])


def resampled_scores(
    samples: Sequence[TaskSample], settings: BootstrapSettings, item_id: str, n: int
) -> list[Floats]:
    """Each sample's score on each of the task's resamples of ``n`` positions (the same
    resamples for every sample: a paired comparison), drawn a block at a time so that a
    large task's draws never sit in memory at once.
    """
    parts: list[list[Floats]] = [[] for _ in samples]
    for indices in task_index_chunks(settings, item_id, n):
        for part, sample in zip(parts, samples, strict=True):
            part.append(sample.draws(indices))
    return [np.concatenate(part) if part else np.zeros(0) for part in parts]


def fixed_task(item_id: str, row: ReferenceRow, score: float, why: str) -> TaskSample:
    """A task held fixed at ``score``, with the reason."""
    return TaskSample(item_id, row, score, note=f"no interval: {why}")


def _is_judged(metric: str) -> bool:
    return get_metric(metric).name in {get_metric(m).name for m in JUDGED_METRICS}


def task_from_records(
    item_id: str,
    row: ReferenceRow,
    result: TaskResult,
    records: Sequence[Mapping[str, Any]] | None,
) -> TaskSample:
    """A task's bootstrap material from its result and its per-instance records (None:
    no samples file).
    """
    kind = result.aggregation.get("kind", "none")
    reducer = result.aggregation.get("reducer")
    score = float(result.score or 0.0)
    if _is_judged(result.metric):
        return fixed_task(item_id, row, score, "judged score (held fixed)")
    if records is None:
        why = "no per-instance records (an external score, or scored before they were kept)"
        return fixed_task(item_id, row, score, why)
    if kind not in (MEAN, STATS, RANKED):
        why = f"{result.metric} is computed over the whole set, not recomputed on resamples"
        return fixed_task(item_id, row, score, why)
    if not records:
        return fixed_task(item_id, row, score, "no instances")
    ids = tuple(str(r.get("id")) for r in records)
    if kind == MEAN:
        scores = [r.get("score") for r in records]
        if any(s is None for s in scores):
            return fixed_task(item_id, row, score, "an instance has no score")
        values = np.asarray(scores, dtype=np.float64)
        return TaskSample(item_id, row, score, ids, MEAN, values=values)
    try:
        if kind == STATS:
            get_reducer(str(reducer))
        else:
            get_ranked_reducer(str(reducer))
    except KeyError:
        return fixed_task(item_id, row, score, f"unknown reducer {reducer!r}")
    if any(not isinstance(r.get("stats"), Mapping) for r in records):
        return fixed_task(item_id, row, score, "an instance has no statistics")
    if kind == RANKED:
        ranked = tuple(r["stats"] for r in records)
        return TaskSample(item_id, row, score, ids, RANKED, ranked=ranked, reducer=reducer)
    names = sorted({name for r in records for name in r["stats"]})
    stats = {
        name: np.asarray([float(r["stats"].get(name, 0.0)) for r in records]) for name in names
    }
    return TaskSample(item_id, row, score, ids, STATS, stats=stats, reducer=reducer)


def load_tasks(
    outcome_dir: Path,
    results: Mapping[str, TaskResult],
    table: ReferenceTable,
    run_dir: Path | None = None,
) -> dict[str, TaskSample]:
    """The bootstrap material of every scored task that counts toward the level.

    Results that are not scored, or match no reference row, are left out (they do not
    count); the samples file of each result is read from its run folder
    (``<outcome>/<run>``, or ``run_dir`` when given).

    Raises:
        ValueError: a samples file has a line that is not a JSON object.
    """
    tasks: dict[str, TaskSample] = {}
    for item_id in sorted(results):
        result = results[item_id]
        if result.status != SCORED or result.score is None:
            continue
        row = table.find(result.sheet, result.task_name, result.metric)
        if row is None:
            continue
        records: list[dict[str, Any]] | None = None
        if result.samples is not None:
            folder = run_dir or outcome_dir / run_name(result.model, result.limit)
            path = folder / result.samples
            if not path.is_file():
                records = None
            elif result.aggregation.get("kind") in (MEAN, STATS, RANKED):
                records = read_instance_fields(path)
            else:
                records = []  # held fixed whatever the records hold: not read
        tasks[item_id] = task_from_records(item_id, row, result, records)
    return tasks
