"""Metric scorers: from parsed predictions and references to the reference table's scale.

A scorer takes two equal-length lists (one entry per instance, already parsed by the task
family) and returns the task score as the reference table writes the metric (percent for
accuracy, F1, BLEU, ROUGE; dB for PSNR; raw for errors and distances).

Some metrics have variants that the benchmark computes differently per modality (BLEU-1 as
a mean of sentence scores for language and audio, as a corpus score for video); a family
names the variant it needs. Metrics that need a pretrained network or a judge are built by
a factory from :class:`ScoringResources`; without what they need they raise
:class:`MetricUnavailable` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from genbench.metrics._registry import get_metric

Scorer = Callable[[Sequence[Any], Sequence[Any]], float]

#: The version of genbench's scoring (scorers, answer parsing, references). Bump it when
#: a change can alter any score: stored results of another version are scored again.
SCORING_VERSION = "2"


class TaskScore(float):
    """A task score that also carries what it is made of, for per-instance records and
    confidence intervals.

    It is a ``float`` (the score on the table's scale), so a scorer that returns one is
    used like any other; the extras say how the score decomposes over instances:

    - ``per_instance``: one value per instance on the table's scale, whose mean is the
      score (accuracy: 0 or 100 each; BLEU-1: each sentence's BLEU-1);
    - ``stats`` and ``reducer``: per-instance sufficient statistics (micro-F1: true and
      false positives and negatives) whose sums the named reducer turns into the score
      (genbench/metrics/_reducers.py);
    - ``ranked`` and ``reducer``: per-instance ranked detections (AP over boxes: each
      detection's score and true-positive flags, and the ground-truth count, per
      category), which the named ranked reducer turns into the score
      (genbench/metrics/_ranked.py).

    All may be absent (FID and other set-level metrics decompose into none of them).
    """

    per_instance: tuple[float, ...] | None
    stats: dict[str, tuple[float, ...]] | None
    ranked: tuple[dict[str, Any], ...] | None
    reducer: str | None

    def __new__(
        cls,
        value: float,
        per_instance: Sequence[float] | None = None,
        stats: Mapping[str, Sequence[float]] | None = None,
        reducer: str | None = None,
        ranked: Sequence[dict[str, Any]] | None = None,
    ) -> TaskScore:
        """A score of ``value`` with its per-instance values, statistics or detections."""
        score = super().__new__(cls, value)
        score.per_instance = None if per_instance is None else tuple(map(float, per_instance))
        score.stats = None if stats is None else {k: tuple(map(float, v)) for k, v in stats.items()}
        score.ranked = None if ranked is None else tuple(ranked)
        score.reducer = reducer
        return score


class Judge(Protocol):
    """Rates one answer; returns a score on the metric's own scale (e.g. 1-5 for MOS)."""

    def rate(self, metric: str, prompt: str, reference: str, prediction: str) -> float:
        """The judge's score of ``prediction`` for ``prompt`` against ``reference``."""
        ...


@dataclass(frozen=True)
class ScoringResources:
    """What model-based and judged metrics may use.

    Attributes:
        weights_dir: ``--metric-weights``: local folder of feature-extractor weights.
        judge: an LLM judge (``--judge``), for judged metrics.
        device: where feature extractors run ("cpu", "cuda").
    """

    weights_dir: Path | None = None
    judge: Judge | None = None
    device: str = "cpu"


ScorerFactory = Callable[[ScoringResources], Scorer]

_SCORERS: dict[tuple[str, str], Scorer] = {}
_FACTORIES: dict[str, ScorerFactory] = {}
_UNAVAILABLE: dict[str, str] = {}


class MetricUnavailable(LookupError):
    """A metric that cannot be computed here; the message says what it needs."""


def register_scorer(metric: str, scorer: Scorer, variant: str = "") -> Scorer:
    """Register the scorer of a metric (any alias) and variant; returns it."""
    _SCORERS[get_metric(metric).name, variant] = scorer
    return scorer


def scorer(metric: str, variant: str = "") -> Callable[[Scorer], Scorer]:
    """Decorator form of :func:`register_scorer`."""
    return lambda function: register_scorer(metric, function, variant)


def register_scorer_factory(metric: str, factory: ScorerFactory) -> ScorerFactory:
    """Register a metric built from resources (weights, a judge); returns the factory."""
    _FACTORIES[get_metric(metric).name] = factory
    return factory


def mark_unavailable(metric: str, reason: str) -> None:
    """Declare why a metric cannot be computed (shown when a task asks for it)."""
    _UNAVAILABLE[get_metric(metric).name] = reason


def get_scorer(metric: str, variant: str = "", resources: ScoringResources | None = None) -> Scorer:
    """The scorer of a metric: the variant's if registered, else the metric's plain one.

    Raises:
        MetricUnavailable: the metric needs weights or a judge that are not configured, or
            has no scorer; the message says which.
    """
    name = get_metric(metric).name
    for key in ((name, variant), (name, "")):
        if key in _SCORERS:
            return _SCORERS[key]
    if name in _FACTORIES:
        try:
            return _FACTORIES[name](resources or ScoringResources())
        except MetricUnavailable as error:
            reason = str(error).removeprefix(f"metric {name}: ")
            raise MetricUnavailable(f"metric {name}: {reason}") from None
    if name in _UNAVAILABLE:
        raise MetricUnavailable(f"metric {name}: {_UNAVAILABLE[name]}")
    raise MetricUnavailable(f"metric {name}: no scorer implemented")


def instance_mean(
    function: Callable[[Any, Any], float],
    predictions: Sequence[Any],
    references: Sequence[Any],
    scale: float = 1.0,
) -> TaskScore:
    """The mean over instances of ``scale * function(prediction, reference)`` (0 for no
    instance), carrying each instance's value.
    """
    values = [scale * float(function(p, r)) for p, r in zip(predictions, references, strict=True)]
    return TaskScore(sum(values) / len(values) if values else 0.0, per_instance=values)
