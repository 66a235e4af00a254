"""What a close-set tree expects of a submission: its tasks, their instance ids and the
kind of answer each task takes (text, a generated file, a file or an inline map).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from genbench.data import AnnotationError, TaskSpec, discover_tasks, read_annotation, read_json
from genbench.reference import ReferenceTable
from genbench.submit._errors import SubmissionError

#: ``text``: any answer; ``file``: a generated file or folder; ``file-or-json``: a dense
#: map as a ``.npy`` file or inline JSON (RLE, nested lists).
Output = Literal["text", "file", "file-or-json"]


@dataclass(frozen=True)
class ExpectedTask:
    """One task of the tree, as a submission must cover it."""

    spec: TaskSpec
    folder: str  # the task folder, relative to the tree (posix)
    file_folder: str  # the folder holding the task file, relative to the tree (posix)
    task: str
    type: str
    skill: str
    ids: tuple[str, ...]
    output: Output


def task_file(task: TaskSpec) -> Path:
    """The task's file: ``task.task_file`` where discovery gives it, else annotation.json."""
    found: Path | None = getattr(task, "task_file", None)
    return found if found is not None else task.annotation_path


def _output(task: TaskSpec, first: object) -> Output:
    from genbench.data import Instance
    from genbench.tasks import MediaOutput, UnknownFamilyError, resolve_family

    try:
        family = resolve_family(task, first if isinstance(first, Instance) else None)
    except UnknownFamilyError:
        return "text"
    if isinstance(family, MediaOutput):
        return "file"
    return "text" if family.missing_scores_as_wrong else "file-or-json"


def expected_task(root: Path, task: TaskSpec) -> ExpectedTask:
    """What a submission owes one task of the tree at ``root``.

    Raises:
        SubmissionError: the task file is unreadable or malformed (names file and field).
    """
    path = task_file(task)
    try:
        annotation = read_annotation(path)
        header = read_json(path)
    except AnnotationError as error:
        raise SubmissionError(str(error)) from None
    skill = header.get("skill") if isinstance(header, dict) else None
    first = annotation.instances[0] if annotation.instances else None
    return ExpectedTask(
        spec=task,
        folder=task.folder.relative_to(root).as_posix(),
        file_folder=path.parent.relative_to(root).as_posix(),
        task=annotation.task,
        type=annotation.type,
        skill=skill if isinstance(skill, str) and skill else task.sheet,
        ids=tuple(i.id for i in annotation),
        output=_output(task, first),
    )


def expected_tasks(
    root: Path, table: ReferenceTable, patterns: Sequence[str] = ()
) -> list[ExpectedTask]:
    """The tasks of the tree at ``root`` (those whose item id matches one of ``patterns``,
    shell-style, when given), in item-id order.

    Raises:
        SubmissionError: no such tree, a pattern matches nothing, or a task file is bad.
    """
    try:
        tasks = discover_tasks(root, table)
    except FileNotFoundError as error:
        raise SubmissionError(str(error)) from None
    if patterns:
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(t.item_id, pattern) for t in tasks):
                raise SubmissionError(f"--task {pattern!r}: matches no task of {root}")
        tasks = [t for t in tasks if any(fnmatch.fnmatchcase(t.item_id, p) for p in patterns)]
    return [expected_task(root, task) for task in tasks]
