"""Import the authors' SoTA workbook into the project's own reference table.

The project keeps the reference table as references/sota.csv (sheet, No, Task Name,
Task Short Name, Metrics, SoTA Performance) in the sheets' and rows' original order, so
that a result workbook written from it lines up row for row with the authors' template.
Run once, by hand, when the authors publish new figures:

    python tools/import_reference.py path/to/sota_result.xlsx   (the authors' workbook)
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import openpyxl

COLUMNS = ("Sheet", "No", "Task Name", "Task Short Name", "Metrics", "SoTA Performance")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--out", type=Path, default=Path("references/sota.csv"))
    args = parser.parse_args()
    book = openpyxl.load_workbook(args.workbook, read_only=True, data_only=True)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows)
            if tuple(header[:5]) != COLUMNS[1:]:
                raise SystemExit(f"{args.workbook}: sheet {sheet.title!r} has columns {header}")
            for row in rows:
                if row[1] is None:
                    continue
                no, name, short, metric, sota = row[:5]
                # repr keeps every digit of the authors' float (6540.017245, 9.3e-05).
                writer.writerow([sheet.title, no, name, short, metric, repr(float(sota))])


if __name__ == "__main__":
    main()
