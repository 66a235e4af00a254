"""Throughput of a model's ``predict`` at a batch size: the median of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any


def throughput(model: Any, requests: Sequence[Any], batch: int, repeat: int) -> float:
    """Requests per second over ``repeat`` runs of all ``requests`` at ``batch`` (median)."""
    model.batch_size = batch
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        model.predict(requests)
        times.append(time.perf_counter() - start)
    return len(requests) / statistics.median(times)
