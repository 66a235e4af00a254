"""The session's start on the controller: the tree's tasks, the run folder, the header.

Everything the harness decides about a tree is said in the header: how many tasks, how
each unmatched one might be matched, which of several task files a folder uses, and
every folder passed over with the reason.
"""

from __future__ import annotations

import json

import pytest

from genbench._atomic import write_json_atomic
from genbench._secrets import redact
from genbench.data import TaskMapError, TaskSpec
from genbench.plugin._state import GenbenchState
from genbench.runner import (
    DISCOVERY_FILE,
    RUN_FILE,
    RunConflict,
    TaskError,
    check_run_folder,
    claim_run_folder,
)


def _check_recorded(state: GenbenchState) -> None:
    """A level-only run (step 3) must read results of this run's settings."""
    path = state.settings.run_dir / RUN_FILE
    if not path.is_file():
        return
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    identity = state.settings.identity
    if recorded.get("settings_digest") != identity.digest:
        changes = "; ".join(identity.differences(recorded)) or "the settings digest"
        raise pytest.UsageError(
            f"{state.settings.run_dir} holds results made with other settings ({changes}); "
            "give the settings of the run that made them"
        )


def start_session(state: GenbenchState, config: pytest.Config) -> None:
    """Discover the tasks and check the run folder, before any item (or worker) starts;
    under xdist, claim the run folder now (a serial run claims it once its items are
    known and its model loads: :func:`finish_collection`).

    Raises:
        pytest.UsageError: no dataset, a bad task map, a tree without any task, or a run
            folder written by another model or with other settings.
    """
    settings = state.settings
    try:
        discovery = state.discovery()
    except (FileNotFoundError, TaskMapError) as error:
        raise pytest.UsageError(str(error)) from None
    if not discovery.tasks:
        passed = "; ".join(f"{p.path.name}: {p.reason}" for p in discovery.passed_over[:3])
        raise pytest.UsageError(
            f"no General-Bench task under {settings.dataset_dir}: expected "
            "<modality>[/<paradigm>]/<task folder>/ holding a task file"
            + (f" (passed over {passed})" if passed else "")
        )
    if config.option.collectonly:
        return
    if settings.steps.isdisjoint({1, 2}):
        _check_recorded(state)
        return
    try:
        check_run_folder(settings.run_dir, settings.identity)
    except RunConflict as error:
        raise pytest.UsageError(str(error)) from None
    if getattr(config.option, "numprocesses", None):
        _claim(state)


def _claim(state: GenbenchState) -> None:
    settings = state.settings
    try:
        claim_run_folder(settings.run_dir, settings.identity)
    except RunConflict as error:
        raise pytest.UsageError(str(error)) from None
    write_json_atomic(settings.run_dir / DISCOVERY_FILE, state.discovery().to_json())
    if state.discovery_cache is not None:  # written only by a run that writes results
        state.discovery_cache.save()


def finish_collection(state: GenbenchState, tasks: list[TaskSpec]) -> None:
    """In a serial run, once the selected tasks are known: load the model if any of them
    still needs predictions (a model that cannot load is one usage error, before any item
    runs or anything is written), then claim the run folder.

    Raises:
        pytest.UsageError: the model cannot load.
    """
    settings = state.settings
    if settings.steps.isdisjoint({1, 2}):
        return
    runner = state.runner()
    if 1 in settings.steps and any(runner.needs_predictions(task) for task in tasks):
        try:
            runner.model  # noqa: B018  (loads it)
        except TaskError as error:
            raise pytest.UsageError(str(error)) from None
    _claim(state)


def header_lines(state: GenbenchState) -> list[str]:
    """The header: model, steps, dataset and what it holds, outcome, decisions."""
    s = state.settings
    steps = "".join(str(step) for step in sorted(s.steps))
    lines = [
        f"model {redact(s.model_spec)} as {s.model_name!r}, steps {steps}, "
        f"level mode {state.mode.value}",
    ]
    if s.limit is not None:
        lines.append(f"limited run: the first {s.limit} instances of each task (a smoke test)")
    try:
        discovery = state.discovery()
    except (FileNotFoundError, TaskMapError):
        return [*lines, f"dataset {s.dataset_dir}"]
    tasks = discovery.tasks
    matched = sum(t.reference is not None for t in tasks)
    broken = sum(t.error is not None for t in tasks)
    kind = ", close set (inputs only: predict, then submit)" if discovery.closeset else ""
    lines.append(
        f"dataset {s.dataset_dir}: {len(tasks)} tasks, {matched} matched to the reference "
        f"table, {len(tasks) - matched} unmatched, {broken} unreadable{kind}"
    )
    lines.append(f"outcome {s.outcome_dir} (this run: {s.run_dir.name}/)")
    lines += state.notes
    for task in tasks:
        lines += [f"{task.item_id}: {note}" for note in task.notes]
        if task.reference is None and task.error is None:
            lines.append(f"{task.item_id}: {task.match} (not counted toward the level)")
    lines += [
        f"passed over {p.path.relative_to(discovery.root)}: {p.reason}"
        if p.path.is_relative_to(discovery.root)
        else f"passed over {p.path}: {p.reason}"
        for p in discovery.passed_over
    ]
    return lines
