"""Discovery of a General-Bench tree (open or close set) into sorted task specs.

Layout (SPEC §1): ``<modality>/<paradigm>/<task folder>/annotation.json`` for image, video,
audio and 3D, ``nlp/<task folder>/annotation.json`` for language. Modality and paradigm
folders match case-insensitively. A task is matched to the reference table by the
``task`` field of its annotation first, then by its folder name, both folded. A task that
matches no row is still run, and reported as not counting toward the level. A task whose
annotation.json cannot be read is still listed, carrying its error, so that only that
task fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from genbench.data._annotation import AnnotationError, read_header
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
    """A task found on disk: where it is, what it is, and its reference row if any."""

    folder: Path
    modality: str
    paradigm: str | None
    task_name: str | None
    type: str | None
    reference: ReferenceRow | None
    error: str | None = None

    @property
    def annotation_path(self) -> Path:
        """The task's annotation.json."""
        return self.folder / ANNOTATION

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


def _classify(root: Path, annotation: Path) -> tuple[str, str | None] | None:
    parts = annotation.relative_to(root).parts
    modality = _MODALITY_FOLDERS.get(parts[0].lower()) if parts else None
    if modality == NLP and len(parts) == 3:
        return NLP, None
    if modality is not None and modality != NLP and len(parts) == 4:
        paradigm = _PARADIGM_FOLDERS.get(parts[1].lower())
        if paradigm is not None:
            return modality, paradigm
    return None


def match_reference(
    table: ReferenceTable, sheet: str, task_name: str | None, folder_name: str
) -> ReferenceRow | None:
    """The reference row of a task: by its annotation's task name, then by its folder name."""
    for name in (task_name, folder_name):
        if name:
            row = table.find(sheet, name)
            if row is not None:
                return row
    return None


def discover_tasks(root: Path, table: ReferenceTable) -> list[TaskSpec]:
    """Every task under ``root``, sorted by item id (the same order in every xdist worker).

    Raises:
        FileNotFoundError: ``root`` is not a folder.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"General-Bench tree not found: {root}")
    tasks = []
    for annotation in sorted(root.rglob(ANNOTATION)):
        where = _classify(root, annotation)
        if where is None:
            continue
        modality, paradigm = where
        error = None
        try:
            task_name, kind = read_header(annotation)
        except AnnotationError as problem:
            task_name, kind, error = None, None, str(problem)
        row = match_reference(
            table, sheet_name(modality, paradigm), task_name, annotation.parent.name
        )
        tasks.append(TaskSpec(annotation.parent, modality, paradigm, task_name, kind, row, error))
    return sorted(tasks, key=lambda t: t.item_id)
