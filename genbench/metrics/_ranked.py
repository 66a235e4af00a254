"""Ranked reducers: AP over boxes recomputed on resamples of a task's instances.

COCO AP is not a function of sums: it ranks every detection of the task by score. It is,
however, a function of each image's *own* evaluation, because pycocotools matches
detections to ground truth image by image (``COCOeval.evaluateImg``) and only then pools
them (``COCOeval.accumulate``). The AP scorer therefore records, per instance and per
category, pycocotools' own per-image result: the detections' scores (best first), their
true-positive and ignored flags at each IoU threshold of the reported statistic, and the
count of non-ignored ground truth. :func:`coco_ap_draws` then redoes ``accumulate`` and the
summary for B resamples at once.

A resample is a multiset of instances, given as counts (B, n). It is scored as COCOeval
scores the resampled images listed in instance order (copies next to each other): tied
scores rank by image, then copy, then the image's own order, exactly as COCOeval's stable
sort ranks them. For every category and IoU threshold, with ``m`` the true positives so
far and ``F`` the false positives ranked before the m-th one, COCOeval's interpolated
precision at recall threshold r is ``q(r) = max {m / (m + F + eps) : m / npig >= r}``
(0 when no m qualifies), and AP is the mean of q over the 101 recall thresholds, the IoU
thresholds and the categories with ground truth. tests/test_stats_ap.py checks equality
with pycocotools on the full set and on resamples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Counts = NDArray[np.int64]
Floats = NDArray[np.float64]
#: Maps per-instance ranked detections and resample counts (B, n) to B task scores.
RankedReducer = Callable[[Sequence[Mapping[str, Any]], Counts], Floats]

#: COCOeval's recall thresholds (``Params.recThrs``): 0, 0.01, ..., 1.
RECALL_THRESHOLDS = np.linspace(0.0, 1.0, 101)
_EPS = float(np.spacing(1))

_RANKED: dict[str, RankedReducer] = {}


def register_ranked_reducer(name: str, function: RankedReducer) -> RankedReducer:
    """Register a ranked reducer under ``name``; returns it."""
    _RANKED[name] = function
    return function


def get_ranked_reducer(name: str) -> RankedReducer:
    """The ranked reducer registered under ``name``.

    Raises:
        KeyError: no ranked reducer has this name.
    """
    try:
        return _RANKED[name]
    except KeyError:
        raise KeyError(f"no ranked reducer named {name!r}") from None


def _first_recall_counts(npig: Floats) -> NDArray[np.int64]:
    """For each draw and recall threshold r, the least m >= 0 with ``m / npig >= r``
    (as COCOeval compares them: float division), shape (B, R).
    """
    r = RECALL_THRESHOLDS[None, :]
    n = npig[:, None]
    m = np.ceil(r * n)
    m = np.where((m >= 1) & ((m - 1) / n >= r), m - 1, m)
    m = np.where(m / n < r, m + 1, m)
    return m.astype(np.int64)


def _precision_sums(
    instance: NDArray[np.int64],
    score: Floats,
    true_positive: NDArray[np.bool_],
    counts: Counts,
    npig: Floats,
) -> Floats:
    """Sum over the recall thresholds of COCOeval's interpolated precision, per draw, for
    one category and IoU threshold. The detections come in COCOeval's ranking of the full
    set (not ignored ones only).
    """
    draws = counts.shape[0]
    if not true_positive.any():
        return np.zeros(draws)
    # blocks: runs of one image's detections with one score; a resample repeats a block
    # once per copy of its image, in place
    start = np.ones(instance.size, dtype=bool)
    start[1:] = (instance[1:] != instance[:-1]) | (score[1:] != score[:-1])
    block = np.cumsum(start) - 1
    first = np.flatnonzero(start)
    tp = true_positive.astype(np.int64)
    fp = 1 - tp
    tp_block = np.bincount(block, weights=tp).astype(np.int64)
    fp_block = np.bincount(block, weights=fp).astype(np.int64)
    tp_before = np.cumsum(tp) - tp  # before each detection, over the full ranking
    fp_before = np.cumsum(fp) - fp
    hits = np.flatnonzero(true_positive)
    hit_block = block[hits]
    rank_in_block = tp_before[hits] - tp_before[first[hit_block]] + 1
    fp_in_block = fp_before[hits] - fp_before[first[hit_block]]

    copies = counts[:, instance[first]]  # (B, blocks)
    tp_upto = np.cumsum(copies * tp_block, axis=1)
    fp_upto = np.cumsum(copies * fp_block, axis=1)
    tp_prior = tp_upto - copies * tp_block
    fp_prior = fp_upto - copies * fp_block
    total_tp = tp_upto[:, -1]

    repeats = copies[:, hit_block].ravel()  # each true positive, once per copy
    group = np.repeat(np.arange(repeats.size), repeats)
    copy = np.arange(group.size) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    draw, hit = np.divmod(group, hits.size)
    blocks = hit_block[hit]
    m = tp_prior[draw, blocks] + copy * tp_block[blocks] + rank_in_block[hit]
    f = fp_prior[draw, blocks] + copy * fp_block[blocks] + fp_in_block[hit]
    precision = m / ((f + m) + _EPS)

    width = int(total_tp.max()) + 1
    best = np.zeros((draws, width))
    best[draw, m - 1] = precision
    best = np.maximum.accumulate(best[:, ::-1], axis=1)[:, ::-1]  # max over m and above
    needed = _first_recall_counts(np.where(npig > 0, npig, 1.0))
    column = np.minimum(np.maximum(needed, 1) - 1, width - 1)
    q = np.take_along_axis(best, column, axis=1)
    q = np.where(needed <= total_tp[:, None], q, 0.0)
    return np.asarray(q.sum(axis=1), dtype=np.float64)


def coco_ap_draws(instances: Sequence[Mapping[str, Any]], counts: Counts) -> Floats:
    """COCO AP (percent, as ``coco_ap`` reports it) of each resample.

    Args:
        instances: per instance, ``{category: {"gt": int, "scores": [...], "tp": [[0/1
            per detection] per IoU threshold], "ignored": [[0/1 ...] per threshold]}}``
            as the AP scorer records it (detections best first, at most 100).
        counts: (B, n) copies of each instance in each resample.

    Returns:
        ``100 * max(0, AP)`` per resample; 0 where no category has ground truth.
    """
    counts = np.asarray(counts, dtype=np.int64)
    draws = counts.shape[0]
    total = np.zeros(draws)
    cells = np.zeros(draws)
    labels = sorted({label for item in instances for label in item})
    for label in labels:
        entries = [(i, item[label]) for i, item in enumerate(instances) if label in item]
        gt = np.zeros(len(instances))
        for i, entry in entries:
            gt[i] = entry["gt"]
        npig = counts @ gt
        valid = npig > 0
        instance = np.concatenate(
            [np.full(len(e["scores"]), i, dtype=np.int64) for i, e in entries]
        )
        score = np.concatenate([np.asarray(e["scores"], dtype=np.float64) for _, e in entries])
        thresholds = len(entries[0][1]["tp"])
        order = np.argsort(-score, kind="stable")
        for t in range(thresholds):
            tp = np.concatenate([np.asarray(e["tp"][t], dtype=bool) for _, e in entries])
            ignored = np.concatenate([np.asarray(e["ignored"][t], dtype=bool) for _, e in entries])
            keep = order[~ignored[order]]
            sums = _precision_sums(instance[keep], score[keep], tp[keep], counts, npig)
            total += np.where(valid, sums, 0.0)
        cells += valid * thresholds * RECALL_THRESHOLDS.size
    ap = np.where(cells > 0, total / np.where(cells > 0, cells, 1.0), -1.0)
    return 100.0 * np.maximum(0.0, ap)


register_ranked_reducer("coco_ap", coco_ap_draws)
