"""Running tasks: predictions on disk (resumable), scoring, results on disk."""

from genbench.runner._predictions import PREDICTION_FILE, PredictionFile, read_predictions
from genbench.runner._results import (
    SCORED,
    SKIPPED,
    UNMATCHED,
    TaskResult,
    load_result,
    load_results,
    results_dir,
    save_result,
    scores_for_level,
    unmatched,
)
from genbench.runner._run import RunSettings, TaskError, TaskRunner, TaskSkipped

__all__ = [
    "PREDICTION_FILE",
    "SCORED",
    "SKIPPED",
    "UNMATCHED",
    "PredictionFile",
    "RunSettings",
    "TaskError",
    "TaskResult",
    "TaskRunner",
    "TaskSkipped",
    "load_result",
    "load_results",
    "read_predictions",
    "results_dir",
    "save_result",
    "scores_for_level",
    "unmatched",
]
