"""Signs of life: a long task's progress in the terminal, and the run log.

A task that predicts for more than a few seconds reports, every few seconds, how many of
its instances are done, the rate and the time left. The lines go to the run log
(``<outcome>/<run>/run.log``, appended by whichever process runs the task, with each
task's outcome) and to the terminal: directly in a serial run, and, under xdist, by the
controller, which follows the run log. ``-q`` keeps them out of the terminal only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genbench.data import TaskSpec

RUN_LOG = "run.log"
#: Only lines with this mark are shown again by the controller (they come from workers).
PROGRESS_MARK = " progress "


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def progress_line(item_id: str, done: int, total: int, predicted: int, seconds: float) -> str:
    """``<item>: 400/1000 instances, 3.2/s, about 3 min left`` (rate over this run's own
    predictions; resumed instances count as done but not toward the rate).
    """
    rate = predicted / seconds if seconds > 0 else 0.0
    left = f", about {_duration((total - done) / rate)} left" if rate > 0 and done < total else ""
    return f"{item_id}:{PROGRESS_MARK}{done}/{total} instances, {rate:.1f}/s{left}"


class RunLog:
    """Appends timestamped lines to the run log (one short write per line, so lines
    from several processes do not mix).
    """

    def __init__(self, path: Path, worker: str = "") -> None:
        self.path, self.worker = path, worker

    def write(self, line: str) -> None:
        """Append one line."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        where = f" [{self.worker}]" if self.worker else ""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(f"{stamp}{where} {line}\n")


class Progress:
    """The runner's progress callback: throttled lines to the log and the terminal."""

    def __init__(
        self,
        log: RunLog,
        show: Callable[[str], None] | None,
        delay: float = 5.0,
        every: float = 10.0,
    ) -> None:
        """Report a task once it has run ``delay`` seconds, then every ``every`` seconds."""
        self.log, self.show, self.delay, self.every = log, show, delay, every
        self._last: dict[str, float] = {}

    def __call__(
        self, task: TaskSpec, done: int, total: int, predicted: int, seconds: float
    ) -> None:
        """Hear of a finished batch (see genbench.runner's Progress)."""
        item = task.item_id
        if seconds < self.delay:
            return
        now = time.monotonic()
        if done < total and now - self._last.get(item, 0.0) < self.every:
            return
        self._last[item] = now
        line = progress_line(item, done, total, predicted, seconds)
        self.log.write(line)
        if self.show is not None:
            self.show(line)


class LogFollower:
    """On the xdist controller: shows the workers' progress lines as they are logged."""

    def __init__(self, path: Path, show: Callable[[str], None], every: float = 2.0) -> None:
        self.path, self.show, self.every = path, show, every
        self._offset = path.stat().st_size if path.is_file() else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def start(self) -> None:
        """Follow the log in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop following (and show what arrived last)."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._read()

    def _follow(self) -> None:
        while not self._stop.wait(self.every):
            self._read()

    def _read(self) -> None:
        if not self.path.is_file():
            return
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._offset += len(complete)
        for line in complete.decode("utf-8", errors="replace").splitlines():
            if PROGRESS_MARK in line:
                self.show(line.split(" ", 2)[2] if line.count(" ") >= 2 else line)


def progress_for(
    config: pytest.Config, run_dir: Path, workerinput: dict[str, Any] | None
) -> Progress:
    """Progress lines to the run log, and to the terminal in a serial run (an xdist
    controller shows its workers' lines from the log); none in the terminal under -q.
    """
    worker = str(workerinput.get("workerid", "")) if workerinput else ""
    log = RunLog(run_dir / RUN_LOG, worker)
    every = float(config.option.progress_every)
    if every <= 0:  # --progress-every 0: no progress lines at all
        return Progress(log, None, delay=math.inf)
    if workerinput is not None or config.option.verbose < 0:
        return Progress(log, None, every / 2, every)

    def show(line: str) -> None:
        capture = config.pluginmanager.getplugin("capturemanager")
        reporter = config.pluginmanager.getplugin("terminalreporter")
        if reporter is None:
            return
        if capture is None:
            reporter.write_line(f"genbench: {line}")
            return
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(f"genbench: {line}")

    return Progress(log, show, every / 2, every)
