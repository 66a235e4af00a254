"""Step 2: the task score from its predictions, with a record of every instance.

Each instance's prediction is parsed by the task family, scored with the metric the
reference table names, and recorded (prompt, raw and parsed answer, reference, the
instance's score or statistics, flags) for the samples file: docs/OUTCOME.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench.data import Annotation, AnnotationError, Instance, TaskSpec
from genbench.runner._predictions import PredictionFile
from genbench.runner._samples import jsonable, media_paths, prompt_fields
from genbench.runner._settings import TaskError
from genbench.tasks import Parsed, TaskFamily


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


def _files_of(record: dict[str, Any]) -> str:
    """`` (prediction ...; reference ...)`` naming an instance's media, if it has any."""
    media = record.get("media") or {}
    parts = [
        f"{role} {', '.join(media[role][:2])}"
        for role in ("prediction", "reference")
        if media.get(role)
    ]
    return f" ({'; '.join(parts)})" if parts else ""


def _scoring_error(
    path: Path,
    metric: str,
    scorer: Callable[[list[Any], list[Any]], float],
    values: list[Any],
    references: list[Any],
    records: list[dict[str, Any]],
    error: Exception,
) -> str:
    """One line for a scorer that failed, naming the instance whose prediction or
    reference it could not take, and their files (found by scoring instances one at a
    time).
    """
    what = f"{type(error).__name__}: {error}" if not isinstance(error, ValueError) else error
    for index, record in enumerate(records):
        try:
            scorer([values[index]], [references[index]])
        except Exception as alone:
            return (
                f"{path}: instance {record['id']!r}: field 'prediction'{_files_of(record)}: "
                f"scoring {metric}: {type(alone).__name__}: {alone}"
            )
    return f"{path}: scoring {metric}: {what}"


def score_predictions(
    task: TaskSpec,
    annotation: Annotation,
    family: TaskFamily,
    scorer: Callable[[list[Any], list[Any]], float],
    metric: str,
    predictions: PredictionFile,
) -> tuple[float, list[dict[str, Any]], dict[str, str]]:
    """The task's score, its per-instance records and how the score aggregates them.

    Raises:
        TaskError: bad annotation or prediction data, a media output that is missing or
            unusable, or a score that is not a finite number.
    """
    path, base = predictions.path, predictions.path.parent
    references: list[Any] = []
    values: list[Any] = []
    records: list[dict[str, Any]] = []
    unusable: list[str] = []
    try:
        for instance in annotation:
            reference = family.reference(task, instance)
            raw = predictions.predictions.get(instance.id)
            parsed = family.parse(task, instance, raw, base)
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
    except Exception as error:  # a file a library cannot read, a bomb, a bad value: one line
        raise TaskError(
            _scoring_error(path, metric, scorer, values, references, records, error)
        ) from None
    if not math.isfinite(value):
        raise TaskError(
            f"{path}: scoring {metric}: the score is {value} "
            "(a prediction or a reference holds NaN or infinity)"
        )
    return value, records, _attach_scores(records, value)
