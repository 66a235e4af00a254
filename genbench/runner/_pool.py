"""Scoring ahead in worker processes (``--score-workers N``): one task per worker at a time.

A run that scores existing prediction files (step 2, without step 1) knows every task it
will score before the first one starts. :class:`ScoreAhead` hands them, in the order the
items run, to a pool of worker processes, a few ahead of the item that runs now; each
item then takes its task's outcome (the result, or the skip or failure with its recorded
result) as the worker left it. A worker runs exactly what the item would have run
(:meth:`genbench.runner.TaskRunner.run` with the same settings), so the results, the
samples files and the workbook are those of a serial run; only ``seconds`` differ.

Workers are forked from a fresh server process (multiprocessing's ``forkserver``, where
the platform has it) that has imported genbench and the scoring libraries the planned
tasks' metrics use (:data:`PRELOAD`): importing codebleu's parsers or pycocotools, which
every worker would pay again, and nothing of the test process (its threads, a library's state)
is copied. Memory grows with the workers: each holds one task at a time.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from genbench.data import TaskSpec
from genbench.metrics import get_metric
from genbench.models import Model
from genbench.reference import load_reference_table
from genbench.runner._results import TaskResult
from genbench.runner._reuse import metric_of
from genbench.runner._settings import RunSettings, TaskError, TaskSkipped

#: What a worker sends back: (outcome, the recorded result as JSON, the message), the
#: outcome one of ``done``, ``skipped`` and ``failed``.
Outcome = tuple[str, dict[str, Any] | None, str]

#: Libraries that scorers import on first use, by the metrics whose scorers import them;
#: imported once by the server the workers fork from. A metric missing here costs each
#: worker its own import, nothing else. (Torch stays out: a forked child must not share
#: its thread pools. nltk and rouge-score stay out: the text metrics load the few modules
#: they use in 0.2 s, genbench.metrics._nltk, where nltk's package import takes 2.6 s.)
PRELOAD: dict[str, tuple[str, ...]] = {
    "codebleu": ("CodeBLEU",),
    "pycocoevalcap.bleu.bleu": ("BLEU@4",),
    "pycocoevalcap.cider.cider": ("CIDEr",),
    "pycocotools.cocoeval": ("AP", "AP50", "AP75", "AP10"),
    "sklearn.metrics": ("AUC", "Macro-Acc"),
}

_worker: Any = None  # this worker process's TaskRunner


def _metrics_of(tasks: Sequence[TaskSpec]) -> set[str]:
    """The canonical names of the metrics the tasks are scored with, as far as discovery
    tells them.
    """
    return {scoring[0] for task in tasks if (scoring := metric_of(task)) is not None}


def _uses(metrics: set[str], names: Sequence[str]) -> bool:
    """Whether any of the metrics ``names`` (any spelling) is among ``metrics``."""
    return bool(metrics & {get_metric(name).name for name in names})


def _preload_for(metrics: set[str]) -> list[str]:
    return [module for module, users in PRELOAD.items() if _uses(metrics, users)]


def preload(tasks: Sequence[TaskSpec]) -> list[str]:
    """The libraries of :data:`PRELOAD` that the tasks' metrics use."""
    return _preload_for(_metrics_of(tasks))


