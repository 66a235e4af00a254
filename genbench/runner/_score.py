"""Step 2: the task score from its predictions, with a record of every instance.

Each instance's prediction is parsed by the task family, scored with the metric the
reference table names, and recorded (prompt, raw and parsed answer, reference, the
instance's score or statistics, flags) for the samples file: docs/OUTCOME.md.

The records are made one at a time as the samples file is written, from what scoring
holds anyway (the instances, the raw and parsed answers, the references), rather than
kept as a dictionary per instance: 100,000 instances held that way took 90 MB.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

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


class InstanceRecords(Sequence[dict[str, Any]]):
    """The per-instance records of a scored task, each made when it is read (in the task
    file's order), with the counts of missing answers and parse failures.
    """

    def __init__(
        self,
        task: TaskSpec,
        family: TaskFamily,
        annotation: Annotation,
        predictions: PredictionFile,
        parsed: list[Parsed],
        references: list[Any],
    ) -> None:
        """Hold what the records are made from (all of it held for scoring anyway)."""
        self._task, self._family, self._annotation = task, family, annotation
        self._raw = predictions.predictions
        self._parsed, self._references = parsed, references
        #: Each instance's score or statistics, once the task is scored.
        self.scores = InstanceScores()
        ids = [instance.id for instance in annotation]
        #: Instances without a prediction, and answers that did not parse.
        self.missing = sum(i not in self._raw for i in ids)
        self.parse_failures = sum(
            i in self._raw and not p.ok for i, p in zip(ids, parsed, strict=True)
        )

    def __len__(self) -> int:
        return len(self._parsed)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        instance = self._annotation.instances[index]
        record = _record_of(
            self._task,
            self._family,
            instance,
            self._raw.get(instance.id),
            self._parsed[index],
            self._references[index],
        )
        record["score"], record["stats"] = self.scores.of(index)
        return record

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[index] for index in range(len(self)))


@dataclass
class InstanceScores:
    """What a scorer's value says of each instance, by index: a score (``per_instance``),
    statistics (``stats``: one list per statistic) or matched detections (``ranked``,
    COCO AP), whichever the value carries for every instance; otherwise nothing.
    """

    scores: Sequence[float] | None = None
    stats: dict[str, Sequence[float]] | None = None
    ranked: Sequence[Any] | None = None

    def of(self, index: int) -> tuple[float | None, Any]:
        """The ``score`` and ``stats`` fields of an instance's record."""
        score = self.scores[index] if self.scores is not None else None
        if self.stats is not None:
            return score, {name: values[index] for name, values in self.stats.items()}
        return score, self.ranked[index] if self.ranked is not None else None


def attach_scores(value: float, count: int) -> tuple[InstanceScores, dict[str, str]]:
    """Each of ``count`` instances' score or statistics from a scorer's value, and how the
    task score aggregates them (the ``aggregation`` of the task result).
    """
    per_instance = getattr(value, "per_instance", None)
    stats = getattr(value, "stats", None)
    reducer = getattr(value, "reducer", None)
    if per_instance is not None and len(per_instance) == count:
        return InstanceScores(scores=per_instance), {"kind": "mean"}
    if stats and reducer and all(len(v) == count for v in stats.values()):
        return InstanceScores(stats=stats), {"kind": "stats", "reducer": str(reducer)}
    ranked = getattr(value, "ranked", None)
    if ranked is not None and reducer and len(ranked) == count:
        return InstanceScores(ranked=ranked), {"kind": "ranked", "reducer": str(reducer)}
    return InstanceScores(), {"kind": "none"}


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
    records: Sequence[dict[str, Any]],
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
) -> tuple[float, InstanceRecords, dict[str, str]]:
    """The task's score, its per-instance records and how the score aggregates them.

    Raises:
        TaskError: bad annotation or prediction data, a media output that is missing or
            unusable, or a score that is not a finite number.
    """
    path, base = predictions.path, predictions.path.parent
    references: list[Any] = []
    parsed_answers: list[Parsed] = []
    unusable: list[str] = []
    try:
        for instance in annotation:
            reference = family.reference(task, instance)
            raw = predictions.predictions.get(instance.id)
            parsed = family.parse(task, instance, raw, base)
            if not parsed.ok and not family.missing_scores_as_wrong:
                unusable.append(instance.id)
            references.append(reference)
            parsed_answers.append(parsed)
    except AnnotationError as error:
        raise TaskError(str(error)) from None
    if unusable:
        raise TaskError(
            f"{path}: instance {unusable[0]!r}: field 'prediction': no usable "
            f"output file ({len(unusable)} of {len(annotation)} instances)"
        )
    records = InstanceRecords(task, family, annotation, predictions, parsed_answers, references)
    values = [p.value for p in parsed_answers]
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
    records.scores, aggregation = attach_scores(value, len(records))
    return value, records, aggregation
