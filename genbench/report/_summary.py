"""Plain-text renderings of level summaries: one model's table, and a leaderboard."""

from __future__ import annotations

from collections.abc import Sequence

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.reference import MODALITIES

#: The columns of a model's level table and their widths (the scope column is left-aligned).
_COLUMNS = (
    ("scope", 9),
    ("Level-2", 8),
    ("Level-3", 8),
    ("Level-4", 8),
    ("S_C", 8),
    ("S_G", 8),
    ("S_L", 8),
    ("supported", 11),
    ("wins", 6),
)


def _line(cells: Sequence[str]) -> str:
    """One row of the level table: every cell right-aligned under its header."""
    (first, width), *rest = zip(cells, (w for _, w in _COLUMNS), strict=True)
    return f"{first:<{width}}" + "".join(f"{cell:>{w}}" for cell, w in rest)


def render_summary(summary: LevelSummary) -> str:
    """A model's General-Level as a table: per modality, NLP, overall and the level reached.

    NLP has no Levels 2-4 nor paradigms: its S_L stands in a column of its own.
    """
    lines = [
        f"General-Level of {summary.model} (mode: {summary.mode.value})",
        _line([name for name, _ in _COLUMNS]),
    ]
    for modality in MODALITIES:
        m = summary.per_modality[modality]
        values = (m.level2, m.level3, m.level4, m.s_c, m.s_g)
        lines.append(
            _line(
                [
                    modality,
                    *(f"{v:.2f}" for v in values),
                    "",
                    f"{m.supported}/{m.total}",
                    str(m.wins),
                ]
            )
        )
    n = summary.nlp
    lines.append(
        _line(["NLP", "", "", "", "", "", f"{n.s_l:.2f}", f"{n.supported}/{n.total}", str(n.wins)])
    )
    lines.append(
        "overall  " + "  ".join(f"{name} {summary.final[name]:.2f}" for name in LEVEL_NAMES)
    )
    lines.append(f"level reached: Level-{summary.level}")
    return "\n".join(lines)


def level_score(summary: LevelSummary) -> float:
    """The score of the level a model reached (0 at Level-1, which has no score)."""
    return summary.final.get(f"Level-{summary.level}", 0.0)


def rank_summaries(
    summaries: Sequence[LevelSummary], sort_by: str | None = None
) -> list[LevelSummary]:
    """Models best first.

    By default by the level reached, then by that level's score (a Level-4 model always
    ranks above a Level-3 one), then by the other levels' scores from the highest level
    down. ``sort_by`` (``Level-2`` ... ``Level-5``) ranks by that level's score instead,
    then by the others. Ties keep the model names' order.
    """
    if sort_by is not None and sort_by not in LEVEL_NAMES:
        raise ValueError(f"cannot sort by {sort_by!r}: choose one of {', '.join(LEVEL_NAMES)}")
    by_height = tuple(reversed(LEVEL_NAMES))

    def key(s: LevelSummary) -> tuple[float, ...]:
        if sort_by is None:
            return (-s.level, -level_score(s), *(-s.final[name] for name in by_height))
        order = [sort_by, *(name for name in LEVEL_NAMES if name != sort_by)]
        return tuple(-s.final[name] for name in order)

    return sorted(sorted(summaries, key=lambda s: s.model), key=key)


def ranking_rule(sort_by: str | None) -> str:
    """How :func:`rank_summaries` ranked, in words for a heading."""
    return f"sorted by {sort_by}" if sort_by else "ranked by level reached, then its score"


def render_leaderboard(summaries: Sequence[LevelSummary], sort_by: str | None = None) -> str:
    """Models ranked as :func:`rank_summaries` says, a row per model."""
    ranked = rank_summaries(summaries, sort_by)
    width = max([len("model"), *(len(s.model) for s in summaries)])
    header = f"{'rank':>4}  {'model':<{width}}  {'level':>5}" + "".join(
        f"{name:>9}" for name in LEVEL_NAMES
    )
    lines = [
        f"leaderboard (mode: {ranked[0].mode.value if ranked else '-'}, {ranking_rule(sort_by)})",
        header,
    ]
    for rank, s in enumerate(ranked, start=1):
        lines.append(
            f"{rank:>4}  {s.model:<{width}}  {s.level:>5}"
            + "".join(f"{s.final[name]:9.2f}" for name in LEVEL_NAMES)
        )
    return "\n".join(lines)
