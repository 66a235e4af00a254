"""``genbench compare``: what separates two models, per task and per level."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.cli._bootstrap import add_bootstrap_options, bootstrap_settings, load_model
from genbench.cli._common import CliError
from genbench.level import Mode
from genbench.reference import ReferenceTable
from genbench.stats import compare_models, render_comparison


def _sources(args: argparse.Namespace) -> list[tuple[Path, str | None, Path | None]]:
    """(source, model, run folder of records) for A and B."""
    sources, models = list(args.sources), list(args.model or [])
    records = list(args.samples or [])
    if len(records) not in (0, 2):
        raise CliError("--samples: give the run folder of each model (twice), or none")
    pairs = records or [None, None]
    if len(sources) == 1:
        if len(models) != 2:
            raise CliError(f"{sources[0]}: name the two models to compare: -m A -m B")
        return [(sources[0], models[0], pairs[0]), (sources[0], models[1], pairs[1])]
    if len(sources) == 2 and not any(s.is_dir() for s in sources):
        if len(models) not in (0, 2):
            raise CliError("two workbooks: give -m for each (-m A -m B) or for none")
        names: list[str | None] = list(models) if models else [None, None]
        return [(sources[0], names[0], pairs[0]), (sources[1], names[1], pairs[1])]
    raise CliError("compare one outcome folder (-m A -m B) or two result workbooks")


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Print the comparison; write its JSON when asked."""
    settings = bootstrap_settings(args)
    a, b = (load_model(s, m, table, args, r) for s, m, r in _sources(args))
    comparison = compare_models(
        table, (a.tasks, b.tasks), (a.summary, b.summary), settings, Mode(args.compat), args.fdr
    )
    print(render_comparison(comparison, args.all))
    if args.json:
        write_json_atomic(args.json, comparison.to_json())


def register(commands: Any) -> None:
    """Add the ``compare`` subcommand."""
    compare = commands.add_parser(
        "compare",
        help="two models per task and per level: paired bootstrap differences, "
        "Benjamini-Hochberg across tasks",
    )
    compare.add_argument(
        "sources",
        type=Path,
        nargs="+",
        metavar="SOURCE",
        help="an outcome folder (with -m A -m B), or two result workbooks",
    )
    compare.add_argument("-m", "--model", action="append", help="model name (twice)")
    compare.add_argument(
        "--samples",
        type=Path,
        action="append",
        metavar="RUN",
        help="with workbooks: each model's run folder (<outcome>/<run>, holding tasks/ and "
        "samples/), twice",
    )
    compare.add_argument(
        "--fdr", type=float, default=0.05, metavar="Q", help="false discovery rate (default 0.05)"
    )
    compare.add_argument(
        "--all", action="store_true", help="list every task, not only the significant ones"
    )
    add_bootstrap_options(compare)
    compare.set_defaults(run=run)
