"""How a metric's value on the reference table's scale maps onto General-Level's 0-100 scale.

docs/LEVEL.md: every task score lives on a 0-100, higher-is-better scale before any comparison.
Metrics already written in percent pass through; the "special" metrics are mapped by a
sigmoid (lower is better), a tanh (PSNR) or a straight line (WER, MS-SSIM, MOS). Every
mapped value is clamped to [0, 100], for the model and the SoTA alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol


def clamp_percent(value: float) -> float:
    """Clamp a mapped score to General-Level's [0, 100] range."""
    return min(100.0, max(0.0, value))


class Normalization(Protocol):
    """Maps a raw value (as the reference table writes the metric) to [0, 100]."""

    def __call__(self, value: float) -> float:
        """Return the value on the 0-100, higher-is-better scale."""
        ...

    def describe(self) -> str:
        """Return the mapping as a short formula, for docs and reports."""
        ...


@dataclass(frozen=True)
class Percent:
    """Identity for metrics the table already writes in percent (accuracy, F1, BLEU ...)."""

    def __call__(self, value: float) -> float:
        """Return the value itself, clamped to [0, 100]."""
        return clamp_percent(value)

    def describe(self) -> str:
        """Return the formula."""
        return "x"


@dataclass(frozen=True)
class InverseSigmoid:
    """``100 * (2*sigmoid(T/x) - 1)`` for lower-is-better errors and distances.

    A value of exactly 0 is a perfect result and maps to 100 (the limit as x -> 0+).
    """

    temperature: float

    def __call__(self, value: float) -> float:
        """Map an error ``value >= 0`` to [0, 100]."""
        if value < 0:
            raise ValueError(f"a lower-is-better error cannot be negative, got {value!r}")
        if value == 0:
            return 100.0
        # 2*sigmoid(z) - 1 == tanh(z/2); tanh is exact for large z where exp overflows.
        return clamp_percent(100.0 * math.tanh(self.temperature / value / 2.0))

    def describe(self) -> str:
        """Return the formula."""
        return f"2*sigmoid({self.temperature:g}/x) - 1"


@dataclass(frozen=True)
class Tanh:
    """``100 * tanh(x / scale)`` for PSNR (dB): 20 dB maps to 76.2, 40 dB to 96.4."""

    scale: float

    def __call__(self, value: float) -> float:
        """Map a value in the metric's unit to [0, 100]."""
        return clamp_percent(100.0 * math.tanh(value / self.scale))

    def describe(self) -> str:
        """Return the formula."""
        return f"tanh(x/{self.scale:g})"


@dataclass(frozen=True)
class Linear:
    """``100 * (slope*x + intercept)`` for WER (1 - x/100), MS-SSIM ((x+1)/2), MOS ((x-1)/4)."""

    slope: float
    intercept: float
    formula: str

    def __call__(self, value: float) -> float:
        """Map a value in the metric's unit to [0, 100]."""
        return clamp_percent(100.0 * (self.slope * value + self.intercept))

    def describe(self) -> str:
        """Return the formula."""
        return self.formula
