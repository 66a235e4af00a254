"""Aggregation on the controller: every task's result, the workbook, the level, the summary."""

from __future__ import annotations

from typing import Any

import pytest

from genbench.level import level_scores
from genbench.plugin._state import PROPERTY, STATE, GenbenchState
from genbench.report import (
    outcome_paths,
    render_summary,
    write_outcome,
    write_result_workbook,
)
from genbench.runner import SKIPPED, UNMATCHED, TaskResult, load_results, scores_for_level
from genbench.stats import (
    BootstrapSettings,
    LevelIntervals,
    interval_outputs,
    render_intervals,
    run_intervals,
)

#: The intervals on this session's level (None: --bootstrap 0).
INTERVALS = pytest.StashKey[LevelIntervals | None]()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: gather every result of the model, write the workbook and level."""
    state = session.config.stash.get(STATE, None)
    if state is None or state.is_worker or session.config.option.collectonly:
        return
    settings = state.settings
    if settings.steps.isdisjoint({2, 3}) or not (state.results or state.collected):
        return
    results = load_results(settings.outcome_dir, settings.model_name, settings.limit)
    results.update(state.results)
    scores = scores_for_level(state.table, results)
    provenance = dict(state.runner().provenance())
    if 3 in settings.steps:
        state.summary = level_scores(state.table, scores, settings.model_name, state.mode)
        option = session.config.option
        bootstrap = BootstrapSettings(option.bootstrap, option.ci, settings.seed)
        intervals = run_intervals(settings.outcome_dir, results, state.table, state.mode, bootstrap)
        session.config.stash[INTERVALS] = intervals
        extra, rows = interval_outputs(state.summary, intervals)
        state.written.extend(
            write_outcome(
                settings.outcome_dir, state.table, scores, state.summary, provenance, extra, rows
            )
        )
    else:
        workbook, _ = outcome_paths(settings.outcome_dir, settings.model_name)
        write_result_workbook(workbook, state.table, {settings.model_name: scores}, [], provenance)
        state.written.append(workbook)
    state.results = results


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The General-Level table and what was written, at the end of the terminal output."""
    state = config.stash.get(STATE, None)
    if state is None or state.is_worker or not (state.summary or state.written):
        return
    terminalreporter.write_sep("=", "genbench")
    skipped = [r for r in state.results.values() if r.status == SKIPPED]
    unmatched = [r for r in state.results.values() if r.status == UNMATCHED]
    for r in unmatched:
        terminalreporter.write_line(
            f"not counted (no reference row): {r.item_id} {r.metric} {r.score:.4g}"
        )
    for r in skipped:
        terminalreporter.write_line(f"unsupported: {r.item_id}: {r.reason}")
    missing = sum(r.missing for r in state.results.values())
    if missing:
        terminalreporter.write_line(f"instances without a prediction (scored as wrong): {missing}")
    if state.summary is not None:
        terminalreporter.write_line(render_summary(state.summary))
        intervals = config.stash.get(INTERVALS, None)
        if intervals is not None:
            terminalreporter.write_line(render_intervals(state.summary, intervals))
    for path in state.written:
        terminalreporter.write_line(f"wrote {path}")


class ResultCollector:
    """Keeps each task's result as its report arrives (from an xdist worker too).

    A plugin object rather than a module-level hook, because ``pytest_runtest_logreport``
    gets no config: the object holds the session's state instead of a global.
    """

    def __init__(self, state: GenbenchState) -> None:
        self.state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, dict):
                result = TaskResult.from_json(value)
                self.state.results[result.item_id] = result
