"""Dense-prediction metrics: depth, flow, mattes, saliency, segmentation, anomaly maps.

Each instance's prediction and reference are arrays (or files holding them, see
``load_array``). Per-image errors are averaged over instances. Written with numpy where no
maintained library fits: pysodmetrics (S-measure) pins ``numpy<2.3.5``, and the depth
alignment, EPE and matting errors are a few lines each; the scikit-learn and
torchmetrics implementations are used for ROC-AUC, average precision and panoptic quality.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from genbench.metrics._arrays import load_array, same_shape, unit_scale
from genbench.metrics._scorers import TaskScore, instance_mean, scorer

Array = NDArray[np.float64]


def per_instance(
    function: Callable[[Array, Array], float],
    predictions: Sequence[Any],
    references: Sequence[Any],
    scale: float = 1.0,
) -> TaskScore:
    """The mean over instances of ``function`` of the loaded prediction and reference maps."""
    # arrays as stored: 8-bit mattes and maps are scaled by the metric (see unit_scale)
    return instance_mean(
        lambda pred, ref: function(np.asarray(load_array(pred)), np.asarray(load_array(ref))),
        predictions,
        references,
        scale,
    )


#: Depth range of the benchmark's video depth scorer, in metres.
DEPTH_RANGE = (1e-3, 80.0)


def abs_rel_aligned(prediction: Array, reference: Array) -> float:
    """AbsRel after least-squares scale and shift alignment on valid pixels.

    Valid pixels have a reference depth inside DEPTH_RANGE; the aligned prediction is
    clipped to that range; absRel = mean(|aligned - d| / d).
    """
    prediction, reference = prediction.astype(np.float64), reference.astype(np.float64)
    same_shape(prediction, reference, "depth")
    valid = (reference > DEPTH_RANGE[0]) & (reference < DEPTH_RANGE[1])
    if not valid.any():
        raise ValueError("no valid reference depth")
    p, d = prediction[valid], reference[valid]
    design = np.stack([p, np.ones_like(p)], axis=1)
    (scale, shift), *_ = np.linalg.lstsq(design, d, rcond=None)
    aligned = np.clip(scale * p + shift, *DEPTH_RANGE)
    return float(np.mean(np.abs(aligned - d) / d))


@scorer("absRel")
def abs_rel(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over instances of the scale-and-shift aligned absRel (a fraction)."""
    return per_instance(abs_rel_aligned, predictions, references)


def depth_rms(prediction: Array, reference: Array) -> float:
    """Root mean squared depth error over pixels with a positive reference depth."""
    prediction, reference = prediction.astype(np.float64), reference.astype(np.float64)
    same_shape(prediction, reference, "depth")
    valid = reference > 0
    return float(np.sqrt(np.mean((prediction[valid] - reference[valid]) ** 2)))


def end_point_error(prediction: Array, reference: Array) -> float:
    """Mean over pixels of the Euclidean distance between flow vectors (H x W x 2)."""
    prediction, reference = prediction.astype(np.float64), reference.astype(np.float64)
    same_shape(prediction, reference, "flow")
    if reference.ndim != 3 or reference.shape[-1] != 2:
        raise ValueError(f"flow of shape {reference.shape}, expected H x W x 2")
    return float(np.mean(np.linalg.norm(prediction - reference, axis=-1)))


