"""The reference table: every General-Bench task, its metric and the SoTA specialist's score.

The project's own copy lives in ``references/sota.csv`` (shipped inside the package as
``genbench/reference_data``), imported from the authors' workbook by
``tools/import_reference.py``. It is the single source of task names, metrics and SoTA
figures: result workbooks, discovery and the level engine all join against it by
(sheet, task name, metric), never by row position.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from genbench.metrics import Metric, get_metric

#: The sheets of the reference table and of every result workbook, in the authors' order.
SHEETS: tuple[str, ...] = (
    "NLP",
    "Image-Comprehension",
    "Image-Generation",
    "Video-Comprehension",
    "Video-Generation",
    "Audio-Comprehension",
    "Audio-Generation",
    "3D-Comprehension",
    "3D-Generation",
)
#: The modalities that enter Levels 2-4 (NLP enters Level-5 only).
MODALITIES: tuple[str, ...] = ("Image", "Video", "Audio", "3D")
NLP = "NLP"
COMPREHENSION = "Comprehension"
GENERATION = "Generation"
PARADIGMS: tuple[str, ...] = (COMPREHENSION, GENERATION)


def sheet_name(modality: str, paradigm: str | None) -> str:
    """The sheet that holds a modality's tasks of one paradigm (``NLP`` for language)."""
    return NLP if modality == NLP else f"{modality}-{paradigm}"


def split_sheet(sheet: str) -> tuple[str, str | None]:
    """Split a sheet name into (modality, paradigm); NLP has no paradigm."""
    if sheet == NLP:
        return NLP, None
    modality, _, paradigm = sheet.partition("-")
    if modality not in MODALITIES or paradigm not in PARADIGMS:
        raise ValueError(f"not a General-Bench sheet: {sheet!r}")
    return modality, paradigm


def task_key(name: str) -> str:
    """Fold a task or folder name for matching: case, white space, hyphens and underscores.

    ``"Accent Classification"``, ``"AccentClassification"`` and ``"accent_classification"``
    fold to the same key, as discovery needs (docs/TREES.md).
    """
    return re.sub(r"[\s\-_]+", "", name).casefold()


@dataclass(frozen=True)
class TaskKey:
    """What identifies a task's row: its sheet, folded task name and canonical metric."""

    sheet: str
    task: str
    metric: str

    @classmethod
    def of(cls, sheet: str, task_name: str, metric_name: str) -> TaskKey:
        """Build the key from names as written (the metric may be any alias)."""
        return cls(sheet, task_key(task_name), get_metric(metric_name).name)


@dataclass(frozen=True)
class ReferenceRow:
    """One task of the reference table, with its names and metric exactly as written."""

    sheet: str
    no: int
    task_name: str
    short_name: str
    metric_label: str
    sota: float
    metric: Metric = field(init=False, compare=False, repr=False)
    key: TaskKey = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        metric = get_metric(self.metric_label)
        object.__setattr__(self, "metric", metric)
        object.__setattr__(self, "key", TaskKey(self.sheet, task_key(self.task_name), metric.name))

    @property
    def modality(self) -> str:
        """``Image``, ``Video``, ``Audio``, ``3D`` or ``NLP``."""
        return split_sheet(self.sheet)[0]

    @property
    def paradigm(self) -> str | None:
        """``Comprehension`` or ``Generation``; ``None`` for NLP."""
        return split_sheet(self.sheet)[1]

    @property
    def name(self) -> str:
        """The task name without the stray surrounding spaces some rows carry."""
        return " ".join(self.task_name.split())


class ReferenceTable:
    """The rows of the reference table, in order, with lookups by key and by name."""

    def __init__(self, rows: list[ReferenceRow], source: str = "") -> None:
        """Index the rows; raise ValueError on a sheet outside SHEETS or a repeated key."""
        self.rows: tuple[ReferenceRow, ...] = tuple(rows)
        self.source = source
        self._by_key: dict[TaskKey, ReferenceRow] = {}
        self._by_sheet: dict[str, list[ReferenceRow]] = {sheet: [] for sheet in SHEETS}
        self._by_name: dict[tuple[str, str], list[ReferenceRow]] = {}
        for row in rows:
            if row.sheet not in self._by_sheet:
                raise ValueError(f"{source}: unknown sheet {row.sheet!r}")
            if row.key in self._by_key:
                raise ValueError(f"{source}: task {row.task_name!r} appears twice in {row.sheet}")
            self._by_key[row.key] = row
            self._by_sheet[row.sheet].append(row)
            self._by_name.setdefault((row.sheet, row.key.task), []).append(row)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ReferenceRow]:
        return iter(self.rows)

    def sheet(self, sheet: str) -> list[ReferenceRow]:
        """The rows of one sheet, in the table's order."""
        return list(self._by_sheet[sheet])

    def get(self, key: TaskKey) -> ReferenceRow | None:
        """The row with this key, if any."""
        return self._by_key.get(key)

    def find(
        self, sheet: str, task_name: str, metric_name: str | None = None
    ) -> ReferenceRow | None:
        """The row of a task by its name (folded), and its metric when one name has several."""
        candidates = self._by_name.get((sheet, task_key(task_name)), [])
        if metric_name is not None:
            wanted = get_metric(metric_name).name
            candidates = [row for row in candidates if row.metric.name == wanted]
        return candidates[0] if len(candidates) == 1 else None

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short hash of the table's content, recorded in every result's provenance
        (computed once: the rows are a tuple, and every task's score key asks for it).
        """
        import hashlib

        text = "\n".join(f"{r.sheet}|{r.task_name}|{r.metric_label}|{r.sota!r}" for r in self.rows)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def read_reference_csv(path: Path) -> ReferenceTable:
    """Read a reference table in the project's CSV format.

    Raises:
        ValueError: a row has a bad number or an unknown metric; the message names the line.
    """
    rows: list[ReferenceRow] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append(
                    ReferenceRow(
                        sheet=record["Sheet"],
                        no=int(record["No"]),
                        task_name=record["Task Name"],
                        short_name=record["Task Short Name"],
                        metric_label=record["Metrics"],
                        sota=float(record["SoTA Performance"]),
                    )
                )
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path}:{line}: {error}") from None
    return ReferenceTable(rows, source=str(path))


def default_reference_path() -> Path:
    """Where the bundled reference table lives."""
    return Path(str(files("genbench") / "reference_data" / "sota.csv"))


@functools.cache
def load_reference_table(path: Path | None = None) -> ReferenceTable:
    """The reference table at ``path``, or the bundled one (read once per process)."""
    return read_reference_csv(path or default_reference_path())
