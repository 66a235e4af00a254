"""The files a finished evaluation leaves in the outcome folder."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from genbench._atomic import write_json_atomic
from genbench.level import LevelSummary, ModelScores
from genbench.reference import ReferenceTable
from genbench.report._workbook import write_result_workbook


def safe_model_name(model: str) -> str:
    """A model name usable as a file name (``Qwen/Qwen2.5-VL`` -> ``Qwen_Qwen2.5-VL``)."""
    return re.sub(r"[^\w.+-]+", "_", model).strip("_") or "model"


def outcome_paths(outcome_dir: Path, model: str) -> tuple[Path, Path]:
    """``<outcome>/<model>_result.xlsx`` and ``<outcome>/<model>_level.json``."""
    stem = safe_model_name(model)
    return outcome_dir / f"{stem}_result.xlsx", outcome_dir / f"{stem}_level.json"


def write_outcome(
    outcome_dir: Path,
    table: ReferenceTable,
    scores: ModelScores,
    summary: LevelSummary,
    provenance: Mapping[str, object],
    extra: Mapping[str, object] | None = None,
    extra_rows: Sequence[Sequence[object]] = (),
) -> tuple[Path, Path]:
    """Write a model's result workbook and level JSON; return their paths.

    ``extra`` adds keys to the level JSON (the intervals' ``ci`` block), ``extra_rows``
    rows to the workbook's Level-Scores sheet.
    """
    workbook, level_json = outcome_paths(outcome_dir, summary.model)
    write_result_workbook(
        workbook, table, {summary.model: scores}, [summary], provenance, extra_rows
    )
    data = {**summary.to_json(), **(extra or {}), "provenance": dict(provenance)}
    write_json_atomic(level_json, data)
    return workbook, level_json
