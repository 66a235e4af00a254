"""One task, end to end: predict (resumable), score with the table's metric, record.

Every outcome of a task is recorded in its result file, so that what the workbook and
the level show is what this run found: a score (``scored``, or ``unmatched`` without a
table row), ``skipped`` with the reason, ``closeset`` (no references to score against)
or ``failed`` with the one-line error. A task whose inputs are unchanged since its
stored result (task file, predictions and their media, settings, metric implementation
and resources) reuses that result instead of scoring again, and says so.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import genbench
from genbench._secrets import redact, redact_value
from genbench.data import PREDICTION_FILE, Annotation, AnnotationError, TaskSpec, read_annotation
from genbench.metrics import (
    SCORING_VERSION,
    MetricUnavailable,
    ScoringResources,
    get_metric,
    get_scorer,
    judge_from_spec,
)
from genbench.models import Model
from genbench.reference import ReferenceTable
from genbench.runner._external import (
    ExternalScore,
    ExternalScoresError,
    external_score_for,
    load_external_scores,
)
from genbench.runner._identity import digest, file_digest
from genbench.runner._pool import ScoreAhead
from genbench.runner._predict import Progress, predict_task, reusable
from genbench.runner._predictions import PredictionFile, read_predictions
from genbench.runner._results import (
    CLOSESET,
    FAILED,
    SCORED,
    SKIPPED,
    UNMATCHED,
    TaskResult,
    load_result,
    samples_path,
    save_result,
)
from genbench.runner._reuse import predictions_complete, stored_if_unchanged
from genbench.runner._samples import write_samples
from genbench.runner._score import score_predictions
from genbench.runner._settings import RunSettings, TaskError, TaskSkipped
from genbench.tasks import TaskFamily, UnknownFamilyError, resolve_family

CLOSESET_REASON = "close set: no references"


@functools.lru_cache(maxsize=1024)
def _task_file_digest(path: Path, size: int, mtime_ns: int) -> str:
    return file_digest(path)


def task_digest(task: TaskSpec) -> str:
    """The digest of a task's file (hashed once per version of the file and process)."""
    stat = task.annotation_path.stat()
    return _task_file_digest(task.annotation_path, stat.st_size, stat.st_mtime_ns)


def _media_stamp(folder: Path) -> str:
    """A digest of the names, sizes and times of the files a model generated."""
    if not folder.is_dir():
        return ""
    entries = []
    for directory, _, files in os.walk(folder):
        for name in files:
            stat = (Path(directory) / name).stat()
            entries.append(
                (os.path.relpath(directory, folder), name, stat.st_size, stat.st_mtime_ns)
            )
    return digest(sorted(entries))


