"""Settings checked once, before any item runs: each problem is one line and pytest's
usage-error exit (4), never a failure per task.

On the controller (or the only process): the numbers (``--step``, ``--limit``) as the
options are read, then the folders and files the run reads or writes, the model spec
(without loading weights), the task map, the dataset's tasks and the run folder's
identity at session start.
"""

from __future__ import annotations

import os
import tempfile
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


#: Options that count something and need at least this much.
AT_LEAST = {
    "batch_size": ("--batch-size", 1),
    "concurrency": ("--concurrency", 1),
    "max_frames": ("--max-frames", 1),
    "gpus_per_worker": ("--gpus-per-worker", 1),
    "bootstrap": ("--bootstrap", 0),
    "max_new_tokens": ("--max-new-tokens", 1),
    "num_inference_steps": ("--num-inference-steps", 1),
}


def check_counts(option: object) -> None:
    """Every counting option within its range (``--batch-size 0`` would loop forever or
    divide by zero deep inside a run).
    """
    for attribute, (flag, least) in AT_LEAST.items():
        value = getattr(option, attribute, None)
        if value is not None and value < least:
            raise pytest.UsageError(f"{flag} {value}: give {least} or more ({flag[2:]})")
    timeout = getattr(option, "request_timeout", None)
    if timeout is not None and timeout <= 0:
        raise pytest.UsageError(f"--request-timeout {timeout}: give a positive number of seconds")


def check_model_name(name: str, safe: str) -> None:
    """A model name must file under a folder of its own inside the outcome folder."""
    if not any(c.isalnum() for c in safe) or safe.startswith("."):
        raise pytest.UsageError(
            f"--model-name {name!r}: give a name with a letter or digit that does not start "
            "with '.' (it names a folder under the outcome folder)"
        )


def _writable_folder(path: Path, option: str) -> None:
    """The folder exists or can be made, and a file can be written in it (tried, since
    ``os.access`` says yes to root on a read-only file system); nothing is left behind.
    """
    if path.exists() and not path.is_dir():
        raise pytest.UsageError(f"{option} {path}: is a file, not a folder")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise pytest.UsageError(f"{option} {path}: {existing} is a file, not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=".genbench-probe-", dir=existing)
        os.rmdir(probe)
    except OSError:
        raise pytest.UsageError(f"{option} {path}: not writable") from None


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
    if settings.judge is not None:
        from genbench.models._openai import parse_spec

        spec = settings.judge
        try:
            if not spec.startswith("openai:"):
                raise ValueError(f"{spec}: expected openai:<base_url>#<model>")
            parse_spec(spec.removeprefix("openai:"))
        except ValueError as error:
            raise pytest.UsageError(redact(f"--judge: {error}")) from None
    if 1 in settings.steps:
        try:
            check_model_spec(settings.model_spec, settings.model_options)
        except ModelSpecError as error:
            raise pytest.UsageError(redact(f"--model: {error}")) from None
