"""Metrics: the canonical registry (name, aliases, direction, scale, normalization)."""

from genbench.metrics import _numeric, _text  # noqa: F401  (registers the scorers)
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
from genbench.metrics._scorers import (
    MetricUnavailable,
    Scorer,
    get_scorer,
    register_scorer,
    scorer,
)

__all__ = [
    "InverseSigmoid",
    "Linear",
    "Metric",
    "MetricUnavailable",
    "Normalization",
    "Percent",
    "Scorer",
    "Tanh",
    "UnknownMetricError",
    "clamp_percent",
    "get_metric",
    "get_scorer",
    "metric_key",
    "register_metric",
    "register_scorer",
    "registered_metrics",
    "scorer",
]
