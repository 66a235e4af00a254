"""The report page: one self-contained HTML file, rendered by Jinja2 with autoescaping.

Everything a model produced (predictions, parsed answers, reasons) is untrusted text: the
template escapes every value, and only the SVG charts drawn here and the package's own
style and script are marked safe. Scripts and styles are inline, images are data URLs, so
the file works offline, alone.
"""

from __future__ import annotations

import datetime
import json
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from genbench._atomic import atomic_path
from genbench.reference import ReferenceTable
from genbench.report import ranking_rule
from genbench.viewer._charts import comparison_bars, modality_bars, task_chart
from genbench.viewer._ladder import LeaderRow, Rung, ladder, leaderboard
from genbench.viewer._media import MediaEmbedder
from genbench.viewer._model import ReportOptions, RunOutcome, TaskRow, sample_anchor
from genbench.viewer._samples import SampleView, sample_view
from genbench.viewer._stats import Anchors, DiagnosisView, ReportStatistics, report_statistics

#: Provenance keys shown under a model's heading, with their labels.
FACTS = (
    ("model_spec", "model"),
    ("model_settings", "settings"),
    ("dataset", "dataset"),
    ("seed", "seed"),
    ("limit", "limit"),
    ("workers", "workers"),
    ("judge", "judge"),
    ("metric_weights", "metric weights"),
    ("source", "source"),
    ("genbench", "genbench"),
    ("git_revision", "git revision"),
    ("reference", "reference table"),
)


@dataclass(frozen=True)
class Number:
    """A number as shown (``text``) and as sorted (``value``; empty sorts last)."""

    text: str
    value: str


@dataclass(frozen=True)
class TaskLine:
    """A row of the task table."""

    task: TaskRow
    anchor: str
    score: Number
    interval: str
    normalized: Number
    sota: Number
    win: str
    win_probability: Number
    n: Number
    missing: Number
    parse_failures: Number
    seconds: Number
    reused: str


