"""Test helpers: a small hand-made reference table, a workbook builder, a JSON reply."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from pathlib import Path

import openpyxl

from genbench.reference import SHEETS, ReferenceRow, ReferenceTable, TaskKey

MINI_ROWS = [
    ("NLP", "T1", "ACC", 50.0),
    ("NLP", "T2", "RMSE", 2.31),
    ("Image-Comprehension", "A", "Acc", 80.0),
    ("Image-Comprehension", "B", "MAE", 10.0),
    ("Image-Generation", "C", "FID", 18.7),
    ("Image-Generation", "D", "PSNR", 30.0),
    ("Video-Comprehension", "E", "ACC", 60.0),
    ("Video-Generation", "F", "PSNR", 30.0),
    ("Audio-Comprehension", "G", "ACC", 50.0),
    ("Audio-Generation", "H", "WER", 5.6),
    ("3D-Comprehension", "I", "ACC", 50.0),
    ("3D-Generation", "J", "CD (Chamfer Distance)", 0.217),
]


def make_table(rows: list[tuple[str, str, str, float]]) -> ReferenceTable:
    return ReferenceTable(
        [
            ReferenceRow(sheet, i, name, name, metric, sota)
            for i, (sheet, name, metric, sota) in enumerate(rows, start=1)
        ],
        source="mini",
    )


def key(table: ReferenceTable, name: str) -> TaskKey:
    rows = [row for row in table if row.task_name == name]
    assert len(rows) == 1
    return rows[0].key


def write_workbook(
    path: Path,
    table: ReferenceTable,
    models: Mapping[str, Mapping[TaskKey, object]],
    *,
    shuffle: int | None = None,
    with_sota: bool = False,
    extra_sheets: tuple[str, ...] = (),
    skip_sheets: tuple[str, ...] = (),
) -> Path:
    """A workbook in the authors' layout, written cell by cell (independent of genbench)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        if sheet in skip_sheets:
            continue
        ws = book.create_sheet(sheet)
        header = ["No", "Task Name", "Task Short Name", "Metrics"]
        if with_sota:
            header.append("SoTA Performance")
        ws.append([*header, *models])
        rows = table.sheet(sheet)
        if shuffle is not None:
            random.Random(shuffle).shuffle(rows)
        for row in rows:
            cells: list[object] = [row.no, row.task_name, row.short_name, row.metric_label]
            if with_sota:
                cells.append(row.sota)
            cells += [scores.get(row.key) for scores in models.values()]
            ws.append(cells)
    for sheet in extra_sheets:
        book.create_sheet(sheet).append(["Model", "whatever"])
    book.save(path)
    return path


def send_json(handler, status, payload):
    """Answer an http.server request with JSON; a client that already left is fine."""
    data = json.dumps(payload).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
