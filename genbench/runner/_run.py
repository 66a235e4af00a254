"""One task, end to end: predict (resumable), score with the table's metric, record."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench.data import Annotation, AnnotationError, Instance, TaskSpec, read_annotation
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
from genbench.runner._results import (
    SCORED,
    SKIPPED,
    UNMATCHED,
    TaskResult,
    run_name,
    samples_path,
    save_result,
)
from genbench.runner._samples import jsonable, media_paths, prompt_fields, write_samples
from genbench.tasks import Parsed, TaskFamily, UnknownFamilyError, resolve_family


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
    #: Where prediction files go; None: ``<outcome>/<run>/predictions``.
    predictions_dir: Path | None = None
    #: Write ``prediction.json`` beside each task file instead (the authors' layout).
    predictions_beside_tasks: bool = False
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

    @property
    def run_name(self) -> str:
        """The folder of this run's files under the outcome folder (see run_name)."""
        return run_name(self.model_name, self.limit)


def _safe_id(instance_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", instance_id) or "_"


def _record_of(
    task: TaskSpec,
    family: TaskFamily,
    instance: Instance,
    raw: str | None,
    parsed: Parsed,
    reference: Any,
) -> dict[str, Any]:
    """An instance's record for the samples file (its score is attached after scoring)."""
    try:
        request = family.request(task, instance, None)
    except AnnotationError:
        request = None
    inputs: list[str] = []
    prompt = ""
    if request is not None:
        prompt = request.prompt
        inputs = [str(p) for p in (*request.images, *request.video_frames)]
        inputs += [str(p) for p in (request.video, request.audio, request.pointcloud) if p]
    return {
        "id": instance.id,
        **prompt_fields(prompt),
        "prediction": raw,
        "parsed": jsonable(parsed.value),
        "reference": jsonable(reference),
        "score": None,
        "stats": None,
        "missing": raw is None,
        "parse_failure": raw is not None and not parsed.ok,
        "media": {
            "inputs": inputs,
            "prediction": media_paths(parsed.value),
            "reference": media_paths(reference),
        },
    }


def _attach_scores(records: list[dict[str, Any]], value: float) -> dict[str, str]:
    """Put each instance's score or statistics into its record; return how the task
    score aggregates them (the ``aggregation`` of the task result).
    """
    per_instance = getattr(value, "per_instance", None)
    stats = getattr(value, "stats", None)
    reducer = getattr(value, "reducer", None)
    if per_instance is not None and len(per_instance) == len(records):
        for record, score in zip(records, per_instance, strict=True):
            record["score"] = score
        return {"kind": "mean"}
    if stats and reducer and all(len(v) == len(records) for v in stats.values()):
        for index, record in enumerate(records):
            record["stats"] = {name: values[index] for name, values in stats.items()}
        return {"kind": "stats", "reducer": str(reducer)}
    ranked = getattr(value, "ranked", None)
    if ranked is not None and reducer and len(ranked) == len(records):
        for record, matches in zip(records, ranked, strict=True):
            record["stats"] = matches
        return {"kind": "ranked", "reducer": str(reducer)}
    return {"kind": "none"}


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
        """The task's prediction file: under the predictions folder, mirroring the tree
        (default ``<outcome>/<run>/predictions``), or beside the task file on request.
        """
        if self.settings.predictions_beside_tasks:
            return task.folder / PREDICTION_FILE
        root = self.settings.predictions_dir or (
            self.settings.outcome_dir / self.settings.run_name / "predictions"
        )
        return root / task.folder.relative_to(self.settings.dataset_dir) / PREDICTION_FILE

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
            references, values, records, unusable = [], [], [], []
            for instance in annotation:
                reference = family.reference(task, instance)
                raw = predictions.predictions.get(instance.id)
                parsed = family.parse(task, instance, raw, path.parent)
                if not parsed.ok and not family.missing_scores_as_wrong:
                    unusable.append(instance.id)
                references.append(reference)
                values.append(parsed.value)
                records.append(_record_of(task, family, instance, raw, parsed, reference))
        except AnnotationError as error:
            raise TaskError(str(error)) from None
        if unusable:
            raise TaskError(
                f"{path}: instance {unusable[0]!r}: field 'prediction': no usable "
                f"output file ({len(unusable)} of {len(annotation)} instances)"
            )
        try:
            value = scorer(values, references)
        except (ValueError, OSError) as error:
            raise TaskError(f"{path}: scoring {metric.name}: {error}") from None
        if not math.isfinite(value):
            raise TaskError(
                f"{path}: scoring {metric.name}: the score is {value} "
                "(a prediction or a reference holds NaN or infinity)"
            )
        aggregation = _attach_scores(records, value)
        samples = samples_path(self.settings.outcome_dir, self.settings.run_name, task.item_id)
        write_samples(samples, records)
        missing = sum(r["missing"] for r in records)
        failures = sum(r["parse_failure"] for r in records)
        return self._record(
            task,
            metric.name,
            float(value),  # a user's scorer may give numpy scalars
            len(annotation),
            missing,
            failures,
            start,
            aggregation=aggregation,
        )

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
        aggregation: dict[str, str] | None = None,
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
            limit=self.settings.limit,
            aggregation=aggregation or {"kind": "none"},
            samples=f"samples/{task.item_id}.jsonl" if aggregation is not None else None,
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
            limit=self.settings.limit,
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
