"""What it takes to reach the next level, read off the level formulas (docs/LEVEL.md).

With S_C and S_G the win-masked means of a modality's comprehension and generation
tasks and S_L that of the language tasks:

- Level-2 > 0 needs any positive normalized score in Image, Video, Audio or 3D;
- Level-3 > 0 needs a win (a score at or above the SoTA, and above 0) in any of them,
  since Level-3 is the mean over modalities of (S_C + S_G)/2: the candidates are, per
  modality and paradigm, the tasks with the smallest normalized gap to their SoTA;
- Level-4 > 0 needs one modality with both S_C > 0 and S_G > 0 (the harmonic mean is 0
  otherwise): for each modality at 0, the cheapest win of each paradigm still at 0, and
  the modality's total gap (the sum of those cheapest gaps);
- Level-5 > 0 needs Level-4 > 0 and S_L > 0, that is one language win: the language tasks
  nearest to a win.

A gap is ``normalized SoTA - normalized score`` (0-100 points; an unsupported task starts
from 0); the points needed are the same distance on the task metric's own scale
(``|SoTA - score|``, to raise or to lower as the metric's direction says). Each candidate
carries its win probability from the bootstrap when there is one. A win is *fragile* when
its probability is below 0.8.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from genbench.level import LevelSummary, ModelScores
from genbench.reference import (
    COMPREHENSION,
    GENERATION,
    MODALITIES,
    NLP,
    PARADIGMS,
    ReferenceRow,
    ReferenceTable,
    TaskKey,
)

#: What each level needs, in words.
REQUIREMENTS = {
    2: "a score above 0 on any Image, Video, Audio or 3D task",
    3: "a win (a score at or above the SoTA, above 0) on any Image, Video, Audio or 3D task",
    4: "one modality with both S_C > 0 and S_G > 0: a comprehension and a generation win",
    5: "Level-4 above 0 and S_L > 0: a win on a language task",
}


@dataclass(frozen=True)
class Candidate:
    """A task whose win would count toward the next level."""

    row: ReferenceRow
    item_id: str | None
    score: float | None
    normalized: float
    sota_normalized: float
    win_probability: float | None

    @property
    def wins(self) -> bool:
        """Whether its score is at or above its SoTA."""
        return self.score is not None and self.normalized >= self.sota_normalized

    @property
    def gap(self) -> float:
        """Normalized points (0-100) between its score and its SoTA."""
        return max(0.0, self.sota_normalized - self.normalized)

    @property
    def points_needed(self) -> float | None:
        """The distance to the SoTA on the metric's own scale (None: not supported)."""
        return None if self.score is None else abs(self.row.sota - self.score)

    def to_json(self) -> dict[str, Any]:
        """The candidate as a JSON object (docs/STATISTICS.md)."""
        return {
            "item_id": self.item_id,
            "sheet": self.row.sheet,
            "task_name": self.row.name,
            "metric": self.row.metric.name,
            "higher_is_better": self.row.metric.higher_is_better,
            "supported": self.score is not None,
            "score": self.score,
            "sota": self.row.sota,
            "normalized": self.normalized,
            "sota_normalized": self.sota_normalized,
            "wins": self.wins,
            "gap": self.gap,
            "points_needed": self.points_needed,
            "win_probability": self.win_probability,
        }


