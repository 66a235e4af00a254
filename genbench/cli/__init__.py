"""The ``genbench`` command: one module per subcommand, assembled by a thin parser.

Each subcommand module has ``register(commands)``, which adds its parser and sets
``run(args, table)``; errors meant for the user are printed in one line (exit status 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from genbench.cli import (
    _compare,
    _diagnose,
    _leaderboard,
    _level,
    _report,
    _submit,
    _tasks,
    _template,
)
from genbench.cli._common import CliError
from genbench.level import UnknownTaskError
from genbench.reference import load_reference_table
from genbench.report import WorkbookError

__all__ = ["CliError", "build_parser", "main"]

_SUBCOMMANDS = (_tasks, _level, _leaderboard, _compare, _diagnose, _report, _template, _submit)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``genbench``."""
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
    for module in _SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 on a reported error)."""
    args = build_parser().parse_args(argv)
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
