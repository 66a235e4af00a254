"""The level ladder and the leaderboard rows: the report's numbers in words and order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.report import rank_summaries
from genbench.viewer._load import interval_of
from genbench.viewer._model import RunOutcome

#: What reaching each level means (the General-Bench spec, §2).
LEVEL_MEANINGS = {
    1: "specialist: beats no SoTA, no generalist score above 0",
    2: "generalist without synergy: mean of comprehension and generation scores",
    3: "task synergy: beats the SoTA on some tasks (S_C, S_G)",
    4: "paradigm synergy: wins in both comprehension and generation (harmonic mean)",
    5: "total synergy: wins on language tasks too (Level-4 x S_L / 100)",
}


@dataclass(frozen=True)
class Rung:
    """One level of the ladder: its score, interval and reach probability where known."""

    level: int
    meaning: str
    score: float | None
    interval: tuple[float, float] | None
    reach: float | None
    reached: bool
    current: bool


@dataclass(frozen=True)
class LeaderRow:
    """One model of the leaderboard."""

    rank: int
    model: str
    anchor: str
    level: int
    scores: tuple[float, ...]
    supported: int
    wins: int


def ladder(summary: LevelSummary, ci: Mapping[str, Any] | None) -> list[Rung]:
    """Level-5 down to Level-1, marking the levels reached and the one the model stands on."""
    final_ci = (ci or {}).get("final") or {}
    reach = (ci or {}).get("reach") or {}
    rungs = []
    for level in range(5, 0, -1):
        name = f"Level-{level}"
        probability = reach.get(name)
        rungs.append(
            Rung(
                level=level,
                meaning=LEVEL_MEANINGS[level],
                score=summary.final.get(name) if level > 1 else None,
                interval=interval_of(final_ci.get(name)),
                reach=float(probability) if isinstance(probability, int | float) else None,
                reached=level <= summary.level,
                current=level == summary.level,
            )
        )
    return rungs


def leaderboard(
    runs: Sequence[RunOutcome], anchors: Sequence[str], sort_by: str | None = None
) -> list[LeaderRow]:
    """The runs with a summary, ranked as ``genbench leaderboard`` ranks them."""
    by_summary = {
        id(run.summary): (run, anchor)
        for run, anchor in zip(runs, anchors, strict=True)
        if run.summary is not None
    }
    summaries = [run.summary for run, _ in by_summary.values() if run.summary is not None]
    rows = []
    for rank, summary in enumerate(rank_summaries(summaries, sort_by), start=1):
        run, anchor = by_summary[id(summary)]
        rows.append(
            LeaderRow(
                rank=rank,
                model=run.model,
                anchor=anchor,
                level=summary.level,
                scores=tuple(summary.final[name] for name in LEVEL_NAMES),
                supported=summary.nlp.supported
                + sum(m.supported for m in summary.per_modality.values()),
                wins=summary.nlp.wins + sum(m.wins for m in summary.per_modality.values()),
            )
        )
    return rows
