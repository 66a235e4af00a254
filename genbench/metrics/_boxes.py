"""Box metrics: COCO AP (pycocotools), recall@50, tracking success AUC, spatio-temporal vIoU.

Boxes are ``Box(x1, y1, x2, y2, label, score)`` in pixels. AP, AP50, AP75 and AP10 are
pycocotools' COCOeval over the whole task (each instance one image); the rest are a few
lines of numpy on pycocotools' IoU.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from genbench.metrics._dense import average_precision, roc_auc
from genbench.metrics._scorers import TaskScore, instance_mean, scorer


@dataclass(frozen=True)
class Box:
    """An axis-aligned box (corners, pixels) with an optional label and confidence."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str = ""
    score: float = 1.0

    @property
    def xywh(self) -> list[float]:
        """COCO's [x, y, width, height]."""
        return [self.x1, self.y1, self.x2 - self.x1, self.y2 - self.y1]

    @property
    def empty(self) -> bool:
        """A box without area (the benchmark writes an all-zero box for "no box")."""
        return self.x2 <= self.x1 or self.y2 <= self.y1


def iou_matrix(a: Sequence[Box], b: Sequence[Box]) -> NDArray[np.float64]:
    """IoU of every box of ``a`` with every box of ``b`` (pycocotools)."""
    from pycocotools import mask as mask_utils

    if not a or not b:
        return np.zeros((len(a), len(b)))
    result = mask_utils.iou([x.xywh for x in a], [x.xywh for x in b], [0] * len(b))
    return np.asarray(result, dtype=np.float64).reshape(len(a), len(b))


def box_iou(a: Box, b: Box) -> float:
    """IoU of two boxes; 0 when either is empty."""
    if a.empty or b.empty:
        return 0.0
    return float(iou_matrix([a], [b])[0, 0])


# --- COCO average precision ------------------------------------------------------------------
_COCO_STAT = {"AP": 0, "AP50": 1, "AP75": 2}


def coco_ap(
    predictions: Sequence[Sequence[Box]],
    references: Sequence[Sequence[Box]],
    iou_thresholds: Sequence[float] | None = None,
    stat: int = 0,
) -> float:
    """COCOeval bbox AP (percent) of a task: ``stat`` indexes COCOeval's summary stats.

    Categories are the labels (one category when boxes carry none); where every reference
    box has one label, predicted boxes without a label take it (a model asked to "detect
    every bird" need not say "bird"). Predictions without a score rank equally. A task
    without reference boxes scores 0.
    """
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    truth_labels = {b.label for boxes in references for b in boxes}
    if len(truth_labels) == 1:
        (only,) = truth_labels
        predictions = [
            [b if b.label else replace(b, label=only) for b in boxes] for boxes in predictions
        ]
    labels = sorted({b.label for boxes in (*references, *predictions) for b in boxes})
    category = {label: index + 1 for index, label in enumerate(labels)}
    images = [{"id": i + 1} for i in range(len(references))]
    annotations: list[dict[str, Any]] = []
    for i, boxes in enumerate(references):
        for b in boxes:
            x, y, w, h = b.xywh
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": i + 1,
                    "category_id": category[b.label],
                    "bbox": [x, y, w, h],
                    "area": w * h,
                    "iscrowd": 0,
                }
            )
    detections = [
        {"image_id": i + 1, "category_id": category[b.label], "bbox": b.xywh, "score": b.score}
        for i, boxes in enumerate(predictions)
        for b in boxes
    ]
    if not annotations or not detections:
        # no resample of the instances can have either: every one scores 0
        return TaskScore(0.0, per_instance=[0.0] * len(references))
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO()
        truth.dataset = {
            "images": images,
            "annotations": annotations,
            "categories": [{"id": c} for c in category.values()],
        }
        truth.createIndex()
        evaluation = COCOeval(truth, truth.loadRes(detections), "bbox")
        if iou_thresholds is not None:
            evaluation.params.iouThrs = np.asarray(iou_thresholds, dtype=np.float64)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    value = 100.0 * max(0.0, float(evaluation.stats[stat]))
    labels_by_id = {index: label for label, index in category.items()}
    return TaskScore(
        value, ranked=_per_image_matches(evaluation, labels_by_id, stat), reducer="coco_ap"
    )


#: The IoU threshold of each summary statistic (None: all ten), as COCOeval.summarize.
_STAT_IOU = {0: None, 1: 0.5, 2: 0.75}


def _per_image_matches(
    evaluation: Any, labels_by_id: Mapping[int, str], stat: int
) -> list[dict[str, Any]]:
    """Each image's own COCOeval result (area "all", up to 100 detections), per category:
    its detections' scores (best first), true-positive and ignored flags at the IoU
    thresholds that the statistic ``stat`` averages, and its count of non-ignored ground
    truth. ``coco_ap_draws`` recomputes AP on resamples from these.
    """
    params = evaluation.params
    iou = _STAT_IOU[stat]
    if iou is None:
        thresholds = np.arange(len(params.iouThrs))
    else:
        thresholds = np.flatnonzero(iou == params.iouThrs)
    images, areas = len(params.imgIds), len(params.areaRng)
    matches: list[dict[str, Any]] = [{} for _ in range(images)]
    for k, category_id in enumerate(params.catIds):
        for i in range(images):
            found = evaluation.evalImgs[(k * areas) * images + i]  # area index 0: "all"
            if found is None:
                continue
            matches[i][labels_by_id[category_id]] = {
                "gt": int(np.count_nonzero(np.asarray(found["gtIgnore"]) == 0)),
                "scores": [float(x) for x in found["dtScores"]],
                "tp": (found["dtMatches"][thresholds] > 0).astype(int).tolist(),
                "ignored": np.asarray(found["dtIgnore"][thresholds]).astype(int).tolist(),
            }
    return matches


