"""General-Bench trees in the styles of the real published release, and what they hold.

The bundled sample is tidy (``annotation.json`` everywhere, one reference shape per
family); the release users download is not (SPEC "The real release, as published"): task
files named four ways, task fields that are not the table's names, media paths in four
forms, references as strings, lists, box dicts, ``output.prediction`` and more, and files
that look like tasks but are not. ``make_published_tree`` writes every such variant at
least once, with small real media, and returns a ``PublishedTree`` that says what a
correct harness should find: per task folder its modality, paradigm, task file, expected
reference-table row, the rule that finds that row, the metric, and per instance the
reference as written and the answer an oracle model would give; plus every file or
folder that is not a task and why.

Expected rules, tried in this order with names folded (case, white space, hyphens and
underscores removed; ``VQA`` read as "Visual Question Answering") within the task's sheet:
``task field`` (the ``task`` field equals a Task Name), ``folder name`` (the folder's
name equals a Task Name), ``short name`` (the ``task`` field or the folder's name equals a
Task Short Name), else ``none``. Every task of the tree finds the same row under any
order of these rules. Copies (``copies=N``) sit in folders suffixed ``-2``, ``-3``, ...:
a copy of a task found by its folder name therefore matches no row.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tests._published_kit import Made, Media, Rule, Spec
from tests._published_language import LANGUAGE
from tests._published_multimodal import MULTIMODAL

#: Every task of the published tree, language first.
SPECS: tuple[Spec, ...] = LANGUAGE + MULTIMODAL
#: The modality folders as the release names them (lower case, ``3D``), by folded name.
MODALITIES = {"nlp": "NLP", "image": "Image", "video": "Video", "audio": "Audio", "3d": "3D"}
#: The tasks of the old-casing tree, and the old names of their modality folders.
OLD_CASING = {"nlp/Causal-Reasoning": "NLP", "image/comprehension/car_brands_recognition": "Image"}


@dataclass(frozen=True)
class InstanceRecord:
    """One instance: its id, its reference as written (None in the close set), the answer
    an oracle model gives (see ``make_published_tree``) and the media it names, as
    (path as written in the file, file relative to the task folder) pairs.
    """

    id: str
    reference: Any
    oracle: str
    media: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TaskRecord:
    """One task folder and what a correct harness finds in it. Paths are POSIX, relative
    to the tree's root; ``row`` is (sheet, Task Name) of ``references/sota.csv`` and
    ``metric`` that row's metric as written there; ``reference_field`` is the dotted path
    of the reference in an instance (``output`` alone when the output is a string).
    """

    folder: str
    modality: str
    paradigm: str | None
    task_file: str
    task_field: str
    row: tuple[str, str] | None
    rule: Rule
    metric: str | None
    reference_field: str
    instances: tuple[InstanceRecord, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The instance ids in file order."""
        return tuple(instance.id for instance in self.instances)


@dataclass(frozen=True)
class NonTask:
    """A file or folder that is not a task, and the reason a harness should report."""

    path: str
    reason: str


@dataclass(frozen=True)
class PublishedTree:
    """What ``make_published_tree`` wrote under ``root``."""

    root: Path
    closeset: bool
    tasks: tuple[TaskRecord, ...]
    non_tasks: tuple[NonTask, ...]

    def task(self, folder: str) -> TaskRecord:
        """The record of one task folder (relative to the root)."""
        for record in self.tasks:
            if record.folder == folder:
                return record
        raise KeyError(folder)


def make_published_tree(
    root: Path, *, closeset: bool = False, copies: int = 1, seed: int = 0
) -> PublishedTree:
    """Write a tree with every published variant under ``root`` and describe it.

    ``closeset`` writes the close set: ``output`` is ``{}`` (absent in one task),
    ``set_type`` says ``closeset`` and reference media are left out. ``copies`` writes
    each task folder that many times (suffixes ``-2``, ``-3``, ...; same task field and
    bytes) so that a tree of some 700 folders can be timed. The same ``seed`` writes the
    same bytes. Oracle answers: the letter for multiple choice, the first accepted answer
    of a list, corner boxes as JSON text ``[[x1, y1, x2, y2], ...]`` for detection, the
    number for counting and time series, the label text for classification, the response
    for dialogue, and for media outputs the reference file's path relative to the task
    folder (a frame folder for a video).
    """
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")
    tasks = tuple(
        _write_task(root, spec, _copy_folder(spec.folder, k), closeset, seed)
        for spec in SPECS
        for k in range(1, copies + 1)
    )
    return PublishedTree(root, closeset, tasks, _write_non_tasks(root, tasks, seed))


def make_old_casing_tree(root: Path, *, closeset: bool = False, seed: int = 0) -> PublishedTree:
    """Write a small tree with the old modality folder names (``NLP``, ``Image``).

    Older dataset cards show ``NLP`` and ``Image``; one tree cannot hold both casings of a
    modality folder, so this one is separate. Its tasks are those of the published tree.
    """
    specs = [replace(s, folder=_old_folder(s.folder)) for s in SPECS if s.folder in OLD_CASING]
    tasks = tuple(_write_task(root, spec, spec.folder, closeset, seed) for spec in specs)
    return PublishedTree(root, closeset, tasks, ())


