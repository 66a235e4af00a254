"""The report's statistics sections: models compared, and what each model's next level takes.

Both are computed with genbench.stats from what the outcome folder holds, as ``genbench
compare`` and ``genbench diagnose`` compute them (docs/STATISTICS.md):

- **comparison**: the first model against each of the next ones (at most
  ``ReportOptions.comparisons``), of runs that have a level and samples files: per level
  the paired difference with its interval, per task the difference, its interval and
  whether it is significant after Benjamini-Hochberg;
- **diagnosis**: per model, the nearest wins toward the next level, the points they need
  and their win probability, and the fragile wins. Win probabilities come from the level
  JSON's ``ci`` block where it has one (the run's own B and seed); otherwise they are
  computed here with ``ReportOptions.bootstrap`` draws, and said to be.

Everything here is bounded by the options (draws, comparisons, candidates per group), so
a report of two full runs stays a matter of seconds. genbench.stats (numpy, scipy) is
imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from genbench.metrics import UnknownMetricError
from genbench.reference import MODALITIES, NLP, ReferenceTable, TaskKey
from genbench.runner import scores_for_level
from genbench.viewer._model import ReportOptions, RunOutcome

if TYPE_CHECKING:
    from genbench.stats import (
        BootstrapSettings,
        Candidate,
        CandidateGroup,
        Comparison,
        Diagnosis,
        Difference,
        TaskComparison,
        TaskSample,
    )

#: Links to a task's sample view: (run index, item id) -> anchor, or "" where it has none.
Anchors = Callable[[int, str | None], str]


@dataclass(frozen=True)
class LevelDifference:
    """One level's difference of a comparison: where, A - B with interval, significant."""

    scope: str
    quantity: str
    difference: Difference
    significant: bool


@dataclass(frozen=True)
class TaskDifference:
    """One task's difference of a comparison, with a link to its sample view."""

    task: TaskComparison
    href: str


@dataclass(frozen=True)
class ComparisonView:
    """Model A (``indexes[0]``) against model B (``indexes[1]``), ready to show.

    Attributes:
        anchor: the section's HTML id.
        comparison: genbench.stats' result.
        levels: Overall Level-2..5, each modality's Level-2..4, S_C and S_G, NLP's S_L.
        tasks: every task either model scored: significant ones first (smallest adjusted
            p), then the other tested ones, then those without an interval.
        tested: tasks with an interval (tested for a difference).
        significant: tasks significant after the correction.
        caveat: why a lone difference cannot pass the correction with this B, or "".
    """

    anchor: str
    indexes: tuple[int, int]
    comparison: Comparison
    levels: list[LevelDifference]
    tasks: list[TaskDifference]
    tested: int
    significant: int
    caveat: str


@dataclass(frozen=True)
class CandidateRow:
    """A task toward the next level, as shown: its link and the points it needs."""

    candidate: Candidate
    href: str
    needed: str


@dataclass(frozen=True)
class GroupView:
    """A group of candidates (a modality and paradigm, a modality for Level-4, NLP)."""

    group: CandidateGroup
    title: str
    rows: list[CandidateRow]


@dataclass(frozen=True)
class DiagnosisView:
    """What one model's next level takes.

    Attributes:
        diagnosis: genbench.stats' result.
        requirement: what the next level needs, in words.
        source: where the win probabilities come from.
        groups: the candidates, nearest wins first.
        fragile: wins that hold in fewer than ``diagnosis.fragile_below`` of the draws.
    """

    diagnosis: Diagnosis
    requirement: str
    source: str
    groups: list[GroupView]
    fragile: list[CandidateRow]


@dataclass
class ReportStatistics:
    """The statistics of a report: comparisons, a diagnosis per run index, and notes
    that say why something was not computed.
    """

    comparisons: list[ComparisonView] = field(default_factory=list)
    diagnoses: dict[int, DiagnosisView] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def report_statistics(
    runs: Sequence[RunOutcome],
    table: ReferenceTable,
    options: ReportOptions,
    anchors: Anchors,
) -> ReportStatistics:
    """Compare the runs and diagnose each, within the options' bounds.

    A run whose samples cannot be read gets a note instead of its sections; nothing here
    fails the report.
    """
    from genbench.stats import BootstrapSettings

    statistics = ReportStatistics()
    settings = BootstrapSettings(max(options.bootstrap, 0), 0.95, options.seed)
    material = _Material(table)
    for index, run in enumerate(runs):
        try:
            view = _diagnosis(index, run, table, options, settings, material, anchors)
        except ValueError as error:  # a samples file that is not JSON lines
            statistics.notes.append(f"{run.model}: no diagnosis ({error})")
            continue
        if view is not None:
            statistics.diagnoses[index] = view
    _comparisons(runs, table, options, settings, material, anchors, statistics)
    return statistics


