"""Helpers for the shard tests: a General-Bench-sized tree, workbook contents, a slow model."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import openpyxl

from genbench.reference import ReferenceTable

#: General-Bench's size: 700 tasks, 325,800 instances.
TASKS, INSTANCES = 700, 325_800


def write_full_size_tree(root: Path, table: ReferenceTable, seed: int = 0) -> dict[str, int]:
    """One task per reference row (699) plus one unmatched task, each an annotation.json with
    a skewed number of instances (a few tasks hold thousands) adding up to about 325,800.
    Returns the instance count per task folder.
    """
    rng = random.Random(seed)
    rows = list(table)
    sizes = [min(max(int(rng.lognormvariate(5.6, 0.9)), 20), 6000) for _ in range(TASKS)]
    scale = INSTANCES / sum(sizes)
    sizes = [max(1, round(s * scale)) for s in sizes]
    counts = {}
    for index, size in enumerate(sizes):
        if index < len(rows):
            row = rows[index]
            name, sheet = row.task_name, row.sheet
        else:
            name, sheet = "Unlisted Task", "NLP"
        parts = ["nlp"] if sheet == "NLP" else [p.lower() for p in sheet.split("-")]
        folder = root.joinpath(*parts, f"{index:03d}-{re.sub(r'[^A-Za-z0-9]+', '-', name)}")
        folder.mkdir(parents=True)
        data = {"task": name, "type": "x", "data": [{"id": str(i)} for i in range(size)]}
        (folder / "annotation.json").write_text(json.dumps(data))
        counts[folder.name] = size
    return counts


def workbook_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values, without the provenance rows (they name the run)."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            if row and row[0] == "Provenance":
                break
            rows.append(tuple(row))
        sheets[ws.title] = rows
    return sheets


#: A custom adapter: the baseline, slowed down when GENBENCH_TEST_DELAY is set, so that a
#: test can kill a shard in the middle of its tasks.
SLOW_MODEL = """
import os
import time

from genbench.models._baseline import BaselineModel


class SlowBaseline(BaselineModel):
    def predict(self, requests):
        time.sleep(float(os.environ.get("GENBENCH_TEST_DELAY", "0")))
        return super().predict(requests)


def make(seed=0):
    return SlowBaseline(seed)
"""
