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

import pytest

from genbench.level import Mode
from genbench.plugin._aggregate import (
    ResultCollector,
    pytest_sessionfinish,
    pytest_terminal_summary,
)
from genbench.plugin._collect import (
    genbench_evaluate,
    genbench_model,
    genbench_runner,
    pytest_generate_tests,
    register_markers,
)
from genbench.plugin._options import build_settings, pytest_addoption
from genbench.plugin._shard import pytest_collection_modifyitems
from genbench.plugin._state import STATE, GenbenchState
from genbench.reference import load_reference_table

__all__ = [
    "STATE",
    "GenbenchState",
    "genbench_evaluate",
    "genbench_model",
    "genbench_runner",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_report_header",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers; build the session's settings; place a worker on its GPU."""
    register_markers(config)
    settings, notes = build_settings(config)
    is_worker = getattr(config, "workerinput", None) is not None
    state = GenbenchState(
        settings, load_reference_table(), Mode(config.option.level_mode), is_worker, notes
    )
    config.stash[STATE] = state
    config.pluginmanager.register(ResultCollector(state), "genbench-results")
    if config.pluginmanager.hasplugin("xdist"):
        from genbench.plugin._xdist import XdistHooks

        config.pluginmanager.register(XdistHooks(config), "genbench-xdist")
    if config.pluginmanager.hasplugin("html"):
        from genbench.plugin._html import HtmlHooks

        config.pluginmanager.register(HtmlHooks(config), "genbench-html")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """What this run evaluates, and where it writes (once, on the controller)."""
    state = config.stash[STATE]
    s = state.settings
    steps = "".join(str(step) for step in sorted(s.steps))
    lines = [
        f"genbench: model {s.model_spec} as {s.model_name!r}, steps {steps}, "
        f"level mode {state.mode.value}",
        f"genbench: dataset {s.dataset_dir}",
        f"genbench: outcome {s.outcome_dir}",
    ]
    return lines + [f"genbench: {note}" for note in state.notes]
