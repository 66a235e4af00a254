"""COCO AP recomputed on resamples from each image's own COCOeval result equals
pycocotools run on the resampled images (listed in instance order), and on the full set.
"""

from __future__ import annotations

import numpy as np
import pytest

from genbench.metrics import Box, coco_ap_draws
from genbench.metrics._boxes import coco_ap
from genbench.stats import resample_counts, resample_indices
from tests.stats_helpers import ROW_BOXES, task_of


def detection_task(rng, n, tied):
    labels = ("a", "b", "c")

    def box(label):
        x, y = rng.uniform(0, 80, 2)
        w, h = rng.uniform(5, 40, 2)
        return Box(x, y, x + w, y + h, label)

    preds, refs = [], []
    for _ in range(n):
        truth = [box(rng.choice(labels)) for _ in range(rng.integers(0, 4))]
        found = []
        for t in truth:
            if rng.random() < 0.7:
                j = rng.normal(0, 4, 4)
                label = t.label if rng.random() < 0.8 else rng.choice(labels)
                score = 1.0 if tied else float(np.round(rng.random(), 1))
                found.append(Box(t.x1 + j[0], t.y1 + j[1], t.x2 + j[2], t.y2 + j[3], label, score))
        for _ in range(rng.integers(0, 3)):
            b = box(rng.choice(labels))
            found.append(Box(b.x1, b.y1, b.x2, b.y2, b.label, 1.0 if tied else rng.random()))
        preds.append(found)
        refs.append(truth)
    return preds, refs


@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize(("stat", "thresholds"), [(0, None), (1, None), (2, None), (0, [0.1])])
def test_resampled_ap_equals_pycocotools(tied, stat, thresholds):
    rng = np.random.default_rng(11 + stat)
    preds, refs = detection_task(rng, 25, tied)
    value = coco_ap(preds, refs, iou_thresholds=thresholds, stat=stat)
    assert value.reducer == "coco_ap" and value.ranked is not None
    n = len(refs)
    full = coco_ap_draws(value.ranked, np.ones((1, n), dtype=np.int64))[0]
    assert full == pytest.approx(float(value), rel=1e-12, abs=1e-12)
    indices = resample_indices(rng, n, 4)
    draws = coco_ap_draws(value.ranked, resample_counts(indices, n))
    for b, row in enumerate(indices):
        order = np.sort(row)  # a resample is scored as its images listed in instance order
        expected = coco_ap([preds[i] for i in order], [refs[i] for i in order], thresholds, stat)
        assert draws[b] == pytest.approx(float(expected), rel=1e-12, abs=1e-12)


def test_ap_task_round_trips_through_the_records():
    rng = np.random.default_rng(2)
    preds, refs = detection_task(rng, 12, tied=True)
    value = coco_ap(preds, refs, stat=1)
    task = task_of(ROW_BOXES, value, len(refs))
    assert task.kind == "ranked"
    assert task.recomputed() == pytest.approx(float(value), rel=1e-12)


def test_ap_without_detections_or_truth_is_zero_on_every_resample():
    truth = [[Box(0, 0, 10, 10, "a")], []]
    value = coco_ap([[], []], truth)
    task = task_of(ROW_BOXES, value, 2)
    assert task.kind == "mean"
    assert list(task.draws(np.array([[0, 0], [1, 0]]))) == [0.0, 0.0]


def test_recall_counts_compare_as_cocoeval_does():
    # the least m with m / npig >= threshold, by COCOeval's float comparison
    from pycocotools.cocoeval import Params

    from genbench.metrics._ranked import _first_recall_counts

    thresholds = Params().recThrs
    npig = np.arange(1, 260)
    expected = [[next(m for m in range(n + 1) if m / n >= r) for r in thresholds] for n in npig]
    assert np.array_equal(_first_recall_counts(npig), np.array(expected))