@dataclass
class RunView:
    """Everything the template shows of one run."""

    index: int
    anchor: str
    run: RunOutcome
    facts: list[tuple[str, str]]
    coverage: str
    rungs: list[Rung] = field(default_factory=list)
    bars: str = ""
    chart: str = ""
    lines: list[TaskLine] = field(default_factory=list)
    samples: list[tuple[TaskLine, SampleView]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    diagnosis: DiagnosisView | None = None
    submit: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def render_report(
    runs: Sequence[RunOutcome],
    base_dir: Path,
    options: ReportOptions | None = None,
    sort_by: str | None = None,
    table: ReferenceTable | None = None,
) -> str:
    """The report of the runs as one HTML document.

    Args:
        runs: the models to show (several: a leaderboard and side-by-side bars first).
        base_dir: the folder the report will be written to; media not embedded are linked
            relative to it.
        options: the size limits and the statistics' settings (docs/REPORTS.md);
            defaults when None.
        sort_by: the leaderboard's ranking (``Level-k``), or the default (level reached,
            then its score).
        table: the reference table the runs were scored against; with it, the page
            gains the comparison of the models and each model's diagnosis (genbench.stats),
            without it neither.
    """
    from markupsafe import Markup

    options = options or ReportOptions()
    with_samples = sum(t.samples_file is not None for run in runs for t in run.tasks)
    embedder = MediaEmbedder(base_dir, options, with_samples)
    views = [_run_view(i, run, embedder, options) for i, run in enumerate(runs)]
    statistics = ReportStatistics()
    if table is not None:
        statistics = report_statistics(runs, table, options, _anchors(runs))
        for index, diagnosis in statistics.diagnoses.items():
            views[index].diagnosis = diagnosis
    with_summary = [(r.model, r.summary, r.ci) for r in runs if r.summary is not None]
    comparison = comparison_bars(with_summary, "compare") if len(with_summary) > 1 else ""
    board: list[LeaderRow] = (
        leaderboard(runs, [v.anchor for v in views], sort_by) if len(runs) > 1 else []
    )
    title = options.title or "genbench report: " + ", ".join(r.model for r in runs)
    html: str = _template().render(
        title=title,
        written=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        views=views,
        board=board,
        ranking=ranking_rule(sort_by),
        comparison=Markup(comparison),
        statistics=statistics,
        style=Markup(_asset("report.css")),
        script=Markup(_asset("report.js")),
        options=options,
        markup=Markup,
        link=embedder.link,
    )
    return html


def write_report(
    path: Path,
    runs: Sequence[RunOutcome],
    options: ReportOptions | None = None,
    sort_by: str | None = None,
    table: ReferenceTable | None = None,
) -> Path:
    """Render the report and write it to ``path`` atomically; return the path (the
    arguments are :func:`render_report`'s).
    """
    html = render_report(runs, path.parent, options, sort_by, table)
    with atomic_path(path) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return path


def _run_view(
    index: int, run: RunOutcome, embedder: MediaEmbedder, options: ReportOptions
) -> RunView:
    view = RunView(
        index=index,
        anchor=f"model-{index}",
        run=run,
        facts=_facts(run.provenance),
        coverage=_coverage(run),
    )
    links = {t.result.item_id: "#" + sample_anchor(t.result.item_id, index) for t in run.tasks}
    view.links = links
    if run.summary is not None:
        view.rungs = ladder(run.summary, run.ci)
        view.bars = modality_bars(run.summary, run.ci, f"bars{index}")
    if any(t.result.normalized is not None for t in run.tasks):  # not a close-set run
        view.chart = task_chart(run.tasks, links, f"tasks{index}")
    if run.closeset:
        view.submit = _submit_commands(run)
    view.lines = [_line(task, sample_anchor(task.result.item_id, index)) for task in run.tasks]
    view.samples = [(line, sample_view(line.task, embedder, options)) for line in view.lines]
    view.statuses = sorted({t.result.status for t in run.tasks})
    view.sheets = sorted({t.result.sheet for t in run.tasks if t.result.sheet})
    view.counts = {
        "tasks": len(run.tasks),
        **{status: sum(t.result.status == status for t in run.tasks) for status in view.statuses},
        "reused": run.reused,
        "missing": sum(t.result.missing for t in run.tasks),
        "parse failures": sum(t.result.parse_failures for t in run.tasks),
    }
    return view


def _anchors(runs: Sequence[RunOutcome]) -> Anchors:
    """The link to a task's sample view in run ``index`` ("" where that run lacks it)."""
    held = [{t.result.item_id for t in run.tasks} for run in runs]

    def anchor(index: int, item_id: str | None) -> str:
        if item_id is None or item_id not in held[index]:
            return ""
        return "#" + sample_anchor(item_id, index)

    return anchor


def _submit_commands(run: RunOutcome) -> list[str]:
    """The commands that pack and check a close-set run's predictions for the leaderboard."""
    outcome = str(run.folder.parent) if run.folder is not None else "OUTCOME"
    dataset = str(run.provenance.get("dataset") or (run.tree.root if run.tree else "CLOSESET"))
    tree = f"--dataset-dir {shlex.quote(dataset)}"
    return [
        f"genbench submit {shlex.quote(outcome)} -m {shlex.quote(run.model)} {tree} "
        "-o submission.zip",
        f"genbench submit --check submission.zip {tree}",
    ]


def _line(task: TaskRow, anchor: str) -> TaskLine:
    result = task.result
    interval = task.interval
    return TaskLine(
        task=task,
        anchor=anchor,
        score=_number(result.score, "{:.4g}"),
        interval="" if interval is None else f"interval [{interval[0]:.4g}, {interval[1]:.4g}]",
        normalized=_number(result.normalized, "{:.2f}"),
        sota=_number(result.sota, "{:.4g}"),
        win="" if result.win is None else ("yes" if result.win else "no"),
        win_probability=_number(task.win_probability, "{:.2f}"),
        n=_number(result.n, "{:d}"),
        missing=_number(result.missing, "{:d}"),
        parse_failures=_number(result.parse_failures, "{:d}"),
        seconds=_number(result.seconds, "{:.1f}"),
        reused="reused" if result.reused else "",
    )


def _number(value: float | int | None, form: str) -> Number:
    if value is None:
        return Number("", "")
    return Number(form.format(value), repr(float(value)))


def _facts(provenance: dict[str, Any]) -> list[tuple[str, str]]:
    facts = []
    for key, label in FACTS:
        value = provenance.get(key)
        if value in (None, "", {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
        facts.append((label, text))
    return facts


def _coverage(run: RunOutcome) -> str:
    """How much of the benchmark the levels rest on, in words."""
    if run.summary is None:
        return ""
    total = run.summary.nlp.total + sum(m.total for m in run.summary.per_modality.values())
    supported = run.summary.nlp.supported + sum(
        m.supported for m in run.summary.per_modality.values()
    )
    return (
        f"{supported} of the reference table's {total} tasks have a score; "
        "every other task counts 0 in the levels."
    )


def _asset(name: str) -> str:
    return resources.files("genbench.viewer").joinpath("assets", name).read_text(encoding="utf-8")


def _template() -> Any:
    """The page template (Jinja2, autoescaping every value)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("genbench.viewer", "assets"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html.j2")
