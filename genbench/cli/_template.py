"""``genbench template``: the empty result workbook, generated from the reference table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from genbench.cli._common import CliError
from genbench.reference import ReferenceTable
from genbench.report import write_template


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Write the template workbook (never over an existing file unless ``--force``)."""
    if args.out.exists() and not args.force:
        raise CliError(f"{args.out}: exists (a result workbook?); pass --force to overwrite it")
    write_template(args.out, table)
    print(f"wrote {args.out}")


def register(commands: Any) -> None:
    """Add the ``template`` subcommand."""
    template = commands.add_parser("template", help="write the empty result-workbook template")
    template.add_argument("out", type=Path)
    template.add_argument("--force", action="store_true", help="overwrite an existing file")
    template.set_defaults(run=run)
