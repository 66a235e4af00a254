"""Scores written as fractions (0.745) where the table writes percent (74.5).

The authors' NLP scorer writes fractions (docs/LEVEL.md), so workbooks it produced
can never win a task. We warn when every percent-metric score of a model lies in [0, 1],
and ``--rescale`` multiplies those scores by 100. Metrics that are not in percent
(MS-SSIM, absRel, MOS, FID, ...) are left alone.
"""

from __future__ import annotations

from genbench.level import ModelScores
from genbench.reference import ReferenceTable, TaskKey


def _percent_scores(table: ReferenceTable, scores: ModelScores) -> list[float]:
    values = []
    for key, value in scores.items():
        row = table.get(key)
        if value is not None and row is not None and row.metric.is_percent:
            values.append(value)
    return values


def looks_like_fractions(table: ReferenceTable, scores: ModelScores) -> bool:
    """Whether every percent-metric score lies in [0, 1] and at least one is above 0."""
    values = _percent_scores(table, scores)
    return bool(values) and all(0.0 <= v <= 1.0 for v in values) and any(v > 0 for v in values)


def rescale_fractions(table: ReferenceTable, scores: ModelScores) -> dict[TaskKey, float | None]:
    """The scores with every percent-metric value multiplied by 100."""
    rescaled: dict[TaskKey, float | None] = {}
    for key, value in scores.items():
        row = table.get(key)
        percent = row is not None and row.metric.is_percent
        rescaled[key] = value * 100.0 if value is not None and percent else value
    return rescaled
