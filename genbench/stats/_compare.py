"""What separates two models: paired bootstrap differences per task and per level.

For a task both models scored, the instances both answered (ids present in both samples
files, in A's order) are resampled once per draw, and both models are scored on the
*same* resample; the difference is A - B on the normalized 0-100 scale (higher is
better for every metric). Over the B draws it gets a percentile interval and a two-sided
bootstrap p-value (_draws.py). Across tasks, the p-values are corrected for the false
discovery rate with Benjamini-Hochberg (``scipy.stats.false_discovery_control``): a task's
difference is significant when its adjusted p-value is at most q.

The levels of both models are computed on every joint draw (each task resampled as above;
a task only one model scored, or without an interval, as for a single model), and each
level's difference gets an interval and a p-value; a level difference is called
significant when its interval excludes 0 (no correction: there are few levels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from genbench.level import LEVEL_NAMES, LevelSummary, Mode
from genbench.reference import MODALITIES, ReferenceTable, TaskKey
from genbench.stats._draws import (
    BootstrapSettings,
    Floats,
    bootstrap_p_value,
    one_blas_thread,
    percentile_interval,
)
from genbench.stats._levels import MODALITY_QUANTITIES, LevelDraws, level_draws, task_normalized
from genbench.stats._tasks import TaskSample, resampled_scores

PAIRED_METHOD = "paired percentile bootstrap over the instances both models answered"


def benjamini_hochberg(p_values: Sequence[float], q: float) -> tuple[list[float], list[bool]]:
    """Benjamini-Hochberg adjusted p-values (scipy) and which are at most ``q``."""
    if not p_values:
        return [], []
    from scipy.stats import false_discovery_control

    adjusted = [float(p) for p in false_discovery_control(np.asarray(p_values), method="bh")]
    return adjusted, [p <= q for p in adjusted]


@dataclass(frozen=True)
class Difference:
    """A difference A - B with its bootstrap interval and p-value (None: not resampled)."""

    a: float | None
    b: float | None
    difference: float | None
    interval: tuple[float, float] | None = None
    p_value: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The difference as a JSON object."""
        return {
            "a": self.a,
            "b": self.b,
            "difference": self.difference,
            "interval": None if self.interval is None else list(self.interval),
            "p_value": self.p_value,
        }


@dataclass(frozen=True)
class TaskComparison:
    """One task's comparison.

    Attributes:
        item_id: the task's item id (A's, else B's).
        key: its reference row.
        n: instances both models answered (0 when not paired).
        raw: the two scores on the table's scale (on the common instances when the
            instance sets differ).
        normalized: the two normalized scores and their difference, interval, p-value.
        p_adjusted: the Benjamini-Hochberg adjusted p-value (None: not tested).
        significant: adjusted p-value at most q.
        note: why there is no interval, or ``""``.
    """

    item_id: str
    key: TaskKey
    task_name: str
    metric: str
    n: int
    raw: tuple[float | None, float | None]
    normalized: Difference
    p_adjusted: float | None = None
    significant: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The task's entry of ``genbench compare --json``."""
        return {
            "item_id": self.item_id,
            "sheet": self.key.sheet,
            "task_name": self.task_name,
            "metric": self.metric,
            "n": self.n,
            "score_a": self.raw[0],
            "score_b": self.raw[1],
            "normalized_a": self.normalized.a,
            "normalized_b": self.normalized.b,
            "difference": self.normalized.difference,
            "interval": self.normalized.to_json()["interval"],
            "p_value": self.normalized.p_value,
            "p_adjusted": self.p_adjusted,
            "significant": self.significant,
            "note": self.note,
        }


@dataclass(frozen=True)
class _Paired:
    """A task's scores over the joint draws, for A and for B (None: not scored)."""

    a: Floats | None
    b: Floats | None
    comparison: TaskComparison


def _normalized_point(task: TaskSample | None, score: float | None, mode: Mode) -> float | None:
    if task is None or score is None:
        return None
    value, _ = task_normalized(task.row, np.asarray([score]), mode)
    return float(value[0])


def _own_draws(task: TaskSample | None, settings: BootstrapSettings) -> Floats | None:
    """A task's draws for one model alone (its whole instance set, or held fixed)."""
    if task is None:
        return None
    if not task.resampled:
        return np.full(settings.draws, task.score)
    (scores,) = resampled_scores([task], settings, task.item_id, task.n)
    return scores


