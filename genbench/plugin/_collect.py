"""Collection: one parametrized item per task, with markers; the fixtures items use."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from genbench.data import TaskSpec
from genbench.models import Model
from genbench.plugin._state import BENCHMARK_FLAG, PROPERTY, STATE
from genbench.runner import (
    CLOSESET,
    FAILED,
    SKIPPED,
    ModelLoadError,
    TaskError,
    TaskResult,
    TaskRunner,
    TaskSkipped,
    load_result,
)

MARKERS = {
    "nlp": "language tasks",
    "image": "image tasks",
    "video": "video tasks",
    "audio": "audio tasks",
    "3d": "3D tasks",
    "comprehension": "comprehension tasks",
    "generation": "generation tasks",
}


def register_markers(config: pytest.Config) -> None:
    """Declare the modality and paradigm markers (so ``--strict-markers`` passes)."""
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One item per task, id ``<modality>-<paradigm>-<folder>``, marked by modality/paradigm."""
    if "genbench_task" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    if not state.active:
        raise pytest.UsageError(
            f"{metafunc.definition.path}: uses genbench_task outside a genbench benchmark: "
            f"put {BENCHMARK_FLAG} = True in the conftest.py of its folder"
        )
    try:
        tasks = state.tasks()
    except FileNotFoundError as error:
        raise pytest.UsageError(str(error)) from None
    state.collected = True
    params = []
    for task in tasks:
        marks = [getattr(pytest.mark, task.modality.lower())]
        if task.paradigm is not None:
            marks.append(getattr(pytest.mark, task.paradigm.lower()))
        params.append(pytest.param(task, id=task.item_id, marks=marks))
    metafunc.parametrize("genbench_task", params)


@pytest.fixture(scope="session")
def genbench_runner(pytestconfig: pytest.Config) -> TaskRunner:
    """The session's task runner (one per xdist worker)."""
    return pytestconfig.stash[STATE].runner()


@pytest.fixture(scope="session")
def genbench_model(genbench_runner: TaskRunner) -> Model:
    """The loaded model, loaded once per worker."""
    try:
        return genbench_runner.model
    except TaskError as error:
        pytest.fail(str(error), pytrace=False)


def _stop_session(request: pytest.FixtureRequest, reason: str) -> None:
    """End the session now: as a usage error (exit 4) in a serial run; in an xdist
    worker (where pytest.exit would crash the worker) by stopping after this item.
    """
    if hasattr(request.config, "workerinput"):
        request.session.shouldstop = reason
    else:
        pytest.exit(reason, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture
def genbench_evaluate(
    request: pytest.FixtureRequest, genbench_runner: TaskRunner
) -> Callable[[TaskSpec], TaskResult | None]:
    """Run the session's steps on one task, record its result with the test report.

    A failure fails the item with its one-line reason (no traceback); a skip (an
    unsupported task, a close-set task) skips it with the reason.
    """

    def evaluate(task: TaskSpec) -> TaskResult | None:
        settings = genbench_runner.settings
        stop: TaskSkipped | TaskError | None = None
        result: TaskResult | None = None
        try:
            if settings.steps.isdisjoint({1, 2}):
                result = load_result(
                    settings.outcome_dir, settings.model_name, task.item_id, settings.limit
                )
                if result is None:
                    stop = TaskSkipped("no result yet: run steps 1 and 2 first")
            else:
                result = genbench_runner.run(task)
        except (TaskSkipped, TaskError) as raised:
            stop, result = raised, raised.result
        # skip or fail outside the except block, so that no chained exception is printed
        if result is not None:
            request.node.user_properties.append((PROPERTY, result.to_json()))
        if isinstance(stop, ModelLoadError):  # every task would fail alike: stop the session
            _stop_session(request, str(stop))
        reason = str(stop) if stop is not None else result.reason if result else ""
        status = result.status if result is not None else None
        if isinstance(stop, TaskSkipped) or (stop is None and status in (SKIPPED, CLOSESET)):
            pytest.skip(reason)
        if stop is not None or status == FAILED:
            pytest.fail(reason, pytrace=False)
        return result

    return evaluate
