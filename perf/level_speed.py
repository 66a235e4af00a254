"""Time General-Level for many models read from one result workbook.

Target (issue 2): levels for 20 models from one workbook in under 2 s on the project's
machine kind. Usage: python perf/level_speed.py [--models 20] [--repeat 5].
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from genbench.level import level_scores
from genbench.reference import load_reference_table
from genbench.report import read_result_workbook, write_result_workbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    table = load_reference_table()
    rng = np.random.default_rng(0)
    models = {
        f"model-{i:02d}": {
            row.key: (row.sota * float(rng.lognormal(0, 0.5)) if rng.random() > 0.2 else None)
            for row in table
        }
        for i in range(args.models)
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "many_result.xlsx"
        write_result_workbook(path, table, models, [])
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            book = read_result_workbook(path, table)
            summaries = [level_scores(table, book.scores[m], m) for m in book.models]
            timings.append(time.perf_counter() - start)
        assert len(summaries) == args.models
    print(
        f"{args.models} models, {len(table)} tasks: read + levels "
        f"median {statistics.median(timings):.3f} s, max {max(timings):.3f} s "
        f"over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
