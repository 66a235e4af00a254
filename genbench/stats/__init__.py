"""Statistics on General-Level: how sure a level is, what separates two models, what
reaches the next level (docs/STATISTICS.md).

- intervals: a percentile bootstrap over each task's instances, resampled jointly across
  tasks, gives every task score, every level and every modality's S_C, S_G and levels an
  interval, each task a win probability, each level a probability of being reached;
- comparison: a paired bootstrap over the instances two models both answered, per task
  and per level, with a Benjamini-Hochberg correction across tasks;
- diagnostics: from the level formulas, what it takes to reach the next level.
"""

from genbench.stats._compare import (
    PAIRED_METHOD,
    Comparison,
    Difference,
    TaskComparison,
    benjamini_hochberg,
    compare_models,
)
from genbench.stats._diagnose import Candidate, CandidateGroup, Diagnosis, diagnose
from genbench.stats._draws import (
    METHOD,
    BootstrapSettings,
    bootstrap_p_value,
    percentile_interval,
    resample_counts,
    resample_indices,
    task_indices,
    task_rng,
)
from genbench.stats._intervals import (
    LevelIntervals,
    TaskDraws,
    level_intervals,
    outcome_intervals,
    run_intervals,
    task_draws,
)
from genbench.stats._levels import LevelDraws, level_draws, normalize_draws
from genbench.stats._render import (
    FRAGILE_BELOW,
    fragile_wins,
    interval_outputs,
    interval_rows,
    render_intervals,
)
from genbench.stats._sources import ModelMaterial, from_outcome, from_workbook
from genbench.stats._tables import render_comparison, render_diagnosis
from genbench.stats._tasks import TaskSample, fixed_task, load_tasks, task_from_records

__all__ = [
    "FRAGILE_BELOW",
    "METHOD",
    "PAIRED_METHOD",
    "BootstrapSettings",
    "Candidate",
    "CandidateGroup",
    "Comparison",
    "Diagnosis",
    "Difference",
    "LevelDraws",
    "LevelIntervals",
    "ModelMaterial",
    "TaskComparison",
    "TaskDraws",
    "TaskSample",
    "benjamini_hochberg",
    "bootstrap_p_value",
    "compare_models",
    "diagnose",
    "fixed_task",
    "fragile_wins",
    "from_outcome",
    "from_workbook",
    "interval_outputs",
    "interval_rows",
    "level_draws",
    "level_intervals",
    "load_tasks",
    "normalize_draws",
    "outcome_intervals",
    "percentile_interval",
    "render_comparison",
    "render_diagnosis",
    "render_intervals",
    "resample_counts",
    "resample_indices",
    "run_intervals",
    "task_draws",
    "task_from_records",
    "task_indices",
    "task_rng",
]
