"""Peak memory of scoring one large language task from its prediction file.

Target (issue 11): a 100,000-instance task scored in under 400 MB peak (issue 11 saw
537 MB, about 4 KB an instance). The task is an abstractive summarization task of
tests/language_tree.py (a three-sentence document and a summary each, 23 MB of task
file): text metrics hold the most per instance. ``pytest benchmarks --step 23`` runs as
a whole process on the task at ``--small`` and at ``--instances`` instances, alternating;
the table gives each run's peak resident memory (the process's own, from wait4) and
the growth per instance between the two sizes.

Usage: python perf/memory_100k.py [--instances 100000] [--small 10000] [--repeat 2]
[--family 2]
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

from _common import CODE, PYTEST, REPO, code_env, fresh, print_table


def one_task(root: Path, instances: int, family: int) -> None:
    """``nlp/<family>-0`` with ``instances`` instances and its prediction file."""
    sys.path.insert(0, str(REPO))
    from tests import language_tree

    families = language_tree.FAMILIES
    language_tree.FAMILIES = [families[family]]
    try:
        language_tree.build_language_tree(root, instances=instances, seed=0, tasks=1)
    finally:
        language_tree.FAMILIES = families


def peak(command: list[str]) -> tuple[float, float]:
    """(peak resident MB, wall seconds) of one process run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=CODE, env=code_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed with {process.returncode}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--family", type=int, default=2, help="index in FAMILIES")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sizes = {args.small: root / "small", args.instances: root / "large"}
        for size, tree in sizes.items():
            one_task(tree, size, args.family)
        peaks: dict[int, list[float]] = {size: [] for size in sizes}
        walls: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(args.repeat):
            for size, tree in sizes.items():
                fresh(root / "out")
                command = [*PYTEST, "benchmarks", "-q", "-p", "no:cacheprovider"]
                command += ["--dataset-dir", str(tree), "--outcome-dir", str(root / "out")]
                command += ["--step", "23", "--predictions-beside-tasks"]
                megabytes, seconds = peak(command)
                peaks[size].append(megabytes)
                walls[size].append(seconds)
        task_file = next((sizes[args.instances] / "nlp").glob("*/annotation.json"))
        megabytes_file = task_file.stat().st_size / 2**20
    for size in sizes:
        rows.append(
            f"{size:>7d} instances: peak {statistics.median(peaks[size]):6.0f} MB "
            f"(runs {', '.join(f'{p:.0f}' for p in peaks[size])}), "
            f"wall {statistics.median(walls[size]):5.1f} s"
        )
    growth = (statistics.median(peaks[args.instances]) - statistics.median(peaks[args.small])) / (
        args.instances - args.small
    )
    rows.append(f"growth: {growth * 1024:.2f} KB an instance (task file {megabytes_file:.0f} MB)")
    print_table(
        f"one language task scored from its prediction file (pytest --step 23), whole "
        f"processes, {args.repeat} runs each",
        rows,
    )


if __name__ == "__main__":
    main()
