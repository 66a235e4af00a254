"""``--score-workers N``: a session that scores prediction files scores them ahead, in N
worker processes (genbench.runner._pool), in the order its items run.
"""

from __future__ import annotations

from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor

import pytest

from genbench.plugin._shard import _task_of
from genbench.plugin._state import GenbenchState
from genbench.runner._pool import ScoreAhead, start_pool


def check_score_workers(config: pytest.Config, state: GenbenchState) -> int:
    """The number of scoring workers (1: score in the test process).

    Raises:
        pytest.UsageError: a number below 1, workers with step 1 (the model predicts in
            the test process) or with xdist (each xdist worker already scores apart).
    """
    workers = int(config.getoption("score_workers", 1))
    if workers < 1:
        raise pytest.UsageError(f"--score-workers: at least 1, not {workers}")
    if workers == 1:
        return 1
    steps = state.settings.steps
    if 1 in steps or 2 not in steps:
        raise pytest.UsageError(
            "--score-workers scores prediction files: use it with --step 2 or --step 23"
        )
    if getattr(config.option, "numprocesses", None) or getattr(config, "workerinput", None):
        raise pytest.UsageError("--score-workers and -n exclude each other: use one of them")
    return workers


class ScoreAheadHooks:
    """Starts the scoring workers once the tree is discovered (they get ready while the
    items are collected), hands them the items' tasks, and stops them at the end.
    """

    def __init__(self, state: GenbenchState, workers: int) -> None:
        self.state, self.workers = state, workers
        self.pool: ProcessPoolExecutor | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """After discovery (genbench's own session start): start the workers."""
        tasks = self.state.tasks()
        if session.config.option.collectonly or not tasks:
            return
        self.pool = start_pool(self.state.settings, tasks, self.workers)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        tasks = [task for item in session.items if (task := _task_of(item)) is not None]
        runner = self.state.runner()
        if tasks and not session.config.option.collectonly:
            runner.ahead = ScoreAhead(self.state.settings, tasks, self.workers, self.pool)
            self.pool = None  # the plan owns it now
        try:
            return (yield)
        finally:
            if runner.ahead is not None:
                runner.ahead.close()
                runner.ahead = None

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Stop workers no item used (a session that ran none, or was stopped early)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
