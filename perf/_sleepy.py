"""A model for timing the harness around the model: the baseline's answers, after sleeping
``SLEEP`` seconds per request (a stand-in for a model that waits on a device or a server).

Loaded as ``--model _sleepy:make`` with perf/ on ``PYTHONPATH`` (perf/_common.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from genbench.models import BaselineModel, Request

#: Seconds per request (perf/xdist_speed.py sets ``GENBENCH_PERF_SLEEP``).
SLEEP = float(os.environ.get("GENBENCH_PERF_SLEEP", "0.05"))


class SleepyModel(BaselineModel):
    """The baseline, sleeping before it answers."""

    def predict(self, requests: Sequence[Request]) -> list[str]:
        time.sleep(SLEEP * len(requests))
        return super().predict(requests)


def make(seed: int = 0) -> SleepyModel:
    """The factory ``--model _sleepy:make`` calls."""
    return SleepyModel(seed)
