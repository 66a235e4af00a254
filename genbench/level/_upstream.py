"""General-Level as the authors' scorer computes it, quirks included (``--compat upstream``).

This mode exists so that users can reproduce figures produced by the authors' scorer. It
follows that scorer's behaviour as docs/LEVEL.md lists it, on purpose:

2. metric names are matched to its special-metric keys by exact upper-case spelling, so
   ``CD (Chamfer Distance)`` and ``RTE ( Relative Translation Error)`` are compared raw,
   as if higher were better;
3. WER is mapped with ``1 - x`` although the table writes it in percent (5.6 -> -460);
4. in Level-5 the model's (first) NLP RMSE is mapped but the SoTA's is not;
5. a special-metric value of exactly 0 (or a missing one) becomes a score of 0 instead of
   100, and is not counted as supported;
6. Level-4 adds 1e-6 to the harmonic mean's denominator.

Mapped values are not clamped either. Joins are still by (sheet, task, metric).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from genbench.level._paper import ParadigmScores
from genbench.level._types import ModalityLevel, ModelScores, NlpLevel
from genbench.reference import COMPREHENSION, GENERATION, NLP, ReferenceRow, ReferenceTable

#: The authors' special-metric keys and their temperatures (None: a linear map).
_UPSTREAM_SPECIAL: dict[str, float | None] = {
    "MAE": 50,
    "RMS": 50,
    "MSE": 5,
    "RMSE": 5,
    "ABSREL": 0.1,
    "EPE": 1,
    "FID": 25,
    "FVD": 100,
    "FAD": 10,
    "PSNR": 1 / 20,
    "SAD": 10,
    "RTE": 0.5,
    "CD": 1,
    "MCD": 5,
    "WER": None,
    "MS-SSIM": None,
    "MOS": None,
}
_LEVEL4_EPSILON = 1e-6


def _sigmoid_distance(temperature: float, value: float) -> float:
    """``2*sigmoid(T/x) - 1`` without overflow; x == 0 gives the limit 1."""
    if value == 0:
        return 1.0
    return math.tanh(temperature / value / 2.0)


def upstream_normalize(metric_label: str, value: float | None) -> float | None:
    """A value as the authors' scorer normalizes it, ``None`` meaning not supported.

    Raises:
        ValueError: a special metric's value is negative (the authors' scorer asserts).
    """
    key = metric_label.upper()
    if key not in _UPSTREAM_SPECIAL:
        return value
    if value is None or value == 0:
        return 0.0
    if value < 0:
        raise ValueError(f"{metric_label}: the authors' scorer rejects a value <= 0: {value!r}")
    temperature = _UPSTREAM_SPECIAL[key]
    if key == "PSNR":
        assert temperature is not None
        mapped = math.tanh(temperature * value)
    elif key == "WER":
        mapped = 1.0 - value
    elif key == "MS-SSIM":
        mapped = (value + 1.0) / 2.0
    elif key == "MOS":
        mapped = (value - 1.0) / 4.0
    else:
        assert temperature is not None
        mapped = _sigmoid_distance(temperature, value)
    return mapped * 100.0


def _paradigm(rows: Sequence[ReferenceRow], scores: ModelScores) -> ParadigmScores:
    total = len(rows)
    summed = masked = 0.0
    supported = wins = 0
    for row in rows:
        value = upstream_normalize(row.metric_label, scores.get(row.key))
        sota = upstream_normalize(row.metric_label, row.sota)
        if value is None or sota is None:
            continue
        summed += value
        if value != 0 and sota != 0:
            supported += 1
        if value >= sota:
            wins += 1
            masked += value
    if total == 0:
        return ParadigmScores(0.0, 0.0, 0, 0, 0)
    return ParadigmScores(summed / total, masked / total, supported, total, wins)


def upstream_modality_level(
    table: ReferenceTable, modality: str, scores: ModelScores
) -> ModalityLevel:
    """Levels 2-4 of one modality the authors' way."""
    comp = _paradigm(table.sheet(f"{modality}-{COMPREHENSION}"), scores)
    gen = _paradigm(table.sheet(f"{modality}-{GENERATION}"), scores)
    s_c, s_g = comp.masked_mean, gen.masked_mean
    level4 = 0.0 if s_c == 0 or s_g == 0 else 2 * s_c * s_g / (s_c + s_g + _LEVEL4_EPSILON)
    return ModalityLevel(
        level2=(comp.mean + gen.mean) / 2.0,
        level3=(s_c + s_g) / 2.0,
        level4=level4,
        s_c=s_c,
        s_g=s_g,
        supported=comp.supported + gen.supported,
        total=comp.total + gen.total,
        wins=comp.wins + gen.wins,
    )


def upstream_nlp_level(table: ReferenceTable, scores: ModelScores) -> NlpLevel:
    """S_L the authors' way: raw NLP scores, only the model's first RMSE mapped.

    The counts are the ones its report prints: supported and wins on the raw values.
    """
    rows = table.sheet(NLP)
    raw: list[float | None] = [scores.get(row.key) for row in rows]
    adjusted = list(raw)
    rmse_index = next((i for i, row in enumerate(rows) if row.metric_label.upper() == "RMSE"), None)
    if rmse_index is not None:
        value = raw[rmse_index]
        # The authors read a missing cell as +inf, and 5/inf = 0 maps to 0.
        adjusted[rmse_index] = 0.0 if value is None else 100.0 * _sigmoid_distance(5.0, value)
    pairs = [
        (row.sota, value) for row, value in zip(rows, adjusted, strict=True) if value is not None
    ]
    masked = sum(value for sota, value in pairs if value >= sota)
    return NlpLevel(
        s_l=masked / len(rows) if rows else 0.0,
        supported=sum(value is not None for value in raw),
        total=len(rows),
        wins=sum(
            1
            for row, value in zip(rows, raw, strict=True)
            if value is not None and value >= row.sota
        ),
    )
