"""``genbench submit``: pack a close-set submission, or check one (``--check``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genbench.cli._common import CliError, warn
from genbench.reference import ReferenceTable

#: Problems listed before "... and N more".
SHOWN = 50


def _grouped(problems: Sequence[Any]) -> list[str]:
    """One line per file and complaint, with the instances it concerns."""
    groups: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        ids = groups.setdefault((problem.where, problem.what), [])
        if problem.instance is not None:
            ids.append(problem.instance)
    lines = []
    for (where, what), ids in groups.items():
        if len(ids) == 1:
            lines.append(f"{where}: instance {ids[0]!r}: {what}")
        elif ids:
            shown = ", ".join(repr(i) for i in ids[:10]) + (" ..." if len(ids) > 10 else "")
            lines.append(f"{where}: {len(ids)} instances ({shown}): {what}")
        else:
            lines.append(f"{where}: {what}")
    return lines


def _show(problems: Sequence[Any]) -> None:
    lines = _grouped(problems)
    for line in lines[:SHOWN]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > SHOWN:
        print(f"  ... and {len(lines) - SHOWN} more", file=sys.stderr)


def _check(args: argparse.Namespace, table: ReferenceTable) -> None:
    from genbench.submit import check_submission

    report = check_submission(args.check, args.dataset_dir, table, args.task)
    manifest = report.manifest
    print(
        f"{args.check}: {manifest.layout} layout, model {manifest.model!r}, settings "
        f"{manifest.settings_digest}, genbench {manifest.genbench}; {report.tasks} tasks, "
        f"{report.predictions}/{report.instances} instances predicted, {report.size} bytes"
    )
    if report.problems:
        _show(report.problems)
    if not report.passes(args.allow_partial):
        integrity = sum(not p.incomplete for p in report.problems)
        hint = "" if integrity else " (--allow-partial accepts missing predictions)"
        raise CliError(f"{args.check}: check failed: {len(report.problems)} problem(s){hint}")
    print(f"{args.check}: check passed" + ("" if not report.problems else " (partial)"))


def _pack(args: argparse.Namespace, table: ReferenceTable) -> None:
    from genbench.submit import IncompleteSubmission, pack_submission

    if args.outcome is None or args.model is None or args.output is None:
        raise CliError("submit: give OUTCOME, -m MODEL and -o OUTPUT (or --check PACK)")
    try:
        report = pack_submission(
            args.outcome,
            args.model,
            args.dataset_dir,
            args.output,
            table,
            layout=args.layout,
            allow_partial=args.allow_partial,
            patterns=args.task,
            predictions=args.predictions_dir,
        )
    except IncompleteSubmission as error:
        _show(error.problems)
        raise CliError(f"{error}; pass --allow-partial to pack it anyway") from None
    if report.problems:
        warn(f"packed a partial submission ({len(report.problems)} problem(s)):")
        _show(report.problems)
    entries = report.manifest.tasks.values()
    predicted = sum(e.predictions for e in entries)
    instances = sum(e.instances for e in entries)
    files = sum(len(e.files) for e in entries)
    print(
        f"wrote {report.output}: {len(entries)} tasks, {predicted}/{instances} instances, "
        f"{files} files, {report.size} bytes"
    )


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Pack, or check with ``--check``; problems are listed, then one error line."""
    from genbench.submit import SubmissionError

    try:
        (_check if args.check else _pack)(args, table)
    except SubmissionError as error:
        raise CliError(str(error)) from None


def register(commands: Any) -> None:
    """Add the ``submit`` subcommand."""
    submit = commands.add_parser(
        "submit",
        help="pack close-set predictions for the leaderboard, or check a pack",
        description="genbench submit OUTCOME -m MODEL --dataset-dir CLOSESET -o submission.zip; "
        "genbench submit --check submission.zip --dataset-dir CLOSESET",
    )
    submit.add_argument("outcome", type=Path, nargs="?", help="the run's outcome folder")
    submit.add_argument("-m", "--model", help="the model name the run filed predictions under")
    submit.add_argument(
        "--dataset-dir", type=Path, required=True, help="the close-set tree the run predicted"
    )
    submit.add_argument("-o", "--output", type=Path, help="the pack: a .zip, else a folder")
    submit.add_argument(
        "--layout",
        choices=("leaderboard", "authors"),
        default="leaderboard",
        help="leaderboard (default): one task object per task folder; authors: a "
        "prediction.json list beside each task file, for the authors' scorer",
    )
    submit.add_argument(
        "--allow-partial",
        action="store_true",
        help="pack (or pass) with instances missing; they are listed in the manifest",
    )
    submit.add_argument(
        "--task",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only tasks whose item id matches (shell-style, repeatable; default: all)",
    )
    submit.add_argument(
        "--predictions-dir",
        type=Path,
        help="where the run wrote predictions (default: OUTCOME/<model>/predictions)",
    )
    submit.add_argument("--check", type=Path, metavar="PACK", help="check this pack instead")
    submit.set_defaults(run=run)
