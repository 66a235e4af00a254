"""Which JSON files in a task folder are task files, and which one a folder uses.

A task file is a JSON object with a ``data`` list of instances (docs/TREES.md), whatever
its name: ``annotation.json``, ``bird_detection.json``, ``json/annotation_v2.json``,
``<Task>/<Task>.json``. Prediction files (a list of
``{id, prediction}``, or an object whose entries carry ``prediction`` but no ``input``
or ``output``), result files and other JSON are not task files; each is reported with
the reason.

Several task files in one folder: the one with the highest ``_vN`` suffix (a name
without one counts as version 1); on a tie, a file at the folder's top before one in
``json/``, then ``annotation*.json`` before other names, then by name. The choice is
said in the run's header and in ``genbench tasks``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The subfolder that may hold a task's JSON (``json/annotation.json``).
JSON_FOLDER = "json"
_VERSION = re.compile(r"_v(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class TaskFileInfo:
    """What discovery needs from a task file, read once.

    Attributes:
        path: the file.
        task, type: its ``task`` and ``type`` fields (None where absent or not strings).
        instances: the length of its ``data`` list.
        set_type: its ``set_type`` field (``openset``/``closeset``), if any.
        has_references: whether any instance has a non-empty ``output``.
        others: its ``others`` object (``bbox_format`` ...), or empty.
        first: the first instance as written (None for an empty ``data``).
    """

    path: Path
    task: str | None
    type: str | None
    instances: int
    set_type: str | None = None
    has_references: bool = True
    others: dict[str, Any] = field(default_factory=dict, compare=False)
    first: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def version(self) -> int:
        """The ``_vN`` suffix of the file name (1 when there is none)."""
        match = _VERSION.search(self.path.stem)
        return int(match.group(1)) if match else 1


@dataclass(frozen=True)
class NotATaskFile:
    """A JSON file that is not a task file, and why."""

    path: Path
    reason: str
    #: True when the file could not be read as JSON at all (it may be a broken task file).
    unreadable: bool = False


def _looks_like_predictions(entries: list[Any]) -> bool:
    sample = [e for e in entries[:20] if isinstance(e, dict)]
    return (
        bool(sample)
        and all("prediction" in e or "prediction_final" in e for e in sample)
        and not any("input" in e or "output" in e for e in sample)
    )


def inspect_json(path: Path) -> TaskFileInfo | NotATaskFile:
    """Read a JSON file and say whether it is a task file (and what it holds)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return NotATaskFile(path, f"not valid JSON: {error}", unreadable=True)
    except (OSError, UnicodeDecodeError) as error:
        return NotATaskFile(path, f"cannot read: {error}", unreadable=True)
    if isinstance(data, list):
        what = "a prediction file" if _looks_like_predictions(data) else "a JSON list"
        return NotATaskFile(path, f"{what}, not a task file (no object with a data list)")
    if not isinstance(data, dict):
        return NotATaskFile(path, "not a JSON object with a data list")
    entries = data.get("data")
    if not isinstance(entries, list):
        return NotATaskFile(path, "no 'data' list (a result or configuration file?)")
    if _looks_like_predictions(entries):
        return NotATaskFile(path, "a prediction file (its entries carry 'prediction')")
    task, kind = data.get("task"), data.get("type")
    others = data.get("others")
    return TaskFileInfo(
        path=path,
        task=task if isinstance(task, str) else None,
        type=kind if isinstance(kind, str) else None,
        instances=len(entries),
        set_type=str(data["set_type"]) if isinstance(data.get("set_type"), str) else None,
        has_references=any(
            isinstance(e, dict) and e.get("output") not in (None, {}, [], "") for e in entries
        ),
        others=others if isinstance(others, dict) else {},
        first=entries[0] if entries and isinstance(entries[0], dict) else None,
    )


def candidate_files(folder: Path) -> list[Path]:
    """The JSON files a task folder may keep its task in: at its top and in ``json/``."""
    found = [p for p in folder.glob("*.json") if p.is_file()]
    inner = folder / JSON_FOLDER
    if inner.is_dir():
        found += [p for p in inner.glob("*.json") if p.is_file()]
    return sorted(found)


def file_preference(path: Path, folder: Path) -> tuple[int, int, int, str]:
    """The sort key of the rule in the module docstring (smaller is preferred), from the
    file's name and place alone (so a broken file can be ranked too).
    """
    match = _VERSION.search(path.stem)
    version = int(match.group(1)) if match else 1
    in_subfolder = int(path.parent != folder)
    not_annotation = int(not path.name.lower().startswith("annotation"))
    return (-version, in_subfolder, not_annotation, path.name)


def preference(info: TaskFileInfo, folder: Path) -> tuple[int, int, int, str]:
    """The sort key of a task file (see :func:`file_preference`)."""
    return file_preference(info.path, folder)


def choose_task_file(
    folder: Path, infos: list[TaskFileInfo]
) -> tuple[TaskFileInfo, list[TaskFileInfo]]:
    """The task file a folder uses, and the other task files it passes over."""
    ranked = sorted(infos, key=lambda info: preference(info, folder))
    return ranked[0], ranked[1:]
