"""The genbench pytest plugin (registered through the ``pytest11`` entry point).

``pytest benchmarks`` collects one item per General-Bench task (``pytest_generate_tests``
over the sorted task list, so every xdist worker collects the same items), runs predict
and score under a session fixture that holds the loaded model, sends each task's result
to the controller with its report, and on the controller alone writes the result
workbook and the General-Level summary at session end, before pytest-html renders it.

The hooks live in modules by concern (options, collection, shards, aggregation, xdist,
html); this module is what pytest loads, so it names every hook and fixture once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from genbench.data import TaskSpec
from genbench.level import Mode
from genbench.plugin._aggregate import (
    ResultCollector,
    pytest_sessionfinish,
    pytest_terminal_summary,
)
from genbench.plugin._ahead import ScoreAheadHooks, check_score_workers
from genbench.plugin._checks import check_settings
from genbench.plugin._collect import (
    genbench_evaluate,
    genbench_model,
    genbench_runner,
    pytest_generate_tests,
    register_markers,
)
from genbench.plugin._distribute import LongestFirst, auto_workers
from genbench.plugin._options import build_settings, pytest_addoption
from genbench.plugin._progress import RUN_LOG, LogFollower, progress_for
from genbench.plugin._session import finish_collection, header_lines, start_session
from genbench.plugin._shard import pytest_collection_modifyitems
from genbench.plugin._startup import drop_unused_plugins, quick_exit
from genbench.plugin._state import STATE, GenbenchState, is_benchmark_session
from genbench.reference import load_reference_table

__all__ = [
    "STATE",
    "GenbenchState",
    "genbench_evaluate",
    "genbench_model",
    "genbench_runner",
    "pytest_addoption",
    "pytest_collection_finish",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_report_header",
    "pytest_sessionfinish",
    "pytest_sessionstart",
    "pytest_terminal_summary",
    "pytest_xdist_auto_num_workers",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers; build and check the session's settings; place a worker on
    its GPU and give it the controller's discovery.
    """
    register_markers(config)
    active = is_benchmark_session(config)
    if active:
        drop_unused_plugins(config)
        quick_exit()
    if active and not config.option.allow_download:
        # every checkpoint (models, metric networks) loads from disk or fails at once;
        # set before any Hugging Face library is imported (they import on first use)
        os.environ["HF_HUB_OFFLINE"] = "1"
    settings, notes = build_settings(config)
    workerinput = getattr(config, "workerinput", None)
    task_map = Path(config.option.task_map).resolve() if config.option.task_map else None
    if workerinput is None and active:
        check_settings(settings, task_map)
    state = GenbenchState(
        settings,
        load_reference_table(),
        Mode(config.option.level_mode),
        workerinput is not None,
        notes,
        task_map=task_map,
        handed=workerinput.get("genbench_discovery") if workerinput else None,
        active=active,
    )
    config.stash[STATE] = state
    if active:
        state.progress = progress_for(config, settings.run_dir, workerinput)
    config.pluginmanager.register(ResultCollector(state), "genbench-results")
    if active and workerinput is not None:
        config.pluginmanager.register(LongestFirst(settings.limit), "genbench-longest-first")
    workers = check_score_workers(config, state) if active else 1
    if workers > 1:
        config.pluginmanager.register(ScoreAheadHooks(state, workers), "genbench-score-ahead")
    if config.pluginmanager.hasplugin("xdist"):
        from genbench.plugin._xdist import XdistHooks

        config.pluginmanager.register(XdistHooks(config), "genbench-xdist")
    if config.pluginmanager.hasplugin("html"):
        from genbench.plugin._html import HtmlHooks

        config.pluginmanager.register(HtmlHooks(config), "genbench-html")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: one worker per GPU group where GPUs are visible (else xdist's count)."""
    return auto_workers(config.getoption("gpus_per_worker", 1) or 1)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """On the controller, before any worker starts: discover the tasks and claim the run
    folder (each problem a usage error); in a serial run, load the model now.
    """
    state = session.config.stash.get(STATE, None)
    if state is None or state.is_worker or not state.active:
        return
    start_session(state, session.config)
    config = session.config
    if getattr(config.option, "numprocesses", None) and config.option.verbose >= 0:
        reporter = config.pluginmanager.getplugin("terminalreporter")
        if reporter is not None:
            follower = LogFollower(
                state.settings.run_dir / RUN_LOG,
                lambda line: reporter.write_line(f"genbench: {line}"),
            )
            follower.start()
            state.follower = follower


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a serial run, before the first item: load the model where it is needed and
    claim the run folder (genbench.plugin._session.finish_collection).
    """
    config = session.config
    state = config.stash.get(STATE, None)
    if state is None or state.is_worker or not state.active or config.option.collectonly:
        return
    if getattr(config.option, "numprocesses", None):
        return  # xdist: the controller collects nothing; the run folder is claimed
    tasks = [task for item in session.items if (task := _task_of(item)) is not None]
    if tasks:
        finish_collection(state, tasks)


def _task_of(item: pytest.Item) -> TaskSpec | None:
    """The task an item runs (None for items that are not genbench tasks)."""
    callspec = getattr(item, "callspec", None)
    task = callspec.params.get("genbench_task") if callspec is not None else None
    return task if isinstance(task, TaskSpec) else None


def pytest_report_header(config: pytest.Config) -> list[str]:
    """What this run evaluates, what the tree holds, and where it writes."""
    state = config.stash[STATE]
    if not state.active:
        return []
    return [f"genbench: {line}" for line in header_lines(state)]