@dataclass(frozen=True)
class CandidateGroup:
    """The candidates of one modality (and paradigm), with what they stand for.

    Attributes:
        modality: ``Image``, ``Video``, ``Audio``, ``3D`` or ``NLP``.
        paradigm: ``Comprehension`` or ``Generation``; None for NLP and for a Level-4
            group, which lists the cheapest win of each paradigm it lacks.
        current: the masked mean the group would raise (S_C, S_G, S_L), or for Level-4
            ``{"S_C": .., "S_G": ..}``.
        needs: the paradigms still at 0 (Level-4 groups).
        total_gap: the sum of the first candidate's gap of each needed paradigm.
        candidates: nearest wins first.
    """

    modality: str
    paradigm: str | None
    current: dict[str, float]
    candidates: list[Candidate]
    needs: list[str] = field(default_factory=list)
    total_gap: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The group as a JSON object (docs/STATISTICS.md)."""
        return {
            "modality": self.modality,
            "paradigm": self.paradigm,
            "current": self.current,
            "needs": self.needs,
            "total_gap": self.total_gap,
            "candidates": [c.to_json() for c in self.candidates],
        }


@dataclass(frozen=True)
class Diagnosis:
    """The level reached, what the next one needs, and the fragile wins."""

    summary: LevelSummary
    next_level: int | None
    groups: list[CandidateGroup]
    fragile: list[Candidate]
    fragile_below: float

    def to_json(self) -> dict[str, Any]:
        """The output of ``genbench diagnose --json`` (docs/STATISTICS.md)."""
        level = self.next_level
        return {
            "model": self.summary.model,
            "mode": self.summary.mode.value,
            "level": self.summary.level,
            "final": dict(self.summary.final),
            "next_level": level,
            "requirement": "highest level reached" if level is None else REQUIREMENTS[level],
            "groups": [g.to_json() for g in self.groups],
            "fragile_below": self.fragile_below,
            "fragile_wins": [c.to_json() for c in self.fragile],
        }


def _candidate(
    row: ReferenceRow,
    scores: ModelScores,
    win_probability: Mapping[TaskKey, float | None],
    item_ids: Mapping[TaskKey, str],
) -> Candidate:
    score = scores.get(row.key)
    return Candidate(
        row,
        item_ids.get(row.key),
        score,
        0.0 if score is None else row.metric.normalize(score),
        row.metric.normalize(row.sota),
        win_probability.get(row.key),
    )


def _nearest(candidates: Sequence[Candidate], top: int) -> list[Candidate]:
    """The non-winning candidates with the smallest gap (then the table's order)."""
    open_ = [c for c in candidates if not (c.wins and c.normalized > 0)]
    return sorted(open_, key=lambda c: c.gap)[:top]


def diagnose(
    table: ReferenceTable,
    summary: LevelSummary,
    scores: ModelScores,
    win_probability: Mapping[TaskKey, float | None] | None = None,
    item_ids: Mapping[TaskKey, str] | None = None,
    top: int = 5,
    fragile_below: float = 0.8,
) -> Diagnosis:
    """What the model needs for the next level, and which of its wins are fragile.

    Args:
        table: the reference table.
        summary: the model's level summary (paper mode's formulas are read).
        scores: the model's scores by task, as given to ``level_scores``.
        win_probability: each task's bootstrap win probability, where known.
        item_ids: each task's item id, where known.
        top: candidates per group.
        fragile_below: a win with a lower win probability is listed as fragile.
    """
    probability = win_probability or {}
    ids = item_ids or {}
    rows = {
        sheet: [_candidate(row, scores, probability, ids) for row in table.sheet(sheet)]
        for sheet in {row.sheet for row in table}
    }
    level = summary.level
    groups: list[CandidateGroup] = []
    if level == 2:
        for modality in MODALITIES:
            for paradigm in PARADIGMS:
                masked = summary.per_modality[modality]
                current = masked.s_c if paradigm == COMPREHENSION else masked.s_g
                candidates = _nearest(rows[f"{modality}-{paradigm}"], top)
                name = "S_C" if paradigm == COMPREHENSION else "S_G"
                groups.append(CandidateGroup(modality, paradigm, {name: current}, candidates))
    elif level == 3:
        groups = _level4_groups(summary, rows, top)
    elif level == 4:
        groups = [CandidateGroup(NLP, None, {"S_L": summary.nlp.s_l}, _nearest(rows[NLP], top))]
    every = [c for candidates in rows.values() for c in candidates]
    fragile = sorted(
        (
            c
            for c in every
            if c.wins and c.win_probability is not None and c.win_probability < fragile_below
        ),
        key=lambda c: (c.win_probability, c.row.sheet, c.row.no),
    )
    return Diagnosis(summary, None if level == 5 else level + 1, groups, fragile, fragile_below)


def _level4_groups(
    summary: LevelSummary, rows: Mapping[str, list[Candidate]], top: int
) -> list[CandidateGroup]:
    """For each modality with Level-4 at 0: the cheapest wins of the paradigms at 0."""
    groups = []
    for modality in MODALITIES:
        masked = summary.per_modality[modality]
        if masked.level4 > 0:
            continue
        needs = [p for p, s in ((COMPREHENSION, masked.s_c), (GENERATION, masked.s_g)) if s <= 0]
        candidates: list[Candidate] = []
        total: float | None = 0.0
        for paradigm in needs:
            nearest = _nearest(rows[f"{modality}-{paradigm}"], top)
            candidates += nearest
            total = None if total is None or not nearest else total + nearest[0].gap
        groups.append(
            CandidateGroup(
                modality,
                None,
                {"S_C": masked.s_c, "S_G": masked.s_g},
                candidates,
                needs,
                total,
            )
        )
    return sorted(groups, key=lambda g: (g.total_gap is None, g.total_gap or 0.0))
