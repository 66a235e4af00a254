"""Aggregation on the controller: the results that count, the workbook, the level (all by
genbench.runner.finish_run), and the summary that ends the terminal output.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pytest

from genbench.data import sample_root
from genbench.plugin._progress import RUN_LOG, RunLog
from genbench.plugin._state import PROPERTY, STATE, GenbenchState
from genbench.report import render_summary
from genbench.runner import (
    CLOSESET,
    FAILED,
    SCORED,
    SKIPPED,
    UNMATCHED,
    TaskResult,
    finish_run,
)
from genbench.shard import outcome_lock, pending_line

if TYPE_CHECKING:
    from genbench.stats import BootstrapSettings


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: gather the results that count, write the workbook and level."""
    state = session.config.stash.get(STATE, None)
    if state is None or state.is_worker or not state.active or session.config.option.collectonly:
        return
    if state.follower is not None:
        state.follower.stop()
    stopped = exitstatus in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERRUPTED)
    if stopped and not state.results:
        return  # nothing ran: leave every file of earlier runs as it was
    settings = state.settings
    if settings.steps.isdisjoint({2, 3}) or not (state.results or state.collected):
        return
    with outcome_lock(settings.outcome_dir, settings.model_name):  # shards write here too
        finished = finish_run(
            settings.outcome_dir,
            settings.model_name,
            state.table,
            state.mode,
            state.runner().provenance(),
            limit=settings.limit,
            tasks=state.tasks(),
            settings_digest=settings.identity.digest,
            fresh=state.results,
            level=3 in settings.steps,
            bootstrap=_bootstrap(session.config, settings.seed),
        )
    state.results, state.dropped = finished.results, finished.dropped
    state.summary, state.written = finished.summary, finished.written
    state.intervals = finished.intervals
    if not finished.scored:
        state.closing.append("no task was scored: no workbook or level written")


def _bootstrap(config: pytest.Config, seed: int) -> BootstrapSettings | None:
    """The intervals' settings (None for ``--bootstrap 0``)."""
    from genbench.stats import BootstrapSettings

    draws = config.option.bootstrap
    return BootstrapSettings(draws, config.option.ci, seed) if draws > 0 else None


def _listed(title: str, results: Sequence[TaskResult]) -> list[str]:
    if not results:
        return []
    return [f"{title} ({len(results)}):"] + [
        f"  {r.item_id}: {r.reason}" for r in sorted(results, key=lambda r: r.item_id)
    ]


def summary_lines(state: GenbenchState) -> list[str]:
    """The end of the terminal output: what failed, was skipped or did not count, missing
    answers and parse failures, the level table, and what it means.
    """
    results = list(state.results.values())
    by = {status: [r for r in results if r.status == status] for status in (FAILED, SKIPPED)}
    lines = _listed("failed", by[FAILED]) + _listed("skipped (unsupported)", by[SKIPPED])
    closeset = [r for r in results if r.status == CLOSESET]
    if closeset:
        lines.append(
            f"close set: {len(closeset)} tasks predicted, not scored (no references); "
            "pack them for the leaderboard with genbench submit"
        )
    for r in sorted((r for r in results if r.status == UNMATCHED), key=lambda r: r.item_id):
        lines.append(f"not counted (no reference row): {r.item_id} {r.metric} {r.score:.4g}")
    scored = [r for r in results if r.status in (SCORED, UNMATCHED)]
    reused = sum(r.reused for r in scored)
    if reused:
        lines.append(f"reused: {reused} of {len(scored)} scored tasks were unchanged (--rescore)")
    missing = [r for r in scored if r.missing]
    failures = [r for r in scored if r.parse_failures]
    lines.append(
        f"missing answers (scored as wrong): {sum(r.missing for r in missing)} instances in "
        f"{len(missing)} tasks; parse failures: {sum(r.parse_failures for r in failures)} "
        f"instances in {len(failures)} tasks"
    )
    lines += state.dropped
    if state.summary is not None:
        lines.append(render_summary(state.summary))
        if state.intervals is not None:
            from genbench.stats import render_intervals

            lines.append(render_intervals(state.summary, state.intervals))
        if state.settings.dataset_dir == sample_root():
            lines.append(
                "the bundled sample has 2-5 instances per task: its levels illustrate the "
                "harness and say nothing about a model"
            )
        if state.settings.limit is not None:
            lines.append(
                f"limited run (first {state.settings.limit} instances per task): a smoke "
                "test, not a General-Level"
            )
    return lines


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The summary and what was written, at the end of the terminal output (and the log)."""
    state = config.stash.get(STATE, None)
    if state is None or state.is_worker or not state.active or not state.results:
        return
    terminalreporter.write_sep("=", "genbench")
    lines = [*summary_lines(state), *state.closing]
    pending = pending_line(state.settings.outcome_dir, state.settings.model_name, state.results)
    if pending:
        lines.append(pending)
    lines += [f"wrote {path}" for path in state.written]
    log = RunLog(state.settings.run_dir / RUN_LOG)
    for line in lines:
        terminalreporter.write_line(line)
        for part in line.splitlines():
            log.write(part)


class ResultCollector:
    """Keeps each task's result as its report arrives (from an xdist worker too), and
    logs the task's outcome in the run log.

    A plugin object rather than a module-level hook, because ``pytest_runtest_logreport``
    gets no config: the object holds the session's state instead of a global.
    """

    def __init__(self, state: GenbenchState) -> None:
        self.state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown":  # it repeats the call's properties: once is enough
            return
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, dict):
                result = TaskResult.from_json(value)
                self.state.results[result.item_id] = result
                if self.state.active and not self.state.is_worker:
                    RunLog(self.state.settings.run_dir / RUN_LOG).write(_outcome(result))


def _outcome(result: TaskResult) -> str:
    if result.status in (SCORED, UNMATCHED) and result.score is not None:
        reused = ", reused" if result.reused else ""
        return (
            f"{result.item_id}: {result.status} {result.metric} {result.score:.4g} "
            f"({result.n} instances, {result.seconds:.1f} s{reused})"
        )
    return f"{result.item_id}: {result.status}: {result.reason}"