def _restrict(task: TaskSample, positions: list[int]) -> TaskSample:
    return task if positions == list(range(task.n)) else task.subset(positions)


def _header(a: TaskSample | None, b: TaskSample | None) -> dict[str, Any]:
    first = a if a is not None else b
    assert first is not None
    row = first.row
    return {
        "item_id": first.item_id,
        "key": row.key,
        "task_name": row.name,
        "metric": row.metric.name,
    }


def _unpaired(
    a: TaskSample | None,
    b: TaskSample | None,
    n: int,
    note: str,
    settings: BootstrapSettings,
    mode: Mode,
) -> _Paired:
    """A task compared on its stored scores only: each model's own draws for the levels."""
    score_a = None if a is None else a.score
    score_b = None if b is None else b.score
    point_a, point_b = _normalized_point(a, score_a, mode), _normalized_point(b, score_b, mode)
    difference = None if point_a is None or point_b is None else point_a - point_b
    comparison = TaskComparison(
        **_header(a, b),
        n=n,
        raw=(score_a, score_b),
        normalized=Difference(point_a, point_b, difference),
        note=note,
    )
    return _Paired(_own_draws(a, settings), _own_draws(b, settings), comparison)


def _pair(
    a: TaskSample | None, b: TaskSample | None, settings: BootstrapSettings, mode: Mode
) -> _Paired:
    """Both models' draws of one task (on the same resamples of their common instances)
    and the task's comparison.
    """
    if a is None or b is None:
        only = "A" if b is None else "B"
        return _unpaired(a, b, 0, f"only model {only} scored this task", settings, mode)
    in_b = {instance: position for position, instance in enumerate(b.ids)}
    common = [(i, in_b[x]) for i, x in enumerate(a.ids) if x in in_b]
    if not (a.resampled and b.resampled):
        return _unpaired(a, b, len(common), a.note or b.note, settings, mode)
    if not common:
        return _unpaired(a, b, 0, "no interval: no instance answered by both", settings, mode)
    sub_a = _restrict(a, [i for i, _ in common])
    sub_b = _restrict(b, [j for _, j in common])
    draws_a, draws_b = resampled_scores([sub_a, sub_b], settings, a.item_id, len(common))
    score_a = a.score if sub_a is a else sub_a.recomputed()
    score_b = b.score if sub_b is b else sub_b.recomputed()
    normalized_a, _ = task_normalized(a.row, draws_a, mode)
    normalized_b, _ = task_normalized(b.row, draws_b, mode)
    differences = normalized_a - normalized_b
    point_a = _normalized_point(a, score_a, mode)
    point_b = _normalized_point(b, score_b, mode)
    assert point_a is not None and point_b is not None
    normalized = Difference(
        point_a,
        point_b,
        point_a - point_b,
        percentile_interval(differences, settings.level),
        bootstrap_p_value(differences),
    )
    comparison = TaskComparison(
        **_header(a, b), n=len(common), raw=(score_a, score_b), normalized=normalized
    )
    return _Paired(draws_a, draws_b, comparison)


def _level_difference(
    a: float, b: float, draws_a: Floats, draws_b: Floats, level: float
) -> Difference:
    differences = draws_a - draws_b
    return Difference(
        a, b, a - b, percentile_interval(differences, level), bootstrap_p_value(differences)
    )


