"""Regression errors and media metrics: MAE, MSE, RMS, RMSE, PCC, PSNR, Chamfer distance."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from genbench.metrics._dense import depth_rms, matte_mse, per_instance
from genbench.metrics._scorers import TaskScore, instance_mean, scorer

#: PSNR of identical images is infinite; it is reported as this many dB.
PSNR_CAP_DB = 100.0


def _pooled(
    predictions: Sequence[Any], references: Sequence[Any]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    pred = (
        np.concatenate([np.asarray(p, float).ravel() for p in predictions])
        if predictions
        else np.zeros(0)
    )
    ref = (
        np.concatenate([np.asarray(r, float).ravel() for r in references])
        if references
        else np.zeros(0)
    )
    if pred.shape != ref.shape:
        raise ValueError(f"{pred.size} predicted values for {ref.size} reference values")
    return pred, ref


def _is_dense(values: Sequence[Any]) -> bool:
    return bool(values) and not isinstance(values[0], list | tuple | int | float)


def _pooled_stats(
    predictions: Sequence[Any], references: Sequence[Any]
) -> dict[str, list[float]] | None:
    """Each instance's summed absolute and squared errors and its count of values: the
    sufficient statistics of the pooled errors (reducers ``pooled_mae``, ``pooled_mse``,
    ``pooled_rmse``); None when an instance's prediction and reference differ in size
    (the pooled values then pair up across instances and do not decompose).
    """
    stats: dict[str, list[float]] = {"abs_error": [], "squared_error": [], "count": []}
    for p, r in zip(predictions, references, strict=True):
        pred, ref = np.asarray(p, float).ravel(), np.asarray(r, float).ravel()
        if pred.shape != ref.shape:
            return None
        error = pred - ref
        stats["abs_error"].append(float(np.abs(error).sum()))
        stats["squared_error"].append(float((error**2).sum()))
        stats["count"].append(float(error.size))
    return stats


@scorer("MAE")
def mae(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean absolute error over every value of every instance (per image for arrays)."""
    if _is_dense(references):
        return per_instance(
            lambda p, r: float(np.mean(np.abs(p.astype(float) - r.astype(float)))),
            predictions,
            references,
        )
    pred, ref = _pooled(predictions, references)
    value = float(np.mean(np.abs(pred - ref))) if ref.size else 0.0
    return TaskScore(value, stats=_pooled_stats(predictions, references), reducer="pooled_mae")


@scorer("RMSE")
def rmse(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Root mean squared error over every value of every instance (per image for arrays)."""
    if _is_dense(references):
        return per_instance(
            lambda p, r: float(np.sqrt(np.mean((p.astype(float) - r.astype(float)) ** 2))),
            predictions,
            references,
        )
    pred, ref = _pooled(predictions, references)
    value = float(np.sqrt(np.mean((pred - ref) ** 2))) if ref.size else 0.0
    return TaskScore(value, stats=_pooled_stats(predictions, references), reducer="pooled_rmse")


@scorer("RMS")
def rms(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Depth RMS error: per image over pixels with a reference depth, mean over images."""
    if _is_dense(references):
        return per_instance(depth_rms, predictions, references)
    return rmse(predictions, references)


@scorer("MSE")
def mse(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean squared error of numbers; for alpha mattes, the matting MSE (x1000) per image."""
    if _is_dense(references):
        return per_instance(matte_mse, predictions, references)
    pred, ref = _pooled(predictions, references)
    value = float(np.mean((pred - ref) ** 2)) if ref.size else 0.0
    return TaskScore(value, stats=_pooled_stats(predictions, references), reducer="pooled_mse")


@scorer("PCC")
def pcc(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Pearson correlation (scipy) of every predicted value with its reference, times 100."""
    from scipy.stats import pearsonr

    pred, ref = _pooled(predictions, references)
    if ref.size < 2 or np.ptp(pred) == 0 or np.ptp(ref) == 0:
        raise ValueError("Pearson correlation needs two or more values that vary")
    return 100.0 * float(pearsonr(pred, ref).statistic)


def load_rgb(path: Path) -> NDArray[np.uint8]:
    """An image file as an RGB uint8 array."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8)


def psnr_arrays(prediction: NDArray[np.uint8], reference: NDArray[np.uint8]) -> float:
    """PSNR in dB of two uint8 images (MAX 255), capped at PSNR_CAP_DB for identical ones."""
    if prediction.shape != reference.shape:
        raise ValueError(
            f"image size {prediction.shape} differs from the reference's {reference.shape}"
        )
    mse = float(np.mean((prediction.astype(np.float64) - reference.astype(np.float64)) ** 2))
    if mse == 0:
        return PSNR_CAP_DB
    return min(PSNR_CAP_DB, 10.0 * float(np.log10(255.0**2 / mse)))


@scorer("PSNR")
def psnr(predictions: Sequence[Sequence[Path]], references: Sequence[Sequence[Path]]) -> float:
    """Mean over instances of the mean per-frame PSNR (an image is a one-frame video)."""
    if not predictions:
        return 0.0
    values = []
    for pred_frames, ref_frames in zip(predictions, references, strict=True):
        if len(pred_frames) != len(ref_frames):
            raise ValueError(f"{len(pred_frames)} predicted frames for {len(ref_frames)}")
        values.append(
            np.mean(
                [
                    psnr_arrays(load_rgb(p), load_rgb(r))
                    for p, r in zip(pred_frames, ref_frames, strict=True)
                ]
            )
        )
    return TaskScore(float(np.mean(values)), per_instance=[float(v) for v in values])


def load_points(path: Path) -> NDArray[np.float64]:
    """A point cloud (N x 3) from ``.npy`` or a text ``.xyz``/``.txt`` file."""
    points = np.load(path) if path.suffix == ".npy" else np.loadtxt(path)
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] < 3 or len(points) == 0:
        raise ValueError(f"{path}: not an N x 3 point cloud (shape {points.shape})")
    return points[:, :3]


def chamfer_distance(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Mean nearest-neighbour Euclidean distance a->b plus b->a (scipy's k-d tree)."""
    from scipy.spatial import cKDTree

    return float(cKDTree(b).query(a)[0].mean() + cKDTree(a).query(b)[0].mean())


@scorer("CD")
def chamfer(predictions: Sequence[Path], references: Sequence[Path]) -> float:
    """Mean over instances of the Chamfer distance between predicted and reference clouds."""
    return instance_mean(
        lambda p, r: chamfer_distance(load_points(p), load_points(r)), predictions, references
    )