class _Material:
    """Each run's bootstrap material, read once (its samples files) and shared by the
    comparison and the diagnosis.
    """

    def __init__(self, table: ReferenceTable) -> None:
        self.table = table
        self.read: dict[int, dict[str, TaskSample]] = {}

    def tasks(self, run: RunOutcome) -> dict[str, TaskSample]:
        """The run's tasks that count, as genbench.stats resamples them.

        Raises:
            ValueError: a samples file has a line that is not a JSON object.
        """
        from genbench.stats import load_tasks

        if id(run) not in self.read:
            assert run.folder is not None
            results = {t.result.item_id: t.result for t in run.tasks}
            self.read[id(run)] = load_tasks(run.folder.parent, results, self.table, run.folder)
        return self.read[id(run)]


def _has_samples(run: RunOutcome) -> bool:
    return run.folder is not None and any(t.samples_file is not None for t in run.tasks)


def _comparisons(
    runs: Sequence[RunOutcome],
    table: ReferenceTable,
    options: ReportOptions,
    settings: BootstrapSettings,
    material: _Material,
    anchors: Anchors,
    statistics: ReportStatistics,
) -> None:
    """The first comparable run against the next ones, into ``statistics``."""
    from genbench.stats import compare_models

    if options.compare is False or (options.compare is None and len(runs) < 2):
        return
    eligible = [i for i, run in enumerate(runs) if run.summary is not None and _has_samples(run)]
    if len(eligible) < 2 or settings.draws < 1:
        why = (
            "--bootstrap is 0"
            if settings.draws < 1
            else "it needs two models with a level and samples files"
        )
        statistics.notes.append(f"no comparison: {why}")
        return
    first, others = eligible[0], eligible[1:]
    if len(others) > options.comparisons:
        skipped = ", ".join(runs[i].model for i in others[options.comparisons :])
        statistics.notes.append(
            f"compared with {runs[first].model}: the first {options.comparisons} other models; "
            f"not {skipped} (genbench compare OUTCOME -m A -m B)"
        )
        others = others[: options.comparisons]
    a = runs[first]
    for other in others:
        b = runs[other]
        assert a.summary is not None and b.summary is not None
        if a.summary.mode != b.summary.mode:
            statistics.notes.append(
                f"{a.model} and {b.model} not compared: levels of two modes "
                f"({a.summary.mode.value}, {b.summary.mode.value})"
            )
            continue
        try:
            tasks = (material.tasks(a), material.tasks(b))
        except ValueError as error:
            statistics.notes.append(f"{a.model} and {b.model} not compared ({error})")
            continue
        comparison = compare_models(
            table, tasks, (a.summary, b.summary), settings, a.summary.mode, options.fdr
        )
        statistics.comparisons.append(_comparison_view((first, other), comparison, anchors))


def _comparison_view(
    indexes: tuple[int, int], comparison: Comparison, anchors: Anchors
) -> ComparisonView:
    levels = [
        LevelDifference("Overall", name, d, comparison.significant_level(d))
        for name, d in comparison.final.items()
    ]
    for modality in MODALITIES:
        levels += [
            LevelDifference(modality, quantity, d, comparison.significant_level(d))
            for quantity, d in comparison.per_modality[modality].items()
        ]
    levels.append(
        LevelDifference(NLP, "S_L", comparison.s_l, comparison.significant_level(comparison.s_l))
    )

    def order(task: TaskComparison) -> tuple[bool, bool, float, float, str]:
        size = abs(task.normalized.difference or 0.0)
        adjusted = 1.0 if task.p_adjusted is None else task.p_adjusted
        return (not task.significant, task.p_adjusted is None, adjusted, -size, task.item_id)

    def href(task: TaskComparison) -> str:
        return anchors(indexes[0], task.item_id) or anchors(indexes[1], task.item_id)

    tasks = [TaskDifference(t, href(t)) for t in sorted(comparison.tasks, key=order)]
    tested = sum(t.p_adjusted is not None for t in comparison.tasks)
    draws = comparison.settings.draws
    smallest = 2.0 / (draws + 1)
    caveat = ""
    if tested and smallest > comparison.q / tested:
        caveat = (
            f"With B={draws} no p-value is below {smallest:.4f}, so a single difference among "
            f"{tested} tasks cannot pass the correction; many can. Raise --bootstrap to see "
            "lone differences."
        )
    return ComparisonView(
        anchor=f"compare-{indexes[0]}-{indexes[1]}",
        indexes=indexes,
        comparison=comparison,
        levels=levels,
        tasks=tasks,
        tested=tested,
        significant=sum(t.significant for t in comparison.tasks),
        caveat=caveat,
    )


