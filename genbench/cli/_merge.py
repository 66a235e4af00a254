"""``genbench level OUTCOME --model-name M``: merge a (sharded) run's results on disk."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from genbench.cli._common import CliError, warn
from genbench.level import LevelSummary, Mode
from genbench.reference import ReferenceTable


def _run_names(outcome: Path) -> list[str]:
    """The model names of the runs stored in an outcome folder (from one result each)."""
    names = []
    for tasks in sorted(outcome.glob("*/tasks")):
        first = next(iter(sorted(tasks.glob("*.json"))), None)
        if first is not None:
            names.append(str(json.loads(first.read_text(encoding="utf-8")).get("model")))
    return names


def merge_run(
    outcome: Path, names: str | Sequence[str] | None, table: ReferenceTable, compat: str
) -> LevelSummary:
    """Merge one model's stored results into its workbook and level JSON; say what was
    written and which shards still owe tasks.

    Raises:
        CliError: no model named and the folder holds more or fewer than one run.
    """
    chosen = [names] if isinstance(names, str) else list(names or [])
    if not chosen:
        chosen = _run_names(outcome)
        if len(chosen) != 1:
            found = ", ".join(chosen) or "none"
            raise CliError(f"{outcome}: name the run with --model-name (runs here: {found})")
    if len(chosen) > 1:
        raise CliError(f"{outcome}: merge one run at a time, not {', '.join(chosen)}")
    from genbench.shard import merge_outcome  # the outcome machinery: only for a folder

    try:
        merged = merge_outcome(outcome, chosen[0], table, Mode(compat))
    except FileNotFoundError as error:
        raise CliError(f"{error} (runs here: {', '.join(_run_names(outcome)) or 'none'})") from None
    for path in merged.written:
        print(f"wrote {path}")
    if merged.unscored:
        warn(merged.unscored)
    return merged.summary
