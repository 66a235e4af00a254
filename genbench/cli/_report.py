"""``genbench report``: the HTML report of the runs in an outcome folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench.cli._common import CliError
from genbench.level import LEVEL_NAMES
from genbench.reference import ReferenceTable
from genbench.viewer import ReportOptions, load_runs, write_report


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Read the outcome folder, write the report, say where."""
    if args.bootstrap < 0:
        raise CliError(f"--bootstrap: a number of draws, 0 or more (got {args.bootstrap})")
    runs = load_runs(args.outcome, table, args.model)
    output = args.output or args.outcome / "report.html"
    options = ReportOptions(
        samples_per_task=args.samples_per_task,
        media_budget_bytes=int(args.media_budget * 1_000_000),
        compare=args.compare,
        bootstrap=args.bootstrap,
        seed=args.seed,
    )
    for run_outcome in runs:
        for note in run_outcome.notes:
            print(f"genbench: note: {note}")
    write_report(output, runs, options, args.sort, table)
    print(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB, {len(runs)} model(s))")


def register(commands: Any) -> None:
    """Add the ``report`` subcommand."""
    defaults = ReportOptions()
    report = commands.add_parser(
        "report",
        help="one self-contained HTML report of an outcome folder (levels, charts, tasks, "
        "samples, comparison, next-level diagnosis)",
    )
    report.add_argument("outcome", type=Path, help="the outcome folder (--outcome-dir of the run)")
    report.add_argument(
        "-m",
        "--model",
        action="append",
        help="a model or run folder to show (repeatable; default: every run of the folder)",
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="the HTML file (default: OUTCOME/report.html)",
    )
    report.add_argument(
        "--samples-per-task",
        type=int,
        default=defaults.samples_per_task,
        help="instances shown per task, failures first (default %(default)s)",
    )
    report.add_argument(
        "--media-budget",
        type=float,
        default=defaults.media_budget_bytes / 1e6,
        help="MB of thumbnails and audio embedded in the whole report; past it, media are "
        "linked (default %(default)s)",
    )
    report.add_argument(
        "--sort",
        choices=LEVEL_NAMES,
        default=None,
        help="rank the leaderboard by this level (default: level reached, then its score)",
    )
    report.add_argument(
        "--compare",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="compare the first model with each of the next ones (at most "
        f"{defaults.comparisons}), as genbench compare does (default: when two or more "
        "models have samples files)",
    )
    report.add_argument(
        "--bootstrap",
        type=int,
        default=defaults.bootstrap,
        metavar="B",
        help="bootstrap draws of the comparison, and of the win probabilities of a model "
        "whose level JSON has no ci block; 0: resample nothing (default %(default)s)",
    )
    report.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="bootstrap seed (default %(default)s, as genbench compare)",
    )
    report.set_defaults(run=run)