def _diagnosis(
    index: int,
    run: RunOutcome,
    table: ReferenceTable,
    options: ReportOptions,
    settings: BootstrapSettings,
    material: _Material,
    anchors: Anchors,
) -> DiagnosisView | None:
    """What the run's next level takes; None without a level or task results.

    Raises:
        ValueError: a samples file has a line that is not a JSON object.
    """
    from genbench.stats import FRAGILE_BELOW, diagnose

    if run.summary is None or not run.tasks:
        return None
    results = {t.result.item_id: t.result for t in run.tasks}
    keys: dict[str, TaskKey] = {}
    for item_id, result in sorted(results.items()):
        try:
            row = table.find(result.sheet, result.task_name, result.metric)
        except UnknownMetricError:  # a task that failed before its metric was known
            continue
        if row is not None:
            keys[item_id] = row.key
    probability, source = _win_probabilities(run, keys, table, settings, material)
    diagnosis = diagnose(
        table,
        run.summary,
        scores_for_level(table, results),
        probability,
        {key: item_id for item_id, key in keys.items()},
        options.candidates,
        FRAGILE_BELOW,
    )

    def shown(candidate: Candidate) -> CandidateRow:
        return CandidateRow(candidate, anchors(index, candidate.item_id), _needed(candidate))

    return DiagnosisView(
        diagnosis=diagnosis,
        requirement=str(diagnosis.to_json()["requirement"]),
        source=source,
        groups=[
            GroupView(g, _group_title(g), [shown(c) for c in g.candidates])
            for g in diagnosis.groups
        ],
        fragile=[shown(c) for c in diagnosis.fragile],
    )


def _win_probabilities(
    run: RunOutcome,
    keys: Mapping[str, TaskKey],
    table: ReferenceTable,
    settings: BootstrapSettings,
    material: _Material,
) -> tuple[dict[TaskKey, float | None], str]:
    """Each task's win probability by its row, and where they come from: the ``ci``
    block, else a bootstrap here, else none.
    """
    from genbench.stats import level_intervals

    block: dict[str, Any] = run.ci or {}
    if isinstance(block.get("tasks"), dict):
        found: dict[TaskKey, float | None] = {}
        for task in run.tasks:
            key = keys.get(task.result.item_id)
            if key is not None and task.win_probability is not None:
                found[key] = task.win_probability
        return found, (
            f"Win probabilities from the level JSON's ci block ({block.get('method', '')}, "
            f"B={block.get('B', '?')}, seed {block.get('seed', '?')})"
        )
    if settings.draws < 1 or not _has_samples(run):
        why = "--bootstrap is 0" if settings.draws < 1 else "the run has no samples files"
        return {}, f"No win probabilities: the level JSON has no ci block and {why}"
    assert run.summary is not None
    intervals = level_intervals(table, material.tasks(run), settings, run.summary.mode)
    computed = {d.task.row.key: d.win_probability for d in intervals.tasks.values()}
    return computed, (
        "Win probabilities computed for this report (the level JSON has no ci block): "
        f"percentile bootstrap over instances, B={settings.draws}, seed {settings.seed}"
    )


def _group_title(group: CandidateGroup) -> str:
    where = group.modality + (f" {group.paradigm}" if group.paradigm else "")
    current = ", ".join(f"{name} {value:.2f}" for name, value in group.current.items())
    title = f"{where} ({current})"
    if group.needs:
        total = "-" if group.total_gap is None else f"{group.total_gap:.2f}"
        title += f": needs a {' and a '.join(p.lower() for p in group.needs)} win"
        title += f" (total gap {total} normalized points)"
    return title


def _needed(candidate: Candidate) -> str:
    """How far the task's score is from its SoTA on the metric's own scale, and which way."""
    points = candidate.points_needed
    if points is None:
        return "not supported"
    metric = candidate.row.metric
    unit = "" if metric.unit == "raw" else f" {metric.unit}"
    if candidate.wins:
        return f"ahead by {points:.4g}{unit}"
    return f"{'raise' if metric.higher_is_better else 'lower'} by {points:.4g}{unit}"
