"""The ``genbench`` command: one module per subcommand, assembled by a thin parser.

Each subcommand module has ``register(commands)``, which adds its parser and sets
``run(args, table)``; errors meant for the user are printed in one line (exit status 2).
A command line that names its subcommand imports that module alone (``genbench level``
does not pay for the statistics, the report viewer or discovery); help and anything
unclear import them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from genbench.cli._common import CliError
from genbench.level import UnknownTaskError
from genbench.reference import load_reference_table
from genbench.report import WorkbookError

__all__ = ["CliError", "build_parser", "main"]

#: Each subcommand's module, in the order ``genbench --help`` lists them.
SUBCOMMANDS: dict[str, str] = {
    name: f"genbench.cli._{name}"
    for name in (
        "tasks",
        "level",
        "leaderboard",
        "compare",
        "diagnose",
        "report",
        "template",
        "submit",
    )
}


def _named_subcommand(argv: Sequence[str] | None) -> str | None:
    """The subcommand a command line names, if it names one and asks for no global help."""
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--reference")
    first.add_argument("command", nargs="?")
    known, _ = first.parse_known_args(sys.argv[1:] if argv is None else list(argv))
    return known.command if known.command in SUBCOMMANDS else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``genbench``: every subcommand, or ``only`` that one."""
    parser = argparse.ArgumentParser(
        prog="genbench",
        description="General-Bench evaluation: levels from result workbooks or outcome "
        "folders, leaderboards, HTML reports of outcome folders, the workbook template, "
        "close-set submissions.",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="reference table CSV (default: the bundled one)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module in SUBCOMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 on a reported error)."""
    args = build_parser(_named_subcommand(argv)).parse_args(argv)
    try:
        table = load_reference_table(args.reference)
        args.run(args, table)
    except (WorkbookError, UnknownTaskError, CliError, ValueError, OSError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"genbench: error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