def _is_boxes(values: Sequence[Any]) -> bool:
    return all(isinstance(v, list | tuple) and all(isinstance(b, Box) for b in v) for v in values)


@scorer("AP")
def ap(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """COCO AP@[.5:.95] for boxes; average precision of scores for anomaly labels."""
    if _is_boxes(references):
        return coco_ap(predictions, references)
    return average_precision(predictions, references)


@scorer("AP50")
def ap50(predictions: Sequence[Sequence[Box]], references: Sequence[Sequence[Box]]) -> float:
    """COCO AP at IoU 0.50, percent."""
    return coco_ap(predictions, references, stat=_COCO_STAT["AP50"])


@scorer("AP75")
def ap75(predictions: Sequence[Sequence[Box]], references: Sequence[Sequence[Box]]) -> float:
    """COCO AP at IoU 0.75, percent."""
    return coco_ap(predictions, references, stat=_COCO_STAT["AP75"])


@scorer("AP10")
def ap10(predictions: Sequence[Sequence[Box]], references: Sequence[Sequence[Box]]) -> float:
    """COCO AP at IoU 0.10 (the one threshold evaluated), percent."""
    return coco_ap(predictions, references, iou_thresholds=[0.1])


def recall_at(
    predictions: Sequence[Sequence[Any]], references: Sequence[Sequence[Any]], k: int = 50
) -> float:
    """Share of reference items found among each instance's top-k predictions, percent.

    Boxes match at IoU >= 0.5, one prediction per reference box (greedy by IoU); other
    items (relation triplets as text) match when equal after case folding.
    """
    stats: dict[str, list[int]] = {"found": [], "total": []}
    for preds, refs in zip(predictions, references, strict=True):
        ranked = sorted(preds, key=lambda p: -p.score if isinstance(p, Box) else 0.0)[:k]
        found = 0
        if refs and all(isinstance(r, Box) for r in refs):
            boxes = [p for p in ranked if isinstance(p, Box)]
            ious = iou_matrix(list(refs), boxes)
            used: set[int] = set()
            for row in ious:
                order = [j for j in np.argsort(-row) if row[j] >= 0.5 and j not in used]
                if order:
                    used.add(int(order[0]))
                    found += 1
        else:
            pool = [str(p).strip().casefold() for p in ranked]
            for ref in refs:
                key = str(ref).strip().casefold()
                if key in pool:
                    pool.remove(key)
                    found += 1
        stats["found"].append(found)
        stats["total"].append(len(refs))
    found, total = sum(stats["found"]), sum(stats["total"])
    value = 100.0 * found / total if total else 0.0
    return TaskScore(value, stats=stats, reducer="recall")


@scorer("R@50")
def recall_at_50(
    predictions: Sequence[Sequence[Any]], references: Sequence[Sequence[Any]]
) -> float:
    """Recall at 50 (see :func:`recall_at`), percent."""
    return recall_at(predictions, references, 50)


# --- tracking and spatio-temporal grounding ---------------------------------------------------
Track = Mapping[int, Box]
#: IoU thresholds of the success plot (OTB/LaSOT): 0, 0.05, ..., 1.
SUCCESS_THRESHOLDS = np.linspace(0.0, 1.0, 21)


def success_auc(prediction: Track, reference: Track) -> float:
    """Area under the success plot (0-1) of one sequence.

    Frames with a reference box count; a frame the tracker left out has IoU 0. The
    success rate at threshold t is the share of frames with IoU > t.
    """
    frames = [f for f, box in reference.items() if not box.empty]
    if not frames:
        return 0.0
    ious = np.array(
        [box_iou(prediction[f], reference[f]) if f in prediction else 0.0 for f in frames]
    )
    return float(np.mean([(ious > t).mean() for t in SUCCESS_THRESHOLDS]))


@scorer("AUC")
def auc(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Tracking success AUC for box tracks; ROC-AUC of scores against labels otherwise."""
    if references and all(isinstance(r, Mapping) for r in references):
        return instance_mean(success_auc, predictions, references, scale=100.0)
    return roc_auc(predictions, references)


def viou(prediction: Track, reference: Track) -> float:
    """Spatio-temporal IoU (0-1): the sum of per-frame box IoU over the frames where both
    have a box, divided by the number of frames where either has one.
    """
    pred = {f for f, b in prediction.items() if not b.empty}
    ref = {f for f, b in reference.items() if not b.empty}
    union = pred | ref
    if not union:
        return 0.0
    return sum(box_iou(prediction[f], reference[f]) for f in pred & ref) / len(union)


@scorer("m_vIoU")
def mean_viou(predictions: Sequence[Track], references: Sequence[Track]) -> float:
    """Mean over videos of the spatio-temporal IoU, percent."""
    return instance_mean(viou, predictions, references, scale=100.0)
