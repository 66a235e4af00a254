"""Discovery of a General-Bench tree (open or close set) into sorted task specs.

Layout (docs/TREES.md): ``<modality>/<paradigm>/<task
folder>/`` for image, video, audio and 3D, ``nlp/<task folder>/`` for language, with the
modality and paradigm folders matched case-insensitively. A task folder holds one task
file (see :mod:`genbench.data._taskfile`) at its top or in ``json/``. Each task is matched
to the reference table (:mod:`genbench.data._match`); one that matches no row is still run
and reported as not counting toward the level.

Nothing is passed over silently: every folder that holds JSON but yields no task is
returned with the reason, and so is every decision (which of several task files was
used). A task whose file cannot be read is still listed, carrying its error, so that only
that task fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from genbench.data._cache import TaskFileCache
from genbench.data._match import NO_MATCH, TASK_MAP, Match, TaskMap, describe, match_row
from genbench.data._media import media_folders
from genbench.data._taskfile import (
    NotATaskFile,
    TaskFileInfo,
    candidate_files,
    choose_task_file,
    file_preference,
    inspect_json,
)
from genbench.reference import (
    COMPREHENSION,
    GENERATION,
    NLP,
    ReferenceRow,
    ReferenceTable,
    sheet_name,
)

ANNOTATION = "annotation.json"
_MODALITY_FOLDERS = {"image": "Image", "video": "Video", "audio": "Audio", "3d": "3D", "nlp": NLP}
_PARADIGM_FOLDERS = {"comprehension": COMPREHENSION, "generation": GENERATION}


@dataclass(frozen=True)
class TaskSpec:
    """A task found on disk: where it is, what it is, and its reference row if any.

    Attributes:
        folder: the task folder (media paths resolve inside it).
        modality, paradigm: from the folders (``paradigm`` is None for language).
        task_name, type: the task file's ``task`` and ``type`` fields.
        reference: the matched row of the reference table, if any.
        error: why the task cannot run (unreadable file, a row two folders share ...).
        task_file: the task file used (``annotation.json`` unless found otherwise).
        instances: the number of instances in the task file.
        closeset: no instance carries a reference (or ``set_type`` says ``closeset``).
        match_rule: how the row was found (``task field``, ``folder name = Task Short
            Name``, ``--task-map`` ...), or ``none``.
        suggestions: for an unmatched task, the closest Task Names.
        notes: decisions worth showing (which of several task files was used).
        others: the task file's ``others`` object (``bbox_format`` ...).
        first: the first instance as written, for choosing the task's family.
    """

    folder: Path
    modality: str
    paradigm: str | None
    task_name: str | None
    type: str | None
    reference: ReferenceRow | None
    error: str | None = None
    task_file: Path | None = None
    instances: int = 0
    closeset: bool = False
    match_rule: str = NO_MATCH
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    others: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    first: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def annotation_path(self) -> Path:
        """The task file (named for the common ``annotation.json``)."""
        return self.task_file or self.folder / ANNOTATION

    @property
    def sheet(self) -> str:
        """The reference table sheet the task belongs to."""
        return sheet_name(self.modality, self.paradigm)

    @property
    def item_id(self) -> str:
        """``<modality>-<paradigm>-<folder>``, or ``nlp-<folder>``: the pytest parameter id."""
        parts = [self.modality.lower()]
        if self.paradigm is not None:
            parts.append(self.paradigm.lower())
        return "-".join([*parts, self.folder.name])

    @property
    def display_name(self) -> str:
        """The reference table's task name, else the annotation's, else the folder's."""
        if self.reference is not None:
            return self.reference.name
        return self.task_name or self.folder.name

    @property
    def match(self) -> str:
        """How the task was matched, as one phrase (the rule, or the close rows)."""
        return describe(Match(self.reference, self.match_rule, self.suggestions))

    def media_folders(self) -> list[Path]:
        """The media subfolders of the task folder (``images/``, ``audios/`` ...)."""
        return media_folders(self.folder, self.modality)

    def to_json(self) -> dict[str, Any]:
        """The spec as JSON (the controller hands discovery to xdist workers this way)."""
        row = self.reference
        return {
            "folder": str(self.folder),
            "modality": self.modality,
            "paradigm": self.paradigm,
            "task_name": self.task_name,
            "type": self.type,
            "reference": [row.sheet, row.task_name, row.metric_label] if row else None,
            "error": self.error,
            "task_file": str(self.task_file) if self.task_file else None,
            "instances": self.instances,
            "closeset": self.closeset,
            "match_rule": self.match_rule,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
            "others": self.others,
            "first": self.first,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], table: ReferenceTable) -> TaskSpec:
        """The spec :meth:`to_json` wrote, its row looked up again in ``table``."""
        row = table.find(*data["reference"]) if data["reference"] else None
        return cls(
            Path(data["folder"]),
            data["modality"],
            data["paradigm"],
            data["task_name"],
            data["type"],
            row,
            error=data["error"],
            task_file=Path(data["task_file"]) if data["task_file"] else None,
            instances=data["instances"],
            closeset=data["closeset"],
            match_rule=data["match_rule"],
            suggestions=tuple(data["suggestions"]),
            notes=tuple(data["notes"]),
            others=data["others"],
            first=data["first"],
        )


