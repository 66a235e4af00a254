"""Helpers of the statistics tests: tasks built from scorer outputs, synthetic outcomes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from genbench.reference import ReferenceRow
from genbench.runner import SCORED, TaskResult, save_result, write_samples
from genbench.runner._score import attach_scores
from genbench.stats import TaskSample, task_from_records


def records_of(value: float, ids: Sequence[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The per-instance records the runner writes for a scorer's value (JSON round trip)."""
    scores, aggregation = attach_scores(value, len(ids))
    records: list[dict[str, Any]] = []
    for index, ident in enumerate(ids):
        score, stats = scores.of(index)
        records.append({"id": ident, "score": score, "stats": stats})
    return json.loads(json.dumps(records)), aggregation


def result_of(
    row: ReferenceRow, item_id: str, value: float, aggregation: dict[str, str], model: str = "m"
) -> TaskResult:
    return TaskResult(
        model=model,
        item_id=item_id,
        status=SCORED,
        sheet=row.sheet,
        task_name=row.task_name,
        metric=row.metric.name,
        score=float(value),
        aggregation=aggregation,
        samples=f"samples/{item_id}.jsonl",
    )


def task_of(row: ReferenceRow, value: float, n: int, item_id: str = "task") -> TaskSample:
    """A task's bootstrap material as the outcome folder would give it."""
    records, aggregation = records_of(value, [str(i) for i in range(n)])
    return task_from_records(item_id, row, result_of(row, item_id, value, aggregation), records)


def write_task(
    outcome: Path,
    model: str,
    row: ReferenceRow,
    item_id: str,
    values: Sequence[float],
    ids: Sequence[str] | None = None,
) -> None:
    """Store a per-instance-mean task (scores on the table's scale) of a model."""
    ids = list(ids) if ids is not None else [str(i) for i in range(len(values))]
    pairs = zip(ids, values, strict=True)
    records = [{"id": i, "score": float(v), "stats": None} for i, v in pairs]
    value = float(np.mean(values))
    result = result_of(row, item_id, value, {"kind": "mean"}, model)
    result.n = len(values)
    save_result(outcome, result)
    write_samples(outcome / model / "samples" / f"{item_id}.jsonl", records)


#: A reference row with a box metric, for tasks built in the tests.
ROW_BOXES = ReferenceRow("Image-Comprehension", 1, "Boxes", "Boxes", "AP50", 50.0)
