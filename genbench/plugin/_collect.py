"""Collection: one parametrized item per task, with markers; the fixtures items use."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from genbench.data import TaskSpec
from genbench.models import Model
from genbench.plugin._state import PROPERTY, STATE
from genbench.runner import SKIPPED, TaskError, TaskResult, TaskRunner, TaskSkipped, load_result

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


@pytest.fixture
def genbench_evaluate(
    request: pytest.FixtureRequest, genbench_runner: TaskRunner
) -> Callable[[TaskSpec], TaskResult | None]:
    """Run the session's steps on one task, record its result with the test report."""

    def evaluate(task: TaskSpec) -> TaskResult | None:
        runner = genbench_runner
        steps = runner.settings.steps
        try:
            if steps.isdisjoint({1, 2}):
                result = load_result(
                    runner.settings.outcome_dir,
                    runner.settings.model_name,
                    task.item_id,
                    runner.settings.limit,
                )
                if result is None:
                    pytest.skip("no result yet: run steps 1 and 2 first")
            else:
                result = runner.run(task)
        except TaskSkipped as skip:
            stored = load_result(
                runner.settings.outcome_dir,
                runner.settings.model_name,
                task.item_id,
                runner.settings.limit,
            )
            if stored is not None:
                request.node.user_properties.append((PROPERTY, stored.to_json()))
            pytest.skip(str(skip))
        except TaskError as error:
            pytest.fail(str(error), pytrace=False)
        if result is not None:
            request.node.user_properties.append((PROPERTY, result.to_json()))
            if result.status == SKIPPED:
                pytest.skip(result.reason)
        return result

    return evaluate
