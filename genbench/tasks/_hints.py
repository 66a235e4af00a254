"""What a generation request tells the model about the output it must match: the
reference's image size, frame count and sample rate, and an inpainting mask.

These go in ``Request.extra`` (keys documented on :class:`genbench.models.Request`) so a
generator can draw at the size a pixel metric compares, and write audio at the rate the
reference has. Only the reference's shape is read, never its content; a close-set
instance (no reference) gets no hints, and the model falls back to its own defaults.
"""

from __future__ import annotations

import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

from genbench.data import Instance, MediaPathError, TaskSpec, resolve_media
from genbench.models import Request

#: Input fields that may hold an inpainting mask (white where the model draws).
MASK_FIELDS = ("mask", "mask_image", "mask_file")


def with_generation_hints(
    request: Request, task: TaskSpec, instance: Instance, reference_field: str
) -> Request:
    """``request`` with the hints of its instance added to ``extra`` (see the module
    docstring); ``reference_field`` is the ``output`` field holding the reference media.
    """
    hints = generation_hints(task, instance, reference_field)
    return replace(request, extra={**request.extra, **hints}) if hints else request


def generation_hints(task: TaskSpec, instance: Instance, reference_field: str) -> dict[str, Any]:
    """``output_size``, ``num_frames``, ``sample_rate`` and ``mask``, where known."""
    hints: dict[str, Any] = {}
    mask = _existing(task, instance.find(*MASK_FIELDS, default=None))
    if mask is not None:
        hints["mask"] = mask
    output = instance.output
    reference = output.get(reference_field) if isinstance(output, dict) else None
    files = reference if isinstance(reference, list) else [reference]
    first = _existing(task, files[0]) if files else None
    if first is None:
        return hints
    if isinstance(reference, list) and reference_field == "video_file_list":
        hints["num_frames"] = len(reference)
    if first.suffix.lower() == ".wav":
        rate = _sample_rate(first)
        if rate is not None:
            hints["sample_rate"] = rate
        return hints
    size = _image_size(first)
    if size is not None:
        hints["output_size"] = size
    return hints


def _existing(task: TaskSpec, value: Any) -> Path | None:
    """The file a path names, resolved as every media path is (None if it cannot be)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        path = resolve_media(value, task.folder, task.modality, task.task_file)
    except MediaPathError:
        return None
    return path if path.is_file() else None


def _image_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
            return width, height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None  # the reference's own check names the problem


def _sample_rate(path: Path) -> int | None:
    try:
        with wave.open(str(path)) as handle:
            return int(handle.getframerate())
    except (wave.Error, EOFError, OSError):
        return None
