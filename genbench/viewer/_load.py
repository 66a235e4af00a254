"""Reading the outcome folder (docs/OUTCOME.md) into what the report shows.

Tolerant by design: unknown keys are ignored, optional ones may be absent, and a file that
cannot be read becomes a note on the run rather than a failed report. A run without its
level JSON (a ``--step 2`` run, a limited run) gets its summary computed here from its
task results, in paper mode, and says so; a run in which no task was scored (a close-set
run) gets none, as the run itself writes none.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from genbench.level import LevelSummary, ModalityLevel, Mode, NlpLevel, level_scores
from genbench.metrics import UnknownMetricError, get_metric
from genbench.reference import MODALITIES, ReferenceTable
from genbench.report import safe_model_name
from genbench.runner import PREDICTION_FILE, SCORED, UNMATCHED, TaskResult, scores_for_level
from genbench.viewer._model import RunOutcome, TaskRow
from genbench.viewer._tree import read_tree

_LEVEL_SUFFIX = "_level.json"


def find_runs(outcome_dir: Path) -> list[str]:
    """The runs of an outcome folder: folders with task results, and level JSON files."""
    runs = {p.parent.name for p in outcome_dir.glob("*/tasks") if p.is_dir()}
    runs |= {p.name[: -len(_LEVEL_SUFFIX)] for p in outcome_dir.glob(f"*{_LEVEL_SUFFIX}")}
    return sorted(runs)


def load_runs(
    outcome_dir: Path,
    table: ReferenceTable,
    models: Sequence[str] | None = None,
    prediction_files: Mapping[str, Path] | None = None,
) -> list[RunOutcome]:
    """The runs of the outcome folder, or those of the named models, in the order named.

    A model is named by its name, its run folder (``Qwen_Qwen2.5-VL``, ``m@limit5``) or
    the model name its results carry. ``prediction_files`` maps item ids to prediction
    files where they are not under ``<run>/predictions`` (``--predictions-dir``).

    Raises:
        FileNotFoundError: the folder does not exist or holds no run.
        ValueError: a named model has no run in the folder.
    """
    if not outcome_dir.is_dir():
        raise FileNotFoundError(f"{outcome_dir}: no such outcome folder")
    names = find_runs(outcome_dir)
    if not names:
        raise FileNotFoundError(f"{outcome_dir}: no run (no <model>/tasks/ nor *_level.json)")
    if not models:
        return [load_run(outcome_dir, name, table, prediction_files) for name in names]
    runs = []
    for model in models:
        name = next((n for n in names if n in (model, safe_model_name(model))), None)
        if name is None:
            raise ValueError(
                f"{outcome_dir}: no run of model {model!r}; runs here: {', '.join(names)}"
            )
        runs.append(load_run(outcome_dir, name, table, prediction_files))
    return runs


def load_run(
    outcome_dir: Path,
    run: str,
    table: ReferenceTable,
    prediction_files: Mapping[str, Path] | None = None,
) -> RunOutcome:
    """One run: its level JSON (or a summary computed from its tasks), tasks and ci."""
    folder = outcome_dir / run
    notes: list[str] = []
    level_data = _read_json(outcome_dir / f"{run}{_LEVEL_SUFFIX}", notes)
    results = _read_results(folder / "tasks", notes)
    limit = _run_limit(run)
    if level_data is not None and _json_limit(level_data) != limit:
        notes.append(
            f"{run}{_LEVEL_SUFFIX} is of another run (limit {_json_limit(level_data)}); "
            "levels computed from this run's task results"
        )
        level_data = None
    model = str(
        (level_data or {}).get("model") or next((r.model for r in results.values()), None) or run
    )
    summary = summary_from_json(level_data) if level_data is not None else None
    source = "level JSON"
    if summary is None and any(r.status in (SCORED, UNMATCHED) for r in results.values()):
        summary = level_scores(table, scores_for_level(table, results), model, Mode.PAPER)
        source = "computed from the task results (paper mode)"
    elif summary is None:  # as the run itself: no level when nothing was scored
        source = "none (no task was scored)"
    provenance = (level_data or {}).get("provenance")
    if not isinstance(provenance, dict):
        provenance = next((dict(r.provenance) for r in results.values()), {})
    ci = (level_data or {}).get("ci")
    ci = ci if isinstance(ci, dict) else None
    predictions = _prediction_files(folder / "predictions")
    predictions.update(prediction_files or {})
    tasks = [_task_row(r, folder, predictions, ci) for r in results.values()]
    return RunOutcome(
        run=run,
        model=model,
        summary=summary,
        provenance=provenance,
        ci=ci,
        tasks=sorted(tasks, key=lambda t: t.result.item_id),
        folder=folder if folder.is_dir() else None,
        summary_source=source,
        notes=notes,
        tree=read_tree(folder, table, notes),
    )


def summary_from_json(data: Mapping[str, Any]) -> LevelSummary:
    """A :class:`LevelSummary` from its JSON (``<run>_level.json``); absent numbers read 0."""
    per_modality = data.get("per_modality") or {}
    nlp = data.get("nlp") or {}
    try:
        mode = Mode(str(data.get("mode", Mode.PAPER.value)))
    except ValueError:
        mode = Mode.PAPER

    def modality(name: str) -> ModalityLevel:
        m = per_modality.get(name) or {}
        return ModalityLevel(
            level2=_number(m.get("Level-2")),
            level3=_number(m.get("Level-3")),
            level4=_number(m.get("Level-4")),
            s_c=_number(m.get("S_C")),
            s_g=_number(m.get("S_G")),
            supported=int(_number(m.get("supported"))),
            total=int(_number(m.get("total"))),
            wins=int(_number(m.get("wins"))),
        )

    final = data.get("final") or {}
    return LevelSummary(
        model=str(data.get("model", "")),
        mode=mode,
        level=int(_number(data.get("level"), 1.0)),
        final={
            name: _number(final.get(name)) for name in ("Level-2", "Level-3", "Level-4", "Level-5")
        },
        per_modality={name: modality(name) for name in MODALITIES},
        nlp=NlpLevel(
            s_l=_number(nlp.get("S_L")),
            supported=int(_number(nlp.get("supported"))),
            total=int(_number(nlp.get("total"))),
            wins=int(_number(nlp.get("wins"))),
        ),
    )


def _number(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _read_json(path: Path, notes: list[str]) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        notes.append(f"{path}: unreadable ({error})")
        return None
    if not isinstance(data, dict):
        notes.append(f"{path}: not a JSON object")
        return None
    return data


def _read_results(folder: Path, notes: list[str]) -> dict[str, TaskResult]:
    results = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = _read_json(path, notes)
        if data is None:
            continue
        try:
            result = TaskResult.from_json(data)
        except TypeError as error:  # a required key is absent
            notes.append(f"{path}: not a task result ({error})")
            continue
        results[result.item_id] = result
    return results


def _run_limit(run: str) -> int | None:
    match = re.search(r"@limit(\d+)$", run)
    return int(match.group(1)) if match else None


def _json_limit(level_data: Mapping[str, Any]) -> int | None:
    provenance = level_data.get("provenance")
    limit = provenance.get("limit") if isinstance(provenance, dict) else None
    return int(limit) if isinstance(limit, int) else None


def _prediction_files(root: Path) -> dict[str, Path]:
    """Prediction files under ``<run>/predictions``, by the item id their folder gives."""
    found = {}
    for path in root.rglob(PREDICTION_FILE) if root.is_dir() else []:
        parts = path.relative_to(root).parts[:-1]
        if parts:
            found["-".join([*(p.lower() for p in parts[:-1]), parts[-1]])] = path
    return found


def _sota_normalized(metric: str, sota: float | None) -> float | None:
    if sota is None:
        return None
    try:
        return get_metric(metric).normalize(float(sota))
    except (UnknownMetricError, ValueError, TypeError):
        return None


def _task_row(
    result: TaskResult,
    folder: Path,
    predictions: Mapping[str, Path],
    ci: Mapping[str, Any] | None,
) -> TaskRow:
    samples = folder / result.samples if result.samples else None
    task_ci = ((ci or {}).get("tasks") or {}).get(result.item_id) or {}
    return TaskRow(
        result=result,
        sota_normalized=_sota_normalized(result.metric, result.sota),
        samples_file=samples if samples is not None and samples.is_file() else None,
        prediction_file=predictions.get(result.item_id),
        interval=interval_of(task_ci.get("interval")),
        win_probability=_optional(task_ci.get("win_probability")),
    )


def interval_of(value: Any) -> tuple[float, float] | None:
    """An interval ``[lo, hi]`` of the ``ci`` block as a pair of numbers, or None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    lo, hi = _optional(value[0]), _optional(value[1])
    return None if lo is None or hi is None else (lo, hi)


def _optional(value: Any) -> float | None:
    if value is None:
        return None
    number = _number(value, math.nan)
    return None if math.isnan(number) else number
