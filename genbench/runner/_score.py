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
        self.scores: Sequence[float] | None = None
        self.stats: dict[str, Sequence[float]] | None = None
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
        if self.scores is not None:
            record["score"] = self.scores[index]
        if self.stats is not None:
            record["stats"] = {name: values[index] for name, values in self.stats.items()}
        return record

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[index] for index in range(len(self)))


def _attach_scores(records: InstanceRecords, value: float) -> dict[str, str]:
    """Give the records each instance's score or statistics; return how the task score
    aggregates them (the ``aggregation`` of the task result).
    """
    per_instance = getattr(value, "per_instance", None)
    stats = getattr(value, "stats", None)
    reducer = getattr(value, "reducer", None)
    if per_instance is not None and len(per_instance) == len(records):
        records.scores = per_instance
        return {"kind": "mean"}
    if stats and reducer and all(len(v) == len(records) for v in stats.values()):
        records.stats = stats
        return {"kind": "stats", "reducer": str(reducer)}
    return {"kind": "none"}


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
    try:
        value = scorer([p.value for p in parsed_answers], references)
    except (ValueError, OSError) as error:
        raise TaskError(f"{path}: scoring {metric}: {error}") from None
    if not math.isfinite(value):
        raise TaskError(
            f"{path}: scoring {metric}: the score is {value} "
            "(a prediction or a reference holds NaN or infinity)"
        )
    records = InstanceRecords(task, family, annotation, predictions, parsed_answers, references)
    return value, records, _attach_scores(records, value)
