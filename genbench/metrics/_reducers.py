"""Reducers: from summed per-instance sufficient statistics to a corpus-level task score.

A corpus metric (micro-F1, corpus BLEU, pooled errors, mIoU ...) is not a mean over
instances, but it is a function of sums over instances: micro-F1 of the summed true and
false positives and negatives, corpus BLEU of the summed clipped n-gram matches and
lengths. Its scorer returns ``TaskScore(value, stats={name: per-instance values},
reducer="<name>")``; the reducer registered under that name maps the *sums* of the stats
to the score, so that the score of any resample of the instances is the reducer of the
resample's sums. A reducer is vectorised: each summed statistic arrives as an array of
shape (B,) (one sum per bootstrap draw) and it returns the B scores.

For every reducer, ``reducer(sums over all instances)`` equals the scorer's value (tested
in tests/test_stats_reducers.py); it is computed with the same floating-point steps where
the library's own arithmetic is known (pycocoevalcap's BLEU), so the two agree to rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

Sums = Mapping[str, NDArray[np.float64]]
#: Maps summed statistics (each of shape (B,)) to B task scores on the table's scale.
Reducer = Callable[[Sums], NDArray[np.float64]]

_REDUCERS: dict[str, Reducer] = {}


def register_reducer(name: str, function: Reducer) -> Reducer:
    """Register a reducer under ``name``; returns it."""
    _REDUCERS[name] = function
    return function


def reducer(name: str) -> Callable[[Reducer], Reducer]:
    """Decorator form of :func:`register_reducer`."""
    return lambda function: register_reducer(name, function)


def get_reducer(name: str) -> Reducer:
    """The reducer registered under ``name``.

    Raises:
        KeyError: no reducer has this name.
    """
    try:
        return _REDUCERS[name]
    except KeyError:
        raise KeyError(f"no reducer named {name!r}") from None


def reduce_sums(name: str, sums: Sums) -> NDArray[np.float64]:
    """Apply the named reducer to summed statistics (arrays of one shape)."""
    return np.asarray(get_reducer(name)(sums), dtype=np.float64)


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray[np.float64]:
    """``numerator / denominator``, and 0 where the denominator is 0."""
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


@reducer("micro_f1")
def micro_f1(sums: Sums) -> NDArray[np.float64]:
    """Micro F1 in percent: ``100 * 2tp / (2tp + fp + fn)``, and 0 without a true positive."""
    tp, fp, fn = sums["tp"], sums["fp"], sums["fn"]
    denominator = 2 * tp + fp + fn
    return np.where(tp > 0, _ratio(100.0 * 2 * tp, denominator), 0.0)


@reducer("recall")
def recall(sums: Sums) -> NDArray[np.float64]:
    """Share of reference items found, percent: ``100 * found / total`` (0 for no item)."""
    return _ratio(100.0 * sums["found"], sums["total"])


@reducer("pooled_mean")
def pooled_mean(sums: Sums) -> NDArray[np.float64]:
    """Mean of values pooled over instances: ``sum / count`` (0 for no value)."""
    return _ratio(sums["sum"], sums["count"])


@reducer("pooled_mae")
def pooled_mae(sums: Sums) -> NDArray[np.float64]:
    """Mean absolute error over every value: ``sum |p - r| / count``."""
    return _ratio(sums["abs_error"], sums["count"])


@reducer("pooled_mse")
def pooled_mse(sums: Sums) -> NDArray[np.float64]:
    """Mean squared error over every value: ``sum (p - r)^2 / count``."""
    return _ratio(sums["squared_error"], sums["count"])


@reducer("pooled_rmse")
def pooled_rmse(sums: Sums) -> NDArray[np.float64]:
    """Root mean squared error over every value: ``sqrt(sum (p - r)^2 / count)``."""
    return np.sqrt(_ratio(sums["squared_error"], sums["count"]))


def _class_mean(sums: Sums, top: str, bottom: str) -> NDArray[np.float64]:
    """Mean over classes ``c`` with ``bottom:c > 0`` of ``top:c / bottom:c``, percent
    (0 when no class has a positive ``bottom``).
    """
    classes = sorted(key.split(":", 1)[1] for key in sums if key.startswith(f"{bottom}:"))
    if not classes:
        return np.zeros(np.shape(next(iter(sums.values()), np.zeros(1))))
    tops = np.stack([sums[f"{top}:{c}"] for c in classes], axis=-1)
    bottoms = np.stack([sums[f"{bottom}:{c}"] for c in classes], axis=-1)
    present = bottoms > 0
    count = present.sum(axis=-1)
    total = np.where(present, tops / np.where(present, bottoms, 1.0), 0.0).sum(axis=-1)
    return 100.0 * _ratio(total, count.astype(np.float64))


@reducer("miou")
def mean_iou(sums: Sums) -> NDArray[np.float64]:
    """Mean over classes of ``intersection / union`` (classes with a union), percent.

    Statistics ``intersection:<class>`` and ``union:<class>``: pixel counts, whose sums
    are the task's confusion-matrix diagonal and row + column - diagonal.
    """
    return _class_mean(sums, "intersection", "union")


@reducer("macro_recall")
def macro_recall(sums: Sums) -> NDArray[np.float64]:
    """Mean over reference classes of the recall ``hits:<class> / count:<class>``, percent
    (balanced accuracy).
    """
    return _class_mean(sums, "hits", "count")


#: pycocoevalcap's guards against division by zero (bleu_scorer.py).
_BLEU_TINY, _BLEU_SMALL = 1e-15, 1e-9


@reducer("coco_bleu")
def coco_bleu(sums: Sums) -> NDArray[np.float64]:
    """Corpus BLEU-n, percent, exactly as pycocoevalcap's ``BleuScorer.compute_score``.

    ``bleu = prod_k (correct_k + 1e-15) / (guess_k + 1e-9)``, ``BLEU-n = bleu ** (1/n)``,
    times ``exp(1 - 1/ratio)`` when ``ratio = (testlen + 1e-15) / (reflen + 1e-9) < 1``.
    Statistics: ``testlen``, ``reflen`` (closest reference length), ``guess_k`` and
    ``correct_k`` (clipped k-gram matches) for k = 1..n; n is the highest k present.
    """
    n = sum(1 for key in sums if key.startswith("guess_"))
    bleu = np.ones_like(sums["testlen"], dtype=np.float64)
    for k in range(1, n + 1):
        bleu = bleu * ((sums[f"correct_{k}"] + _BLEU_TINY) / (sums[f"guess_{k}"] + _BLEU_SMALL))
    value = bleu ** (1.0 / n)
    ratio = (sums["testlen"] + _BLEU_TINY) / (sums["reflen"] + _BLEU_SMALL)
    penalty = np.exp(1 - 1 / np.where(ratio < 1, ratio, 1.0))
    return 100.0 * np.where(ratio < 1, value * penalty, value)
