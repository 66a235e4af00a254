"""Reruns that do only what changed: a task whose inputs are all unchanged is answered
from what is on disk before its task file is parsed.

The score key of a task (genbench.runner._run: the digests of its prediction file, its
generated media and its task file, its reference row, the metric's name, variant and
scoring version, the run's settings and the reference table) needs no parsed instance:
the task's family and variant come from the first instance as discovery read it. So a
rerun finds a task's stored result without reading its instances, building requests or
loading the model; with step 1 it also asks that the stored result had every
instance's prediction, so that predicting would add nothing. A run of step 1 alone
passes over a task whose prediction file is complete for this run's settings and this
version of the task file. Anything else (no stored result, another key, a missing
samples file, a task discovery could not read) takes the ordinary path, which parses.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from genbench.data import AnnotationError, Instance, TaskSpec
from genbench.metrics import get_metric
from genbench.runner._predictions import PredictionFile, read_predictions
from genbench.runner._results import TaskResult
from genbench.tasks import UnknownFamilyError, resolve_family

if TYPE_CHECKING:
    from genbench.runner._run import TaskRunner


def expected_instances(task: TaskSpec, limit: int | None) -> int:
    """How many instances a run scores: the task file's count, or the first ``limit``."""
    return task.instances if limit is None else min(limit, task.instances)


def _first_instance(task: TaskSpec) -> Instance | None:
    """The first instance as :func:`genbench.data.read_annotation` would build it, from
    discovery's copy; None where its id would not pass validation.
    """
    first = task.first
    if first is None or not isinstance(first.get("id"), str | int) or first["id"] == "":
        return None
    return Instance(str(first["id"]), first, task.annotation_path)


def metric_of(task: TaskSpec) -> tuple[str, str] | None:
    """The canonical name and the variant of the metric a task is scored with, from
    discovery's first instance (None where only parsing the task file can tell).
    """
    first = _first_instance(task)
    if first is None:
        return None
    try:
        family = resolve_family(task, first)
        row = task.reference
        metric = get_metric(row.metric_label if row else family.default_metric)
        return metric.name, family.scorer_variant(task, first)
    except (AnnotationError, UnknownFamilyError):
        return None


def stored_if_unchanged(runner: TaskRunner, task: TaskSpec) -> TaskResult | None:
    """The task's stored result, marked reused, if it was scored from exactly this run's
    inputs (and, with step 1, had no missing prediction); else None.
    """
    settings = runner.settings
    if (
        settings.rescore
        or 2 not in settings.steps
        or task.error is not None
        or task.closeset
        or settings.external_scores is not None
    ):
        return None
    scoring = metric_of(task)
    if scoring is None:
        return None
    path = runner.prediction_path(task)
    if not path.is_file():
        return None
    try:
        stored = runner.stored_result(task)
    except (OSError, ValueError):
        return None  # the ordinary path reports it
    if stored is None:
        return None
    if 1 in settings.steps and (
        stored.missing or stored.n != expected_instances(task, settings.limit)
    ):
        return None  # predicting would add answers: take the ordinary path
    key = runner._score_key(task, PredictionFile(path), *scoring)
    if stored.digests.get("score") != key:
        return None
    stored.reused = True
    return stored


def predictions_complete(runner: TaskRunner, task: TaskSpec, task_digest: str) -> bool:
    """Whether the task's prediction file holds an answer for every instance this run
    predicts, made by this model with these settings for this version of the task file.

    Predictions are made in the task file's order and a limit keeps its first
    instances, so a file of this task version holds a prefix of its instances: the
    expected count of answers is every one of them.
    """
    settings = runner.settings
    path = runner.prediction_path(task)
    if task.error is not None or not path.is_file():
        return False
    try:
        found = read_predictions(path)
    except (AnnotationError, json.JSONDecodeError):
        return False
    return (
        found.model == settings.model_name
        and found.settings_digest == settings.identity.digest
        and found.task_digest == task_digest
        and len(found.predictions) == expected_instances(task, settings.limit)
    )
