"""The report's charts, drawn by matplotlib into inline SVG.

Why matplotlib to SVG rather than a JavaScript charting runtime (Vega-Lite and the like):
the chart is finished when the page is parsed (no script has to run, none can fail, and
first paint does not wait for one), nothing third-party is vendored into the package,
SVG text stays text (``svg.fonttype: none``) so 700 points cost about 100 KB, and each
point can link to its task's sample view (``set_urls``). matplotlib is imported here
only, on first use, so the command line and the pytest plugin stay light.

Each figure gets its own ``svg.hashsalt``, so the ids of several SVGs inlined in one page
(clip paths, markers) never collide. The task chart's points carry an SVG ``<title>`` (the
browser's tooltip): the task, its scores, or its status and reason.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.reference import MODALITIES, NLP
from genbench.runner import CLOSESET, FAILED, SKIPPED
from genbench.viewer._load import interval_of
from genbench.viewer._model import NOT_SCORED_STATUSES, TaskRow

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The quantities of one modality's bar group, and their colours.
MODALITY_BARS = ("Level-2", "Level-3", "Level-4", "S_C", "S_G")
COLORS = {
    "Level-2": "#4c78a8",
    "Level-3": "#f58518",
    "Level-4": "#54a24b",
    "Level-5": "#b279a2",
    "S_C": "#72b7b2",
    "S_G": "#e45756",
    "S_L": "#9d755d",
}
PARADIGM_STYLE = {"Comprehension": ("o", "#4c78a8"), "Generation": ("s", "#f58518")}
NLP_STYLE = ("D", "#9d755d")
PANELS = (*MODALITIES, NLP)
#: Marks of the tasks that were not scored, at 0: (marker, colour, legend label).
UNSCORED_STYLE = {
    SKIPPED: ("x", "0.5", "skipped (counts 0)"),
    FAILED: ("x", "#b3261e", "failed (counts 0)"),
    CLOSESET: ("+", "0.5", "close set: no references"),
}
#: A reason in a point's tooltip is cut past this many characters.
TITLE_REASON_CHARS = 160


def modality_bars(summary: LevelSummary, ci: Mapping[str, Any] | None, salt: str) -> str:
    """Per-modality Level-2/3/4, S_C and S_G, the overall levels and NLP's S_L, as SVG.

    With a ``ci`` block, each bar carries its interval as an error bar.
    """
    groups: list[tuple[str, list[tuple[str, float, tuple[float, float] | None]]]] = []
    for modality in MODALITIES:
        values = summary.per_modality[modality].to_json()
        intervals = _ci(ci, "per_modality", modality)
        groups.append(
            (
                modality,
                [(q, float(values[q]), interval_of(intervals.get(q))) for q in MODALITY_BARS],
            )
        )
    final_ci = (ci or {}).get("final") or {}
    groups.append(
        (
            "Overall",
            [(q, summary.final[q], interval_of(final_ci.get(q))) for q in LEVEL_NAMES],
        )
    )
    nlp_ci = (ci or {}).get("nlp") or {}
    groups.append((NLP, [("S_L", summary.nlp.s_l, interval_of(nlp_ci.get("S_L")))]))
    fig = _figure(9.0, 3.2)
    ax = fig.add_subplot()
    width = 0.16
    seen: set[str] = set()
    for position, (_, bars) in enumerate(groups):
        offset = -width * (len(bars) - 1) / 2
        for index, (quantity, value, interval) in enumerate(bars):
            x = position + offset + index * width
            container = ax.bar(
                x,
                value,
                width,
                color=COLORS[quantity],
                label=quantity if quantity not in seen else None,
                yerr=_yerr([value], [interval]),
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
            ax.bar_label(container, fmt="%.1f", fontsize=6, padding=1)
            seen.add(quantity)
    ax.set_xticks(range(len(groups)), [name for name, _ in groups])
    ax.set_ylabel("score (0-100)")
    ax.set_ylim(0, _top([v for _, bars in groups for _, v, _ in bars]))
    ax.legend(ncols=7, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, 1.16), frameon=False)
    _tidy(ax)
    return _svg(fig, salt)


def task_chart(tasks: Sequence[TaskRow], links: Mapping[str, str], salt: str) -> str:
    """Every task's normalized score against its SoTA's, one panel per modality, as SVG.

    A point above the diagonal beats the SoTA (filled: a win); tasks that were not scored
    sit at 0 as crosses (skipped grey, failed red; close-set tasks as grey plus signs);
    each point links to ``links[item_id]`` and says what it is in its tooltip. Tasks
    without a SoTA (unmatched) cannot be placed and are left out. A task's interval is
    drawn on the normalized scale (the ``ci`` block holds it on the metric's own).
    """
    fig = _figure(12.5, 3.0)
    axes = fig.subplots(1, len(PANELS), sharex=True, sharey=True)
    for ax, panel in zip(axes, PANELS, strict=True):
        placed = [t for t in tasks if t.modality == panel and t.sota_normalized is not None]
        scored = [t for t in placed if t.result.normalized is not None]
        unscored = [
            t
            for t in placed
            if t.result.normalized is None and t.result.status in NOT_SCORED_STATUSES
        ]
        ax.plot([0, 100], [0, 100], color="0.6", lw=0.8, ls="--", zorder=1)
        with_ci = [t for t in scored if t.normalized_interval is not None]
        if with_ci:
            ax.errorbar(
                [t.sota_normalized for t in with_ci],
                [t.result.normalized for t in with_ci],
                yerr=_yerr(
                    [t.result.normalized or 0.0 for t in with_ci],
                    [t.normalized_interval for t in with_ci],
                ),
                fmt="none",
                ecolor="0.55",
                elinewidth=0.6,
                zorder=2,
            )
        for paradigm in ("Comprehension", "Generation", None):
            group = [t for t in scored if t.paradigm == paradigm]
            if not group:
                continue
            marker, color = PARADIGM_STYLE.get(paradigm or "", NLP_STYLE)
            points = ax.scatter(
                [t.sota_normalized for t in group],
                [t.result.normalized for t in group],
                s=[28 if t.result.win else 16 for t in group],
                marker=marker,
                facecolors=[color if t.result.win else "none" for t in group],
                edgecolors=["black" if t.result.win else color for t in group],
                linewidths=0.8,
                zorder=3,
            )
            points.set_urls([links.get(t.result.item_id) for t in group])
        for status, (marker, color, _) in UNSCORED_STYLE.items():
            group = [t for t in unscored if t.result.status == status]
            if not group:
                continue
            crosses = ax.scatter(
                [t.sota_normalized for t in group],
                [0.0] * len(group),
                marker=marker,
                s=16,
                color=color,
                linewidths=0.8,
                zorder=3,
            )
            crosses.set_urls([links.get(t.result.item_id) for t in group])
        wins = sum(bool(t.result.win) for t in scored)
        ax.set_title(f"{panel}: {len(placed)} tasks, {wins} wins", fontsize=9)
        ax.set_xlim(-3, 103)
        ax.set_ylim(-3, 103)
        ax.set_aspect("equal")
        ax.set_xlabel("SoTA (normalized)", fontsize=8)
        _tidy(ax)
    axes[0].set_ylabel("model (normalized)", fontsize=8)
    _task_legend(fig, {t.result.status for t in tasks})
    titles = {links[t.result.item_id]: _point_title(t) for t in tasks if t.result.item_id in links}
    return _svg(fig, salt, titles)


def _point_title(task: TaskRow) -> str:
    """A point's tooltip: the task and its scores, or its status and why."""
    result = task.result
    head = f"{result.task_name or result.item_id} ({result.item_id})"
    if result.normalized is None:
        reason = result.reason
        if len(reason) > TITLE_REASON_CHARS:
            reason = reason[:TITLE_REASON_CHARS] + "…"
        return f"{head}: {result.status}" + (f": {reason}" if reason else "")
    text = f"{head}: normalized {result.normalized:.2f}"
    if task.sota_normalized is not None:
        text += f" vs SoTA {task.sota_normalized:.2f}" + (", a win" if result.win else "")
    if task.win_probability is not None:
        text += f"; P(win) {task.win_probability:.2f}"
    return text


def comparison_bars(
    models: Sequence[tuple[str, LevelSummary, Mapping[str, Any] | None]], salt: str
) -> str:
    """Several models side by side: Level-2/3/4 per modality and overall, and NLP's S_L."""
    quantities = ("Level-2", "Level-3", "Level-4")
    groups = (*MODALITIES, "Overall")
    fig = _figure(12.5, 3.2)
    axes = fig.subplots(1, len(quantities) + 1, gridspec_kw={"width_ratios": [5, 5, 5, 2]})
    width = 0.8 / max(len(models), 1)
    palette = [f"C{i % 10}" for i in range(len(models))]
    values_seen: list[float] = []
    for ax, quantity in zip(axes, quantities, strict=False):
        for index, (name, summary, ci) in enumerate(models):
            values, intervals = [], []
            for group in groups:
                if group == "Overall":
                    values.append(summary.final[quantity])
                    intervals.append(interval_of(((ci or {}).get("final") or {}).get(quantity)))
                else:
                    values.append(float(summary.per_modality[group].to_json()[quantity]))
                    intervals.append(interval_of(_ci(ci, "per_modality", group).get(quantity)))
            xs = [g + (index - (len(models) - 1) / 2) * width for g in range(len(groups))]
            ax.bar(
                xs,
                values,
                width,
                color=palette[index],
                label=name,
                yerr=_yerr(values, intervals),
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
            values_seen += values
        ax.set_title(quantity, fontsize=9)
        ax.set_xticks(range(len(groups)), groups, fontsize=7)
        _tidy(ax)
    nlp_ax = axes[-1]
    for index, (_, summary, ci) in enumerate(models):
        interval = interval_of(((ci or {}).get("nlp") or {}).get("S_L"))
        nlp_ax.bar(
            index,
            summary.nlp.s_l,
            0.8,
            color=palette[index],
            yerr=_yerr([summary.nlp.s_l], [interval]),
            error_kw={"elinewidth": 0.8, "capsize": 2},
        )
        values_seen.append(summary.nlp.s_l)
    nlp_ax.set_title("NLP S_L", fontsize=9)
    nlp_ax.set_xticks([])
    _tidy(nlp_ax)
    top = _top(values_seen)
    for ax in axes:
        ax.set_ylim(0, top)
    axes[0].set_ylabel("score (0-100)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        ncols=min(len(models), 6),
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, 1.08),
        frameon=False,
    )
    return _svg(fig, salt)


def _ci(ci: Mapping[str, Any] | None, section: str, name: str) -> Mapping[str, Any]:
    value = ((ci or {}).get(section) or {}).get(name)
    return value if isinstance(value, Mapping) else {}


def _yerr(
    values: Sequence[float], intervals: Sequence[tuple[float, float] | None]
) -> list[list[float]] | None:
    """Error bars below and above each value (none at all when no interval is known)."""
    if all(i is None for i in intervals):
        return None
    below = [max(v - i[0], 0.0) if i else 0.0 for v, i in zip(values, intervals, strict=True)]
    above = [max(i[1] - v, 0.0) if i else 0.0 for v, i in zip(values, intervals, strict=True)]
    return [below, above]


def _top(values: Sequence[float]) -> float:
    """The y limit: a little above the highest value, at least 10, at most 105."""
    return min(max([10.0, *values]) * 1.15, 105.0)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _tidy(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="0.9", lw=0.6)
    ax.set_axisbelow(True)


def _task_legend(fig: Figure, statuses: set[str]) -> None:
    """The task chart's legend; a mark of tasks not scored only where there are such."""
    from matplotlib.lines import Line2D

    def entry(marker: str, face: str, edge: str, label: str) -> Line2D:
        return Line2D(
            [], [], marker=marker, ls="", markerfacecolor=face, markeredgecolor=edge, label=label
        )

    handles = [
        entry("o", "none", PARADIGM_STYLE["Comprehension"][1], "comprehension"),
        entry("s", "none", PARADIGM_STYLE["Generation"][1], "generation"),
        entry("D", "none", NLP_STYLE[1], "NLP"),
        entry("o", "0.3", "black", "win (at or above SoTA)"),
        *(
            entry(marker, color, color, label)
            for status, (marker, color, label) in UNSCORED_STYLE.items()
            if status in statuses
        ),
        Line2D([], [], color="0.6", ls="--", label="= SoTA"),
    ]
    fig.legend(
        handles=handles,
        ncols=len(handles),
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, 1.1),
        frameon=False,
    )


def _svg(fig: Figure, salt: str, titles: Mapping[str, str] | None = None) -> str:
    """The figure as an ``<svg>`` element to inline (no XML prolog, no timestamp); each
    link to a key of ``titles`` gets that text, escaped, as its tooltip.
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # matplotlib opens every link in a new tab; links to the page's own sample views
    # should move within the page (and so open the view, see report.js)
    text = re.sub(r'(<a xlink:href="#[^"]*") target="_blank"', r"\1", text)
    if titles:

        def titled(match: re.Match[str]) -> str:
            title = titles.get(match.group(1))
            return match.group(0) + (f"<title>{escape(title)}</title>" if title else "")

        text = re.sub(r'<a xlink:href="([^"]*)">', titled, text)
    return text[text.index("<svg") :]
