"""MS-SSIM (genbench.metrics._msssim) equals torchmetrics' float64 value, where torchmetrics'
float32 does not.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torchmetrics.functional.image import multiscale_structural_similarity_index_measure

from genbench.data import sample_root
from genbench.metrics._msssim import ms_ssim_pair

#: The issue's allowance for a faster path; ours is float64 and far inside it.
ALLOWANCE = 1e-4


def torchmetrics_value(a: np.ndarray, b: np.ndarray, dtype: torch.dtype = torch.float64) -> float:
    tensors = [
        torch.from_numpy(np.ascontiguousarray(x)).permute(2, 0, 1)[None].to(dtype) for x in (a, b)
    ]
    return float(multiscale_structural_similarity_index_measure(*tensors, data_range=255.0))


def pairs() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for h, w in ((176, 176), (177, 301), (256, 191)):
        image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        noisy = np.clip(image + rng.normal(0, 30, image.shape), 0, 255).astype(np.uint8)
        found[f"noisy {h}x{w}"] = (noisy, image)
        found[f"unrelated {h}x{w}"] = (rng.integers(0, 256, (h, w, 3), dtype=np.uint8), image)
    white = np.full((200, 210, 3), 255, np.uint8)
    page = white.copy()
    page[40:160, 30:180][rng.random((120, 150)) < 0.2] = 0  # text in the middle of a page
    shifted = np.roll(page, 2, axis=1)
    found["blank pages"] = (white, white)
    found["page and its shift"] = (shifted, page)
    found["white and black"] = (white, np.zeros_like(white))
    ramp = np.tile(np.linspace(0, 255, 210), (200, 1))[..., None].repeat(3, 2).astype(np.uint8)
    found["ramp"] = (np.clip(ramp.astype(int) + 3, 0, 255).astype(np.uint8), ramp)
    found["one channel"] = (
        rng.integers(0, 256, (180, 180, 1), dtype=np.uint8),
        rng.integers(0, 256, (180, 180, 1), dtype=np.uint8),
    )
    images = sample_root() / "image" / "generation" / "Doc-Image-Unwarping" / "images"
    for index in (0, 1):
        found[f"sample {index}"] = tuple(  # type: ignore[assignment]
            np.array(Image.open(images / name).convert("RGB"))
            for name in (f"{index}.png", f"{index}_gt.png")
        )
    return found


@pytest.mark.parametrize(("name", "pair"), list(pairs().items()))
def test_ms_ssim_equals_torchmetrics_in_float64(name, pair):
    prediction, reference = pair
    expected = torchmetrics_value(prediction, reference)
    assert ms_ssim_pair(prediction, reference, 255.0) == pytest.approx(expected, abs=1e-10)


def test_torchmetrics_in_float32_misses_the_allowance_on_blank_pages():
    # why the fast path is float64 with separable filters, not torchmetrics in float32
    white = np.full((200, 210, 3), 255, np.uint8)
    assert abs(torchmetrics_value(white, white, torch.float32) - 1.0) > ALLOWANCE
    assert ms_ssim_pair(white, white, 255.0) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("shape", [(175, 300, 3), (300, 170, 3)])
def test_images_too_small_for_five_scales_are_refused_as_torchmetrics_does(shape):
    image = np.zeros(shape, np.uint8)
    with pytest.raises(ValueError):
        torchmetrics_value(image, image)
    with pytest.raises(ValueError, match="at least 176 px"):
        ms_ssim_pair(image, image, 255.0)
