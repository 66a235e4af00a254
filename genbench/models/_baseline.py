"""The built-in baseline: a valid prediction for every instance, no download, no ground truth.

It picks a random candidate where the instance offers candidates, returns the input
media for restoration-style generation (the identity "restorer"), and writes an empty or
constant output elsewhere. Every choice is seeded by (seed, task, instance id), so the
output is the same whatever the batch order or the number of xdist workers.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from genbench.models._media import write_wav
from genbench.models._protocol import Request


class BaselineModel:
    """Random-candidate, identity-media baseline (deterministic under ``seed``)."""

    def __init__(self, seed: int = 0) -> None:
        """Create the baseline; ``seed`` fixes every random choice."""
        self.seed = seed
        self.name = "baseline"
        self.settings: Mapping[str, object] = {"model": "baseline", "seed": seed}

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """Answer each request (see the module docstring)."""
        return [self._one(request) for request in requests]

    def _one(self, request: Request) -> str:
        rng = random.Random(f"{self.seed}|{request.task}|{request.id}")
        if request.output == "text":
            return rng.choice(request.options) if request.options else ""
        assert request.output_path is not None, "media requests carry an output path"
        out = request.output_path
        out.parent.mkdir(parents=True, exist_ok=True)
        if request.output == "image":
            return _copy_or_blank_image(request.images, out)
        if request.output == "video":
            return _copy_frames(request.video_frames, out)
        if request.output == "audio":
            return _silence(out)
        if request.output == "array":
            return _zeros(request, out)
        return _pointcloud(request.pointcloud, out)


def _copy_or_blank_image(images: Sequence[Path], out: Path) -> str:
    if images:
        shutil.copyfile(images[0], out)
    else:
        from PIL import Image

        Image.new("RGB", (64, 64), (128, 128, 128)).save(out)
    return str(out)


def _copy_frames(frames: Sequence[Path], out: Path) -> str:
    """A video output is a folder of frames: the input frames copied unchanged, or four
    grey frames when there are none (text to video).
    """
    out.mkdir(parents=True, exist_ok=True)
    for frame in frames:
        shutil.copyfile(frame, out / frame.name)
    if not frames:
        from PIL import Image

        for index in range(4):
            Image.new("RGB", (64, 64), (128, 128, 128)).save(out / f"{index}.png")
    return str(out)


def _silence(out: Path, seconds: float = 1.0, rate: int = 16000) -> str:
    return write_wav(out, np.zeros(int(seconds * rate)), rate)


def _pointcloud(source: Path | None, out: Path) -> str:
    if source is not None and source.suffix == ".npy":
        shutil.copyfile(source, out)
    else:
        cube = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], float)
        np.save(out, cube - 0.5)
    return str(out)


def _zeros(request: Request, out: Path) -> str:
    """An all-zero array of the requested shape (else the first input image's size)."""
    shape = request.extra.get("output_shape")
    if not isinstance(shape, list | tuple):
        from PIL import Image

        size = (64, 64)
        if request.images or request.video_frames:
            with Image.open((request.images or request.video_frames)[0]) as image:
                size = image.size
        shape = (size[1], size[0])
    np.save(out, np.zeros(tuple(int(s) for s in shape), dtype=np.float32))
    return str(out)
