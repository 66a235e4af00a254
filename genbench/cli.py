"""The ``genbench`` command: levels from result workbooks, leaderboards, the template."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from genbench._atomic import write_json_atomic
from genbench.level import LEVEL_NAMES, LevelSummary, Mode, UnknownTaskError, level_scores
from genbench.provenance import collect_provenance
from genbench.reference import ReferenceTable, load_reference_table
from genbench.report import (
    WorkbookError,
    looks_like_fractions,
    read_result_workbook,
    render_leaderboard,
    render_summary,
    rescale_fractions,
    write_outcome,
    write_template,
)


class CliError(Exception):
    """An error to report in one line, without a traceback."""


def _warn(message: str) -> None:
    print(f"genbench: warning: {message}", file=sys.stderr)


def _summaries(
    table: ReferenceTable,
    workbooks: Sequence[Path],
    models: Sequence[str] | None,
    mode: Mode,
    rescale: bool,
    outcome: Path | None = None,
) -> list[LevelSummary]:
    summaries = []
    for path in workbooks:
        book = read_result_workbook(path, table, models)
        for model in book.models:
            scores = book.scores[model]
            if rescale:
                scores = rescale_fractions(table, scores)
            elif looks_like_fractions(table, scores):
                _warn(
                    f"{path}: model {model!r}: every percent-metric score lies in [0, 1]; "
                    "they look like fractions (0.745 for 74.5%). Pass --rescale to multiply "
                    "them by 100."
                )
            summary = level_scores(table, scores, model, mode)
            summaries.append(summary)
            if outcome is not None:
                provenance = collect_provenance(
                    source=str(path), mode=mode.value, rescaled=rescale, reference=table.fingerprint
                )
                for written in write_outcome(outcome, table, scores, summary, provenance):
                    print(f"wrote {written}")
    return summaries


def _cmd_level(args: argparse.Namespace, table: ReferenceTable) -> None:
    summaries = _summaries(
        table, [args.workbook], args.model, Mode(args.compat), args.rescale, args.outcome
    )
    print("\n\n".join(render_summary(s) for s in summaries))
    if args.json:
        data = [s.to_json() for s in summaries]
        write_json_atomic(args.json, data[0] if len(data) == 1 else data)


def _cmd_leaderboard(args: argparse.Namespace, table: ReferenceTable) -> None:
    summaries = _summaries(table, args.workbooks, None, Mode(args.compat), args.rescale)
    print(render_leaderboard(summaries, args.sort))
    if args.json:
        write_json_atomic(args.json, [s.to_json() for s in summaries])


def _cmd_template(args: argparse.Namespace, table: ReferenceTable) -> None:
    write_template(args.out, table)
    print(f"wrote {args.out}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``genbench``."""
    parser = argparse.ArgumentParser(prog="genbench", description=__doc__)
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="reference table CSV (default: the bundled one)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--compat",
            choices=[m.value for m in Mode],
            default=Mode.PAPER.value,
            help="paper (default) or upstream: reproduce the authors' scorer",
        )
        sub.add_argument(
            "--rescale",
            action="store_true",
            help="multiply percent-metric scores by 100 (they were fractions)",
        )
        sub.add_argument("--json", type=Path, help="also write the summary as JSON here")

    level = commands.add_parser("level", help="General-Level of the models in a result workbook")
    level.add_argument("workbook", type=Path)
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
    common(level)
    level.set_defaults(run=_cmd_level)

    board = commands.add_parser("leaderboard", help="rank every model column of the workbooks")
    board.add_argument("workbooks", type=Path, nargs="+")
    board.add_argument("--sort", choices=LEVEL_NAMES, default="Level-2")
    common(board)
    board.set_defaults(run=_cmd_leaderboard)

    template = commands.add_parser("template", help="write the empty result-workbook template")
    template.add_argument("out", type=Path)
    template.set_defaults(run=_cmd_template)
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
