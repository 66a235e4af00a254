"""``genbench diagnose``: what it takes to reach the next level, and the fragile wins."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.cli._bootstrap import add_bootstrap_options, bootstrap_settings, load_model
from genbench.level import Mode
from genbench.reference import ReferenceTable
from genbench.report import render_summary
from genbench.stats import (
    FRAGILE_BELOW,
    diagnose,
    level_intervals,
    render_diagnosis,
    render_intervals,
)


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Print the level (with intervals) and the diagnosis; write its JSON when asked."""
    settings = bootstrap_settings(args)
    material = load_model(args.source, args.model, table, args, args.samples)
    intervals = level_intervals(table, material.tasks, settings, Mode(args.compat))
    win_probability = {d.task.row.key: d.win_probability for d in intervals.tasks.values()}
    diagnosis = diagnose(
        table,
        material.summary,
        material.scores,
        win_probability,
        material.item_ids(),
        args.top,
        args.fragile_below,
    )
    print(render_summary(material.summary))
    print(render_intervals(material.summary, intervals))
    print(render_diagnosis(diagnosis))
    if args.json:
        write_json_atomic(args.json, {**diagnosis.to_json(), "ci": intervals.to_json()})


def register(commands: Any) -> None:
    """Add the ``diagnose`` subcommand."""
    sub = commands.add_parser(
        "diagnose", help="what a model needs for the next level; its fragile wins"
    )
    sub.add_argument(
        "source", type=Path, metavar="SOURCE", help="an outcome folder (with -m) or a workbook"
    )
    sub.add_argument("-m", "--model", default=None, help="the model's name")
    sub.add_argument(
        "--samples",
        type=Path,
        default=None,
        metavar="RUN",
        help="with a workbook: the model's run folder (holding tasks/ and samples/)",
    )
    sub.add_argument("--top", type=int, default=5, help="candidates per group (default 5)")
    sub.add_argument(
        "--fragile-below",
        type=float,
        default=FRAGILE_BELOW,
        metavar="P",
        help=f"a win less likely than P is fragile (default {FRAGILE_BELOW:g})",
    )
    add_bootstrap_options(sub)
    sub.set_defaults(run=run)
