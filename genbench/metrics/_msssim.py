"""MS-SSIM as torchmetrics computes it, in float64 with separable filters (numpy, scipy).

The value is torchmetrics' ``multiscale_structural_similarity_index_measure`` with its
defaults (gaussian window of 11 pixels, sigma 1.5, reflect padding, k1 0.01, k2 0.03,
five scales with the standard betas, ``normalize="relu"``) on one image pair, to about
1e-12 (tests/test_msssim.py compares them on random, flat, document and sample images).

Why not torchmetrics itself: in float64 its 11 x 11 grouped convolution takes torch's
slow path (0.6 s for one 176 x 176 pair here, and importing torch and torchmetrics,
which pulls transformers, costs 4 s more); in float32 it is 13 times faster but off by
up to 8e-4 on pages with blank margins, where the variance E[x^2] - E[x]^2 of a flat
window cancels to a small negative number that is clamped to 0 in one image's terms
and not in the cross term. The Gaussian window is the outer product of two 1-D
windows, so two 1-D passes in float64 give the same filter at a few milliseconds a pair.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: torchmetrics' defaults: the scales' exponents, window radius and sigma, k1 and k2.
BETAS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
RADIUS, SIGMA = 5, 1.5
K1, K2 = 0.01, 0.03
#: The smallest image side five scales allow: the last scale (side // 16) must exceed the
#: window's 10 pixels of padding (torchmetrics' condition), so 11 * 16.
MIN_SIDE = (2 * RADIUS + 1) * (len(BETAS) - 1) ** 2

Array = npt.NDArray[np.float64]


def _window() -> Array:
    """The 1-D Gaussian of torchmetrics: exp(-(d / sigma)^2 / 2) for d in -5..5, summing to 1."""
    distance = np.arange(-RADIUS, RADIUS + 1, dtype=np.float64)
    gauss = np.exp(-((distance / SIGMA) ** 2) / 2)
    return gauss / gauss.sum()  # type: ignore[no-any-return]


def _blur(image: Array, window: Array) -> Array:
    """The window applied over height and width of a (channels, H, W) array, reflecting at
    the edges (torch's ``reflect`` padding is scipy's ``mirror``), output the same size.
    """
    from scipy.ndimage import correlate1d

    along_height = correlate1d(image, window, axis=1, mode="mirror")
    blurred: Array = correlate1d(along_height, window, axis=2, mode="mirror")
    return blurred


def _scale(x: Array, y: Array, window: Array, c1: float, c2: float) -> tuple[float, float]:
    """SSIM (mean over the whole map) and contrast sensitivity (mean inside the padding)
    of one scale, each as torchmetrics' ``_ssim_update`` computes them.
    """
    mu_x, mu_y = _blur(x, window), _blur(y, window)
    mu_xx, mu_yy, mu_xy = mu_x * mu_x, mu_y * mu_y, mu_x * mu_y
    var_x = np.maximum(_blur(x * x, window) - mu_xx, 0.0)
    var_y = np.maximum(_blur(y * y, window) - mu_yy, 0.0)
    cov = _blur(x * y, window) - mu_xy
    upper = 2 * cov + c2
    lower = var_x + var_y + c2
    ssim = ((2 * mu_xy + c1) * upper) / ((mu_xx + mu_yy + c1) * lower)
    cs = upper / lower
    return float(ssim.mean()), float(cs[:, RADIUS:-RADIUS, RADIUS:-RADIUS].mean())


def _halve(image: Array) -> Array:
    """2 x 2 average pooling (an odd last row or column is dropped, as avg_pool2d does)."""
    channels, height, width = image.shape
    even = image[:, : height // 2 * 2, : width // 2 * 2]
    return even.reshape(channels, height // 2, 2, width // 2, 2).mean(axis=(2, 4))  # type: ignore[no-any-return]


def ms_ssim_pair(prediction: npt.ArrayLike, reference: npt.ArrayLike, data_range: float) -> float:
    """MS-SSIM of two (H, W, channels) images on the scale ``data_range`` (0-1).

    Raises:
        ValueError: the images differ in shape, or are too small for five scales of an
            11-pixel window (torchmetrics' condition: each side at least :data:`MIN_SIDE`).
    """
    x = np.moveaxis(np.asarray(prediction, dtype=np.float64), -1, 0)
    y = np.moveaxis(np.asarray(reference, dtype=np.float64), -1, 0)
    if x.shape != y.shape:
        raise ValueError(f"MS-SSIM of images of shapes {x.shape} and {y.shape}")
    if min(x.shape[1:]) < MIN_SIDE:
        raise ValueError(
            f"MS-SSIM needs each image side of at least {MIN_SIDE} px (torchmetrics: side "
            f"// {(len(BETAS) - 1) ** 2} above {2 * RADIUS}), not {x.shape[1:]}"
        )
    window = _window()
    c1, c2 = (K1 * data_range) ** 2, (K2 * data_range) ** 2
    values = []
    for index in range(len(BETAS)):
        ssim, cs = _scale(x, y, window, c1, c2)
        values.append(ssim if index == len(BETAS) - 1 else cs)
        x, y = _halve(x), _halve(y)
    # torchmetrics clamps each term at 0 (normalize="relu") and keeps the betas as float32
    betas = np.asarray(BETAS, dtype=np.float32).astype(np.float64)
    return float(np.prod(np.maximum(np.asarray(values), 0.0) ** betas))