@scorer("EPE")
def epe(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over instances of the flow end-point error (pixels)."""
    return per_instance(end_point_error, predictions, references)


def matte_sad(prediction: Array, reference: Array) -> float:
    """Sum of absolute alpha differences (alpha in [0, 1]) in thousands, as matting reports."""
    p, r = unit_scale(prediction), unit_scale(reference)
    same_shape(p, r, "alpha matte")
    return float(np.abs(p - r).sum() / 1000.0)


def matte_mse(prediction: Array, reference: Array) -> float:
    """Mean squared alpha error (alpha in [0, 1]) times 1000, as matting reports."""
    p, r = unit_scale(prediction), unit_scale(reference)
    same_shape(p, r, "alpha matte")
    return float(np.mean((p - r) ** 2) * 1000.0)


@scorer("SAD")
def sad(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over instances of the matte SAD (thousands)."""
    return per_instance(matte_sad, predictions, references)


# --- S-measure (Fan et al., ICCV 2017) --------------------------------------------------------
_EPS = np.finfo(np.float64).eps


def _object_score(values: Array) -> float:
    if values.size == 0:
        return 0.0
    mean = float(values.mean())
    std = float(values.std(ddof=1)) if values.size > 1 else 0.0
    return 2 * mean / (mean**2 + 1 + std + _EPS)


def _s_object(pred: Array, gt: NDArray[np.bool_]) -> float:
    foreground = _object_score(pred[gt])
    background = _object_score(1 - pred[~gt])
    share = float(gt.mean())
    return share * foreground + (1 - share) * background


def _ssim(pred: Array, gt: Array) -> float:
    n = pred.size
    if n <= 1:
        return 1.0 if n == 0 or float(pred.mean()) == float(gt.mean()) else 0.0
    x, y = float(pred.mean()), float(gt.mean())
    sx = float(((pred - x) ** 2).sum() / (n - 1))
    sy = float(((gt - y) ** 2).sum() / (n - 1))
    sxy = float(((pred - x) * (gt - y)).sum() / (n - 1))
    alpha = 4 * x * y * sxy
    beta = (x**2 + y**2) * (sx + sy)
    if alpha != 0:
        return alpha / (beta + _EPS)
    return 1.0 if beta == 0 else 0.0


def _s_region(pred: Array, gt: NDArray[np.bool_]) -> float:
    height, width = gt.shape
    if gt.any():
        rows, cols = np.nonzero(gt)
        cy, cx = round(float(rows.mean())) + 1, round(float(cols.mean())) + 1
    else:
        cy, cx = height // 2, width // 2
    cy, cx = min(max(cy, 0), height), min(max(cx, 0), width)
    total = height * width
    score = 0.0
    for rs in (slice(0, cy), slice(cy, height)):
        for cs in (slice(0, cx), slice(cx, width)):
            region_gt = gt[rs, cs].astype(np.float64)
            if region_gt.size:
                score += region_gt.size / total * _ssim(pred[rs, cs], region_gt)
    return score


def structure_measure(prediction: Array, reference: Array, alpha: float = 0.5) -> float:
    """S-measure (0-1) of a saliency map in [0, 1] against a binary reference mask."""
    pred, gt = unit_scale(prediction), unit_scale(reference) > 0.5
    same_shape(pred, gt, "saliency map")
    share = float(gt.mean())
    if share == 0:
        return 1.0 - float(pred.mean())
    if share == 1:
        return float(pred.mean())
    return max(0.0, alpha * _s_object(pred, gt) + (1 - alpha) * _s_region(pred, gt))


@scorer("Structure measure")
def s_measure(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over instances (frames) of the S-measure, percent."""
    return per_instance(structure_measure, predictions, references, scale=100.0)


# --- segmentation -----------------------------------------------------------------------------
#: Label of pixels that no metric counts (the usual "void").
IGNORE_LABEL = 255


def _label_map(value: Any) -> NDArray[np.int64]:
    array = np.asarray(load_array(value))
    if array.ndim == 3:
        array = array[..., 0]
    return array.astype(np.int64)


@scorer("mIoU")
def mean_iou(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over classes of IoU from one confusion matrix over the whole task, percent.

    Pixels labelled IGNORE_LABEL in the reference do not count; a class counts when it
    occurs in a reference or a prediction.
    """
    if not predictions:
        return 0.0
    pairs = []
    for pred, ref in zip(predictions, references, strict=True):
        p, r = _label_map(pred), _label_map(ref)
        same_shape(p, r, "label map")
        keep = r != IGNORE_LABEL
        pairs.append((p[keep], r[keep]))
    size = int(max(max(p.max(initial=0), r.max(initial=0)) for p, r in pairs)) + 1
    confusion = np.zeros((size, size), dtype=np.int64)
    intersections, unions = [], []
    for p, r in pairs:
        own = np.bincount(r * size + p, minlength=size * size).reshape(size, size)
        confusion += own
        intersections.append(np.diag(own))
        unions.append(own.sum(0) + own.sum(1) - np.diag(own))
    inter = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    value = 100.0 * float(np.mean(inter[present] / union[present])) if present.any() else 0.0
    # per image, each present class's pixel intersection and union: they sum to the task's
    stats: dict[str, list[float]] = {}
    for c in np.flatnonzero(present):
        stats[f"intersection:{c}"] = [float(i[c]) for i in intersections]
        stats[f"union:{c}"] = [float(u[c]) for u in unions]
    return TaskScore(value, stats=stats, reducer="miou")


def dice_coefficient(prediction: Any, reference: Any) -> float:
    """2|A∩B| / (|A|+|B|) of two binary masks (foreground: non-zero); both empty is 1."""
    a, b = _label_map(prediction) > 0, _label_map(reference) > 0
    same_shape(a, b, "mask")
    total = int(a.sum() + b.sum())
    return 1.0 if total == 0 else 2.0 * float((a & b).sum()) / total


@scorer("DICE")
def dice(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over instances of the Dice coefficient, percent."""
    return instance_mean(dice_coefficient, predictions, references, scale=100.0)


@scorer("PQ")
def panoptic_quality(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Panoptic quality (torchmetrics), percent.

    Each instance is an H x W x 2 array of (category id, instance id); categories with a
    non-zero instance id in some reference are "things", the others "stuff".
    """
    import torch
    from torchmetrics.detection import PanopticQuality

    if not predictions:
        return 0.0
    preds = [np.asarray(load_array(p), dtype=np.int64) for p in predictions]
    refs = [np.asarray(load_array(r), dtype=np.int64) for r in references]
    for p, r in zip(preds, refs, strict=True):
        same_shape(p, r, "panoptic map")
        if r.ndim != 3 or r.shape[-1] != 2:
            raise ValueError(f"panoptic map of shape {r.shape}, expected H x W x 2")
    categories = {int(c) for r in refs for c in np.unique(r[..., 0])}
    things = {int(c) for r in refs for c in np.unique(r[..., 0][r[..., 1] > 0])}
    categories |= {int(c) for p in preds for c in np.unique(p[..., 0])}
    metric = PanopticQuality(
        things=things, stuffs=categories - things, allow_unknown_preds_category=True
    )
    for p, r in zip(preds, refs, strict=True):
        metric.update(torch.from_numpy(p)[None], torch.from_numpy(r)[None])
    return 100.0 * float(metric.compute())


def _scores_and_labels(
    predictions: Sequence[Any], references: Sequence[Any]
) -> tuple[Array, NDArray[np.int64]]:
    scores = np.concatenate([np.ravel(unit_scale(load_array(p))) for p in predictions])
    labels = np.concatenate([np.ravel(unit_scale(load_array(r)) > 0.5) for r in references])
    if scores.shape != labels.shape:
        raise ValueError(f"{scores.size} predicted scores for {labels.size} reference labels")
    return scores, labels.astype(np.int64)


def roc_auc(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """ROC-AUC (scikit-learn) of scores against binary labels, pooled over instances."""
    from sklearn.metrics import roc_auc_score

    scores, labels = _scores_and_labels(predictions, references)
    if len(set(labels.tolist())) < 2:
        raise ValueError("ROC-AUC needs both positive and negative reference labels")
    return 100.0 * float(roc_auc_score(labels, scores))


def average_precision(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Average precision (scikit-learn) of anomaly scores against binary labels, percent."""
    from sklearn.metrics import average_precision_score

    scores, labels = _scores_and_labels(predictions, references)
    if not labels.any():
        raise ValueError("average precision needs at least one positive reference label")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 100.0 * float(average_precision_score(labels, scores))
