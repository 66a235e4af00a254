"""Checking a pack, ours or someone else's, against the close-set tree it answers.

Integrity first: every file the manifest lists is there with its SHA-256, and nothing is
there that it does not list. Then completeness against the tree: every selected task is
packed, and every instance has a usable prediction (a generated file where the task
generates, present in the pack and decodable).
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from genbench.data import AnnotationError, read_json
from genbench.reference import ReferenceTable
from genbench.runner import PREDICTION_FILE, read_predictions
from genbench.submit._errors import Problem, SubmissionError
from genbench.submit._expect import ExpectedTask, expected_tasks
from genbench.submit._judge import judge_task
from genbench.submit._layout import pack_size, prediction_folder
from genbench.submit._manifest import MANIFEST, Manifest, sha256_file


@dataclass(frozen=True)
class CheckReport:
    """What a check found: the manifest, the problems, and the pack's figures."""

    pack: Path
    manifest: Manifest
    problems: list[Problem]
    tasks: int
    instances: int
    predictions: int
    size: int

    def passes(self, allow_partial: bool = False) -> bool:
        """No problem at all, or (``allow_partial``) only missing predictions."""
        return all(allow_partial and p.incomplete for p in self.problems)


@contextmanager
def opened(pack: Path) -> Iterator[Path]:
    """The pack's root folder: the folder itself, or a zip extracted to a temporary one.

    Raises:
        SubmissionError: neither a folder nor a zip, or a zip entry outside the pack.
    """
    if pack.is_dir():
        yield pack
        return
    if not zipfile.is_zipfile(pack):
        raise SubmissionError(f"{pack}: neither a submission folder nor a zip file")
    with zipfile.ZipFile(pack) as archive, tempfile.TemporaryDirectory() as folder:
        for name in archive.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith("/") or "\\" in name or ".." in parts:
                raise SubmissionError(f"{pack}: entry {name!r} points outside the pack")
        archive.extractall(folder)
        yield Path(folder)


def _integrity(root: Path, manifest: Manifest) -> list[Problem]:
    listed: dict[str, str] = {}
    for entry in manifest.tasks.values():
        listed.update(entry.files)
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    present.discard(MANIFEST)
    problems = []
    for name, digest in sorted(listed.items()):
        if name not in present:
            problems.append(Problem(name, "listed in the manifest, not in the pack", None, False))
        elif sha256_file(root / name) != digest:
            what = "sha256 differs from the manifest (changed after packing)"
            problems.append(Problem(name, what, None, False))
    for name in sorted(present - listed.keys()):
        problems.append(Problem(name, "in the pack, not in the manifest", None, False))
    return problems


def _task_problems(
    root: Path, expected: ExpectedTask, manifest: Manifest
) -> tuple[list[Problem], int]:
    """A packed task's problems, and its number of usable predictions."""
    entry = manifest.tasks.get(expected.folder)
    if entry is None:
        return [Problem(expected.folder, "task not in the pack")], 0
    problems = []
    if entry.instances != len(expected.ids):
        what = f"manifest says {entry.instances} instances, the tree has {len(expected.ids)}"
        problems.append(Problem(expected.folder, what, None, False))
    name = f"{prediction_folder(expected, manifest.layout)}/{PREDICTION_FILE}"
    path = root / name
    if not path.is_file():
        return [*problems, Problem(name, "no prediction file", None, False)], 0
    try:
        raw = read_json(path)
        predictions = read_predictions(path)
    except AnnotationError as error:
        return [*problems, Problem(name, str(error).removeprefix(f"{path}: "), None, False)], 0
    if manifest.layout == "leaderboard":
        keys = ("task", "skill", "type", "data")
        if not isinstance(raw, dict) or any(k not in raw for k in keys):
            what = 'not the leaderboard\'s {"task", "skill", "type", "data"} object'
            problems.append(Problem(name, what, None, False))
        elif raw["task"] != expected.task:
            what = f"field 'task': {raw['task']!r}, the tree says {expected.task!r}"
            problems.append(Problem(name, what, None, False))
    elif not isinstance(raw, list):
        problems.append(Problem(name, "not a list of {id, prediction}", None, False))
    verdict = judge_task(expected, predictions.predictions, path.parent, name, inside_only=True)
    return problems + verdict.problems, len(verdict.usable)


def check_submission(
    pack: Path, dataset: Path, table: ReferenceTable, patterns: Sequence[str] = ()
) -> CheckReport:
    """Check a pack (zip or folder) against the close-set tree at ``dataset``; every task
    of the tree unless ``patterns`` (shell-style item ids) select some.

    Raises:
        SubmissionError: the pack cannot be opened or has no valid manifest, or the tree
            cannot be read.
    """
    expected = expected_tasks(dataset.resolve(), table, patterns)
    with opened(pack) as root:
        manifest = Manifest.read(root / MANIFEST)
        problems = _integrity(root, manifest)
        usable = 0
        for task in expected:
            found, count = _task_problems(root, task, manifest)
            problems += found
            usable += count
    if not patterns:
        known = {task.folder for task in expected}
        for folder in sorted(set(manifest.tasks) - known):
            problems.append(Problem(folder, "not a task of the tree", None, False))
    instances = sum(len(task.ids) for task in expected)
    return CheckReport(pack, manifest, problems, len(expected), instances, usable, pack_size(pack))
