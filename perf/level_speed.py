"""Time ``genbench level`` on one result workbook, as a user waits for it.

Targets (issues 2 and 11): the whole ``genbench level WORKBOOK`` process under 1 s here,
at least twice as fast as the authors' ranker.py on the same workbook (1.9-2.3 s on this
machine kind, as issue 11 measured it: their scorer is not in this repository). Both
workbooks are written in the harness's layout from the reference table, with random
scores on 80% of the rows; one holds one model, the other ``--models`` models. The
processes run alternately, ``--repeat`` times each; the table gives medians of wall and
CPU time, beside the bare interpreter's start. The in-process figure (reading the
20-model workbook and computing its levels) is issue 2's target (under 2 s).

Usage: python perf/level_speed.py [--models 20] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BIN, alternate, print_table

from genbench.level import level_scores
from genbench.reference import load_reference_table
from genbench.report import read_result_workbook, write_result_workbook

#: issue 11: the authors' ranker.py on one workbook here, best of alternating runs.
AUTHORS_SECONDS = (1.9, 2.3)


def write_workbook(path: Path, models: int) -> None:
    table = load_reference_table()
    rng = np.random.default_rng(0)
    scores: dict[str, dict[str, float | None]] = {}
    for i in range(models):
        scores[f"model-{i:02d}"] = {}
        for row in table:
            low, high = row.metric.natural_range  # a workbook holds scores in range only
            score = row.sota * float(rng.lognormal(0, 0.5))
            keep = rng.random() > 0.2
            scores[f"model-{i:02d}"][row.key] = min(max(score, low), high) if keep else None
    write_result_workbook(path, table, scores, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    genbench = str(BIN / "genbench")
    with tempfile.TemporaryDirectory() as folder:
        one, many = Path(folder) / "one_result.xlsx", Path(folder) / "many_result.xlsx"
        write_workbook(one, 1)
        write_workbook(many, args.models)
        timings = alternate(
            [
                ("python -c pass (the interpreter alone)", lambda: [sys.executable, "-c", "pass"]),
                ("genbench level, 1 model", lambda: [genbench, "level", str(one)]),
                (f"genbench level, {args.models} models", lambda: [genbench, "level", str(many)]),
            ],
            args.repeat,
        )
        table = load_reference_table()
        inside = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            book = read_result_workbook(many, table)
            summaries = [level_scores(table, book.scores[m], m) for m in book.models]
            inside.append(time.perf_counter() - start)
        assert len(summaries) == args.models
    level = timings[1]
    low, high = AUTHORS_SECONDS
    print_table(
        f"genbench level as a process, {args.repeat} runs each (alternating)",
        [
            *(t.row() for t in timings),
            f"the authors' ranker.py on one workbook (issue 11, not run here): {low}-{high} s;"
            f" genbench level is {low / level.median_wall:.1f}-{high / level.median_wall:.1f}x"
            " faster (wall)",
            f"in process: read {args.models} models and compute their levels: median "
            f"{statistics.median(inside):.3f} s, max {max(inside):.3f} s",
        ],
    )


if __name__ == "__main__":
    main()
