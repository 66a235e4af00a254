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
from dataclasses import dataclass
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


#: The recall thresholds that COCOeval stores one rounding step above k/100 (0.35 ...).
_ABOVE = np.array([threshold > k / 100 for k, threshold in enumerate(RECALL_THRESHOLDS)])


def _first_recall_counts(npig: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each draw and recall threshold k/100, the least m with ``m / npig`` at or above
    the threshold as COCOeval compares them (float division), shape (B, 101).

    In integers that is ``ceil(k npig / 100)``: two different fractions m/npig and k/100
    lie much further apart than a rounding step, so only an exact tie (100 m = k npig)
    can compare otherwise, and does where the stored threshold is above k/100.
    """
    product = np.arange(RECALL_THRESHOLDS.size) * npig[:, None]
    m = (product + 99) // 100
    m += (m * 100 == product) & _ABOVE
    return m


def _precision(m: Floats, position: Floats) -> Floats:
    """COCOeval's precision ``tp / (fp + tp + eps)`` at the m-th true positive, ranked
    ``position = fp + tp``-th (tp and fp: integers, so the sum is exact in any order).
    """
    return np.asarray(m / (position + _EPS), dtype=np.float64)


def _blocks_before(block_end: Floats, needed: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per draw and recall threshold, how many blocks end before m_r: the index of the
    block where m_r falls (the number of blocks when past the last). One search over the
    draws' rows laid end to end, each shifted past the one before (exact integers).
    """
    draws, blocks = block_end.shape
    span = int(block_end[:, -1].max()) + 2
    shift = np.arange(draws, dtype=np.int64)[:, None] * span
    rows = (block_end.astype(np.int64) + shift).ravel()
    found = np.searchsorted(rows, (np.minimum(needed, span - 1) + shift).ravel())
    return np.asarray(found.reshape(needed.shape) - (shift // span) * blocks, dtype=np.int64)


def _block_runs(
    past: Floats, where: NDArray[np.int64], needed: NDArray[np.int64], hits: _Hits
) -> Floats:
    """The interpolated precision at each recall threshold: the suffix maximum ``past``
    beyond the block where m_r falls, or a run of that block's events at m_r or past.
    """
    draws, blocks = past.shape[0], hits.group.size
    start = (np.arange(draws) * (blocks + 1))[:, None]  # row starts in the flat table
    flat_past = past.ravel()
    q = flat_past[start + np.minimum(where + 1, blocks)]
    inside = np.minimum(where, blocks - 1)
    # only where the block holds a larger precision than every later one can a run count
    candidates = np.flatnonzero((where < blocks) & (flat_past[start + inside] > q))
    inside = inside.ravel()[candidates]
    rows = candidates // where.shape[1]
    for s in range(int(hits.size.max())):  # the block's s-th true positive
        keep = np.flatnonzero(hits.size[inside] > s)
        if keep.size == 0:
            break
        chosen = candidates[keep]
        column = hits.group[inside[keep]] + s
        flat = rows[keep] * hits.count + column
        m, at = hits.m.ravel()[flat], hits.position.ravel()[flat]
        copies = hits.copies.ravel()[flat]
        a, length = hits.step_m[column], hits.length[column]
        j = np.maximum(np.ceil((needed.ravel()[chosen] - m) / a), 0.0)  # first copy at m_r
        last = copies - 1
        run = np.maximum(
            _precision(m + j * a, at + j * length), _precision(m + last * a, at + last * length)
        )
        run = np.where(j <= last, run, 0.0)
        q.ravel()[chosen] = np.maximum(q.ravel()[chosen], run)
    return q


@dataclass
class _Hits:
    """The true positives of one category and IoU threshold in every draw (B, count):
    copies of their image, true positives through each (``upto``), m and the rank in
    the resample (``position``) of their copy 0; per true positive, its block's true
    positives and detections (the steps from one copy to the next); the blocks' first
    true positive (``group``) and count (``size``).
    """

    count: int
    copies: Floats
    upto: Floats
    m: Floats
    position: Floats
    step_m: Floats
    length: Floats
    group: NDArray[np.int64]
    size: NDArray[np.int64]


def _hits(
    instance: NDArray[np.int64],
    score: Floats,
    true_positive: NDArray[np.bool_],
    counts: Floats,
    before: Floats,
) -> _Hits:
    """Copy 0 of every true positive in every draw. ``before[:, k]``: detections (copies
    included) ranked before the k-th block of the full ranking, in each draw.
    """
    hits = np.flatnonzero(true_positive)
    block = _blocks(instance, score)
    first = _run_starts(block)[block]  # each detection's block start
    tp_before = np.cumsum(true_positive, dtype=np.int64) - true_positive
    rank = (tp_before - tp_before[first] + 1)[hits].astype(np.float64)  # 1-based, in block
    fp_in_block = (np.arange(instance.size) - first - (tp_before - tp_before[first]))[hits]
    copies = np.take(counts, instance[hits], axis=1)
    upto = np.cumsum(copies, axis=1)  # true positives through each one, copies included
    m = upto - rank * copies  # ... less its own block's, plus its rank: copy 0's m
    m += rank
    position = np.take(before, block[hits], axis=1)  # detections before its block ...
    position += rank + fp_in_block  # ... and before it in the block, and itself
    hit_block = block[hits]
    group = _run_starts(hit_block)
    return _Hits(
        hits.size,
        copies,
        upto,
        m,
        position,
        np.bincount(block, weights=true_positive)[hit_block].astype(np.float64),
        np.bincount(block)[hit_block].astype(np.float64),
        group,
        np.diff(np.r_[group, hits.size]),
    )


def _precision_sums(
    instance: NDArray[np.int64],
    score: Floats,
    true_positive: NDArray[np.bool_],
    counts: Floats,
    before: Floats,
    needed: NDArray[np.int64],
) -> Floats:
    """Sum over the recall thresholds of COCOeval's interpolated precision, per draw, for
    one category and IoU threshold. The detections come in COCOeval's ranking of the full
    set, ignored ones left out; ``needed[b, r]`` is the least m reaching recall r.

    In a resample, a *block* (one image's detections of one score) appears once per copy
    of its image, the copies next to each other. Copy j of a block comes ``j * a`` true
    and ``j * f`` false positives after copy 0 (a, f: the block's counts), so a true
    positive's precision over its copies, ``(m + j a) / (m + F + j (a + f) + eps)``, is
    monotone in j: its largest value over any run of copies is at one end of the run.
    The interpolated precision at recall r, the largest precision at m >= m_r, is then the
    largest of (a) the blocks wholly past m_r (a suffix maximum over blocks) and (b) the
    ends of the runs at or past m_r within the block where m_r falls.
    """
    draws = counts.shape[0]
    if not true_positive.any():
        return np.zeros(draws)
    hits = _hits(instance, score, true_positive, counts, before)
    ends = _precision(hits.m, hits.position)  # copy 0, then the last of several copies
    ends *= hits.copies > 0
    several = np.flatnonzero(hits.copies > 1)
    column = several % hits.count
    more = hits.copies.ravel()[several] - 1
    m_end = hits.m.ravel()[several] + more * hits.step_m[column]
    at_end = hits.position.ravel()[several] + more * hits.length[column]
    ends.ravel()[several] = np.maximum(ends.ravel()[several], _precision(m_end, at_end))
    # the largest precision from each true positive on, then from each block on
    suffix = np.zeros((draws, hits.count + 1))
    np.maximum.accumulate(ends[:, ::-1], axis=1, out=suffix[:, hits.count - 1 :: -1])
    past = suffix[:, np.r_[hits.group, hits.count]]
    block_end = hits.upto[:, hits.group + hits.size - 1]  # true positives through blocks
    # past the last event (m_r above every draw's true positives) q stays 0
    q = _block_runs(past, _blocks_before(block_end, needed), needed, hits)
    return np.asarray(q.sum(axis=1), dtype=np.float64)


def _run_starts(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Where each run of equal values starts."""
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def _blocks(instance: NDArray[np.int64], score: Floats) -> NDArray[np.int64]:
    """Each detection's block: runs of one image's detections with one score, numbered."""
    start = np.ones(instance.size, dtype=bool)
    start[1:] = (instance[1:] != instance[:-1]) | (score[1:] != score[:-1])
    return np.cumsum(start) - 1


def _before_blocks(instance: NDArray[np.int64], score: Floats, copies: Floats) -> Floats:
    """Per draw, the detections (copies included) ranked before each block, (B, blocks)."""
    block = _blocks(instance, score)
    first = _run_starts(block)
    length = np.diff(np.r_[first, block.size])
    before = np.zeros((copies.shape[0], first.size))
    np.cumsum(
        np.take(copies, instance[first[:-1]], axis=1) * length[:-1], axis=1, out=before[:, 1:]
    )
    return before


def _flags(
    entries: Sequence[tuple[int, Mapping[str, Any]]], name: str, thresholds: int
) -> NDArray[np.bool_]:
    """A per-detection flag of every entry, (thresholds, detections) in entry order."""
    arrays = [np.asarray(e[name], dtype=bool).reshape(thresholds, -1) for _, e in entries]
    return np.concatenate(arrays, axis=1)


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
    copies = np.asarray(counts, dtype=np.float64)  # small integers: exact
    draws = counts.shape[0]
    total = np.zeros(draws)
    cells = np.zeros(draws)
    for label in sorted({label for item in instances for label in item}):
        entries = [(i, item[label]) for i, item in enumerate(instances) if label in item]
        gt = np.zeros(len(instances))
        for i, entry in entries:
            gt[i] = entry["gt"]
        npig = copies @ gt
        valid = npig > 0
        whole = np.where(valid, npig, 1.0).astype(np.int64)  # ground truth, at least 1
        needed = np.maximum(_first_recall_counts(whole), 1)  # m_r, at least 1
        instance = np.concatenate([np.full(len(e["scores"]), i) for i, e in entries])
        score = np.concatenate([np.asarray(e["scores"], dtype=np.float64) for _, e in entries])
        thresholds = len(entries[0][1]["tp"])
        tp = _flags(entries, "tp", thresholds)
        ignored = _flags(entries, "ignored", thresholds)
        order = np.argsort(-score, kind="stable")
        shared: tuple[bytes, Floats] | None = None
        for t in range(tp.shape[0]):
            keep = order[~ignored[t, order]]
            if shared is None or shared[0] != keep.tobytes():
                shared = (keep.tobytes(), _before_blocks(instance[keep], score[keep], copies))
            sums = _precision_sums(
                instance[keep], score[keep], tp[t, keep], copies, shared[1], needed
            )
            total += np.where(valid, sums, 0.0)
        cells += valid * tp.shape[0] * RECALL_THRESHOLDS.size
    ap = np.where(cells > 0, total / np.where(cells > 0, cells, 1.0), -1.0)
    return 100.0 * np.maximum(0.0, ap)


register_ranked_reducer("coco_ap", coco_ap_draws)
