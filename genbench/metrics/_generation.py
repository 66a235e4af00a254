"""Reference-based and no-reference generation metrics that need no network: MS-SSIM and
VBench's temporal-flickering score ("L1 distance").

Images and frames are RGB uint8 files; a video is its list of frame files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from genbench.metrics._msssim import MIN_SIDE, ms_ssim_pair
from genbench.metrics._numeric import load_rgb
from genbench.metrics._scorers import TaskScore, scorer


@scorer("MS-SSIM")
def ms_ssim(predictions: Sequence[Sequence[Path]], references: Sequence[Sequence[Path]]) -> float:
    """Mean over images (frames) of MS-SSIM on RGB in [0, 255] (torchmetrics' definition,
    computed by genbench.metrics._msssim), 0-1.
    """
    values: list[float] = []
    stats: dict[str, list[float]] = {"sum": [], "count": []}
    for pred_frames, ref_frames in zip(predictions, references, strict=True):
        if len(pred_frames) != len(ref_frames):
            raise ValueError(f"{len(pred_frames)} predicted frames for {len(ref_frames)}")
        first = len(values)
        for pred_path, ref_path in zip(pred_frames, ref_frames, strict=True):
            pred, ref = load_rgb(pred_path), load_rgb(ref_path)
            if pred.shape != ref.shape:
                raise ValueError(f"{pred_path}: size {pred.shape}, reference {ref.shape}")
            if min(ref.shape[:2]) < MIN_SIDE:  # said here with the file's name
                raise ValueError(
                    f"{ref_path}: MS-SSIM needs images of at least {MIN_SIDE} px per side"
                )
            values.append(ms_ssim_pair(pred, ref, data_range=255.0))
        stats["sum"].append(sum(values[first:]))
        stats["count"].append(len(values) - first)
    # the mean over every frame of the task: pooled over instances
    mean = float(np.mean(values)) if values else 0.0
    return TaskScore(mean, stats=stats, reducer="pooled_mean")


def flicker_score(frames: Sequence[Path]) -> float:
    """(255 - mean |frame_t - frame_t+1|) / 255 over consecutive RGB frames (0-1)."""
    if len(frames) < 2:
        raise ValueError("temporal flickering needs at least two frames")
    previous = load_rgb(frames[0]).astype(np.float64)
    differences = []
    for path in frames[1:]:
        current = load_rgb(path).astype(np.float64)
        if current.shape != previous.shape:
            raise ValueError(f"{path}: frame size {current.shape} differs from {previous.shape}")
        differences.append(float(np.mean(np.abs(current - previous))))
        previous = current
    return (255.0 - float(np.mean(differences))) / 255.0


@scorer("L1 distance")
def temporal_flickering(
    predictions: Sequence[Sequence[Path]], references: Sequence[object]
) -> float:
    """VBench temporal flickering, mean over videos, percent (no reference needed)."""
    if not predictions:
        return 0.0
    values = [flicker_score(frames) for frames in predictions]
    return TaskScore(100.0 * float(np.mean(values)), per_instance=[100.0 * v for v in values])
