"""Running tasks: predictions on disk (resumable), scoring, results on disk."""

from genbench.data import PREDICTION_FILE
from genbench.runner._finish import (
    DISCOVERY_FILE,
    FinishedRun,
    RecordedRun,
    finish_run,
    recorded_run,
    status_rows,
)
from genbench.runner._gather import Gathered, gather_results
from genbench.runner._identity import (
    RUN_FILE,
    RunConflict,
    RunIdentity,
    check_run_folder,
    claim_run_folder,
    digest,
    file_digest,
)
from genbench.runner._predict import Progress, output_name
from genbench.runner._predictions import PredictionFile, read_predictions
from genbench.runner._results import (
    CLOSESET,
    FAILED,
    SCORED,
    SKIPPED,
    STATUSES,
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
from genbench.runner._run import CLOSESET_REASON, TaskRunner, task_digest
from genbench.runner._samples import read_samples, write_samples
from genbench.runner._settings import ModelLoadError, RunSettings, TaskError, TaskSkipped

__all__ = [
    "CLOSESET",
    "CLOSESET_REASON",
    "DISCOVERY_FILE",
    "FAILED",
    "PREDICTION_FILE",
    "RUN_FILE",
    "SCORED",
    "SKIPPED",
    "STATUSES",
    "UNMATCHED",
    "FinishedRun",
    "Gathered",
    "ModelLoadError",
    "PredictionFile",
    "Progress",
    "RecordedRun",
    "RunConflict",
    "RunIdentity",
    "RunSettings",
    "TaskError",
    "TaskResult",
    "TaskRunner",
    "TaskSkipped",
    "check_run_folder",
    "claim_run_folder",
    "digest",
    "file_digest",
    "finish_run",
    "gather_results",
    "load_result",
    "load_results",
    "output_name",
    "read_predictions",
    "read_samples",
    "recorded_run",
    "results_dir",
    "run_name",
    "samples_path",
    "save_result",
    "scores_for_level",
    "status_rows",
    "task_digest",
    "unmatched",
    "write_samples",
]
