"""Intervals as text lines (the terminal summary) and as rows (the Level-Scores sheet)."""

from __future__ import annotations

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.reference import MODALITIES
from genbench.stats._draws import METHOD
from genbench.stats._intervals import LevelIntervals
from genbench.stats._levels import MODALITY_QUANTITIES

#: A win whose probability is below this is called fragile.
FRAGILE_BELOW = 0.8


def _with_interval(name: str, value: float, interval: tuple[float, float]) -> str:
    return f"{name} {value:.2f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def _point_values(summary: LevelSummary) -> dict[str, dict[str, float]]:
    """The summary's numbers by scope and quantity, keyed as the ci block is."""
    values: dict[str, dict[str, float]] = {"Overall": dict(summary.final)}
    for modality in MODALITIES:
        entry = summary.per_modality[modality].to_json()
        values[modality] = {q: float(entry[q]) for q in MODALITY_QUANTITIES}
    values["NLP"] = {"S_L": summary.nlp.s_l}
    return values


def _interval_table(intervals: LevelIntervals) -> dict[str, dict[str, tuple[float, float]]]:
    block = intervals.to_json()
    table: dict[str, dict[str, tuple[float, float]]] = {
        "Overall": {name: (lo, hi) for name, (lo, hi) in block["final"].items()}
    }
    for modality, quantities in block["per_modality"].items():
        table[modality] = {q: (lo, hi) for q, (lo, hi) in quantities.items()}
    table["NLP"] = {"S_L": tuple(block["nlp"]["S_L"])}
    return table


def fragile_wins(intervals: LevelIntervals, below: float = FRAGILE_BELOW) -> list[str]:
    """Item ids of the tasks that win at their score but in fewer than ``below`` of the
    draws, least likely first.
    """
    found = [
        (p, item_id)
        for item_id, draws in intervals.tasks.items()
        if (p := draws.win_probability) is not None and p < below and draws.wins_at_score
    ]
    return [item_id for _, item_id in sorted(found)]


def render_intervals(summary: LevelSummary, intervals: LevelIntervals) -> str:
    """Lines such as ``Level-3 12.31 [11.84, 12.90]`` for every scope, the probability of
    reaching each level, and what was held fixed.
    """
    settings = intervals.settings
    values, table = _point_values(summary), _interval_table(intervals)
    lines = [
        f"{100 * settings.level:g}% intervals ({METHOD}, B={settings.draws}, seed {settings.seed}):"
    ]
    for scope in ("Overall", *MODALITIES, "NLP"):
        parts = [_with_interval(q, values[scope][q], table[scope][q]) for q in table[scope]]
        lines.append(f"{scope:<9}" + "  ".join(parts))
    reach = intervals.reach()
    lines.append("P(reach) " + "  ".join(f"{name} {reach[name]:.2f}" for name in LEVEL_NAMES))
    fixed = [d for d in intervals.tasks.values() if not d.task.resampled]
    lines.append(
        f"held fixed (no interval): {len(fixed)} of {len(intervals.tasks)} tasks; "
        f"fragile wins (win probability < {FRAGILE_BELOW:g}): {len(fragile_wins(intervals))}"
    )
    return "\n".join(lines)


INTERVAL_COLUMNS: tuple[str, ...] = (
    "Model",
    "Mode",
    "Scope",
    "Quantity",
    "Value",
    "Low",
    "High",
    "P(reach)",
)


def interval_rows(summary: LevelSummary, intervals: LevelIntervals) -> list[list[object]]:
    """Rows for the Level-Scores sheet: a title row with the method, a header, and one row
    per scope and quantity (value, interval, and for overall levels the reach probability).
    """
    settings = intervals.settings
    values, table = _point_values(summary), _interval_table(intervals)
    reach = intervals.reach()
    rows: list[list[object]] = [
        ["Intervals", METHOD, "B", settings.draws, "level", settings.level, "seed", settings.seed],
        list(INTERVAL_COLUMNS),
    ]
    for scope in ("Overall", *MODALITIES, "NLP"):
        for quantity, (low, high) in table[scope].items():
            probability = reach.get(quantity) if scope == "Overall" else None
            rows.append(
                [
                    summary.model,
                    summary.mode.value,
                    scope,
                    quantity,
                    values[scope][quantity],
                    low,
                    high,
                    probability,
                ]
            )
    return rows


def interval_outputs(
    summary: LevelSummary, intervals: LevelIntervals | None
) -> tuple[dict[str, object], list[list[object]]]:
    """What the intervals add to the outcome files: the level JSON's ``ci`` block and the
    Level-Scores rows (nothing without intervals).
    """
    if intervals is None:
        return {}, []
    return {"ci": intervals.to_json()}, interval_rows(summary, intervals)