class TaskRunner:
    """Runs tasks for one model; the model is loaded on first use, once per process."""

    def __init__(
        self,
        settings: RunSettings,
        table: ReferenceTable,
        load_model: Callable[[], Model],
        progress: Progress | None = None,
    ) -> None:
        """Bind the settings, the reference table and a loader called at most once;
        ``progress`` hears of every predicted batch.
        """
        self.settings, self.table = settings, table
        self._load_model = load_model
        self._model: Model | None = None
        self._resources: ScoringResources | None = None
        self._external: dict[str, ExternalScore] | None = None
        self.progress = progress
        #: Scoring ahead in worker processes (--score-workers), when the session uses it.
        self.ahead: ScoreAhead | None = None

    # --- what the run needs, made once ----------------------------------------------------

    @property
    def resources(self) -> ScoringResources:
        """Metric weights, the judge and the device for model-based and judged metrics."""
        if self._resources is None:
            self._resources = ScoringResources(
                self.settings.metric_weights,
                judge_from_spec(self.settings.judge),
                self.settings.metric_device,
            )
        return self._resources

    def external(self, task: TaskSpec) -> ExternalScore | None:
        """The externally supplied score of a task, if any."""
        if self.settings.external_scores is None:
            return None
        if self._external is None:
            try:
                self._external = load_external_scores(self.settings.external_scores)
            except ExternalScoresError as error:
                raise TaskError(str(error)) from None
        return external_score_for(self._external, task)

    @property
    def model(self) -> Model:
        """The loaded model (loaded now if this is the first use)."""
        if self._model is None:
            self._model = self._load_model()
        return self._model

    def prediction_path(self, task: TaskSpec) -> Path:
        """The task's prediction file: under the predictions folder, mirroring the tree
        (default ``<outcome>/<run>/predictions``), or beside the task file on request.
        """
        if self.settings.predictions_beside_tasks:
            return task.folder / PREDICTION_FILE
        root = self.settings.predictions_dir or (self.settings.run_dir / "predictions")
        return root / task.folder.relative_to(self.settings.dataset_dir) / PREDICTION_FILE

    def needs_predictions(self, task: TaskSpec) -> bool:
        """Whether predicting the task would ask the model anything: its prediction file
        is missing, made by another model or settings or for another task file, or short
        of instances. Reads the prediction file only (not the task file).
        """
        if task.error is not None:
            return False
        path = self.prediction_path(task)
        if not path.is_file():
            return True
        try:
            found = read_predictions(path)
        except AnnotationError:
            return True
        identity = self.settings.identity
        if found.model != self.settings.model_name or found.settings_digest != identity.digest:
            return True
        if found.task_digest != task_digest(task):
            return True
        wanted = task.instances if self.settings.limit is None else self.settings.limit
        return len(found.predictions) < min(task.instances, wanted)

    def load(self, task: TaskSpec) -> tuple[Annotation, TaskFamily]:
        """The task's instances (the first ``--limit``) and its family.

        Raises:
            TaskError: the task file cannot be read, or no family handles the task.
        """
        if task.error is not None:
            raise TaskError(task.error)
        try:
            annotation = read_annotation(task.annotation_path, self.settings.limit)
            first = annotation.instances[0] if annotation.instances else None
            return annotation, resolve_family(task, first)
        except (AnnotationError, UnknownFamilyError) as error:
            raise TaskError(str(error)) from None

    # --- the steps --------------------------------------------------------------------------

    def predict(
        self, task: TaskSpec, loaded: tuple[Annotation, TaskFamily] | None = None
    ) -> PredictionFile:
        """Predict every instance not yet predicted by this model with these settings."""
        annotation, family = loaded or self.load(task)
        path = self.prediction_path(task)
        identity, digest_of_task = self.settings.identity, task_digest(task)
        kept = reusable(path, self.settings.model_name, identity.digest, digest_of_task)
        model = self.model
        current = PredictionFile(
            path,
            annotation.task,
            annotation.type,
            self.settings.model_name,
            redact_value(dict(model.settings)),
            dict(kept),
            settings_digest=identity.digest,
            task_digest=digest_of_task,
        )
        return predict_task(
            task, annotation, family, model, current, self.settings.batch_size, self.progress
        )

    def _predictions_for_scoring(self, task: TaskSpec) -> PredictionFile:
        path = self.prediction_path(task)
        if not path.is_file():
            raise TaskSkipped(f"no predictions at {path}: run step 1 first")
        try:
            predictions = read_predictions(path)
        except AnnotationError as error:
            raise TaskError(str(error)) from None
        identity = self.settings.identity
        if predictions.model not in (None, self.settings.model_name) or (
            predictions.settings_digest not in (None, identity.digest)
        ):
            raise TaskError(
                f"{path}: these are the predictions of model {predictions.model!r} "
                f"(settings {predictions.settings_digest}), not of "
                f"{self.settings.model_name!r} with this run's settings "
                f"({identity.digest}); rerun with their settings, or predict again (step 1)"
            )
        if predictions.task_digest not in (None, task_digest(task)):
            raise TaskError(
                f"{path}: made for an earlier version of {task.annotation_path}; "
                "predict again (step 1) before scoring"
            )
        return predictions

    def score(
        self,
        task: TaskSpec,
        seconds: float = 0.0,
        loaded: tuple[Annotation, TaskFamily] | None = None,
    ) -> TaskResult:
        """Score the task's predictions with the metric the reference table names (or
        reuse the stored result of the same inputs).

        Raises:
            TaskSkipped: the metric cannot be computed here, or nothing was predicted yet.
            TaskError: bad annotation or prediction data, or missing media predictions.
        """
        start = time.perf_counter() - seconds
        annotation, family = loaded or self.load(task)
        metric = get_metric(
            task.reference.metric_label if task.reference else family.default_metric
        )
        external = self.external(task)
        if external is not None:
            return self._external_result(task, annotation, metric.name, external, start)
        first = annotation.instances[0] if annotation.instances else None
        variant = family.scorer_variant(task, first)
        try:
            scorer = get_scorer(metric.name, variant, self.resources)
        except MetricUnavailable as error:
            raise TaskSkipped(str(error)) from None
        predictions = self._predictions_for_scoring(task)
        key = self._score_key(task, predictions, metric.name, variant)
        reused = self._reusable_result(task, key)
        if reused is not None:
            return reused
        value, records, aggregation = score_predictions(
            task, annotation, family, scorer, metric.name, predictions
        )
        write_samples(
            samples_path(self.settings.outcome_dir, self.settings.run_name, task.item_id), records
        )
        return self._record(
            task,
            metric.name,
            float(value),  # a user's scorer may give numpy scalars
            len(annotation),
            records.missing,
            records.parse_failures,
            start,
            aggregation=aggregation,
            score_key=key,
        )

    def run(self, task: TaskSpec) -> TaskResult | None:
        """The run's steps for one task: predict (1), then score (2); None if not scored.

        The outcome is recorded whatever it is (see the module docstring).

        Raises:
            TaskSkipped: the task is not scored (unsupported, close set ...); carries the
                recorded result.
            TaskError: the task cannot run; carries the recorded failure.
        """
        if self.ahead is not None and self.ahead.planned(task):
            return self.ahead.outcome(task)  # recorded by the worker that ran it
        start = time.perf_counter()
        try:
            reused = stored_if_unchanged(self, task)  # before parsing (genbench.runner._reuse)
            if reused is not None:
                return reused
            if 2 not in self.settings.steps and predictions_complete(self, task, task_digest(task)):
                return None
            loaded = self.load(task)
            if 1 in self.settings.steps:
                self.predict(task, loaded)
            if 2 not in self.settings.steps:
                return None
            if task.closeset:
                raise TaskSkipped(CLOSESET_REASON, self._status(task, CLOSESET, CLOSESET_REASON))
            return self.score(task, time.perf_counter() - start, loaded)
        except TaskSkipped as skip:
            result = skip.result or self._status(task, SKIPPED, str(skip))
            raise TaskSkipped(str(skip), result) from None
        except TaskError as error:
            message = redact(str(error))
            raise type(error)(message, self._status(task, FAILED, message)) from None

    # --- results ----------------------------------------------------------------------------

    def _score_key(
        self, task: TaskSpec, predictions: PredictionFile, metric: str, variant: str
    ) -> str:
        """What a stored result must have been made from to be reused."""
        return digest(
            {
                "predictions": file_digest(predictions.path),
                "media": _media_stamp(predictions.path.parent / "media"),
                "task": task_digest(task),
                "row": [task.sheet, task.reference.task_name if task.reference else None],
                "metric": [metric, variant, SCORING_VERSION],
                "settings": self.settings.identity.digest,
                "reference": self.table.fingerprint,
            }
        )

    def stored_result(self, task: TaskSpec) -> TaskResult | None:
        """The task's stored result of this run if it was scored (or unmatched) and its
        samples file, where it had one, is still there; else None.

        Raises:
            OSError, ValueError: a stored result that cannot be read.
        """
        settings = self.settings
        stored = load_result(
            settings.outcome_dir, settings.model_name, task.item_id, settings.limit
        )
        if stored is None or stored.status not in (SCORED, UNMATCHED):
            return None
        samples = samples_path(settings.outcome_dir, settings.run_name, task.item_id)
        if stored.samples is not None and not samples.is_file():
            return None
        return stored

    def _reusable_result(self, task: TaskSpec, key: str) -> TaskResult | None:
        if self.settings.rescore:
            return None
        stored = self.stored_result(task)
        if stored is None or stored.digests.get("score") != key:
            return None
        stored.reused = True  # for this session's report; the file stays as scored
        return stored

    def _external_result(
        self,
        task: TaskSpec,
        annotation: Annotation,
        metric: str,
        external: ExternalScore,
        start: float,
    ) -> TaskResult:
        """A result from supplied scores: the task score, or the mean of instance scores
        (instances without one are counted missing).
        """
        low, high = get_metric(metric).natural_range
        supplied = [external.task_score] if external.task_score is not None else []
        supplied += list((external.instances or {}).values())
        outside = [v for v in supplied if not low <= v <= high]
        if outside:
            raise TaskError(
                f"{self.settings.external_scores}: task {task.item_id!r}: field 'score': "
                f"{outside[0]:g} is outside the range of {metric} [{low:g}, {high:g}]"
            )
        if external.task_score is not None:
            return self._record(task, metric, external.task_score, len(annotation), 0, 0, start)
        given = external.instances or {}
        values = [given[i.id] for i in annotation if i.id in given]
        if not values:
            raise TaskError(
                f"{self.settings.external_scores}: task {task.item_id!r}: field 'id': "
                "no supplied score matches an instance id"
            )
        missing = len(annotation) - len(values)
        value = sum(values) / len(values)
        return self._record(task, metric, value, len(annotation), missing, 0, start)

    def _base(self, task: TaskSpec, status: str, reason: str) -> TaskResult:
        row = task.reference
        return TaskResult(
            model=self.settings.model_name,
            item_id=task.item_id,
            status=status,
            sheet=task.sheet,
            task_name=row.task_name if row else task.display_name,
            metric=row.metric.name if row else "",
            sota=row.sota if row else None,
            reason=reason,
            limit=self.settings.limit,
            digests={"settings": self.settings.identity.digest},
            provenance=self.provenance(),
        )

    def _record(
        self,
        task: TaskSpec,
        metric_name: str,
        value: float,
        n: int,
        missing: int,
        failures: int,
        start: float,
        aggregation: dict[str, str] | None = None,
        score_key: str | None = None,
    ) -> TaskResult:
        """Normalize, compare with the SoTA, save and return a task's result."""
        metric = get_metric(metric_name)
        row = task.reference
        result = self._base(
            task,
            SCORED if row is not None else UNMATCHED,
            "" if row else "no reference row: not counted toward the level",
        )
        result.metric, result.score = metric.name, value
        result.normalized = metric.normalize(value)
        result.win = result.normalized >= row.metric.normalize(row.sota) if row else None
        result.n, result.missing, result.parse_failures = n, missing, failures
        result.seconds = time.perf_counter() - start
        result.aggregation = aggregation or {"kind": "none"}
        result.samples = f"samples/{task.item_id}.jsonl" if aggregation is not None else None
        result.digests = {
            "settings": self.settings.identity.digest,
            "task": task_digest(task),
            **({"score": score_key} if score_key else {}),
        }
        save_result(self.settings.outcome_dir, result)
        return result

    def _status(self, task: TaskSpec, status: str, reason: str) -> TaskResult:
        """Record a task that was not scored (skipped, close set, failed) and return it."""
        result = self._base(task, status, reason)
        save_result(self.settings.outcome_dir, result)
        return result

    def skipped(self, task: TaskSpec, reason: str) -> TaskResult:
        """Record a skipped task (it counts as unsupported) and return its result."""
        return self._status(task, SKIPPED, reason)

    def provenance(self) -> dict[str, Any]:
        """What produced a result: the run's settings plus the model's own settings,
        secrets removed.
        """
        record = dict(self.settings.provenance)
        record.update(
            {
                "genbench": genbench.__version__,
                "scoring_version": SCORING_VERSION,
                "model_spec": self.settings.model_spec,
                "model_name": self.settings.model_name,
                "settings_digest": self.settings.identity.digest,
                "seed": self.settings.seed,
                "limit": self.settings.limit,
                "workers": self.settings.workers,
                "batch_size": self.settings.batch_size,
                "metric_weights": str(self.settings.metric_weights or ""),
                "judge": self.settings.judge or "",
                "external_scores": str(self.settings.external_scores or ""),
                "steps": "".join(str(s) for s in sorted(self.settings.steps)),
                "reference": self.table.fingerprint,
            }
        )
        if self._model is not None:
            record["model_settings"] = dict(self._model.settings)
        return redact_value(record)  # type: ignore[no-any-return]
