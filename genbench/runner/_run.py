"""One task, end to end: predict (resumable), score with the table's metric, record."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench.data import Annotation, AnnotationError, TaskSpec, read_annotation
from genbench.metrics import (
    MetricUnavailable,
    ScoringResources,
    get_metric,
    get_scorer,
    judge_from_spec,
)
from genbench.models import Model, ModelError, unsupported
from genbench.reference import ReferenceTable
from genbench.runner._external import (
    ExternalScore,
    ExternalScoresError,
    external_score_for,
    load_external_scores,
)
from genbench.runner._predictions import PREDICTION_FILE, PredictionFile, read_predictions
from genbench.runner._results import SCORED, SKIPPED, UNMATCHED, TaskResult, save_result
from genbench.tasks import TaskFamily, UnknownFamilyError, resolve_family


class TaskError(Exception):
    """A task that cannot run; the message is one line naming file, instance and field."""


class TaskSkipped(Exception):
    """A task that is skipped, with the reason (it counts as unsupported)."""


@dataclass(frozen=True)
class RunSettings:
    """What a run does and where it writes."""

    model_spec: str
    model_name: str
    outcome_dir: Path
    dataset_dir: Path
    steps: frozenset[int] = frozenset({1, 2, 3})
    predictions_dir: Path | None = None
    limit: int | None = None
    seed: int = 0
    batch_size: int = 8
    workers: int = 1
    provenance: dict[str, Any] = field(default_factory=dict)
    metric_weights: Path | None = None
    judge: str | None = None
    external_scores: Path | None = None
    metric_device: str = "cpu"
    #: Adapter options (dtype, device, max_new_tokens ...), passed to the model's loader.
    model_options: dict[str, Any] = field(default_factory=dict)


def _safe_id(instance_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", instance_id) or "_"


class TaskRunner:
    """Runs tasks for one model; the model is loaded on first use, once per process."""

    def __init__(
        self, settings: RunSettings, table: ReferenceTable, load_model: Callable[[], Model]
    ) -> None:
        """Bind the settings, the reference table and a loader called at most once."""
        self.settings, self.table = settings, table
        self._load_model = load_model
        self._model: Model | None = None
        self._resources: ScoringResources | None = None
        self._external: dict[str, ExternalScore] | None = None

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
        """Beside annotation.json, or mirrored under the predictions folder."""
        if self.settings.predictions_dir is None:
            return task.folder / PREDICTION_FILE
        relative = task.folder.relative_to(self.settings.dataset_dir)
        return self.settings.predictions_dir / relative / PREDICTION_FILE

    def _load(self, task: TaskSpec) -> tuple[Annotation, TaskFamily]:
        if task.error is not None:
            raise TaskError(task.error)
        try:
            annotation = read_annotation(task.annotation_path, self.settings.limit)
            first = annotation.instances[0] if annotation.instances else None
            return annotation, resolve_family(task, first)
        except (AnnotationError, UnknownFamilyError) as error:
            raise TaskError(str(error)) from None

    def predict(self, task: TaskSpec) -> PredictionFile:
        """Predict every instance not yet predicted by this model with these settings."""
        annotation, family = self._load(task)
        path = self.prediction_path(task)
        model = self.model
        settings = dict(model.settings)
        current = PredictionFile(path, annotation.task, annotation.type, model.name, settings)
        if path.is_file():
            try:
                earlier = read_predictions(path)
            except AnnotationError:
                earlier = None  # unreadable: predict again, the atomic save replaces it
            if earlier is not None and earlier.model == model.name and earlier.settings == settings:
                current.predictions = earlier.predictions
        todo = [i for i in annotation if i.id not in current.predictions]
        suffix = family.output_suffix(task)
        for start in range(0, len(todo), self.settings.batch_size):
            batch = todo[start : start + self.settings.batch_size]
            try:
                requests = [
                    family.request(
                        task,
                        instance,
                        None
                        if family.missing_scores_as_wrong
                        else path.parent / "media" / f"{_safe_id(instance.id)}{suffix}",
                    )
                    for instance in batch
                ]
            except AnnotationError as error:
                raise TaskError(str(error)) from None
            reason = unsupported(model, requests[0])
            if reason is not None:
                raise TaskSkipped(reason)
            try:
                outputs = model.predict(requests)
            except ModelError as error:
                raise TaskError(f"{task.annotation_path}: model {model.name!r}: {error}") from None
            if len(outputs) != len(requests):
                raise TaskError(
                    f"{task.annotation_path}: model {model.name!r} returned "
                    f"{len(outputs)} predictions for {len(requests)} requests"
                )
            for request, output in zip(requests, outputs, strict=True):
                if request.output_path is not None and Path(output).is_absolute():
                    output = str(Path(output).relative_to(path.parent))
                current.predictions[request.id] = output
            current.save()
        if not path.exists():
            current.save()
        return current

    def score(self, task: TaskSpec, seconds: float = 0.0) -> TaskResult:
        """Score the task's predictions with the metric the reference table names.

        Raises:
            TaskSkipped: the metric cannot be computed here, or nothing was predicted yet.
            TaskError: bad annotation or prediction data, or missing media predictions.
        """
        start = time.perf_counter() - seconds
        annotation, family = self._load(task)
        metric = get_metric(
            task.reference.metric_label if task.reference else family.default_metric
        )
        external = self.external(task)
        if external is not None:
            return self._external_result(task, annotation, metric.name, external, start)
        first = annotation.instances[0] if annotation.instances else None
        try:
            scorer = get_scorer(metric.name, family.scorer_variant(task, first), self.resources)
        except MetricUnavailable as error:
            raise TaskSkipped(str(error)) from None
        path = self.prediction_path(task)
        if not path.is_file():
            raise TaskSkipped(f"no predictions at {path}: run step 1 first")
        try:
            predictions = read_predictions(path)
            references, values, missing, failures, unusable = [], [], 0, 0, []
            for instance in annotation:
                references.append(family.reference(task, instance))
                raw = predictions.predictions.get(instance.id)
                parsed = family.parse(task, instance, raw, path.parent)
                missing += raw is None
                failures += raw is not None and not parsed.ok
                if not parsed.ok and not family.missing_scores_as_wrong:
                    unusable.append(instance.id)
                values.append(parsed.value)
        except AnnotationError as error:
            raise TaskError(str(error)) from None
        if unusable:
            raise TaskError(
                f"{path}: instance {unusable[0]!r}: field 'prediction': no usable "
                f"output file ({len(unusable)} of {len(annotation)} instances)"
            )
        try:
            value = float(scorer(values, references))  # a user's scorer may give numpy scalars
        except (ValueError, OSError) as error:
            raise TaskError(f"{path}: scoring {metric.name}: {error}") from None
        if not math.isfinite(value):
            raise TaskError(
                f"{path}: scoring {metric.name}: the score is {value} "
                "(a prediction or a reference holds NaN or infinity)"
            )
        return self._record(task, metric.name, value, len(annotation), missing, failures, start)

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

    def _record(
        self,
        task: TaskSpec,
        metric_name: str,
        value: float,
        n: int,
        missing: int,
        failures: int,
        start: float,
    ) -> TaskResult:
        """Normalize, compare with the SoTA, save and return a task's result."""
        metric = get_metric(metric_name)
        row = task.reference
        normalized = metric.normalize(value)
        result = TaskResult(
            model=self.settings.model_name,
            item_id=task.item_id,
            status=SCORED if row is not None else UNMATCHED,
            sheet=task.sheet,
            task_name=row.task_name if row else task.display_name,
            metric=metric.name,
            score=value,
            normalized=normalized,
            sota=row.sota if row else None,
            win=normalized >= row.metric.normalize(row.sota) if row else None,
            n=n,
            missing=missing,
            parse_failures=failures,
            reason="" if row else "no reference row: not counted toward the level",
            seconds=time.perf_counter() - start,
            provenance=self.provenance(),
        )
        save_result(self.settings.outcome_dir, result)
        return result

    def skipped(self, task: TaskSpec, reason: str) -> TaskResult:
        """Record a skipped task (it counts as unsupported) and return its result."""
        row = task.reference
        result = TaskResult(
            model=self.settings.model_name,
            item_id=task.item_id,
            status=SKIPPED,
            sheet=task.sheet,
            task_name=row.task_name if row else task.display_name,
            metric=row.metric.name if row else "",
            sota=row.sota if row else None,
            reason=reason,
            provenance=self.provenance(),
        )
        save_result(self.settings.outcome_dir, result)
        return result

    def provenance(self) -> dict[str, Any]:
        """What produced a result: the run's settings plus the model's own settings."""
        record = dict(self.settings.provenance)
        record.update(
            {
                "model_spec": self.settings.model_spec,
                "model_name": self.settings.model_name,
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
        return record

    def run(self, task: TaskSpec) -> TaskResult | None:
        """The run's steps for one task: predict (1), then score (2); None if not scored.

        Raises:
            TaskSkipped: scoring is not possible here (the skip is recorded first).
            TaskError: the task's data is malformed.
        """
        start = time.perf_counter()
        if 1 in self.settings.steps:
            try:
                self.predict(task)
            except TaskSkipped as skip:
                self.skipped(task, str(skip))
                raise
        if 2 not in self.settings.steps:
            return None
        try:
            return self.score(task, time.perf_counter() - start)
        except TaskSkipped as skip:
            self.skipped(task, str(skip))
            raise
