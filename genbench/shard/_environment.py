"""``--shard auto``: the shard of this job, read from the array index the scheduler sets.

- Slurm job arrays (``sbatch --array=0-7``) set ``SLURM_ARRAY_TASK_ID`` and
  ``SLURM_ARRAY_TASK_COUNT``: array task i is shard i+1 of COUNT. Only an array 0..N-1
  says both K and N: a rerun of one task (``sbatch --array=3``) is an array of one, which
  would read as shard 1/1, the whole benchmark. Any other shape is refused (the message
  says so); such a job passes ``--shard K/N`` itself.
- Kubernetes Indexed Jobs set ``JOB_COMPLETION_INDEX`` (0-based); the Job's
  ``spec.completions`` is not exposed, so the manifest passes it as ``JOB_COMPLETIONS``.
"""

from __future__ import annotations

from collections.abc import Mapping

from genbench.shard._partition import Shard, ShardError, parse_shard

SLURM_ID, SLURM_COUNT = "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"
SLURM_MIN, SLURM_MAX = "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"
SLURM_STEP = "SLURM_ARRAY_TASK_STEP"
K8S_INDEX, K8S_COUNT = "JOB_COMPLETION_INDEX", "JOB_COMPLETIONS"


def _integer(environ: Mapping[str, str], name: str, default: int | None = None) -> int:
    value = environ.get(name)
    if value is None or value.strip() == "":
        if default is None:
            raise ShardError(f"--shard auto: {name} is not set")
        return default
    try:
        return int(value)
    except ValueError:
        raise ShardError(f"--shard auto: {name}={value!r} is not an integer") from None


def shard_from_environment(environ: Mapping[str, str]) -> Shard:
    """The shard of this job, from a Slurm array or a Kubernetes Indexed Job (module docstring).

    Raises:
        ShardError: neither scheduler's variables are set, or they are inconsistent; the
            message names the variable.
    """
    if SLURM_ID in environ:
        task, count = _integer(environ, SLURM_ID), _integer(environ, SLURM_COUNT)
        first, step = _integer(environ, SLURM_MIN, 0), _integer(environ, SLURM_STEP, 1)
        last = _integer(environ, SLURM_MAX, count - 1)
        if (first, step, last) != (0, 1, count - 1) or not 0 <= task < count:
            raise ShardError(
                f"--shard auto: the Slurm array is not 0-{count - 1} ({SLURM_ID}={task}, "
                f"min {first}, max {last}, step {step}, {count} tasks), so it does not say "
                f"which shard of how many this is; submit with --array=0-<N-1>, or pass "
                f"--shard {task + 1}/<N> (a rerun of array task {task} of N)"
            )
        return Shard(task + 1, count)
    if K8S_INDEX in environ:
        index = _integer(environ, K8S_INDEX)
        if K8S_COUNT not in environ:
            raise ShardError(
                f"--shard auto: {K8S_INDEX} is set but {K8S_COUNT} is not; set it in the "
                "Job's env to spec.completions (docs/CLUSTER.md)"
            )
        count = _integer(environ, K8S_COUNT)
        if not 0 <= index < count:
            raise ShardError(f"--shard auto: {K8S_INDEX}={index} is outside 0..{count - 1}")
        return Shard(index + 1, count)
    raise ShardError(
        f"--shard auto: no job array here (set {SLURM_ID}/{SLURM_COUNT} by sbatch --array, "
        f"or {K8S_INDEX}/{K8S_COUNT} in a Kubernetes Indexed Job)"
    )


def resolve_shard(text: str, environ: Mapping[str, str]) -> Shard:
    """The shard ``--shard`` names: ``K/N``, or ``auto`` (read from ``environ``).

    Raises:
        ShardError: malformed, or ``auto`` without a job array in ``environ``.
    """
    if text.strip().lower() == "auto":
        return shard_from_environment(environ)
    return parse_shard(text)
