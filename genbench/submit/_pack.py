"""Packing a close-set submission from a run's predictions.

Every task of the tree gets one prediction file in the pack, placed as the tree places
the task: ``<modality>/<paradigm>/<Task>/prediction.json`` holding the leaderboard's object
``{"task", "skill", "type", "data": [{"id", "prediction"}]}`` (``leaderboard`` layout), or
a ``prediction.json`` list of ``{"id", "prediction"}`` beside each task file (``authors``
layout, what the authors' scorer reads). Generated media are copied beside it and named by
paths relative to it. The pack is a folder, or a zip when the output ends in ``.zip``
(entries sorted, timestamps fixed: the same predictions give the same bytes).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genbench
from genbench._atomic import atomic_path, write_json_atomic
from genbench.data import AnnotationError
from genbench.models import Model
from genbench.reference import ReferenceTable
from genbench.report import safe_model_name
from genbench.runner import PREDICTION_FILE, RunSettings, TaskError, TaskRunner, read_predictions
from genbench.submit._errors import IncompleteSubmission, Problem, SubmissionError
from genbench.submit._expect import ExpectedTask, expected_tasks
from genbench.submit._judge import Verdict, judge_task
from genbench.submit._layout import pack_size, prediction_folder, relative_files
from genbench.submit._manifest import LAYOUTS, MANIFEST, Manifest, TaskEntry, settings_digest
from genbench.submit._media import media_files


@dataclass(frozen=True)
class PackReport:
    """A written pack: where, its manifest, the problems accepted by ``allow_partial``."""

    output: Path
    manifest: Manifest
    problems: list[Problem]
    size: int


def _no_model() -> Model:
    raise TaskError("packing loads no model")


def _runner(
    outcome: Path, model: str, dataset: Path, predictions: Path | None, table: ReferenceTable
) -> TaskRunner:
    """A runner used only for where it keeps a task's predictions (it loads no model)."""
    settings = RunSettings(
        model_spec=model,
        model_name=model,
        outcome_dir=outcome,
        dataset_dir=dataset,
        steps=frozenset({1}),
        predictions_dir=predictions or outcome / safe_model_name(model) / "predictions",
    )
    return TaskRunner(settings, table, _no_model)


def _copy_media(source: Path, base: Path, destination: Path, ident: str) -> str:
    """Copy a generated file or frame folder into the pack; its path relative to the
    task's prediction file there (kept when it lay beside the predictions).
    """
    relative = Path(os.path.relpath(source.resolve(), base.resolve()))
    if relative.is_absolute() or relative.parts[0] == "..":
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in ident)
        relative = Path("media") / f"{safe}-{source.name}"
    target = destination / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return relative.as_posix()


def _read(expected: ExpectedTask, path: Path, model: str) -> tuple[Verdict, str | None, object]:
    """The task's predictions judged, their settings digest and task digest."""
    if not path.is_file():
        what = "no prediction file (task not predicted)"
        return Verdict(problems=[Problem(str(path), what, i) for i in expected.ids]), None, None
    try:
        found = read_predictions(path)
    except AnnotationError as error:
        raise SubmissionError(str(error)) from None
    if found.model not in (None, model):
        raise SubmissionError(f"{path}: field 'model': {found.model!r}, not {model!r}")
    verdict = judge_task(expected, found.predictions, path.parent, str(path), inside_only=False)
    digest = getattr(found, "settings_digest", None) or settings_digest(found.settings)
    return verdict, digest, getattr(found, "task_digest", None)


