"""Result workbooks in the authors' layout: reading several model columns, writing one.

A result workbook is the template (one sheet per group and paradigm, columns ``No``,
``Task Name``, ``Task Short Name``, ``Metrics``) plus one column per model holding the
model's score for each task. Rows are joined to the reference table by (sheet, task name,
metric), never by position, so a shuffled or partial workbook reads the same.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench._atomic import atomic_path
from genbench.level import LEVEL_NAMES, LevelSummary, ModelScores
from genbench.metrics import UnknownMetricError
from genbench.reference import MODALITIES, SHEETS, ReferenceTable, TaskKey

if TYPE_CHECKING:
    import openpyxl

# openpyxl is imported where a workbook is read or written, not when genbench loads.

TEMPLATE_COLUMNS: tuple[str, ...] = ("No", "Task Name", "Task Short Name", "Metrics")
SOTA_COLUMN = "SoTA Performance"
LEVEL_SHEET = "Level-Scores"
STATUS_SHEET = "Task-Status"
#: Cell texts that mean "this model does not support the task" (the authors' convention).
UNSUPPORTED_TEXTS = frozenset({"", "∞", "inf", "-"})


class WorkbookError(ValueError):
    """A result workbook that cannot be read; the message names file, sheet, row and value."""


@dataclass
class ResultWorkbook:
    """The model columns of one result workbook, each joined to the reference table."""

    path: Path
    models: list[str]
    scores: dict[str, dict[TaskKey, float | None]] = field(default_factory=dict)


def parse_score(value: object) -> float | None:
    """A cell's score: a number, a number written as text, or None for "not supported".

    Raises:
        ValueError: the cell holds anything else (a word, a boolean, NaN, -inf).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a score: {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in UNSUPPORTED_TEXTS:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"not a score: {value!r}") from None
    else:
        raise ValueError(f"not a score: {value!r}")
    if number == math.inf:
        return None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"not a score: {value!r}")
    return number


def _header(path: Path, sheet: str, cells: Sequence[object]) -> dict[str, int]:
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    missing = [column for column in ("Task Name", "Metrics") if column not in names]
    if missing:
        raise WorkbookError(f"{path}: sheet {sheet!r} has no column {missing[0]!r}")
    return {name: index for index, name in enumerate(names) if name}


def _model_columns(columns: Mapping[str, int]) -> list[str]:
    return [name for name in columns if name not in (*TEMPLATE_COLUMNS, SOTA_COLUMN)]


def _pick_models(path: Path, found: Sequence[str], wanted: Sequence[str] | None) -> list[str]:
    if not wanted:
        if not found:
            raise WorkbookError(f"{path}: no model column (only {', '.join(TEMPLATE_COLUMNS)})")
        return list(found)
    picked = []
    for name in wanted:
        exact = [column for column in found if column == name]
        folded = [column for column in found if column.casefold() == name.casefold()]
        match = exact or folded
        if len(match) != 1:
            raise WorkbookError(
                f"{path}: no model column {name!r} (found: {', '.join(found) or 'none'})"
            )
        picked.append(match[0])
    return picked