def _old_folder(folder: str) -> str:
    _, rest = folder.split("/", 1)
    return f"{OLD_CASING[folder]}/{rest}"


def _copy_folder(folder: str, k: int) -> str:
    return folder if k == 1 else f"{folder}-{k}"


def _write_task(root: Path, spec: Spec, folder: str, closeset: bool, seed: int) -> TaskRecord:
    rng = np.random.default_rng([seed, zlib.crc32(spec.header["task"].encode())])
    media = Media(root / folder, rng, closeset)
    data, instances = [], []
    for index, instance_id in enumerate(spec.ids):
        made = spec.make(media, index)
        fields = _withhold(made, spec) if closeset else made.fields
        data.append({"id": instance_id, **fields})
        reference = None if closeset else _lookup(fields, spec.reference)
        instances.append(InstanceRecord(instance_id, reference, made.oracle, media.take()))
    head = {**spec.header, "set_type": "closeset"} if closeset else spec.header
    write_json(root / folder / spec.task_file, {**head, "data": data})
    if spec.superseded is not None:
        older = {**head, "version": "v1", "data": data[:2]}
        write_json(root / folder / spec.superseded, older)
    return _record(spec, folder, tuple(instances))


def _record(spec: Spec, folder: str, instances: tuple[InstanceRecord, ...]) -> TaskRecord:
    parts = folder.split("/")
    modality = MODALITIES[parts[0].casefold()]
    found = spec.rule != "folder name" or Path(folder).name == Path(spec.folder).name
    return TaskRecord(
        folder=folder,
        modality=modality,
        paradigm=None if modality == "NLP" else parts[1].capitalize(),
        task_file=f"{folder}/{spec.task_file}",
        task_field=spec.header["task"],
        row=spec.row if found else None,
        rule=spec.rule if found else "none",
        metric=spec.metric if found else None,
        reference_field=".".join(spec.reference),
        instances=instances,
    )


def _withhold(made: Made, spec: Spec) -> dict[str, Any]:
    """The instance as the close set publishes it: ``output`` empty, or gone."""
    if spec.closeset_drops_output:
        return {k: v for k, v in made.fields.items() if k != "output"}
    return {k: ({} if k == "output" else v) for k, v in made.fields.items()}


def _lookup(fields: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = fields
    for key in path:
        value = value[key]
    return value


def write_json(path: Path, data: Any) -> None:
    """Write JSON as the release does: indented, UTF-8, non-ASCII characters kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_non_tasks(root: Path, tasks: tuple[TaskRecord, ...], seed: int) -> tuple[NonTask, ...]:
    """Write the files and folders that look like tasks but are not, and say why.

    A stray file beside a task file is reported as that file; a folder without a task file
    is reported as the folder.
    """
    causal = next(t for t in tasks if t.folder == "nlp/Causal-Reasoning")
    predictions = [{"id": i.id, "prediction": i.oracle} for i in causal.instances]
    results = {"model": "baseline", "results": [{"task": "VideoQA", "BLEU-1": 27.1}]}
    config = {"task": "Image Deraining", "data": {"root": "images", "size": 512}}
    beside_tasks = {  # stray files next to a task file: reported as the file
        f"{causal.folder}/prediction.json": (predictions, "not a task file: a prediction list"),
        "image/comprehension/Bird-Detection/score.json": (
            {"task": "Bird Detection", "AP75": 88.0},
            "not a task file: score.json has no data list",
        ),
    }
    alone = {  # the only file of a folder: reported as the folder
        "video/comprehension/eval_results/results.json": (
            results,
            "no task file: results.json has no data list",
        ),
        "image/generation/configs/generation_config.json": (
            config,
            "no task file: generation_config.json has no data list (its data is an object)",
        ),
    }
    for path, (value, _) in {**beside_tasks, **alone}.items():
        write_json(root / path, value)
    found = [NonTask(path, reason) for path, (_, reason) in beside_tasks.items()]
    found += [NonTask(path.rsplit("/", 1)[0], reason) for path, (_, reason) in alone.items()]
    return (*found, *_write_unreadable(root, seed))


def _write_unreadable(root: Path, seed: int) -> tuple[NonTask, ...]:
    """A folder whose only JSON is broken, and a folder of media with no JSON at all."""
    broken = root / "image/comprehension/Broken-Annotation/annotation.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('{"task": "Broken Annotation", "type": "VQA", "data": [{"id": "0", ')
    orphan = "audio/comprehension/SpeakerIdentification"
    media = Media(root / orphan, np.random.default_rng(seed), closeset=False)
    for k in range(2):
        media.sound(f"audios/speaker_{k}.wav")
    return (
        NonTask(
            broken.parent.relative_to(root).as_posix(),
            "no task file: annotation.json is not valid JSON",
        ),
        NonTask(orphan, "no task file: media but no JSON file"),
    )
