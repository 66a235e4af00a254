"""General-Level as the paper defines it (docs/LEVEL.md): the default mode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from genbench.level._types import ModalityLevel, ModelScores, NlpLevel
from genbench.reference import COMPREHENSION, GENERATION, NLP, ReferenceRow, ReferenceTable


@dataclass(frozen=True)
class ParadigmScores:
    """One paradigm's (or NLP's) mean score, masked mean and counts, over all its tasks."""

    mean: float
    masked_mean: float
    supported: int
    total: int
    wins: int


def paradigm_scores(rows: Sequence[ReferenceRow], scores: ModelScores) -> ParadigmScores:
    """Mean and win-masked mean of normalized scores over every task of ``rows``.

    A task without a score contributes 0 and is not supported. A task wins where its
    normalized score is at or above the normalized SoTA (ties win).
    """
    total = len(rows)
    summed = masked = 0.0
    supported = wins = 0
    for row in rows:
        raw = scores.get(row.key)
        if raw is None:
            continue
        supported += 1
        value = row.metric.normalize(raw)
        summed += value
        if value >= row.metric.normalize(row.sota):
            wins += 1
            masked += value
    if total == 0:
        return ParadigmScores(0.0, 0.0, 0, 0, 0)
    return ParadigmScores(summed / total, masked / total, supported, total, wins)


def harmonic_mean(a: float, b: float) -> float:
    """``2ab/(a+b)``, and 0 when either side is 0 (Level-4's paradigm synergy)."""
    if a <= 0 or b <= 0:
        return 0.0
    return 2.0 * a * b / (a + b)


def modality_level(table: ReferenceTable, modality: str, scores: ModelScores) -> ModalityLevel:
    """Levels 2-4 of one modality from its comprehension and generation sheets."""
    comp = paradigm_scores(table.sheet(f"{modality}-{COMPREHENSION}"), scores)
    gen = paradigm_scores(table.sheet(f"{modality}-{GENERATION}"), scores)
    return ModalityLevel(
        level2=(comp.mean + gen.mean) / 2.0,
        level3=(comp.masked_mean + gen.masked_mean) / 2.0,
        level4=harmonic_mean(comp.masked_mean, gen.masked_mean),
        s_c=comp.masked_mean,
        s_g=gen.masked_mean,
        supported=comp.supported + gen.supported,
        total=comp.total + gen.total,
        wins=comp.wins + gen.wins,
    )


def nlp_level(table: ReferenceTable, scores: ModelScores) -> NlpLevel:
    """S_L: the mean over all NLP tasks of the win-masked normalized scores."""
    nlp = paradigm_scores(table.sheet(NLP), scores)
    return NlpLevel(s_l=nlp.masked_mean, supported=nlp.supported, total=nlp.total, wins=nlp.wins)
