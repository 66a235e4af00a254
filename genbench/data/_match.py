"""Matching a task folder to its row of the reference table, visibly.

Within the sheet that the modality and paradigm folders give, the rules are tried in
order, each on the ``task`` field first and then on the folder name:

1. the table's Task Name;
2. the table's Task Short Name;
3. the start of exactly one Task Name (``Document-Level Causal`` for "Document-Level
   Causal Reasoning"), for names of 10 folded characters or more.

Names are folded (case, spaces, hyphens and underscores) and ``VQA`` reads as "Visual
Question Answering" on both sides, so ``chemistry vqa`` matches "Chemistry Visual
Question Answering". A name that several rows share (different metrics) matches none.
A ``--task-map`` entry overrides every rule. An unmatched task is offered the closest
rows (rapidfuzz), and two folders that land on one row are an error naming both.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from genbench.reference import ReferenceRow, ReferenceTable, task_key

#: A prefix shorter than this (folded) never matches by rule 3.
MIN_PREFIX = 10

TASK_FIELD, FOLDER_NAME = "task field", "folder name"
TASK_MAP, NO_MATCH = "--task-map", "none"


def fold(name: str) -> str:
    """A name folded for matching: case, white space, hyphens, underscores; VQA spelled out."""
    return task_key(name).replace("vqa", "visualquestionanswering")


@dataclass(frozen=True)
class Match:
    """A task's row (None if unmatched), the rule that found it, and close rows otherwise."""

    row: ReferenceRow | None
    rule: str
    suggestions: tuple[str, ...] = ()


class _SheetIndex:
    """Folded names and short names of one sheet's rows."""

    def __init__(self, rows: list[ReferenceRow]) -> None:
        self.rows = rows
        self.names: dict[str, set[ReferenceRow]] = {}
        self.shorts: dict[str, set[ReferenceRow]] = {}
        for row in rows:
            self.names.setdefault(fold(row.task_name), set()).add(row)
            self.shorts.setdefault(fold(row.short_name), set()).add(row)

    def prefix(self, key: str) -> set[ReferenceRow]:
        if len(key) < MIN_PREFIX:
            return set()
        return {row for name, rows in self.names.items() if name.startswith(key) for row in rows}


@functools.lru_cache(maxsize=8)
def _index(table: ReferenceTable, sheet: str) -> _SheetIndex:
    return _SheetIndex(table.sheet(sheet))


def _one(rows: set[ReferenceRow]) -> ReferenceRow | None:
    return next(iter(rows)) if len(rows) == 1 else None


def match_row(table: ReferenceTable, sheet: str, task_field: str | None, folder_name: str) -> Match:
    """The row of a task by the rules of the module docstring (no task map)."""
    index = _index(table, sheet)
    names = [(TASK_FIELD, task_field), (FOLDER_NAME, folder_name)]
    keyed = [(label, fold(name)) for label, name in names if name and fold(name)]
    for lookup, suffix in (
        (lambda key: index.names.get(key, set()), ""),
        (lambda key: index.shorts.get(key, set()), " = Task Short Name"),
        (index.prefix, " = start of Task Name"),
    ):
        for label, key in keyed:
            row = _one(lookup(key))
            if row is not None:
                return Match(row, label + suffix)
    return Match(None, NO_MATCH, suggest(index.rows, [key for _, key in keyed]))


@functools.lru_cache(maxsize=16)
def _choices(rows: tuple[ReferenceRow, ...]) -> dict[str, str]:
    """Each row's name and folded Task Name (folded once per sheet, not once per task:
    a tree of 700 copies asks for suggestions some 450 times).
    """
    return {row.name: fold(row.task_name) for row in rows}


def suggest(rows: list[ReferenceRow], keys: list[str], limit: int = 3) -> tuple[str, ...]:
    """The Task Names closest to any of the folded keys (rapidfuzz ratio, best first)."""
    if not keys or not rows:
        return ()
    from rapidfuzz import fuzz, process

    choices = _choices(tuple(rows))
    scored: dict[str, float] = {}
    for key in keys:
        # with a dict of choices, rapidfuzz gives (value, score, key)
        for _, score, name in process.extract(
            key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50
        ):
            scored[name] = max(score, scored.get(name, 0.0))
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return tuple(name for name, _ in best)


class TaskMapError(ValueError):
    """A task map that cannot be read or names no row; the message names file and entry."""


@dataclass(frozen=True)
class TaskMap:
    """``--task-map``: item id, folder name or folder path -> Task Name ("" for no row)."""

    path: Path
    entries: Mapping[str, str]

    def lookup(self, item_id: str, folder: Path, relative: str) -> tuple[str, str] | None:
        """The (key, Task Name) entry for a task, if the map has one."""
        for key in (item_id, relative, folder.name):
            if key in self.entries:
                return key, self.entries[key]
        return None

    def resolve(
        self, table: ReferenceTable, sheet: str, key: str, name: str
    ) -> ReferenceRow | None:
        """The row an entry names within a sheet (None for an entry mapping to no row)."""
        if not name.strip():
            return None
        index = _index(table, sheet)
        row = _one(index.names.get(fold(name), set())) or _one(index.shorts.get(fold(name), set()))
        if row is None:
            close = suggest(index.rows, [fold(name)])
            hint = f"; did you mean {', '.join(repr(c) for c in close)}" if close else ""
            raise TaskMapError(
                f"{self.path}: entry {key!r}: no single row {name!r} in sheet {sheet}{hint}"
            )
        return row


_HEADER_WORDS = {"item", "item id", "folder", "task", "key"}


def read_task_map(path: Path) -> TaskMap:
    """Read a task map: JSON ``{key: "Task Name" or null}`` or a two-column CSV.

    Raises:
        TaskMapError: unreadable, or not of that shape; the message names the file and row.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TaskMapError(f"{path}: cannot read: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise TaskMapError(f"{path}: not valid JSON: {error}") from None
        if not isinstance(data, dict) or not all(
            isinstance(v, str) or v is None for v in data.values()
        ):
            raise TaskMapError(f'{path}: expected {{"item id or folder": "Task Name" or null}}')
        return TaskMap(path, {str(k): v or "" for k, v in data.items()})
    entries: dict[str, str] = {}
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise TaskMapError(f"{path}: row {number}: expected 2 columns, found {len(row)}")
        key, name = row[0].strip(), row[1].strip()
        if number == 1 and key.casefold() in _HEADER_WORDS:
            continue
        entries[key] = name
    return TaskMap(path, entries)


def describe(match: Match) -> str:
    """A match as one phrase: the rule, or the suggestions of an unmatched task."""
    if match.row is not None:
        return f"by {match.rule}"
    if match.suggestions:
        return "no row; did you mean " + ", ".join(repr(s) for s in match.suggestions)
    return "no row"
