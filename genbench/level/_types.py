"""The level engine's inputs and outputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from genbench.reference import TaskKey

#: A model's scores by task: the value as the reference table writes the metric, or
#: ``None`` where the model does not support the task. Tasks absent from the mapping are
#: unsupported too.
ModelScores = Mapping[TaskKey, float | None]

LEVEL_NAMES: tuple[str, ...] = ("Level-2", "Level-3", "Level-4", "Level-5")


class Mode(str, Enum):
    """How the levels are computed.

    ``paper``: as the paper defines them (docs/LEVEL.md). ``upstream``: the authors' scorer's
    numbers, its quirks included, for comparison with figures it produced.
    """

    PAPER = "paper"
    UPSTREAM = "upstream"


@dataclass(frozen=True)
class ModalityLevel:
    """Levels 2-4 of one modality, its masked paradigm means and its task counts."""

    level2: float
    level3: float
    level4: float
    s_c: float
    s_g: float
    supported: int
    total: int
    wins: int

    def to_json(self) -> dict[str, float | int]:
        """The modality's entry of the level JSON."""
        return {
            "Level-2": self.level2,
            "Level-3": self.level3,
            "Level-4": self.level4,
            "S_C": self.s_c,
            "S_G": self.s_g,
            "supported": self.supported,
            "total": self.total,
            "wins": self.wins,
        }


@dataclass(frozen=True)
class NlpLevel:
    """The language side of Level-5: the masked NLP mean S_L and the task counts."""

    s_l: float
    supported: int
    total: int
    wins: int

    def to_json(self) -> dict[str, float | int]:
        """The ``nlp`` entry of the level JSON."""
        return {
            "S_L": self.s_l,
            "supported": self.supported,
            "total": self.total,
            "wins": self.wins,
        }


@dataclass(frozen=True)
class LevelSummary:
    """A model's General-Level: overall Levels 2-5, per modality, NLP, and the level reached."""

    model: str
    mode: Mode
    level: int
    final: dict[str, float]
    per_modality: dict[str, ModalityLevel]
    nlp: NlpLevel

    def to_json(self) -> dict[str, Any]:
        """The summary in the shape of ``<model>_level.json``."""
        return {
            "model": self.model,
            "mode": self.mode.value,
            "level": self.level,
            "final": dict(self.final),
            "per_modality": {name: m.to_json() for name, m in self.per_modality.items()},
            "nlp": self.nlp.to_json(),
        }

    def as_dict(self) -> dict[str, Any]:
        """Every field, for debugging and tests."""
        return asdict(self)
