"""3D metrics: relative translation error, part-segmentation instance mIoU, 3D detection mAP
and instance-segmentation mAP@50.

No maintained library computes these without a heavy or conflicting stack (mmdet3d,
nuscenes-devkit pins ``numpy<2``), so the matching and the precision-recall area are
written here, following the VOC all-point interpolation that ScanNet's evaluation uses.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from genbench.metrics._scorers import instance_mean, mark_unavailable, scorer


def translation(values: Sequence[float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The translation of a pose: 3 numbers as they are, a 3x4 or 4x4 matrix's last column.

    Raises:
        ValueError: not 3, 12 or 16 numbers.
    """
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size == 3:
        return array
    if array.size in (12, 16):
        return array.reshape(-1, 4)[:3, 3]
    raise ValueError(f"a pose needs 3, 12 or 16 numbers, got {array.size}")


@scorer("RTE")
def relative_translation_error(
    predictions: Sequence[Sequence[float]], references: Sequence[Sequence[float]]
) -> float:
    """Mean over instances of the Euclidean distance between predicted and true translations."""
    return instance_mean(
        lambda p, r: float(np.linalg.norm(translation(p) - translation(r))),
        predictions,
        references,
    )


def shape_miou(prediction: Sequence[int], reference: Sequence[int]) -> float:
    """Mean IoU (0-1) over the parts present in the reference or the prediction of a shape."""
    pred, ref = np.asarray(prediction), np.asarray(reference)
    if pred.size == 0 and ref.size:
        return 0.0  # no answer: every part missed
    if pred.shape != ref.shape:
        raise ValueError(f"{pred.size} predicted part labels for {ref.size} points")
    parts = np.union1d(np.unique(pred), np.unique(ref))
    if parts.size == 0:
        return 1.0
    ious = [
        np.sum((pred == part) & (ref == part)) / np.sum((pred == part) | (ref == part))
        for part in parts
    ]
    return float(np.mean(ious))


@scorer("Instance mIoU")
def instance_miou(
    predictions: Sequence[Sequence[int]], references: Sequence[Sequence[int]]
) -> float:
    """Mean over shapes of the per-shape part mIoU, percent."""
    return instance_mean(shape_miou, predictions, references, scale=100.0)


@dataclass(frozen=True)
class Detection:
    """A detected (or true) object: its class, confidence and geometry.

    ``geometry`` is a 3D box ``(cx, cy, cz, dx, dy, dz)`` (axis-aligned) for detection, or
    the frozen set of point indices of an instance mask.
    """

    label: str
    geometry: Hashable
    score: float = 1.0


def box3d_iou(a: Hashable, b: Hashable) -> float:
    """IoU of two axis-aligned 3D boxes given as centre and size."""
    ca, sa = np.asarray(a, float)[:3], np.asarray(a, float)[3:6]
    cb, sb = np.asarray(b, float)[:3], np.asarray(b, float)[3:6]
    low = np.maximum(ca - sa / 2, cb - sb / 2)
    high = np.minimum(ca + sa / 2, cb + sb / 2)
    inter = float(np.prod(np.clip(high - low, 0, None)))
    union = float(np.prod(sa) + np.prod(sb)) - inter
    return inter / union if union > 0 else 0.0


def mask_iou(a: Hashable, b: Hashable) -> float:
    """IoU of two instance masks given as sets of point indices."""
    sa, sb = set(a), set(b)  # type: ignore[call-overload]
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def average_precision_matched(
    predictions: Sequence[Sequence[Detection]],
    references: Sequence[Sequence[Detection]],
    iou: Callable[[Hashable, Hashable], float],
    threshold: float,
) -> float:
    """Mean over reference classes of the all-point interpolated AP (0-1).

    Predictions are taken by descending score; each matches the unmatched reference of its
    class and scene with the highest IoU, a true positive when that IoU >= threshold.
    """
    classes = sorted({d.label for refs in references for d in refs})
    if not classes:
        return 0.0
    values = []
    for label in classes:
        truth = {
            scene: [d for d in refs if d.label == label] for scene, refs in enumerate(references)
        }
        total = sum(len(v) for v in truth.values())
        ranked = sorted(
            (
                (d.score, scene, d)
                for scene, preds in enumerate(predictions)
                for d in preds
                if d.label == label
            ),
            key=lambda item: -item[0],
        )
        used: set[tuple[int, int]] = set()
        hits = []
        for _, scene, detection in ranked:
            candidates = [
                (iou(detection.geometry, t.geometry), index)
                for index, t in enumerate(truth[scene])
                if (scene, index) not in used
            ]
            best = max(candidates, default=(0.0, -1))
            hit = best[0] >= threshold
            if hit:
                used.add((scene, best[1]))
            hits.append(hit)
        values.append(_interpolated_ap(np.asarray(hits, dtype=bool), total))
    return float(np.mean(values))


def _interpolated_ap(hits: np.ndarray[Any, np.dtype[np.bool_]], total: int) -> float:
    if hits.size == 0:
        return 0.0
    tp = np.cumsum(hits)
    recall = tp / total
    precision = tp / np.arange(1, hits.size + 1)
    recall = np.concatenate([[0.0], recall, [1.0]])
    precision = np.concatenate([[0.0], precision, [0.0]])
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.nonzero(recall[1:] != recall[:-1])[0]
    return float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1]))


#: IoU threshold of 3D detection mAP (ScanNet and SUN RGB-D report mAP@0.25).
DETECTION_IOU = 0.25


@scorer("mAP")
def detection_map(
    predictions: Sequence[Sequence[Detection]], references: Sequence[Sequence[Detection]]
) -> float:
    """3D detection mAP at IoU DETECTION_IOU over axis-aligned boxes, percent."""
    return 100.0 * average_precision_matched(predictions, references, box3d_iou, DETECTION_IOU)


@scorer("mAP@50")
def instance_map50(
    predictions: Sequence[Sequence[Detection]], references: Sequence[Sequence[Detection]]
) -> float:
    """3D instance segmentation mAP at mask IoU 0.5 (point-index masks), percent."""
    return 100.0 * average_precision_matched(predictions, references, mask_iou, 0.5)


mark_unavailable(
    "AMOTA",
    "needs nuscenes-devkit, which requires numpy<2; supply the score with --external-scores",
)