def read_result_workbook(
    path: Path, table: ReferenceTable, models: Sequence[str] | None = None
) -> ResultWorkbook:
    """Read the scores of some (default: all) model columns of a result workbook.

    Every sheet of the reference table must be present; other sheets (``Level-Scores``)
    are ignored. Each model column must be present in every sheet.

    Raises:
        WorkbookError: a missing sheet or model column, a task or metric that is not in
            the reference table, a task listed twice, or a cell that is not a score.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # formulas as written (data_only=False): a formula is refused rather than read
        # through a cached value that may be stale or absent
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as error:
        raise WorkbookError(f"{path}: cannot open as a workbook: {error}") from None
    try:
        missing = [sheet for sheet in SHEETS if sheet not in book.sheetnames]
        if missing:
            raise WorkbookError(
                f"{path}: no sheet {missing[0]!r} (found: {', '.join(book.sheetnames)})"
            )
        result = ResultWorkbook(path=path, models=[])
        for sheet in SHEETS:
            rows = book[sheet].iter_rows(values_only=True)
            columns = _header(path, sheet, next(rows, ()))
            if not result.models:
                result.models = _pick_models(path, _model_columns(columns), models)
                result.scores = {model: {} for model in result.models}
            for model in result.models:
                if model not in columns:
                    raise WorkbookError(f"{path}: sheet {sheet!r} has no model column {model!r}")
            _read_sheet(path, sheet, rows, columns, table, result)
        return result
    finally:
        book.close()


def _read_sheet(
    path: Path,
    sheet: str,
    rows: Iterable[tuple[object, ...]],
    columns: Mapping[str, int],
    table: ReferenceTable,
    result: ResultWorkbook,
) -> None:
    name_at, metric_at = columns["Task Name"], columns["Metrics"]
    seen: dict[TaskKey, int] = {}
    for excel_row, cells in enumerate(rows, start=2):

        def cell(index: int, cells: tuple[object, ...] = cells) -> Any:
            return cells[index] if index < len(cells) else None

        if all(value is None for value in cells):
            continue
        task, metric = cell(name_at), cell(metric_at)
        where = f"{path}: sheet {sheet!r} row {excel_row}"
        try:
            key = TaskKey.of(sheet, str(task or ""), str(metric or ""))
        except UnknownMetricError as error:
            raise WorkbookError(f"{where}: {error}") from None
        if table.get(key) is None:
            raise WorkbookError(
                f"{where}: task {task!r} with metric {metric!r} is not in the reference table"
            )
        if key in seen:
            raise WorkbookError(f"{where}: task {task!r} already listed in row {seen[key]}")
        seen[key] = excel_row
        row = table.get(key)
        for model in result.models:
            value = cell(columns[model])
            if isinstance(value, str) and value.lstrip().startswith("="):
                raise WorkbookError(
                    f"{where}: model {model!r}: a formula ({value!r}), not a score: write the value"
                )
            try:
                score = parse_score(value)
            except ValueError:
                raise WorkbookError(f"{where}: model {model!r}: not a score: {value!r}") from None
            if score is not None and row is not None:
                low, high = row.metric.natural_range
                if not low <= score <= high:
                    raise WorkbookError(
                        f"{where}: model {model!r}: {score:g} is outside the range of "
                        f"{row.metric.name} [{low:g}, {high:g}]"
                    )
            result.scores[model][key] = score


def _atomic_save(book: openpyxl.Workbook, path: Path) -> None:
    with atomic_path(path) as temporary:
        book.save(temporary)


def _template_book(table: ReferenceTable, models: Mapping[str, ModelScores]) -> openpyxl.Workbook:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet)
        ws.append([*TEMPLATE_COLUMNS, *models])
        for row in table.sheet(sheet):
            values = [scores.get(row.key) for scores in models.values()]
            ws.append([row.no, row.task_name, row.short_name, row.metric_label, *values])
    return book


def write_template(path: Path, table: ReferenceTable) -> None:
    """Write the empty result-workbook template (the authors' ``template_result.xlsx``)."""
    _atomic_save(_template_book(table, {}), path)


LEVEL_COLUMNS: tuple[str, ...] = (
    "Model",
    "Mode",
    "Scope",
    *LEVEL_NAMES,
    "S_C",
    "S_G",
    "S_L",
    "Supported",
    "Total",
    "Wins",
    "Level",
)


def level_rows(summary: LevelSummary) -> list[list[object]]:
    """The rows of the ``Level-Scores`` sheet for one model: each modality, NLP, overall."""
    rows: list[list[object]] = []
    common = [summary.model, summary.mode.value]
    for modality in MODALITIES:
        m = summary.per_modality[modality]
        rows.append(
            [
                *common,
                modality,
                m.level2,
                m.level3,
                m.level4,
                None,
                m.s_c,
                m.s_g,
                None,
                m.supported,
                m.total,
                m.wins,
                None,
            ]
        )
    n = summary.nlp
    rows.append(
        [
            *common,
            "NLP",
            None,
            None,
            None,
            None,
            None,
            None,
            n.s_l,
            n.supported,
            n.total,
            n.wins,
            None,
        ]
    )
    final = summary.final
    rows.append(
        [
            *common,
            "Overall",
            *(final[name] for name in LEVEL_NAMES),
            None,
            None,
            None,
            sum(m.supported for m in summary.per_modality.values()) + n.supported,
            sum(m.total for m in summary.per_modality.values()) + n.total,
            sum(m.wins for m in summary.per_modality.values()) + n.wins,
            summary.level,
        ]
    )
    return rows


#: The columns of the ``Task-Status`` sheet: every task of the run, scored or not.
STATUS_COLUMNS: tuple[str, ...] = (
    "item_id",
    "sheet",
    "task_name",
    "metric",
    "status",
    "score",
    "normalized",
    "sota",
    "win",
    "n",
    "missing",
    "parse_failures",
    "reason",
)


def write_result_workbook(
    path: Path,
    table: ReferenceTable,
    scores: Mapping[str, ModelScores],
    summaries: Sequence[LevelSummary],
    provenance: Mapping[str, object] | None = None,
    tasks: Sequence[Mapping[str, object]] = (),
    extra_rows: Sequence[Sequence[object]] = (),
) -> None:
    """Write a result workbook: the template layout, one column per model, ``Level-Scores``
    and, when ``tasks`` are given, ``Task-Status``.

    The task sheets line up row for row with the authors' template, so their scorer reads
    the file too; a task the model did not score has an empty cell there, and its status
    and reason (skipped, failed, close set) in ``Task-Status``. ``Level-Scores`` holds one
    tidy table (model, scope, levels, counts), then ``extra_rows`` (the intervals,
    genbench.stats.interval_rows) after a blank row, then the provenance as key/value rows.
    The write is atomic.
    """
    book = _template_book(table, scores)
    if tasks:
        status = book.create_sheet(STATUS_SHEET)
        status.append(list(STATUS_COLUMNS))
        for task in tasks:
            status.append([task.get(column) for column in STATUS_COLUMNS])
    ws = book.create_sheet(LEVEL_SHEET)
    ws.append(list(LEVEL_COLUMNS))
    for summary in summaries:
        for row in level_rows(summary):
            ws.append(row)
    if extra_rows:
        ws.append([])
        for extra in extra_rows:
            ws.append(list(extra))
    if provenance:
        ws.append([])
        ws.append(["Provenance"])
        for key, value in provenance.items():
            ws.append([key, value if isinstance(value, int | float | str) else repr(value)])
    _atomic_save(book, path)
