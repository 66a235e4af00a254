"""Intervals on the levels: every task's instances resampled jointly, levels on each draw.

Draw b resamples the instances of every task (each task from its own seeded stream, see
_draws.py), scores each task on its resample (_tasks.py), and computes Level-2..5 from
those scores (_levels.py). Over the B draws, each level, each modality's Level-2..4, S_C
and S_G, and NLP's S_L get a percentile interval; each task gets its score's interval
and its win probability (the share of draws where it is at or above its SoTA); each level
gets the probability of being reached (the share of draws where it is above 0). Tasks held
fixed keep their score on every draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from genbench.level import LEVEL_NAMES, Mode
from genbench.reference import MODALITIES, ReferenceTable, TaskKey
from genbench.runner import TaskResult
from genbench.stats._draws import (
    METHOD,
    BootstrapSettings,
    Floats,
    one_blas_thread,
    percentile_interval,
)
from genbench.stats._levels import MODALITY_QUANTITIES, LevelDraws, level_draws, task_normalized
from genbench.stats._tasks import TaskSample, load_tasks, resampled_scores


@dataclass(frozen=True)
class TaskDraws:
    """One task's scores over the draws and, for tasks that get one, its interval.

    Attributes:
        task: the task's bootstrap material.
        scores: its score (table scale) on each draw; the stored score when held fixed.
        wins: whether it is at or above its SoTA on each draw.
        wins_at_score: whether its stored score is at or above its SoTA.
    """

    task: TaskSample
    scores: Floats
    wins: np.ndarray[Any, np.dtype[np.bool_]]
    wins_at_score: bool

    def interval(self, level: float) -> tuple[float, float] | None:
        """The percentile interval of its score, or None when held fixed."""
        return percentile_interval(self.scores, level) if self.task.resampled else None

    @property
    def win_probability(self) -> float | None:
        """The share of draws where it wins, or None when held fixed."""
        return float(self.wins.mean()) if self.task.resampled else None


def task_draws(
    tasks: Mapping[str, TaskSample], settings: BootstrapSettings, mode: Mode
) -> dict[str, TaskDraws]:
    """Every task's scores over the draws (item ids in sorted order)."""
    found: dict[str, TaskDraws] = {}
    for item_id in sorted(tasks):
        task = tasks[item_id]
        if task.resampled:
            (scores,) = resampled_scores([task], settings, item_id, task.n)
        else:
            scores = np.full(settings.draws, task.score)
        normalized, sota = task_normalized(task.row, np.append(scores, task.score), mode)
        wins = normalized >= sota
        found[item_id] = TaskDraws(task, scores, wins[:-1], bool(wins[-1]))
    return found


def scores_by_key(draws: Mapping[str, TaskDraws]) -> dict[TaskKey, Floats]:
    """The level engine's input on every draw: each task's draws by its row (a later item
    id wins a row held twice, as ``scores_for_level`` does).
    """
    return {d.task.row.key: d.scores for _, d in sorted(draws.items())}


@dataclass(frozen=True)
class LevelIntervals:
    """Levels and task scores over B joint draws, and their intervals.

    Attributes:
        settings: B, the confidence level and the seed.
        mode: the level mode the draws were computed in.
        levels: the levels on every draw.
        tasks: every counted task's draws, by item id.
    """

    settings: BootstrapSettings
    mode: Mode
    levels: LevelDraws
    tasks: dict[str, TaskDraws]

    def _interval(self, values: Floats) -> list[float]:
        return list(percentile_interval(values, self.settings.level))

    def reach(self) -> dict[str, float]:
        """The probability of reaching each level: the share of draws where it is > 0."""
        return {
            name: float((self.levels.reached >= k).mean())
            for k, name in enumerate(LEVEL_NAMES, start=2)
        }

    def to_json(self) -> dict[str, Any]:
        """The ``ci`` block of the level JSON (docs/STATISTICS.md)."""
        levels = self.levels
        tasks: dict[str, Any] = {}
        for item_id, draws in self.tasks.items():
            interval = draws.interval(self.settings.level)
            tasks[item_id] = {
                "interval": None if interval is None else list(interval),
                "win_probability": draws.win_probability,
                "note": draws.task.note,
            }
        return {
            "method": METHOD,
            "B": self.settings.draws,
            "level": self.settings.level,
            "seed": self.settings.seed,
            "final": {name: self._interval(levels.final[name]) for name in LEVEL_NAMES},
            "per_modality": {
                modality: {
                    q: self._interval(levels.per_modality[modality][q]) for q in MODALITY_QUANTITIES
                }
                for modality in MODALITIES
            },
            "nlp": {"S_L": self._interval(levels.s_l)},
            "reach": self.reach(),
            "tasks": tasks,
        }


def level_intervals(
    table: ReferenceTable,
    tasks: Mapping[str, TaskSample],
    settings: BootstrapSettings,
    mode: Mode | str = Mode.PAPER,
) -> LevelIntervals:
    """Intervals on a model's levels and task scores from its tasks' instances.

    Raises:
        ValueError: ``settings.draws`` is 0 (intervals are disabled).
    """
    if settings.draws < 1:
        raise ValueError("intervals need at least one bootstrap draw")
    mode = Mode(mode)
    with one_blas_thread():
        draws = task_draws(tasks, settings, mode)
        levels = level_draws(table, scores_by_key(draws), settings.draws, mode)
    return LevelIntervals(settings, mode, levels, draws)


def outcome_intervals(
    outcome_dir: Path,
    results: Mapping[str, TaskResult],
    table: ReferenceTable,
    settings: BootstrapSettings,
    mode: Mode | str = Mode.PAPER,
) -> LevelIntervals:
    """Intervals from a model's stored task results and their samples files."""
    return level_intervals(table, load_tasks(outcome_dir, results, table), settings, mode)


def run_intervals(
    outcome_dir: Path,
    results: Mapping[str, TaskResult],
    table: ReferenceTable,
    mode: Mode | str,
    settings: BootstrapSettings,
) -> LevelIntervals | None:
    """A run's intervals (the pytest plugin's step 3), or None when ``settings.draws`` is 0."""
    if settings.draws == 0:
        return None
    return outcome_intervals(outcome_dir, results, table, settings, mode)
