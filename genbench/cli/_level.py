"""``genbench level``: the General-Level of the models in a result workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.cli._common import add_level_options, workbook_summaries
from genbench.cli._merge import merge_run
from genbench.level import Mode
from genbench.reference import ReferenceTable
from genbench.report import render_summary


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Print each model's level table; write the JSON and outcome files when asked.

    Given an outcome folder instead of a workbook, merge the model's stored task results
    (every shard's) into its workbook and level JSON there.
    """
    if args.workbook.is_dir():
        summaries = [merge_run(args.workbook, args.model_name or args.model, table, args.compat)]
    else:
        summaries = workbook_summaries(
            table, [args.workbook], args.model, Mode(args.compat), args.rescale, args.outcome
        )
    print("\n\n".join(render_summary(s) for s in summaries))
    if args.json:
        data = [s.to_json() for s in summaries]
        write_json_atomic(args.json, data[0] if len(data) == 1 else data)


def register(commands: Any) -> None:
    """Add the ``level`` subcommand."""
    level = commands.add_parser(
        "level", help="General-Level of the models in a result workbook or an outcome folder"
    )
    level.add_argument("workbook", type=Path, help="result workbook, or outcome folder")
    level.add_argument("--model-name", help="outcome folder: the run to merge (docs/CLUSTER.md)")
    level.add_argument(
        "-m",
        "--model",
        action="append",
        help="model column (repeatable; default: every model column)",
    )
    level.add_argument(
        "--outcome",
        type=Path,
        default=None,
        help="also write <model>_result.xlsx and <model>_level.json here",
    )
    add_level_options(level)
    level.set_defaults(run=run)