def _pack_task(
    expected: ExpectedTask, source: Path, model: str, staging: Path, layout: str
) -> tuple[TaskEntry, list[Problem]]:
    verdict, digest, task_digest = _read(expected, source, model)
    folder = prediction_folder(expected, layout)
    destination = staging / folder
    data = []
    for ident in expected.ids:
        if ident not in verdict.usable:
            continue
        value = verdict.usable[ident]
        if ident in verdict.media:
            value = _copy_media(verdict.media[ident], source.parent, destination, ident)
        data.append({"id": ident, "prediction": value})
    body: object = data
    if layout == "leaderboard":
        body = {"task": expected.task, "skill": expected.skill, "type": expected.type, "data": data}
    write_json_atomic(destination / PREDICTION_FILE, body)
    files = [destination / PREDICTION_FILE]
    for target in {destination / v["prediction"] for v in data if v["id"] in verdict.media}:
        files += media_files(target)
    entry = TaskEntry(
        item_id=expected.spec.item_id,
        task=expected.task,
        prediction_file=f"{folder}/{PREDICTION_FILE}",
        instances=len(expected.ids),
        predictions=len(data),
        missing=verdict.missing,
        settings_digest=digest,
        task_digest=str(task_digest) if task_digest is not None else None,
        files=relative_files(staging, files),
    )
    return entry, verdict.problems


def _publish(staging: Path, output: Path) -> None:
    """Move the staged pack to ``output``: zipped (deterministic) or as a folder."""
    if output.suffix.lower() == ".zip":
        with atomic_path(output) as temporary, zipfile.ZipFile(temporary, "w") as archive:
            for path in sorted(p for p in staging.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(staging).as_posix(), (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with path.open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target)
        return
    if output.exists():
        if not output.is_dir() or any(output.iterdir()):
            raise SubmissionError(f"{output}: exists and is not an empty folder")
        output.rmdir()
    os.replace(staging, output)


def pack_submission(
    outcome: Path,
    model: str,
    dataset: Path,
    output: Path,
    table: ReferenceTable,
    *,
    layout: str = "leaderboard",
    allow_partial: bool = False,
    patterns: Sequence[str] = (),
    predictions: Path | None = None,
) -> PackReport:
    """Pack the model's predictions of the close-set tree at ``dataset`` into ``output``.

    Predictions are read where the run wrote them (``<outcome>/<model>/predictions/``
    unless ``predictions`` says otherwise).

    Raises:
        IncompleteSubmission: an instance of a selected task has no usable prediction
            (none, or a generated file that is missing or does not decode), unless
            ``allow_partial``; ``problems`` names each.
        SubmissionError: a bad layout, an unreadable file, predictions of another model,
            or predictions made with different settings.
    """
    if layout not in LAYOUTS:
        raise SubmissionError(f"--layout {layout!r}: one of {', '.join(LAYOUTS)}")
    dataset, outcome = dataset.resolve(), outcome.resolve()
    expected = expected_tasks(dataset, table, patterns)
    runner = _runner(outcome, model, dataset, predictions.resolve() if predictions else None, table)
    folder = runner.settings.predictions_dir
    if folder is not None and not folder.is_dir():
        raise SubmissionError(
            f"{folder}: no predictions of model {model!r} here; run pytest benchmarks "
            "--step 1 first, or pass --predictions-dir"
        )
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".genbench-pack-", dir=output.parent))
    try:
        manifest = Manifest(layout, model, None, genbench.__version__, complete=True)
        problems: list[Problem] = []
        for task in expected:
            source = runner.prediction_path(task.spec)
            entry, found = _pack_task(task, source, model, staging, layout)
            manifest.tasks[task.folder] = entry
            problems += found
        if problems and not allow_partial:
            raise IncompleteSubmission(_incomplete(problems), problems)
        digests = {e.settings_digest: k for k, e in manifest.tasks.items() if e.settings_digest}
        if len(digests) > 1:
            (one, first), (other, second) = list(digests.items())[:2]
            raise SubmissionError(
                f"predictions made with different settings: {first} ({one}) and {second} "
                f"({other}); predict every task with the same settings"
            )
        manifest.settings_digest = next(iter(digests), None)
        manifest.complete = not problems
        write_json_atomic(staging / MANIFEST, manifest.to_json())
        _publish(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PackReport(output, manifest, problems, pack_size(output))


def _incomplete(problems: list[Problem]) -> str:
    instances = sum(p.instance is not None for p in problems)
    tasks = len({p.where for p in problems})
    return (
        f"incomplete submission: {instances} instance(s) without a usable prediction in "
        f"{tasks} task(s)"
    )
