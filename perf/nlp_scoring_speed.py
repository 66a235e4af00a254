"""Time scoring 50 language tasks of 1000 instances each (step 2 only).

Target (issue 4): at most half the time the authors' scorer takes on the project's
machine kind (about 21 s), so 10.5 s. The tree covers every language family of docs/TASKS.md in turn
(tests/language_tree.py). Usage: python perf/nlp_scoring_speed.py [--tasks 50]
[--instances 1000]; prints the time per family and in total.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genbench.data import discover_tasks
from genbench.reference import load_reference_table
from genbench.runner import RunSettings, TaskRunner
from tests.language_tree import build_language_tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=0,
        help="draw words uniformly from this many random words instead of the tree's 28 "
        "(a pessimistic stand-in for real text: fewer repeated words to memoize)",
    )
    args = parser.parse_args()
    if args.vocabulary:
        import random
        import string

        from tests import language_tree

        rng = random.Random(1)
        letters = string.ascii_lowercase
        language_tree.WORDS = [
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
            for _ in range(args.vocabulary)
        ]
    table = load_reference_table()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_language_tree(root, instances=args.instances, seed=0, tasks=args.tasks)
        settings = RunSettings("baseline", "speed", root / "out", root, steps=frozenset({2}))
        runner = TaskRunner(settings, table, lambda: None)  # type: ignore[arg-type, return-value]
        per_metric: dict[str, float] = collections.defaultdict(float)
        start = time.perf_counter()
        for task in discover_tasks(root, table):
            began = time.perf_counter()
            result = runner.score(task)
            per_metric[result.metric] += time.perf_counter() - began
        total = time.perf_counter() - start
    for metric, seconds in sorted(per_metric.items(), key=lambda kv: -kv[1]):
        print(f"{metric:10s} {seconds:6.2f} s")
    print(f"{args.tasks} tasks x {args.instances} instances scored in {total:.2f} s")


if __name__ == "__main__":
    main()
