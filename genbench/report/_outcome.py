"""The files a finished evaluation leaves in the outcome folder."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from genbench._atomic import write_json_atomic
from genbench.level import LevelSummary, ModelScores
from genbench.reference import ReferenceTable
from genbench.report._unchanged import content_digest, remember, unchanged
from genbench.report._workbook import write_result_workbook

_RUN_NAME = re.compile(r"[\w.+-]+@limit\d+")


def safe_model_name(model: str) -> str:
    """A model name usable as a file name (``Qwen/Qwen2.5-VL`` -> ``Qwen_Qwen2.5-VL``)."""
    # never "." or "..", never hidden: a name must stay a folder of its own
    return re.sub(r"[^\w.+-]+", "_", model).strip("_").lstrip(".") or "model"


def outcome_paths(outcome_dir: Path, model: str) -> tuple[Path, Path]:
    """``<outcome>/<model>_result.xlsx`` and ``<outcome>/<model>_level.json`` (a run name
    such as ``baseline@limit5`` is kept as it is).
    """
    stem = model if _RUN_NAME.fullmatch(model) else safe_model_name(model)
    return outcome_dir / f"{stem}_result.xlsx", outcome_dir / f"{stem}_level.json"


def write_outcome(
    outcome_dir: Path,
    table: ReferenceTable,
    scores: ModelScores,
    summary: LevelSummary,
    provenance: Mapping[str, object],
    stem: str | None = None,
    tasks: Sequence[Mapping[str, object]] = (),
    extra: Mapping[str, object] | None = None,
    extra_rows: Sequence[Sequence[object]] = (),
) -> tuple[Path, Path]:
    """Write a model's result workbook and level JSON; return their paths.

    ``stem`` names the files (default: the model's safe name; a limited run's carries its
    limit); ``tasks`` are the rows of the workbook's ``Task-Status`` sheet and the level
    JSON's ``tasks`` (every task's status and reason); ``extra`` adds keys to the JSON
    (the intervals' ``ci`` block ...), ``extra_rows`` rows to the Level-Scores sheet. A
    workbook that would hold what it holds is left as it is (genbench.report._unchanged).
    """
    workbook, level_json = outcome_paths(outcome_dir, stem or summary.model)
    models = {summary.model: scores}
    digest = content_digest(
        table.fingerprint, models, summary, dict(provenance), list(tasks), list(extra_rows)
    )
    if not unchanged(workbook, digest):
        write_result_workbook(workbook, table, models, [summary], provenance, tasks, extra_rows)
        remember(workbook, digest)
    write_json_atomic(
        level_json,
        {
            **summary.to_json(),
            **dict(extra or {}),
            **({"tasks": list(tasks)} if tasks else {}),
            "provenance": dict(provenance),
        },
    )
    return workbook, level_json