@dataclass(frozen=True)
class Comparison:
    """Two models compared per task and per level.

    Attributes:
        models: the names of A and B.
        mode: the level mode.
        settings: B, the confidence level and the seed.
        q: the false discovery rate of the Benjamini-Hochberg correction.
        tasks: every task either model scored, in the reference table's order.
        final: Level-2..5 differences.
        per_modality: per modality, Level-2..4, S_C and S_G differences.
        s_l: NLP's S_L difference.
    """

    models: tuple[str, str]
    mode: Mode
    settings: BootstrapSettings
    q: float
    tasks: list[TaskComparison]
    final: dict[str, Difference]
    per_modality: dict[str, dict[str, Difference]]
    s_l: Difference

    def significant_level(self, difference: Difference) -> bool:
        """Whether a level difference's interval excludes 0."""
        interval = difference.interval
        return interval is not None and (interval[0] > 0 or interval[1] < 0)

    def _level_json(self, difference: Difference) -> dict[str, Any]:
        return {**difference.to_json(), "significant": self.significant_level(difference)}

    def to_json(self) -> dict[str, Any]:
        """The output of ``genbench compare --json`` (docs/STATISTICS.md)."""
        tested = [t for t in self.tasks if t.p_adjusted is not None]
        return {
            "models": {"A": self.models[0], "B": self.models[1]},
            "mode": self.mode.value,
            "difference": "A - B on the normalized 0-100 scale (higher is better)",
            "bootstrap": {
                "method": PAIRED_METHOD,
                "B": self.settings.draws,
                "level": self.settings.level,
                "seed": self.settings.seed,
            },
            "fdr": {
                "method": "Benjamini-Hochberg",
                "q": self.q,
                "tested": len(tested),
                "significant": sum(t.significant for t in tested),
                "smallest_p": 2.0 / (self.settings.draws + 1),
            },
            "levels": {
                "final": {name: self._level_json(d) for name, d in self.final.items()},
                "per_modality": {
                    m: {q: self._level_json(d) for q, d in quantities.items()}
                    for m, quantities in self.per_modality.items()
                },
                "nlp": {"S_L": self._level_json(self.s_l)},
            },
            "tasks": [t.to_json() for t in self.tasks],
        }


def compare_models(
    table: ReferenceTable,
    tasks: tuple[Mapping[str, TaskSample], Mapping[str, TaskSample]],
    summaries: tuple[LevelSummary, LevelSummary],
    settings: BootstrapSettings,
    mode: Mode | str = Mode.PAPER,
    q: float = 0.05,
) -> Comparison:
    """Compare models A and B per task and per level.

    Args:
        table: the reference table.
        tasks: each model's tasks (by item id), as ``load_tasks`` gives them.
        summaries: each model's level summary (the point values of the levels).
        settings: B, the confidence level and the seed.
        mode: the level mode.
        q: the false discovery rate of the correction across tasks.
    """
    mode = Mode(mode)
    by_key = [{t.row.key: t for _, t in sorted(side.items())} for side in tasks]
    keys = [row.key for row in table if row.key in by_key[0] or row.key in by_key[1]]
    with one_blas_thread():
        paired = [_pair(by_key[0].get(k), by_key[1].get(k), settings, mode) for k in keys]
    tested = [i for i, p in enumerate(paired) if p.comparison.normalized.p_value is not None]
    p_values = [paired[i].comparison.normalized.p_value or 0.0 for i in tested]
    adjusted, rejected = benjamini_hochberg(p_values, q)
    comparisons = [p.comparison for p in paired]
    for i, p_adjusted, significant in zip(tested, adjusted, rejected, strict=True):
        comparisons[i] = replace(comparisons[i], p_adjusted=p_adjusted, significant=significant)
    draws_a = {k: p.a for k, p in zip(keys, paired, strict=True) if p.a is not None}
    draws_b = {k: p.b for k, p in zip(keys, paired, strict=True) if p.b is not None}
    draws = [level_draws(table, side, settings.draws, mode) for side in (draws_a, draws_b)]
    return Comparison(
        (summaries[0].model, summaries[1].model),
        mode,
        settings,
        q,
        comparisons,
        *_level_differences(summaries, draws, settings.level),
    )


def _level_differences(
    summaries: tuple[LevelSummary, LevelSummary], draws: list[LevelDraws], level: float
) -> tuple[dict[str, Difference], dict[str, dict[str, Difference]], Difference]:
    a, b = summaries
    final = {
        name: _level_difference(
            a.final[name], b.final[name], draws[0].final[name], draws[1].final[name], level
        )
        for name in LEVEL_NAMES
    }
    per_modality = {}
    for modality in MODALITIES:
        values = [s.per_modality[modality].to_json() for s in summaries]
        per_modality[modality] = {
            q: _level_difference(
                float(values[0][q]),
                float(values[1][q]),
                draws[0].per_modality[modality][q],
                draws[1].per_modality[modality][q],
                level,
            )
            for q in MODALITY_QUANTITIES
        }
    s_l = _level_difference(a.nlp.s_l, b.nlp.s_l, draws[0].s_l, draws[1].s_l, level)
    return final, per_modality, s_l
