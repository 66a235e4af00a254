"""Time scoring 50 language tasks from prediction files, as a whole pytest process.

Targets (issue 11): at least 3 times faster than the authors' register.py on the same
work, whole process, at 200 and at 1000 instances a task. Their scorer is not in this
repository; issue 11 measured it on this machine kind at 9.1-11.6 s (50 x 200) and
47-66 s (50 x 1000), and the table compares with those figures.

The trees cover every language family of docs/TASKS.md in turn (tests/language_tree.py),
prediction files beside the task files as the authors' layout has them, code made
distinct per instance; a family's later copies take free rows of the same metric, else
a name no row has (perf/_common.py). Each size runs ``pytest benchmarks --step 23`` in
two configurations, alternating, ``--repeat`` times, each into a fresh outcome folder:
scoring in the test process, and ``--score-workers 2``. ``--breakdown`` adds the
in-process scoring time per metric.

Usage: python perf/nlp_scoring_speed.py [--sizes 200 1000] [--tasks 50] [--repeat 3]
[--workers 2] [--breakdown] [--vocabulary N]; ``--workers 1`` times the first
configuration alone (for a checkout without --score-workers, see GENBENCH_PERF_CODE in
perf/_common.py).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTEST, REPO, alternate, fresh, language_tree, print_table, ratio_line

#: issue 11: the authors' register.py on this machine kind, seconds by instances a task.
AUTHORS_SECONDS = {200: (9.1, 11.6), 1000: (47.0, 66.0)}


def breakdown(root: Path) -> list[str]:
    """In-process scoring seconds per metric (one pass, rescoring)."""
    from genbench.data import discover_tasks
    from genbench.reference import load_reference_table
    from genbench.runner import RunSettings, TaskRunner

    table = load_reference_table()
    settings = RunSettings(
        "baseline",
        "breakdown",
        root / "breakdown",
        root / "tree",
        steps=frozenset({2}),
        predictions_beside_tasks=True,
        rescore=True,
    )
    runner = TaskRunner(settings, table, lambda: None)  # type: ignore[arg-type, return-value]
    seconds: dict[str, float] = collections.defaultdict(float)
    for task in discover_tasks(root / "tree", table):
        began = time.perf_counter()
        result = runner.score(task)
        seconds[result.metric] += time.perf_counter() - began
    return [
        f"  {metric:10s} {s:6.2f} s" for metric, s in sorted(seconds.items(), key=lambda kv: -kv[1])
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=0,
        help="draw words from this many random words instead of the tree's 28 (fewer "
        "repeated words for the tokenizer's memo: a pessimistic stand-in for real text)",
    )
    args = parser.parse_args()
    if args.vocabulary:
        import random
        import string

        sys.path.insert(0, str(REPO))
        from tests import language_tree as words

        rng = random.Random(1)
        words.WORDS = [
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9)))
            for _ in range(args.vocabulary)
        ]
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            language_tree(root / "tree", args.tasks, size)

            def command(*extra: str, root: Path = root) -> list[str]:
                return [
                    *PYTEST, "benchmarks", "-q", "-p", "no:cacheprovider",
                    "--dataset-dir", str(root / "tree"), "--outcome-dir", str(root / "out"),
                    "--step", "23", "--predictions-beside-tasks", *extra,
                ]  # fmt: skip

            configurations = [(f"{args.tasks} x {size}: in the test process", command)]
            if args.workers > 1:
                configurations.append(
                    (
                        f"{args.tasks} x {size}: --score-workers {args.workers}",
                        lambda: command("--score-workers", str(args.workers)),
                    )
                )
            timings = alternate(
                configurations,
                args.repeat,
                prepare=lambda label, root=root: fresh(root / "out"),
            )
            low, high = AUTHORS_SECONDS.get(size, (float("nan"), float("nan")))
            rows += [timings[0].row(), *(t.row(cpu=False) for t in timings[1:])]
            rows += [ratio_line(timings[0], t, cpu=False) for t in timings[1:]]
            for timing in timings:
                rows.append(
                    f"  the authors' register.py (issue 11, not run here) {low}-{high} s: "
                    f"{timing.label.split(': ')[1]} is {low / timing.median_wall:.1f}-"
                    f"{high / timing.median_wall:.1f}x faster (wall)"
                )
            if args.breakdown:
                rows.append(f"{args.tasks} x {size}, in-process scoring by metric:")
                rows += breakdown(root)
    print_table(
        f"scoring {args.tasks} language tasks from prediction files (pytest --step 23), "
        f"whole processes, {args.repeat} runs each (alternating)",
        rows,
    )


if __name__ == "__main__":
    main()
