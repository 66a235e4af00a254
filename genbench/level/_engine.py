"""General-Level from a model's scores and the reference table: the public entry point."""

from __future__ import annotations

from genbench.level._paper import modality_level, nlp_level
from genbench.level._types import LEVEL_NAMES, LevelSummary, Mode, ModelScores
from genbench.level._upstream import upstream_modality_level, upstream_nlp_level
from genbench.reference import MODALITIES, ReferenceTable


class UnknownTaskError(KeyError):
    """A score for a task that is not in the reference table."""


def level_reached(final: dict[str, float]) -> int:
    """The highest k in 2..5 whose Level-k score is above zero; 1 when none is."""
    reached = 1
    for k, name in enumerate(LEVEL_NAMES, start=2):
        if final[name] > 0:
            reached = k
    return reached


def level_scores(
    table: ReferenceTable, scores: ModelScores, model: str, mode: Mode | str = Mode.PAPER
) -> LevelSummary:
    """Compute a model's General-Level.

    Args:
        table: the reference table; every one of its tasks counts (missing ones score 0).
        scores: the model's scores by task key, on the reference table's scale, ``None``
            (or absent) where the task is not supported.
        model: the model's name, carried into the summary.
        mode: ``paper`` (docs/LEVEL.md) or ``upstream`` (the authors' scorer, quirks included).

    Returns:
        Overall Levels 2-5, the per-modality levels and counts, NLP's S_L and counts, and
        the level reached.

    Raises:
        UnknownTaskError: ``scores`` holds a key that is not in ``table``.
    """
    mode = Mode(mode)
    for key in scores:
        if table.get(key) is None:
            raise UnknownTaskError(
                f"{key.sheet}: task {key.task!r} ({key.metric}) is not in the reference table"
            )
    if mode is Mode.PAPER:
        per_modality = {m: modality_level(table, m, scores) for m in MODALITIES}
        nlp = nlp_level(table, scores)
    else:
        per_modality = {m: upstream_modality_level(table, m, scores) for m in MODALITIES}
        nlp = upstream_nlp_level(table, scores)
    count = len(MODALITIES)
    level4 = sum(m.level4 for m in per_modality.values()) / count
    final = {
        "Level-2": sum(m.level2 for m in per_modality.values()) / count,
        "Level-3": sum(m.level3 for m in per_modality.values()) / count,
        "Level-4": level4,
        "Level-5": level4 * nlp.s_l / 100.0,
    }
    return LevelSummary(
        model=model,
        mode=mode,
        level=level_reached(final),
        final=final,
        per_modality=per_modality,
        nlp=nlp,
    )
