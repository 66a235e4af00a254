"""Past one machine: a run split into deterministic shards over cluster jobs, merged on disk.

``--shard K/N`` keeps the K-th of N shards of the selected tasks (:func:`assign_shards`);
``--shard auto`` reads K and N from a Slurm array or a Kubernetes Indexed Job
(:func:`shard_from_environment`). Shards share an outcome folder: per-task files are
written atomically, shared files under :func:`outcome_lock`; :func:`merge_outcome` writes
the workbook and the level from every shard's results and names shards still owing tasks.
"""

from genbench.shard._environment import resolve_shard, shard_from_environment
from genbench.shard._lock import outcome_lock
from genbench.shard._merge import MergedRun, merge_outcome, pending_line
from genbench.shard._partition import (
    GENERATION_WEIGHT,
    MODALITY_WEIGHT,
    Shard,
    ShardError,
    TaskCost,
    assign_shards,
    instance_weight,
    parse_shard,
    task_cost,
    task_instances,
)
from genbench.shard._plan import (
    Unscored,
    describe_unscored,
    read_plan,
    record_plan,
    unscored_by_shard,
)

__all__ = [
    "GENERATION_WEIGHT",
    "MODALITY_WEIGHT",
    "MergedRun",
    "Shard",
    "ShardError",
    "TaskCost",
    "Unscored",
    "assign_shards",
    "describe_unscored",
    "instance_weight",
    "merge_outcome",
    "outcome_lock",
    "parse_shard",
    "pending_line",
    "read_plan",
    "record_plan",
    "resolve_shard",
    "shard_from_environment",
    "task_cost",
    "task_instances",
    "unscored_by_shard",
]
