"""Running tasks: predictions on disk (resumable), scoring, results on disk."""

from genbench.data import PREDICTION_FILE
from genbench.runner._predictions import PredictionFile, read_predictions
from genbench.runner._results import (
    SCORED,
    SKIPPED,
    UNMATCHED,
    TaskResult,
    load_result,
    load_results,
    results_dir,
    run_name,
    samples_path,
    save_result,
    scores_for_level,
    unmatched,
)
from genbench.runner._run import RunSettings, TaskError, TaskRunner, TaskSkipped
from genbench.runner._samples import read_samples, write_samples

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
    "read_samples",
    "results_dir",
    "run_name",
    "samples_path",
    "save_result",
    "scores_for_level",
    "unmatched",
    "write_samples",
]
