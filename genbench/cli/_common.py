"""What the subcommands share: the one-line error, warnings, level options, summaries."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from genbench.level import LevelSummary, Mode, level_scores
from genbench.provenance import collect_provenance
from genbench.reference import ReferenceTable
from genbench.report import (
    looks_like_fractions,
    read_result_workbook,
    rescale_fractions,
    write_outcome,
)


class CliError(Exception):
    """An error to report in one line, without a traceback."""


def warn(message: str) -> None:
    """Print a warning on standard error, in the command's one-line form."""
    print(f"genbench: warning: {message}", file=sys.stderr)


def add_level_options(sub: argparse.ArgumentParser) -> None:
    """``--compat``, ``--rescale`` and ``--json``: shared by level and leaderboard."""
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


def workbook_summaries(
    table: ReferenceTable,
    workbooks: Sequence[Path],
    models: Sequence[str] | None,
    mode: Mode,
    rescale: bool,
    outcome: Path | None = None,
) -> list[LevelSummary]:
    """The level summary of every (selected) model column of the workbooks.

    With ``outcome``, each model's result workbook and level JSON are written there too.
    """
    summaries = []
    for path in workbooks:
        book = read_result_workbook(path, table, models)
        for model in book.models:
            scores = book.scores[model]
            if rescale:
                scores = rescale_fractions(table, scores)
            elif looks_like_fractions(table, scores):
                warn(
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