@dataclass(frozen=True)
class PassedOver:
    """A folder (or file) under the tree that yields no task, and why."""

    path: Path
    reason: str


@dataclass
class Discovery:
    """What a tree holds: its tasks (sorted by item id) and what was passed over."""

    root: Path
    tasks: list[TaskSpec]
    passed_over: list[PassedOver]

    @property
    def closeset(self) -> bool:
        """Whether every task is a close-set task (inputs only)."""
        return bool(self.tasks) and all(t.closeset for t in self.tasks)

    def to_json(self) -> dict[str, Any]:
        """The discovery as JSON (handed to xdist workers; kept beside the results)."""
        return {
            "root": str(self.root),
            "tasks": [task.to_json() for task in self.tasks],
            "passed_over": [{"path": str(p.path), "reason": p.reason} for p in self.passed_over],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], table: ReferenceTable) -> Discovery:
        """The discovery :meth:`to_json` wrote."""
        return cls(
            Path(data["root"]),
            [TaskSpec.from_json(task, table) for task in data["tasks"]],
            [PassedOver(Path(p["path"]), p["reason"]) for p in data["passed_over"]],
        )


def _holds_json(folder: Path) -> bool:
    return any(folder.rglob("*.json"))


def _modality_folders(root: Path, passed: list[PassedOver]) -> list[tuple[Path, str, str | None]]:
    """The (folder, modality, paradigm) folders that hold task folders; other folders
    holding JSON go to ``passed`` with the reason.
    """
    found: list[tuple[Path, str, str | None]] = []
    for child in sorted(root.iterdir()):
        modality = _MODALITY_FOLDERS.get(child.name.lower())
        if not child.is_dir() or modality is None:
            if child.suffix.lower() == ".json" or (child.is_dir() and _holds_json(child)):
                passed.append(
                    PassedOver(child, "not a modality folder (3D, audio, image, nlp, video)")
                )
            continue
        if modality == NLP:
            found.append((child, NLP, None))
            continue
        for sub in sorted(child.iterdir()):
            paradigm = _PARADIGM_FOLDERS.get(sub.name.lower())
            if sub.is_dir() and paradigm is not None:
                found.append((sub, modality, paradigm))
            elif sub.suffix.lower() == ".json" or (sub.is_dir() and _holds_json(sub)):
                passed.append(PassedOver(sub, "not a paradigm folder (comprehension, generation)"))
    return found


def _broken_task(
    folder: Path, modality: str, paradigm: str | None, broken: NotATaskFile, why: str
) -> TaskSpec:
    """A task that fails at once because its task file cannot be read, naming the file."""
    return TaskSpec(
        folder,
        modality,
        paradigm,
        None,
        None,
        None,
        error=f"{broken.path}: {broken.reason}{why}",
        task_file=broken.path,
    )


def _task_in(
    folder: Path,
    modality: str,
    paradigm: str | None,
    inspect: Callable[[Path], TaskFileInfo | NotATaskFile] = inspect_json,
) -> TaskSpec | PassedOver | None:
    """The task a folder holds, why it holds none (it has JSON), or None (no JSON)."""
    files = candidate_files(folder)
    if not files:
        return None
    infos: list[TaskFileInfo] = []
    others: list[NotATaskFile] = []
    for path in files:
        inspected = inspect(path)
        if isinstance(inspected, TaskFileInfo):
            infos.append(inspected)
        else:
            others.append(inspected)
    if not infos:
        broken = [o for o in others if o.unreadable]
        if broken:  # most likely a broken task file: the task fails, naming it
            return _broken_task(folder, modality, paradigm, broken[0], "")
        reasons = "; ".join(f"{o.path.relative_to(folder)}: {o.reason}" for o in others)
        return PassedOver(folder, f"no task file ({reasons})")
    chosen, passed = choose_task_file(folder, infos)
    newer = [
        o
        for o in others
        if o.unreadable and file_preference(o.path, folder) < file_preference(chosen.path, folder)
    ]
    if newer:  # the task file the rule would use is broken: do not score an older one
        instead = (
            f" (it outranks {chosen.path.relative_to(folder)}, which is not used in its place)"
        )
        return _broken_task(folder, modality, paradigm, newer[0], instead)
    notes: tuple[str, ...] = ()
    if passed:
        names = ", ".join(str(p.path.relative_to(folder)) for p in passed)
        notes = (
            f"{len(infos)} task files: used {chosen.path.relative_to(folder)} "
            f"(highest _vN, then top-level, then annotation*); passed over {names}",
        )
    notes += tuple(f"not a task file: {o.path.relative_to(folder)}: {o.reason}" for o in others)
    error = None
    if chosen.instances == 0:
        error = f"{chosen.path}: field 'data': no instances"
    return TaskSpec(
        folder,
        modality,
        paradigm,
        chosen.task,
        chosen.type,
        None,
        error=error,
        task_file=chosen.path,
        instances=chosen.instances,
        closeset=chosen.set_type == "closeset" or not chosen.has_references,
        notes=notes,
        others=chosen.others,
        first=chosen.first,
    )