def _context(metrics: set[str]) -> multiprocessing.context.BaseContext:
    """``forkserver`` preloading genbench and the libraries of ``metrics``, else the
    default.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *_preload_for(metrics)])
    return context


#: Metrics whose scorers use nltk's tokenizers or stemmer (genbench.metrics._nltk): a
#: worker loads those while the test process is still collecting, not at its first task.
TEXT_TOOL_METRICS = ("BLEU-1", "ROUGE-1", "ROUGE-L")


def start_pool(
    settings: RunSettings, tasks: Sequence[TaskSpec], workers: int
) -> ProcessPoolExecutor:
    """A pool of ``workers`` scoring processes, started now: each gets its task runner
    (and the text tools, where the tasks' metrics use them) while the test process goes on
    collecting, so that the first items find them ready.
    """
    metrics = _metrics_of(tasks)  # once: metric_of resolves each task's family
    text = _uses(metrics, TEXT_TOOL_METRICS)
    pool = ProcessPoolExecutor(
        workers, _context(metrics), initializer=_start_worker, initargs=(settings, text)
    )
    for _ in range(workers):  # the executor starts a process per task it cannot place
        pool.submit(_ready)
    return pool


def _ready() -> bool:
    return True


def _no_model() -> Model:
    raise TaskError("scoring workers load no model: --score-workers scores prediction files")


def _start_worker(settings: RunSettings, text_tools: bool = False) -> None:
    """Give this worker process its own task runner (the same settings, no model), and
    load the text metrics' tools if asked.
    """
    global _worker
    from genbench.runner._run import TaskRunner

    _worker = TaskRunner(settings, load_reference_table(), _no_model)
    if text_tools:
        from genbench.metrics._nltk import text_tools as load_text_tools

        load_text_tools()


def _score_in_worker(task_json: dict[str, Any]) -> Outcome:
    """Run one task in this worker, as the item would: the outcome, recorded result, message."""
    task = TaskSpec.from_json(task_json, _worker.table)
    try:
        result = _worker.run(task)
    except TaskSkipped as skip:
        return "skipped", skip.result.to_json() if skip.result else None, str(skip)
    except TaskError as error:
        return "failed", error.result.to_json() if error.result else None, str(error)
    return "done", result.to_json() if result is not None else None, ""


class ScoreAhead:
    """Tasks scored ahead of their items in ``workers`` processes (see the module docstring)."""

    def __init__(
        self,
        settings: RunSettings,
        tasks: Sequence[TaskSpec],
        workers: int,
        pool: ProcessPoolExecutor | None = None,
    ) -> None:
        """Plan ``tasks`` in the order their items run, in ``pool`` (one started by
        :func:`start_pool` with the same settings and workers), else in a pool started at
        the first :meth:`outcome`.

        Raises:
            ValueError: fewer than two workers, or settings that predict (step 1).
        """
        if workers < 2:
            raise ValueError(f"scoring ahead needs two workers or more, not {workers}")
        if 1 in settings.steps or 2 not in settings.steps:
            raise ValueError("scoring ahead scores prediction files: steps 2 or 23, not 1")
        self.settings, self.workers = settings, workers
        self._order = {task.item_id: index for index, task in enumerate(tasks)}
        self._tasks = list(tasks)
        self._futures: dict[int, Future[Outcome]] = {}
        self._submitted = 0
        self._pool: ProcessPoolExecutor | None = pool
        #: How far ahead of the running item tasks are handed out: enough to keep every
        #: worker busy, few enough that an interrupted session scores little it will not use.
        self.window = 2 * workers

    def planned(self, task: TaskSpec) -> bool:
        """Whether the task is one of the planned ones."""
        return task.item_id in self._order

    def _submit_through(self, last: int) -> None:
        if self._pool is None:
            self._pool = start_pool(self.settings, self._tasks, self.workers)
        while self._submitted <= min(last, len(self._tasks) - 1):
            task = self._tasks[self._submitted]
            self._futures[self._submitted] = self._pool.submit(_score_in_worker, task.to_json())
            self._submitted += 1

    def outcome(self, task: TaskSpec) -> TaskResult | None:
        """The task's result as its worker recorded it (waiting for it if need be).

        Raises:
            TaskSkipped, TaskError: as :meth:`genbench.runner.TaskRunner.run` raises them,
                carrying the recorded result.
        """
        index = self._order[task.item_id]
        self._submit_through(index + self.window)
        kind, data, message = self._futures.pop(index).result()
        result = TaskResult.from_json(data) if data is not None else None
        if kind == "skipped":
            raise TaskSkipped(message, result)
        if kind == "failed":
            raise TaskError(message, result)
        return result

    def close(self) -> None:
        """Stop the workers; tasks not started are dropped (an interrupted session)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
