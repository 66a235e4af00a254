"""``-n 2`` against a serial run, on a model that sleeps 0.05 s per instance.

Target (issue 11): on the bundled sample's tasks five times over (235 tasks, copies in
folders of their own) with ``--limit 4``, two xdist workers at least 1.7 times faster
than one process. Both configurations run whole (``pytest benchmarks``, steps 123, a
fresh outcome folder each time), alternating; medians of ``--repeat`` runs.

Usage: python perf/xdist_speed.py [--copies 5] [--limit 4] [--repeat 3] [--dist load]
[--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTEST, alternate, copy_sample, fresh, print_table, ratio_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--limit", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sleep", type=float, default=0.05, help="seconds per instance")
    parser.add_argument("--dist", default=None, help="xdist's --dist (default: genbench's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tasks = copy_sample(root / "tree", args.copies)

        def command(*extra: str) -> list[str]:
            return [
                *PYTEST,
                "benchmarks",
                "-q",
                "-p",
                "no:cacheprovider",
                "--dataset-dir",
                str(root / "tree"),
                "--outcome-dir",
                str(root / "out"),
                "--model",
                "_sleepy:make",
                "--limit",
                str(args.limit),
                *extra,
            ]

        parallel = ["-n", str(args.workers)] + (["--dist", args.dist] if args.dist else [])
        timings = alternate(
            [
                ("serial", lambda: command()),
                (
                    f"-n {args.workers}" + (f" --dist {args.dist}" if args.dist else ""),
                    lambda: command(*parallel),
                ),
            ],
            args.repeat,
            prepare=lambda label: fresh(root / "out"),
            env={"GENBENCH_PERF_SLEEP": str(args.sleep)},
        )
    serial, workers = timings
    print_table(
        f"{tasks} tasks (the sample x {args.copies}), --limit {args.limit}, a model sleeping "
        f"{args.sleep} s per instance; whole pytest processes, {args.repeat} runs each",
        [serial.row(), workers.row(), ratio_line(serial, workers)],
    )


if __name__ == "__main__":
    main()
