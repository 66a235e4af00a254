"""Metric scorers: from parsed predictions and references to the reference table's scale.

A scorer takes two equal-length lists (one entry per instance, already parsed by the task
family) and returns the task score as the reference table writes the metric (percent for
accuracy, F1, BLEU, ROUGE; dB for PSNR; raw for errors and distances). Metrics that need
what is not available (pretrained weights, a judge) have no scorer but a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from genbench.metrics._registry import get_metric

Scorer = Callable[[Sequence[Any], Sequence[Any]], float]

_SCORERS: dict[str, Scorer] = {}
_UNAVAILABLE: dict[str, str] = {}

_NEEDS_WEIGHTS = (
    "FID",
    "FVD",
    "FAD",
    "CLAP",
    "CLIP score",
    "CLIP img score",
    "CLIP-Style",
    "Style-CLAP",
    "Aesthetic score",
    "DINOScore",
    "DINO+ViCLIP+Optical flow+Motion Smooth",
    "MUSIQ",
    "Optical Flow Score",
    "Successful rate",
    "Single-Object Successful Rate",
    "Multi-Object Successful Rate",
    "Fram-Acc",
)
_JUDGED = ("MOS", "GPT-Score", "User preference rates", "E-Acc")


class MetricUnavailable(LookupError):
    """A metric that cannot be computed here; the message says what it needs."""


def register_scorer(metric: str, scorer: Scorer) -> Scorer:
    """Register the scorer of a metric (any alias); returns it, so it works as a decorator."""
    _SCORERS[get_metric(metric).name] = scorer
    return scorer


def scorer(metric: str) -> Callable[[Scorer], Scorer]:
    """Decorator form of :func:`register_scorer`."""
    return lambda function: register_scorer(metric, function)


def get_scorer(metric: str) -> Scorer:
    """The scorer of a metric.

    Raises:
        MetricUnavailable: the metric needs pretrained weights, a judge, or has no scorer.
    """
    name = get_metric(metric).name
    if name in _SCORERS:
        return _SCORERS[name]
    if name in _UNAVAILABLE:
        raise MetricUnavailable(f"metric {name}: {_UNAVAILABLE[name]}")
    raise MetricUnavailable(f"metric {name}: no scorer implemented yet")


for _name in _NEEDS_WEIGHTS:
    _UNAVAILABLE[get_metric(_name).name] = "needs pretrained network weights, not available here"
for _name in _JUDGED:
    _UNAVAILABLE[get_metric(_name).name] = "needs externally supplied scores or a judge"
_UNAVAILABLE["WER"] = "needs a speech recognizer's weights to transcribe the generated audio"
