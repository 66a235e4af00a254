"""Metrics: the canonical registry (name, aliases, direction, scale, normalization)."""

from genbench.metrics._normalize import (
    InverseSigmoid,
    Linear,
    Normalization,
    Percent,
    Tanh,
    clamp_percent,
)
from genbench.metrics._registry import (
    Metric,
    UnknownMetricError,
    get_metric,
    metric_key,
    register_metric,
    registered_metrics,
)

__all__ = [
    "InverseSigmoid",
    "Linear",
    "Metric",
    "Normalization",
    "Percent",
    "Tanh",
    "UnknownMetricError",
    "clamp_percent",
    "get_metric",
    "metric_key",
    "register_metric",
    "registered_metrics",
]
