"""Options shared by the statistics subcommands (compare, diagnose): draws, level, seed."""

from __future__ import annotations

import argparse
from pathlib import Path

from genbench.cli._common import add_level_options
from genbench.level import Mode
from genbench.reference import ReferenceTable
from genbench.stats import BootstrapSettings, ModelMaterial, from_outcome, from_workbook


def add_bootstrap_options(sub: argparse.ArgumentParser) -> None:
    """``--bootstrap``, ``--ci``, ``--seed`` and ``--limit``, with the level options
    (``--compat``, ``--rescale``, ``--json``).
    """
    add_level_options(sub)
    sub.add_argument(
        "--bootstrap", type=int, default=1000, metavar="B", help="bootstrap draws (default 1000)"
    )
    sub.add_argument(
        "--ci", type=float, default=0.95, metavar="LEVEL", help="confidence level (default 0.95)"
    )
    sub.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    sub.add_argument(
        "--limit", type=int, default=None, help="read the results of a run made with --limit N"
    )


def bootstrap_settings(args: argparse.Namespace) -> BootstrapSettings:
    """The settings of ``--bootstrap``, ``--ci`` and ``--seed``.

    Raises:
        ValueError: B below 1 or a level outside (0, 1).
    """
    settings = BootstrapSettings(args.bootstrap, args.ci, args.seed)
    if settings.draws < 1:
        raise ValueError("--bootstrap: at least one draw is needed")
    return settings


def load_model(
    source: Path,
    model: str | None,
    table: ReferenceTable,
    args: argparse.Namespace,
    records: Path | None = None,
) -> ModelMaterial:
    """A model's material from an outcome folder (``model`` required) or a workbook."""
    mode = Mode(args.compat)
    if source.is_dir():
        if model is None:
            raise ValueError(f"{source}: an outcome folder needs the model's name (-m)")
        return from_outcome(source, model, table, mode, args.limit)
    return from_workbook(source, model, table, mode, records, args.rescale)
