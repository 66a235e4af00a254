"""Bootstrap draws: seeded resamples of a task's instances, percentile intervals, p-values.

Every task draws from its own random stream, seeded by the run's seed and the task's item
id, so a task's resamples do not depend on which other tasks are present, and two models'
draws of one task are the same resamples (a paired comparison). Draw b of every task is
part of the same joint draw b of the levels.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Indices = NDArray[np.int64]

METHOD = "percentile bootstrap over instances"


@dataclass(frozen=True)
class BootstrapSettings:
    """How many draws, which interval and which seed.

    Attributes:
        draws: B, the number of bootstrap resamples (0 disables intervals).
        level: the confidence level of the percentile intervals (0.95: 2.5% to 97.5%).
        seed: the seed every task's stream is derived from.
    """

    draws: int = 1000
    level: float = 0.95
    seed: int = 0

    def __post_init__(self) -> None:
        if self.draws < 0:
            raise ValueError(f"the number of bootstrap draws must be >= 0, got {self.draws}")
        if not 0.0 < self.level < 1.0:
            raise ValueError(f"the confidence level must lie in (0, 1), got {self.level}")


def task_rng(seed: int, item_id: str) -> np.random.Generator:
    """The random stream of one task: numpy's default generator seeded by (seed, a 64-bit
    digest of the item id).
    """
    digest = int.from_bytes(hashlib.sha256(item_id.encode("utf-8")).digest()[:8], "little")
    return np.random.default_rng([seed, digest])


def resample_indices(rng: np.random.Generator, n: int, draws: int) -> Indices:
    """``draws`` resamples of ``n`` instances with replacement: row b holds the instance
    positions of draw b (shape (B, n)).
    """
    return rng.integers(0, n, size=(draws, n), dtype=np.int64)


def task_indices(settings: BootstrapSettings, item_id: str, n: int) -> Indices:
    """The resamples of a task with ``n`` instances under ``settings``."""
    return resample_indices(task_rng(settings.seed, item_id), n, settings.draws)


#: Instance positions drawn at once (int64: 32 MB). All B resamples of a large task at
#: once take B x n of them: 800 MB for 100,000 instances, and as much again gathered.
CHUNK_POSITIONS = 1 << 22


def task_index_chunks(settings: BootstrapSettings, item_id: str, n: int) -> Iterator[Indices]:
    """The rows of :func:`task_indices`, a block of rows at a time (at most
    :data:`CHUNK_POSITIONS` positions each): the same stream, so the same resamples.
    """
    rng = task_rng(settings.seed, item_id)
    rows = max(1, CHUNK_POSITIONS // max(n, 1))
    for start in range(0, settings.draws, rows):
        yield resample_indices(rng, n, min(rows, settings.draws - start))


def resample_counts(indices: Indices, n: int) -> NDArray[np.int64]:
    """How often each of the ``n`` instances occurs in each resample, shape (B, n)."""
    draws = indices.shape[0]
    offsets = (np.arange(draws, dtype=np.int64) * n)[:, None]
    counts = np.bincount((indices + offsets).ravel(), minlength=draws * n)
    return counts.reshape(draws, n)


def percentile_interval(values: Floats, level: float) -> tuple[float, float]:
    """The percentile interval of bootstrap values: their ``(1 - level)/2`` and
    ``(1 + level)/2`` quantiles (numpy's default linear interpolation).
    """
    low, high = np.quantile(values, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(low), float(high)


def bootstrap_p_value(differences: Floats) -> float:
    """Two-sided bootstrap p-value of a difference being 0:
    ``min(1, 2 * min(1 + #{d <= 0}, 1 + #{d >= 0}) / (B + 1))``.

    The +1 counts the observed sample among the draws, so p is never 0: its smallest
    value is ``2 / (B + 1)``. Identical draws (a model compared with itself) give 1.
    """
    draws = differences.size
    below = int(np.count_nonzero(differences <= 0))
    above = int(np.count_nonzero(differences >= 0))
    return min(1.0, 2.0 * (1 + min(below, above)) / (draws + 1))


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with the BLAS library on one thread.

    The bootstrap makes thousands of small matrix products (sums of statistics over
    resamples, ground truth per resample); OpenBLAS's threads spin between them and cost
    more than they give: on two cores, a full result's intervals took 9.9 s with them and
    7.5 s without (perf/level_intervals_speed.py).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
