"""General-Level: pure functions from a model's task scores and the reference table."""

from genbench.level._engine import UnknownTaskError, level_reached, level_scores
from genbench.level._paper import harmonic_mean, paradigm_scores
from genbench.level._types import (
    LEVEL_NAMES,
    LevelSummary,
    ModalityLevel,
    Mode,
    ModelScores,
    NlpLevel,
)
from genbench.level._upstream import upstream_normalize

__all__ = [
    "LEVEL_NAMES",
    "LevelSummary",
    "ModalityLevel",
    "Mode",
    "ModelScores",
    "NlpLevel",
    "UnknownTaskError",
    "harmonic_mean",
    "level_reached",
    "level_scores",
    "paradigm_scores",
    "upstream_normalize",
]