def _match(task: TaskSpec, root: Path, table: ReferenceTable, task_map: TaskMap | None) -> TaskSpec:
    relative = task.folder.relative_to(root).as_posix()
    entry = task_map.lookup(task.item_id, task.folder, relative) if task_map else None
    if task_map is not None and entry is not None:
        key, name = entry
        row = task_map.resolve(table, task.sheet, key, name)
        return replace(task, reference=row, match_rule=TASK_MAP if row else NO_MATCH)
    found = match_row(table, task.sheet, task.task_name, task.folder.name)
    return replace(task, reference=found.row, match_rule=found.rule, suggestions=found.suggestions)


def _collision(task: TaskSpec, same_row: list[TaskSpec], same_id: list[TaskSpec]) -> str | None:
    """Why a task cannot run because another folder claims its row or its item id."""
    if task.error is not None:
        return task.error
    if same_row and task.reference is not None:
        others = ", ".join(f"{t.folder} (by {t.match_rule})" for t in same_row)
        return (
            f"{task.folder}: matches the row {task.reference.sheet}: {task.reference.name!r} "
            f"(by {task.match_rule}), as does {others}; rename a folder or map it with "
            "--task-map"
        )
    if same_id:
        return (
            f"{task.folder}: its item id {task.item_id!r} differs only in case from "
            f"{same_id[0].folder}; rename one"
        )
    return None


def _shared_rows(tasks: list[TaskSpec]) -> list[TaskSpec]:
    """The tasks, with an error on those where two folders land on one row or on one
    item id (ids that differ only in case would share result files on some systems).
    """
    by_row: dict[ReferenceRow, list[TaskSpec]] = defaultdict(list)
    by_id: dict[str, list[TaskSpec]] = defaultdict(list)
    for task in tasks:
        by_id[task.item_id.casefold()].append(task)
        if task.reference is not None:
            by_row[task.reference].append(task)
    out = []
    for task in tasks:
        same_row = by_row[task.reference] if task.reference is not None else []
        error = _collision(
            task,
            [t for t in same_row if t is not task],
            [t for t in by_id[task.item_id.casefold()] if t is not task],
        )
        out.append(replace(task, error=error) if error != task.error else task)
    return out


def discover(
    root: Path,
    table: ReferenceTable,
    task_map: TaskMap | None = None,
    cache: TaskFileCache | None = None,
) -> Discovery:
    """Every task under ``root``, sorted by item id, and what was passed over; with a
    ``cache``, unchanged files are not read again (genbench.data._cache). The caller
    saves the cache once the run is sure to write into its outcome folder.

    Raises:
        FileNotFoundError: ``root`` is not a folder.
        TaskMapError: a task map entry names no row of its task's sheet.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"General-Bench tree not found: {root}")
    tasks: list[TaskSpec] = []
    passed: list[PassedOver] = []
    for parent, modality, paradigm in _modality_folders(root, passed):
        for folder in sorted(parent.iterdir()):
            if not folder.is_dir():
                if folder.suffix.lower() == ".json":
                    passed.append(PassedOver(folder, "a JSON file outside any task folder"))
                continue
            found = _task_in(folder, modality, paradigm, cache.inspect if cache else inspect_json)
            if isinstance(found, TaskSpec):
                tasks.append(_match(found, root, table, task_map))
            elif isinstance(found, PassedOver):
                passed.append(found)
            elif _holds_json(folder):
                passed.append(
                    PassedOver(folder, "JSON only deeper than the folder's top and json/")
                )
            else:
                passed.append(PassedOver(folder, "no JSON file (no task file)"))
    tasks = _shared_rows(sorted(tasks, key=lambda t: t.item_id))
    return Discovery(root, tasks, passed)


def discover_tasks(root: Path, table: ReferenceTable) -> list[TaskSpec]:
    """The tasks of :func:`discover`, sorted by item id (the same order in every worker)."""
    return discover(root, table).tasks


def match_reference(
    table: ReferenceTable, sheet: str, task_name: str | None, folder_name: str
) -> ReferenceRow | None:
    """The reference row of a task by the matching rules (see genbench.data._match)."""
    return match_row(table, sheet, task_name, folder_name).row
