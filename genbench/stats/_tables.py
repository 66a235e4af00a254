"""Plain-text tables of a comparison (``genbench compare``) and a diagnosis (``diagnose``)."""

from __future__ import annotations

from genbench.stats._compare import Comparison, Difference, TaskComparison
from genbench.stats._diagnose import REQUIREMENTS, Candidate, Diagnosis


def _num(value: float | None, width: int = 8) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.2f}"


def _interval(interval: tuple[float, float] | None) -> str:
    if interval is None:
        return f"{'-':>18}"
    return f"[{interval[0]:7.2f}, {interval[1]:7.2f}]"


def _p(value: float | None) -> str:
    return f"{'-':>7}" if value is None else f"{value:7.3f}"


def _level_line(label: str, difference: Difference, significant: bool) -> str:
    return (
        f"{label:<16}{_num(difference.a)}{_num(difference.b)}{_num(difference.difference)}  "
        f"{_interval(difference.interval)}{_p(difference.p_value)}{' *' if significant else ''}"
    )


def _task_line(task: TaskComparison, width: int) -> str:
    n = task.normalized
    return (
        f"{task.item_id:<{width}}  {task.metric:<10}{_num(n.a)}{_num(n.b)}{_num(n.difference)}  "
        f"{_interval(n.interval)}{_p(n.p_value)}{_p(task.p_adjusted)}"
        f"{' *' if task.significant else ''}{'  ' + task.note if task.note else ''}"
    )


def render_comparison(comparison: Comparison, all_tasks: bool = False) -> str:
    """Levels and tasks of a comparison: A, B, A - B (normalized), interval and p-value;
    ``*`` marks a significant difference. Tasks: the significant ones, or all of them.
    """
    a, b = comparison.models
    settings = comparison.settings
    lines = [
        f"{a} (A) vs {b} (B), mode {comparison.mode.value}: A - B on the normalized 0-100 "
        f"scale; {100 * settings.level:g}% paired percentile bootstrap, B={settings.draws}, "
        f"seed {settings.seed}",
        f"{'level':<16}{'A':>8}{'B':>8}{'A-B':>8}  {'interval':^18}{'p':>7}",
    ]
    for name, difference in comparison.final.items():
        lines.append(_level_line(name, difference, comparison.significant_level(difference)))
    for modality, quantities in comparison.per_modality.items():
        for quantity, difference in quantities.items():
            label = f"{modality} {quantity}"
            lines.append(_level_line(label, difference, comparison.significant_level(difference)))
    s_l = comparison.s_l
    lines.append(_level_line("NLP S_L", s_l, comparison.significant_level(s_l)))
    tested = [t for t in comparison.tasks if t.p_adjusted is not None]
    significant = [t for t in tested if t.significant]
    lines.append(
        f"tasks: {len(comparison.tasks)} compared, {len(tested)} with an interval; "
        f"significant after Benjamini-Hochberg (q={comparison.q:g}): {len(significant)}"
    )
    smallest = 2.0 / (settings.draws + 1)
    if tested and smallest > comparison.q / len(tested):
        lines.append(
            f"note: with B={settings.draws} no p-value is below {smallest:.4f}, so a single "
            f"difference among {len(tested)} tasks cannot pass the correction; raise --bootstrap"
        )
    shown = comparison.tasks if all_tasks else significant
    if shown:
        width = max(len(t.item_id) for t in shown)
        lines.append(
            f"{'task':<{width}}  {'metric':<10}{'A':>8}{'B':>8}{'A-B':>8}  {'interval':^18}"
            f"{'p':>7}{'p(BH)':>7}"
        )
        lines += [_task_line(t, width) for t in shown]
    return "\n".join(lines)


def _candidate_line(candidate: Candidate) -> str:
    probability = candidate.win_probability
    chance = "-" if probability is None else f"{probability:.2f}"
    score = "unsupported" if candidate.score is None else f"{candidate.score:.4g}"
    needed = candidate.points_needed
    direction = "raise" if candidate.row.metric.higher_is_better else "lower"
    if candidate.wins:
        direction = "ahead"
    points = "" if needed is None else f", {direction} by {needed:.4g} {candidate.row.metric.unit}"
    return (
        f"  {candidate.item_id or candidate.row.name}: {candidate.row.metric.name} {score} vs "
        f"SoTA {candidate.row.sota:.4g} (gap {candidate.gap:.2f} normalized points{points}; "
        f"win probability {chance})"
    )


def render_diagnosis(diagnosis: Diagnosis) -> str:
    """The level reached, what the next level needs with the nearest wins, the fragile wins."""
    summary = diagnosis.summary
    lines = [f"{summary.model}: Level-{summary.level} (mode {summary.mode.value})"]
    if diagnosis.next_level is None:
        lines.append("Level-5 reached: the highest level.")
    else:
        lines.append(
            f"next: Level-{diagnosis.next_level} needs {REQUIREMENTS[diagnosis.next_level]}"
        )
    for group in diagnosis.groups:
        where = group.modality + (f" {group.paradigm}" if group.paradigm else "")
        current = ", ".join(f"{k} {v:.2f}" for k, v in group.current.items())
        extra = ""
        if group.needs:
            total = "-" if group.total_gap is None else f"{group.total_gap:.2f}"
            extra = f"; needs {' and '.join(group.needs)} (total gap {total})"
        lines.append(f"{where} ({current}{extra}):")
        lines += [_candidate_line(c) for c in group.candidates] or ["  (no task)"]
    below = diagnosis.fragile_below
    lines.append(f"fragile wins (win probability < {below:g}): {len(diagnosis.fragile)}")
    lines += [_candidate_line(c) for c in diagnosis.fragile]
    return "\n".join(lines)
