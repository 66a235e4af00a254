"""GPU placement for xdist workers: one GPU (or a group) per worker, before CUDA starts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess


def visible_gpus() -> list[str]:
    """The GPUs this process may use, without initializing CUDA.

    ``CUDA_VISIBLE_DEVICES`` when set, else the indices ``nvidia-smi`` lists, else none.
    """
    declared = os.environ.get("CUDA_VISIBLE_DEVICES")
    if declared is not None:
        return [d.strip() for d in declared.split(",") if d.strip() and d.strip() != "-1"]
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=index", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.stdout.splitlines() if line.strip().isdigit()]


def worker_number(worker_id: str) -> int:
    """``gw3`` -> 3."""
    match = re.search(r"(\d+)$", worker_id)
    return int(match.group(1)) if match else 0


def gpus_for_worker(gpus: list[str], worker: int, per_worker: int = 1) -> list[str]:
    """The group of ``per_worker`` GPUs that worker number ``worker`` owns (round robin)."""
    if not gpus:
        return []
    groups = max(1, len(gpus) // per_worker)
    first = (worker % groups) * per_worker
    return gpus[first : first + per_worker]
