"""Loading dense answers and references: arrays from files, RLE masks, nested lists.

Dense predictions (depth, flow, mattes, masks, saliency maps) are files beside the
prediction file or values inside it. Every loader returns a float or integer numpy array
and raises ValueError naming the file when it cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

_FLO_MAGIC = 202021.25


def _read_flo(path: Path) -> NDArray[np.float64]:
    """A Middlebury ``.flo`` optical-flow file (H x W x 2)."""
    with path.open("rb") as handle:
        magic = np.fromfile(handle, np.float32, 1)
        if magic.size != 1 or float(magic[0]) != _FLO_MAGIC:
            raise ValueError(f"{path}: not a .flo file")
        width, height = (int(v) for v in np.fromfile(handle, np.int32, 2))
        data = np.fromfile(handle, np.float32, 2 * width * height)
    return data.reshape(height, width, 2).astype(np.float64)


def decode_rle(rle: dict[str, Any]) -> NDArray[np.uint8]:
    """A COCO run-length-encoded mask (``{"size": [h, w], "counts": ...}``) as 0/1."""
    from pycocotools import mask as mask_utils

    counts = rle.get("counts")
    if not isinstance(rle.get("size"), list) or counts is None:
        raise ValueError("an RLE mask needs 'size' and 'counts'")
    coded = dict(rle)
    if isinstance(counts, list):  # uncompressed RLE
        coded = mask_utils.frPyObjects(coded, *coded["size"])
    elif isinstance(counts, str):
        coded["counts"] = counts.encode("ascii")
    return np.asarray(mask_utils.decode(coded), dtype=np.uint8)


def load_array(value: Any) -> NDArray[Any]:
    """An array from a file (``.npy``, ``.npz``, ``.flo``, an image), an RLE dict or lists.

    Images load as they are stored (a grey-scale PNG gives H x W, an RGB one H x W x 3).

    Raises:
        ValueError: the value is none of these, or the file cannot be read.
    """
    if isinstance(value, dict):
        return decode_rle(value)
    if isinstance(value, list | tuple | int | float):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, np.ndarray):
        return value
    path = Path(value)
    try:
        if path.suffix == ".npy":
            return np.asarray(np.load(path))
        if path.suffix == ".npz":
            with np.load(path) as archive:
                return np.asarray(archive[archive.files[0]])
        if path.suffix == ".flo":
            return _read_flo(path)
        from PIL import Image

        with Image.open(path) as image:
            return np.asarray(image)
    except (OSError, ValueError, KeyError, IndexError) as error:
        raise ValueError(f"{path}: cannot read an array: {error}") from None


def same_shape(prediction: NDArray[Any], reference: NDArray[Any], what: str) -> None:
    """Raise ValueError when a prediction's shape differs from its reference's."""
    if prediction.shape != reference.shape:
        raise ValueError(f"{what} of shape {prediction.shape}, reference {reference.shape}")


def unit_scale(array: NDArray[Any]) -> NDArray[np.float64]:
    """A matte or saliency map in [0, 1]: 8-bit images are divided by 255."""
    values = np.asarray(array, dtype=np.float64)
    if values.ndim == 3:
        values = values[..., 0]
    if np.issubdtype(np.asarray(array).dtype, np.integer) and values.max(initial=0) > 1:
        values = values / 255.0
    return values
