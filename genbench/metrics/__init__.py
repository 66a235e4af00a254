"""Metrics: the canonical registry (name, aliases, direction, scale, normalization)."""

from genbench.metrics import (  # noqa: F401  (registers the scorers)
    _boxes,
    _caption,
    _dense,
    _features,
    _generation,
    _judged,
    _numeric,
    _three_d,
)
from genbench.metrics._boxes import Box, Track
from genbench.metrics._code import CodeReference, codebleu_language
from genbench.metrics._features import frechet_distance
from genbench.metrics._judged import JUDGED_METRICS, JudgedReference, OpenAIJudge, judge_from_spec
from genbench.metrics._normalize import (
    InverseSigmoid,
    Linear,
    Normalization,
    Percent,
    Tanh,
    clamp_percent,
)
from genbench.metrics._ranked import (
    RankedReducer,
    coco_ap_draws,
    get_ranked_reducer,
    register_ranked_reducer,
)
from genbench.metrics._reducers import (
    Reducer,
    get_reducer,
    reduce_sums,
    register_reducer,
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
    SCORING_VERSION,
    Judge,
    MetricUnavailable,
    Scorer,
    ScorerFactory,
    ScoringResources,
    TaskScore,
    get_scorer,
    instance_mean,
    mark_unavailable,
    register_scorer,
    register_scorer_factory,
    scorer,
)
from genbench.metrics._text import label_set, word_tokens
from genbench.metrics._three_d import Detection

__all__ = [
    "JUDGED_METRICS",
    "SCORING_VERSION",
    "Box",
    "CodeReference",
    "Detection",
    "InverseSigmoid",
    "Judge",
    "JudgedReference",
    "Linear",
    "Metric",
    "MetricUnavailable",
    "Normalization",
    "OpenAIJudge",
    "Percent",
    "RankedReducer",
    "Reducer",
    "Scorer",
    "ScorerFactory",
    "ScoringResources",
    "Tanh",
    "TaskScore",
    "Track",
    "UnknownMetricError",
    "clamp_percent",
    "coco_ap_draws",
    "codebleu_language",
    "frechet_distance",
    "get_metric",
    "get_ranked_reducer",
    "get_reducer",
    "get_scorer",
    "instance_mean",
    "judge_from_spec",
    "label_set",
    "mark_unavailable",
    "metric_key",
    "reduce_sums",
    "register_metric",
    "register_ranked_reducer",
    "register_reducer",
    "register_scorer",
    "register_scorer_factory",
    "registered_metrics",
    "scorer",
    "word_tokens",
]
