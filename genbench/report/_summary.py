"""Plain-text renderings of level summaries: one model's table, and a leaderboard."""

from __future__ import annotations

from collections.abc import Sequence

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.reference import MODALITIES


def _fmt(value: float) -> str:
    return f"{value:7.2f}"


def render_summary(summary: LevelSummary) -> str:
    """A model's General-Level as a table: per modality, NLP, overall and the level reached."""
    lines = [
        f"General-Level of {summary.model} (mode: {summary.mode.value})",
        f"{'scope':<9}{'Level-2':>8}{'Level-3':>8}{'Level-4':>8}{'S_C':>8}{'S_G':>8}"
        f"{'supported':>12}{'wins':>6}",
    ]
    for modality in MODALITIES:
        m = summary.per_modality[modality]
        lines.append(
            f"{modality:<9} {_fmt(m.level2)} {_fmt(m.level3)} {_fmt(m.level4)} {_fmt(m.s_c)}"
            f" {_fmt(m.s_g)}{f'{m.supported}/{m.total}':>12}{m.wins:>6}"
        )
    n = summary.nlp
    lines.append(f"{'NLP':<9}{'S_L':>40} {_fmt(n.s_l)}{f'{n.supported}/{n.total}':>12}{n.wins:>6}")
    lines.append(
        "overall  " + "  ".join(f"{name} {summary.final[name]:.2f}" for name in LEVEL_NAMES)
    )
    lines.append(f"level reached: Level-{summary.level}")
    return "\n".join(lines)


def render_leaderboard(summaries: Sequence[LevelSummary], sort_by: str = "Level-2") -> str:
    """Models ranked by one level (then by the others, highest first), a row per model."""
    if sort_by not in LEVEL_NAMES:
        raise ValueError(f"cannot sort by {sort_by!r}: choose one of {', '.join(LEVEL_NAMES)}")
    order = [sort_by, *(name for name in LEVEL_NAMES if name != sort_by)]
    ranked = sorted(summaries, key=lambda s: tuple(-s.final[name] for name in order))
    width = max([len("model"), *(len(s.model) for s in summaries)])
    header = f"{'rank':>4}  {'model':<{width}}  {'level':>5}" + "".join(
        f"{name:>9}" for name in LEVEL_NAMES
    )
    lines = [
        f"leaderboard (mode: {ranked[0].mode.value if ranked else '-'}, sorted by {sort_by})",
        header,
    ]
    for rank, s in enumerate(ranked, start=1):
        lines.append(
            f"{rank:>4}  {s.model:<{width}}  {s.level:>5}"
            + "".join(f"{s.final[name]:9.2f}" for name in LEVEL_NAMES)
        )
    return "\n".join(lines)
