"""Settings checked once, before any item runs: each problem is one line and pytest's
usage-error exit (4), never a failure per task.

On the controller (or the only process): the numbers (``--step``, ``--limit``) as the
options are read, then the folders and files the run reads or writes, the model spec
(without loading weights), the task map, the dataset's tasks and the run folder's
identity at session start.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from genbench._secrets import redact
from genbench.models import ModelSpecError, check_model_spec
from genbench.runner import RunSettings

#: ``--step`` values: 1 predict, 2 score, 3 level, in order and without a gap.
VALID_STEPS = ("1", "2", "3", "12", "23", "123")


def parse_steps(text: str) -> frozenset[int]:
    """The steps of ``--step`` (see VALID_STEPS).

    Raises:
        pytest.UsageError: anything else, e.g. ``13`` (scoring cannot be skipped between
            predicting and the level) or ``21``.
    """
    if text not in VALID_STEPS:
        raise pytest.UsageError(
            f"--step {text!r}: give consecutive steps in order: {', '.join(VALID_STEPS)} "
            "(1 predict, 2 score, 3 level)"
        )
    return frozenset(int(c) for c in text)


def check_limit(limit: int | None) -> None:
    """``--limit`` must keep at least one instance per task."""
    if limit is not None and limit < 1:
        raise pytest.UsageError(f"--limit {limit}: give 1 or more instances per task")


def _writable_folder(path: Path, option: str) -> None:
    if path.exists() and not path.is_dir():
        raise pytest.UsageError(f"{option} {path}: is a file, not a folder")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise pytest.UsageError(f"{option} {path}: not writable")


def _readable_file(path: Path | None, option: str) -> None:
    if path is None:
        return
    if not path.is_file() or not os.access(path, os.R_OK):
        raise pytest.UsageError(f"{option} {path}: no such readable file")


def check_settings(settings: RunSettings, task_map: Path | None) -> None:
    """Every setting that can be checked before the session starts.

    Raises:
        pytest.UsageError: the first problem, in one line.
    """
    if not settings.dataset_dir.is_dir():
        raise pytest.UsageError(f"--dataset-dir {settings.dataset_dir}: no such folder")
    _writable_folder(settings.outcome_dir, "--outcome-dir")
    if settings.predictions_dir is not None:
        _writable_folder(settings.predictions_dir, "--predictions-dir")
    weights = settings.metric_weights
    if weights is not None and not weights.is_dir():
        raise pytest.UsageError(f"--metric-weights {weights}: no such folder")
    _readable_file(settings.external_scores, "--external-scores")
    if settings.external_scores is not None:
        from genbench.runner._external import ExternalScoresError, load_external_scores

        try:
            load_external_scores(settings.external_scores)
        except ExternalScoresError as error:
            raise pytest.UsageError(f"--external-scores: {error}") from None
    _readable_file(task_map, "--task-map")
    if 1 in settings.steps:
        try:
            check_model_spec(settings.model_spec, settings.model_options)
        except ModelSpecError as error:
            raise pytest.UsageError(redact(f"--model: {error}")) from None
