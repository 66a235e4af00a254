"""Write a General-Bench tree in the styles of the real published release, to try by hand.

The tree holds every variant the release shows (task file names, task fields, media path
forms, reference shapes, files that are not tasks); see tests/published_tree.py.
Usage: ``python tools/make_published_tree.py OUT [--closeset] [--copies N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.published_tree import make_published_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (must be empty or absent)")
    parser.add_argument("--closeset", action="store_true", help="write the close set")
    parser.add_argument("--copies", type=int, default=1, help="copies of each task folder")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated content")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    tree = make_published_tree(args.out, closeset=args.closeset, copies=args.copies, seed=args.seed)
    unmatched = sum(task.row is None for task in tree.tasks)
    print(
        f"wrote {len(tree.tasks)} task folders ({unmatched} without a table row) "
        f"and {len(tree.non_tasks)} things that are not tasks under {args.out}"
    )
    for item in tree.non_tasks:
        print(f"  not a task: {item.path}: {item.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
