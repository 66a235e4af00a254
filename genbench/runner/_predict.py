"""Step 1: predict every instance a task's prediction file does not hold yet.

Predictions are saved atomically after every batch, so a killed run resumes where it
stopped. Earlier predictions are kept only when they belong to this model, these
settings and this version of the task file; another model's file is never overwritten.
Generated media go to ``media/`` beside the prediction file, one file per instance
under a name that no other instance id maps to.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from genbench._secrets import redact
from genbench.data import Annotation, AnnotationError, Instance, TaskSpec
from genbench.models import Model, ModelError, Request, unsupported
from genbench.runner._predictions import PredictionFile, read_predictions
from genbench.runner._settings import TaskError, TaskSkipped
from genbench.tasks import TaskFamily

#: Called after each batch with (task, instances done, instances in all, instances this
#: run predicted, seconds so far).
Progress = Callable[[TaskSpec, int, int, int, float], None]


#: File names stay well under the usual limit of 255 bytes, suffix included.
_NAME_BYTES = 160


def output_name(instance_id: str) -> str:
    """A file name for an instance's output that no other id maps to and that never
    leaves its folder: the id percent-encoded, dots included (``a/b`` -> ``a%2Fb``,
    ``..`` -> ``%2E%2E``); a long id is cut and given its digest, so the name stays
    short and still its own.
    """
    name = urllib.parse.quote(instance_id, safe="-_").replace(".", "%2E")
    if len(name) <= _NAME_BYTES:
        return name
    digest = hashlib.sha256(instance_id.encode("utf-8")).hexdigest()[:24]
    return f"{name[: _NAME_BYTES - 26]}~~{digest}"


def _owner(earlier: PredictionFile) -> str:
    return f"model {earlier.model!r} (settings {earlier.settings_digest or 'unrecorded'})"


def reusable(path: Path, model_name: str, settings_digest: str, task_digest: str) -> dict[str, str]:
    """The predictions of ``path`` that this run may keep (none if it is unreadable or
    was made for another version of the task file).

    Raises:
        TaskError: the file holds another model's or other settings' predictions (it is
            left as it is); the message says how to proceed.
    """
    if not path.is_file():
        return {}
    try:
        earlier = read_predictions(path)
    except AnnotationError:
        return {}  # unreadable: predict again, the atomic save replaces it
    ours = earlier.model in (None, model_name) and earlier.settings_digest in (
        None,
        settings_digest,
    )
    if not ours:
        raise TaskError(
            f"{path}: holds the predictions of {_owner(earlier)}, not of {model_name!r} "
            f"(settings {settings_digest}); write elsewhere (--predictions-dir, "
            "--model-name) or remove the file"
        )
    if earlier.task_digest not in (None, task_digest):
        return {}  # made for an earlier version of the task file: predict again
    return earlier.predictions


def _requests(
    task: TaskSpec, family: TaskFamily, batch: Sequence[Instance], media: Path
) -> list[Request]:
    suffix = family.output_suffix(task)
    try:
        return [
            family.request(
                task,
                instance,
                None
                if family.missing_scores_as_wrong
                else media / f"{output_name(instance.id)}{suffix}",
            )
            for instance in batch
        ]
    except AnnotationError as error:
        raise TaskError(str(error)) from None


def _instance(request: Request) -> str:
    """``instance 'x' (its media files): `` for an error line."""
    files = [*request.images, *request.video_frames]
    files += [p for p in (request.video, request.audio, request.pointcloud) if p is not None]
    media = f" ({', '.join(str(f) for f in files[:3])})" if files else ""
    return f"instance {request.id!r}{media}: "


def _culprit(model: Model, requests: list[Request]) -> str:
    """Which request of a failed batch fails alone (asked one at a time), as words."""
    if len(requests) > 1:
        for request in requests:
            try:
                model.predict([request])
            except Exception:
                return _instance(request)
    return _instance(requests[0]) if requests else ""


def _ask(model: Model, task: TaskSpec, requests: list[Request]) -> list[str]:
    """The model's answers to a batch; a failure is one line naming the task file, the
    instance that fails and its media files (a corrupt or oversized image ...).
    """
    where = f"{task.annotation_path}: model {model.name!r}"
    try:
        outputs = model.predict(requests)
    except ModelError as error:  # the adapter's own one line (it names the instance)
        raise TaskError(redact(f"{where}: {error}")) from None
    except Exception as error:  # a crash inside an adapter: one line, no traceback with locals
        detail = f"{type(error).__name__}: {error}"
        raise TaskError(redact(f"{where}: {_culprit(model, requests)}{detail}")) from None
    if not isinstance(outputs, list | tuple) or len(outputs) != len(requests):
        count = len(outputs) if isinstance(outputs, list | tuple) else type(outputs).__name__
        raise TaskError(f"{where}: returned {count} predictions for {len(requests)} requests")
    return [str(output) for output in outputs]


def _relative_output(output: str, request: Request, base: Path) -> str:
    """A media output as the path relative to the prediction file, as the file stores it."""
    if request.output_path is None:
        return output
    path = Path(output)
    if path.is_absolute():
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return output  # outside the output folder: scoring refuses it, naming it
    return output


def predict_task(
    task: TaskSpec,
    annotation: Annotation,
    family: TaskFamily,
    model: Model,
    predictions: PredictionFile,
    batch_size: int,
    progress: Progress | None = None,
) -> PredictionFile:
    """Predict the instances ``predictions`` does not hold, saving after each batch."""
    todo = [i for i in annotation if i.id not in predictions.predictions]
    base = predictions.path.parent
    start, total = time.perf_counter(), len(annotation)
    done = total - len(todo)
    predicted = 0
    for first in range(0, len(todo), batch_size):
        batch = todo[first : first + batch_size]
        requests = _requests(task, family, batch, base / "media")
        reason = unsupported(model, requests[0])
        if reason is not None:
            raise TaskSkipped(reason)
        for request, output in zip(requests, _ask(model, task, requests), strict=True):
            predictions.predictions[request.id] = _relative_output(output, request, base)
        predictions.save()
        done += len(batch)
        predicted += len(batch)
        if progress is not None:
            progress(task, done, total, predicted, time.perf_counter() - start)
    if not predictions.path.exists():
        predictions.save()
    return predictions
