"""The plugin's per-session state, kept on ``config.stash``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from genbench._secrets import redact
from genbench.data import Discovery, TaskFileCache, TaskSpec, discover, read_task_map
from genbench.level import LevelSummary, Mode
from genbench.models import Model, load_model
from genbench.plugin._progress import LogFollower
from genbench.reference import ReferenceTable
from genbench.runner import ModelLoadError, Progress, RunSettings, TaskResult, TaskRunner

#: The name under which a task's result rides on its test report (``user_properties``).
PROPERTY = "genbench"


@dataclass
class GenbenchState:
    """Everything the plugin keeps for one session (on ``config.stash``)."""

    settings: RunSettings
    table: ReferenceTable
    mode: Mode
    is_worker: bool
    notes: list[str] = field(default_factory=list)
    results: dict[str, TaskResult] = field(default_factory=dict)
    summary: LevelSummary | None = None
    written: list[Path] = field(default_factory=list)
    #: Stored results left out at the end, one line each with the reason.
    dropped: list[str] = field(default_factory=list)
    #: Lines for the end of the summary (what was not written, and why).
    closing: list[str] = field(default_factory=list)
    #: The intervals on this session's level (genbench.stats), if computed.
    intervals: Any = None
    collected: bool = False
    #: Whether this session runs the benchmark (see is_benchmark_session).
    active: bool = True
    task_map: Path | None = None
    #: Discovery as the controller made it, handed to an xdist worker (JSON).
    handed: dict[str, Any] | None = None
    #: Hears of every predicted batch (progress lines to the run log and terminal).
    progress: Progress | None = None
    #: On an xdist controller: shows the workers' progress lines (stopped at the end).
    follower: LogFollower | None = None
    _discovery: Discovery | None = None
    #: What discovery read from each task file, saved once the run folder is claimed.
    discovery_cache: TaskFileCache | None = None
    _runner: TaskRunner | None = None

    def discovery(self) -> Discovery:
        """The dataset's tasks and what was passed over, found once per session (a
        worker takes the controller's rather than reading every task file again).

        Raises:
            FileNotFoundError: no dataset folder.
            TaskMapError: a task map that cannot be read or names no row.
        """
        if self._discovery is None:
            if self.handed is not None:
                self._discovery = Discovery.from_json(self.handed, self.table)
            else:
                task_map = read_task_map(self.task_map) if self.task_map else None
                settings = self.settings
                cache = TaskFileCache.for_tree(settings.outcome_dir, settings.dataset_dir)
                self._discovery = discover(settings.dataset_dir, self.table, task_map, cache)
                self.discovery_cache = cache
        return self._discovery

    def tasks(self) -> list[TaskSpec]:
        """The dataset's tasks, sorted by item id."""
        return self.discovery().tasks

    def runner(self) -> TaskRunner:
        """The task runner; its model loads on first use, once per process."""
        if self._runner is None:
            settings = self.settings
            self._runner = TaskRunner(settings, self.table, model_loader(settings), self.progress)
        return self._runner


STATE = pytest.StashKey[GenbenchState]()

#: The conftest.py attribute that marks a folder as a genbench benchmark.
BENCHMARK_FLAG = "GENBENCH_BENCHMARK"


def is_benchmark_session(config: pytest.Config) -> bool:
    """Whether a conftest.py of the command line's folders declares a genbench benchmark
    (``GENBENCH_BENCHMARK = True``): only such sessions check settings, discover a tree
    and write outcome files. Those conftests load before the session is configured.
    """
    return any(
        getattr(plugin, BENCHMARK_FLAG, False) is True
        for plugin in config.pluginmanager.get_plugins()
    )


def model_loader(settings: RunSettings) -> Callable[[], Model]:
    """A loader of the run's model that fails once, not once per task."""
    failure: list[BaseException] = []

    def load() -> Model:
        if failure:  # do not retry a failed load for every task
            raise ModelLoadError(str(failure[0]))
        try:
            return load_model(
                settings.model_spec,
                {
                    "seed": settings.seed,
                    "batch_size": settings.batch_size,
                    **settings.model_options,
                },
            )
        except Exception as error:
            message = redact(f"cannot load model {settings.model_spec!r}: {error}")
            failure.append(ModelLoadError(message))
            raise ModelLoadError(message) from None

    return load
