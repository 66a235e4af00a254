"""General-Level on every bootstrap draw at once.

Paper mode is the level engine's arithmetic (genbench/level/_paper.py) on arrays of B
draws: per sheet the sum of normalized scores and of win-masked ones, added row by row in
the table's order as the engine adds them, so each draw's numbers are the engine's
(tests/test_stats_levels.py checks ``level_scores`` on every draw). Upstream mode calls
``level_scores`` once per draw: it keeps the authors' quirks without restating them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from genbench.level import LEVEL_NAMES, Mode, level_scores, upstream_normalize
from genbench.metrics import Metric, Percent
from genbench.reference import (
    COMPREHENSION,
    GENERATION,
    MODALITIES,
    NLP,
    ReferenceRow,
    ReferenceTable,
    TaskKey,
)
from genbench.stats._draws import Floats

#: The per-modality quantities that get intervals.
MODALITY_QUANTITIES: tuple[str, ...] = ("Level-2", "Level-3", "Level-4", "S_C", "S_G")


@dataclass(frozen=True)
class LevelDraws:
    """Levels on each of B draws.

    Attributes:
        final: overall Level-2..5, each of shape (B,).
        per_modality: per modality, Level-2..4, S_C and S_G, each (B,).
        s_l: NLP's masked mean S_L, (B,).
        reached: the level reached on each draw (1..5).
    """

    final: dict[str, Floats]
    per_modality: dict[str, dict[str, Floats]]
    s_l: Floats
    reached: NDArray[np.int64]


def _map_unique(function: Callable[[float], float], values: Floats) -> Floats:
    """``function`` applied to each value, called once per distinct value."""
    unique, inverse = np.unique(values, return_inverse=True)
    mapped = np.fromiter((function(float(v)) for v in unique), dtype=np.float64, count=unique.size)
    return np.asarray(mapped[inverse.reshape(values.shape)], dtype=np.float64)


def normalize_draws(metric: Metric, values: Floats) -> Floats:
    """``metric.normalize`` of every value: a clamp for percent metrics, else the
    metric's own map (each distinct value once), so every number is the engine's.
    """
    if np.isnan(values).any():
        raise ValueError(f"{metric.name}: value is NaN")
    if isinstance(metric.normalization, Percent):
        return np.minimum(100.0, np.maximum(0.0, values))
    return _map_unique(metric.normalization, values)


def task_normalized(row: ReferenceRow, values: Floats, mode: Mode) -> tuple[Floats, float]:
    """A task's draws and its SoTA on the 0-100 scale of ``mode`` (wins compare these)."""
    if mode is Mode.UPSTREAM:

        def mapped(value: float) -> float:
            result = upstream_normalize(row.metric_label, value)
            return 0.0 if result is None else result

        return _map_unique(mapped, values), mapped(row.sota)
    return normalize_draws(row.metric, values), row.metric.normalize(row.sota)


def _harmonic(a: Floats, b: Floats) -> Floats:
    positive = (a > 0) & (b > 0)
    return np.where(positive, 2.0 * a * b / np.where(positive, a + b, 1.0), 0.0)


def _sheet_means(
    table: ReferenceTable, sheet: str, scores: Mapping[TaskKey, Floats], draws: int
) -> tuple[Floats, Floats]:
    """The sheet's mean and win-masked mean of normalized scores, per draw."""
    rows = table.sheet(sheet)
    summed = np.zeros(draws)
    masked = np.zeros(draws)
    for row in rows:
        raw = scores.get(row.key)
        if raw is None:
            continue
        value, sota = task_normalized(row, raw, Mode.PAPER)
        summed = summed + value
        masked = masked + np.where(value >= sota, value, 0.0)
    if not rows:
        return np.zeros(draws), np.zeros(draws)
    return summed / len(rows), masked / len(rows)


def _reached(final: Mapping[str, Floats], draws: int) -> NDArray[np.int64]:
    reached = np.ones(draws, dtype=np.int64)
    for k, name in enumerate(LEVEL_NAMES, start=2):
        reached = np.where(final[name] > 0, k, reached)
    return reached


def paper_level_draws(
    table: ReferenceTable, scores: Mapping[TaskKey, Floats], draws: int
) -> LevelDraws:
    """Paper-mode levels of every draw; ``scores`` maps a task to its B raw scores."""
    per_modality: dict[str, dict[str, Floats]] = {}
    for modality in MODALITIES:
        comp_mean, s_c = _sheet_means(table, f"{modality}-{COMPREHENSION}", scores, draws)
        gen_mean, s_g = _sheet_means(table, f"{modality}-{GENERATION}", scores, draws)
        per_modality[modality] = {
            "Level-2": (comp_mean + gen_mean) / 2.0,
            "Level-3": (s_c + s_g) / 2.0,
            "Level-4": _harmonic(s_c, s_g),
            "S_C": s_c,
            "S_G": s_g,
        }
    _, s_l = _sheet_means(table, NLP, scores, draws)
    final: dict[str, Floats] = {}
    for name in ("Level-2", "Level-3", "Level-4"):
        total = np.zeros(draws)
        for modality in MODALITIES:
            total = total + per_modality[modality][name]
        final[name] = total / len(MODALITIES)
    final["Level-5"] = final["Level-4"] * s_l / 100.0
    return LevelDraws(final, per_modality, s_l, _reached(final, draws))


def engine_level_draws(
    table: ReferenceTable, scores: Mapping[TaskKey, Floats], draws: int, mode: Mode
) -> LevelDraws:
    """Levels of every draw by calling ``level_scores`` once per draw (any mode)."""
    final = {name: np.zeros(draws) for name in LEVEL_NAMES}
    per_modality = {m: {q: np.zeros(draws) for q in MODALITY_QUANTITIES} for m in MODALITIES}
    s_l = np.zeros(draws)
    reached = np.ones(draws, dtype=np.int64)
    for b in range(draws):
        summary = level_scores(table, {k: float(v[b]) for k, v in scores.items()}, "", mode)
        for name in LEVEL_NAMES:
            final[name][b] = summary.final[name]
        for modality, level in summary.per_modality.items():
            for quantity, value in level.to_json().items():
                if quantity in MODALITY_QUANTITIES:
                    per_modality[modality][quantity][b] = value
        s_l[b] = summary.nlp.s_l
        reached[b] = summary.level
    return LevelDraws(final, per_modality, s_l, reached)


def level_draws(
    table: ReferenceTable, scores: Mapping[TaskKey, Floats], draws: int, mode: Mode
) -> LevelDraws:
    """Levels of every draw: vectorised in paper mode, the engine per draw otherwise."""
    if mode is Mode.PAPER:
        return paper_level_draws(table, scores, draws)
    return engine_level_draws(table, scores, draws, mode)
