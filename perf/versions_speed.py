"""The same workloads on two checkouts of genbench, alternating: what a change gained.

The other scripts compare two configurations of this checkout; this one compares this
checkout with another one in the same environment, for example the commit before issue
11's work exported to a folder::

    git archive 11ad536 | (mkdir -p /tmp/base && tar -x -C /tmp/base)
    python perf/versions_speed.py /tmp/base

Workloads (whole ``pytest benchmarks`` processes, each into a fresh outcome folder):
``nlp200`` and ``nlp1000`` score 50 language tasks of 200 or 1000 instances from
prediction files (``--step 23``, in the test process: the older checkout may not know
``--score-workers``); ``tree`` runs the bundled sample x 15 (705 tasks, baseline model)
and then immediately again; ``memory`` scores one 100,000-instance summarization task
(peak resident memory). Medians of ``--repeat`` runs; the versions alternate.

Usage: python perf/versions_speed.py OTHER [--workloads nlp200 nlp1000 tree memory]
[--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTEST, REPO, copy_sample, fresh, language_tree, print_table
from memory_100k import one_task


def timed(command: list[str], code: Path) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of a pytest process running ``code``'s genbench."""
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{REPO}"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command} in {code}: exit status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("other", type=Path, help="the other checkout (a folder)")
    parser.add_argument("--workloads", nargs="+", default=["nlp200", "nlp1000", "tree", "memory"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    versions = {"other": args.other.resolve(), "this": REPO}
    rows = [f"other = {versions['other']}, this = {REPO}"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        out = root / "out"
        base = [*PYTEST, "benchmarks", "-q", "-p", "no:cacheprovider", "--outcome-dir", str(out)]
        runs: dict[str, list[list[str]]] = {}
        for workload in args.workloads:
            tree = root / workload
            if workload.startswith("nlp"):
                language_tree(tree, 50, int(workload[3:]))
                step = ["--step", "23", "--predictions-beside-tasks"]
                runs[workload] = [[*base, "--dataset-dir", str(tree), *step]]
            elif workload == "tree":
                copy_sample(tree, 15)
                runs["tree: first run"] = [[*base, "--dataset-dir", str(tree)]]
                runs["tree: immediate rerun"] = []  # measured after each first run
            elif workload == "memory":
                one_task(tree, 100_000, 2)
                step = ["--step", "23", "--predictions-beside-tasks"]
                runs["memory (peak MB)"] = [[*base, "--dataset-dir", str(tree), *step]]
        walls: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for name, code in versions.items():
                for workload, commands in runs.items():
                    if not commands:
                        continue
                    fresh(out)
                    wall, peak = timed(commands[0], code)
                    value = peak if workload.startswith("memory") else wall
                    walls.setdefault((workload, name), []).append(value)
                    if workload == "tree: first run":
                        wall, _ = timed(commands[0], code)
                        walls.setdefault(("tree: immediate rerun", name), []).append(wall)
    for workload in runs:
        other = statistics.median(walls[workload, "other"])
        this = statistics.median(walls[workload, "this"])
        unit = "MB" if workload.startswith("memory") else "s"
        rows.append(
            f"{workload:24s} other {other:7.2f} {unit}  this {this:7.2f} {unit}  "
            f"other / this {other / this:5.2f}x"
        )
    print_table(
        f"the same workloads on two checkouts, whole pytest processes, medians of "
        f"{args.repeat} alternating runs",
        rows,
    )


if __name__ == "__main__":
    main()
