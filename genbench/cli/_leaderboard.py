"""``genbench leaderboard``: every model column of the workbooks, ranked."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.cli._common import add_level_options, workbook_summaries
from genbench.level import LEVEL_NAMES, Mode
from genbench.reference import ReferenceTable
from genbench.report import rank_summaries, render_leaderboard
from genbench.viewer import ReportOptions, RunOutcome, write_report


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Print the ranking; write the JSON and the HTML report when asked."""
    summaries = workbook_summaries(table, args.workbooks, None, Mode(args.compat), args.rescale)
    print(render_leaderboard(summaries, args.sort))
    if args.json:
        write_json_atomic(args.json, [s.to_json() for s in summaries])
    if args.html:
        runs = [
            RunOutcome(run=s.model, model=s.model, summary=s, summary_source="result workbook")
            for s in rank_summaries(summaries, args.sort)
        ]
        write_report(args.html, runs, ReportOptions(title="genbench leaderboard"), args.sort)
        print(f"wrote {args.html}")


def register(commands: Any) -> None:
    """Add the ``leaderboard`` subcommand."""
    board = commands.add_parser("leaderboard", help="rank every model column of the workbooks")
    board.add_argument("workbooks", type=Path, nargs="+")
    board.add_argument(
        "--sort",
        choices=LEVEL_NAMES,
        default=None,
        help="rank by this level's score (default: by the level reached, then its score)",
    )
    board.add_argument(
        "--html",
        type=Path,
        default=None,
        help="also write the leaderboard as an HTML report (ladders and per-modality bars "
        "side by side)",
    )
    add_level_options(board)
    board.set_defaults(run=run)
