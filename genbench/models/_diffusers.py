"""``diffusers:<hub id or folder>``: a diffusers pipeline that draws images or videos.

The checkpoint's pipeline class (``model_index.json``, loaded by ``DiffusionPipeline``)
decides what the model does:

- a text-to-image pipeline (Stable Diffusion, SDXL, SD3, Flux ...) draws from the prompt,
  and on the same weights, through ``AutoPipelineForImage2Image`` and
  ``AutoPipelineForInpainting``, edits an input image, inpainting where the task gives a
  mask (``Request.extra["mask"]``);
- an editing pipeline (its call takes ``image``: InstructPix2Pix, Kontext, Qwen-Image-Edit
  ...) edits the input image as the prompt instructs; an inpainting one fills the mask;
- a video pipeline (its call takes ``num_frames``) draws a video from the prompt, or from
  the input image when its call takes ``image``.

A request no pipeline of the checkpoint serves is skipped as unsupported, with the reason.
Each instance draws its noise from its own CPU generator seeded by ``--seed``, the task
and the instance id, so outputs are reproducible and do not depend on the batch. Images
are drawn at the reference's aspect ratio and the pipeline's native pixel count, then
resized to the reference's size (``Request.extra["output_size"]``; else the input
image's). Requests of one mode and size are generated in batches of ``--batch-size``
(image-to-video pipelines take one image per call).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from genbench.models._protocol import (
    ModelError,
    ModelSpecError,
    Request,
    capability_gap,
)
from genbench.models._runtime import (
    checkpoint_name,
    first_line,
    hub_options,
    instance_seed,
    not_on_disk,
    resolve_device,
    resolve_dtype,
)

Mode = Literal["text-to-image", "image-to-image", "inpaint", "text-to-video", "image-to-video"]
Size = tuple[int, int]

#: What each mode does, for the reason a request is unsupported.
_DOES = {
    "text-to-image": "draw an image from text alone",
    "image-to-image": "edit an input image",
    "inpaint": "inpaint an input image",
    "text-to-video": "draw a video from text alone",
    "image-to-video": "draw a video from an input image",
}
_IMAGE_CONDITIONED = {"image-to-image", "inpaint", "image-to-video"}
_VIDEO_FILES = {".mp4": "export_to_video", ".gif": "export_to_gif"}


def request_mode(request: Request) -> Mode:
    """The kind of generation a request asks for, from its output and its inputs."""
    if request.output == "video":
        return "image-to-video" if request.images else "text-to-video"
    if not request.images:
        return "text-to-image"
    return "inpaint" if "mask" in request.extra else "image-to-image"


def _parameters(pipeline: Any) -> frozenset[str]:
    return frozenset(inspect.signature(pipeline.__call__).parameters)


def pipelines_by_mode(pipeline: Any) -> dict[Mode, Any]:
    """The pipelines a checkpoint offers, by mode: the loaded one, plus the image-to-image
    and inpainting pipelines diffusers' AutoPipelines derive from a text-to-image one (the
    same modules, no copy).
    """
    from diffusers import AutoPipelineForImage2Image, AutoPipelineForInpainting
    from diffusers.pipelines.auto_pipeline import AUTO_TEXT2IMAGE_PIPELINES_MAPPING

    takes = _parameters(pipeline)
    if "num_frames" in takes:
        return {"image-to-video" if "image" in takes else "text-to-video": pipeline}
    if "mask_image" in takes:
        return {"inpaint": pipeline}
    text_to_image = type(pipeline) in AUTO_TEXT2IMAGE_PIPELINES_MAPPING.values()
    if "image" in takes and not text_to_image:
        return {"image-to-image": pipeline}
    modes: dict[Mode, Any] = {"text-to-image": pipeline}
    derived: dict[Mode, Any] = {
        "image-to-image": AutoPipelineForImage2Image,
        "inpaint": AutoPipelineForInpainting,
    }
    for mode, auto in derived.items():
        try:
            modes[mode] = auto.from_pipe(pipeline)
        except ValueError:  # diffusers knows no such pipeline for this family
            continue
    return modes


def native_side(pipeline: Any) -> int | None:
    """The side, in pixels, of the square the pipeline draws by default (None if unknown)."""
    factor = getattr(pipeline, "vae_scale_factor", None) or getattr(
        pipeline, "vae_scale_factor_spatial", None
    )
    sample = getattr(pipeline, "default_sample_size", None)
    if sample is None:
        denoiser = getattr(pipeline, "unet", None) or getattr(pipeline, "transformer", None)
        sample = getattr(getattr(denoiser, "config", None), "sample_size", None)
    if isinstance(sample, int) and isinstance(factor, int):
        return sample * factor
    return None


def generation_size(target: Size, native: int | None, unit: int) -> Size:
    """The size to draw at for an output of ``target`` size: the target's aspect ratio at
    the pipeline's native pixel count (the target itself when that is unknown), in
    multiples of ``unit`` (what the latents' downsampling needs).
    """
    width, height = target
    if native is not None:
        scale = native / math.sqrt(width * height)
        width, height = round(width * scale), round(height * scale)
    return (max(unit, round(width / unit) * unit), max(unit, round(height / unit) * unit))


class DiffusersModel:
    """A diffusers pipeline behind the genbench protocol (see the module docstring).

    Args:
        source: a hub id (found in the local cache) or a local folder.
        dtype: ``auto`` (bfloat16 on a GPU that supports it, else float32) or a dtype name.
        device: ``auto`` (a visible GPU, else CPU) or a device string.
        seed: seeds each instance's generator (with the task and the instance id).
        batch_size: requests per pipeline call.
        num_inference_steps: denoising steps; None keeps the pipeline's default.
        guidance_scale: classifier-free guidance; None keeps the pipeline's default.
    """

    def __init__(
        self,
        source: str,
        dtype: str = "auto",
        device: str = "auto",
        seed: int = 0,
        batch_size: int = 8,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
    ) -> None:
        """Load the pipeline, offline unless downloads are allowed (as ``hf:``)."""
        import diffusers
        import torch

        self._torch = torch
        self.name = checkpoint_name(source)
        placed = resolve_device(torch, device)
        self.device = "cuda" if placed == "sharded" else placed
        torch_dtype = resolve_dtype(torch, dtype, self.device)
        pipeline = _load(diffusers, source, torch_dtype)
        pipeline.to(self.device)
        self.pipelines = pipelines_by_mode(pipeline)
        for each in self.pipelines.values():
            each.set_progress_bar_config(disable=True)
        video = any(mode.endswith("video") for mode in self.pipelines)
        self.outputs = frozenset({"video" if video else "image"})
        self.inputs = frozenset({"image"} if _IMAGE_CONDITIONED & set(self.pipelines) else ())
        self.native = native_side(pipeline)
        # sizes in multiples of twice the VAE's downsampling (patchified latents), and of 16
        # at least (Stable Diffusion checks for multiples of 8 whatever its VAE)
        factor = getattr(pipeline, "vae_scale_factor", None) or 8
        self.unit = max(16, 2 * int(factor))
        self.seed, self.batch_size = seed, batch_size
        self.num_inference_steps, self.guidance_scale = num_inference_steps, guidance_scale
        scheduler = getattr(pipeline, "scheduler", None)
        self.settings: Mapping[str, object] = {
            "model": f"diffusers:{source}",
            "pipeline": type(pipeline).__name__,
            "modes": sorted(self.pipelines),
            "scheduler": type(scheduler).__name__ if scheduler is not None else None,
            "dtype": str(torch_dtype).removeprefix("torch."),
            "device": self.device,
            "seed": seed,
            "num_inference_steps": num_inference_steps,
            "guidance_scale": guidance_scale,
            "batch_size": batch_size,
            "diffusers": diffusers.__version__,
        }

    def unsupported_reason(self, request: Request) -> str | None:
        """Why the checkpoint cannot serve a request (None when one of its pipelines can)."""
        gap = capability_gap(self, request)
        if gap is not None:
            return gap
        mode = request_mode(request)
        if mode not in self.pipelines:
            kind = self.settings["pipeline"]
            return f"model {self.name!r} ({kind}) cannot {_DOES[mode]}"
        return None

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """Draw each request's image or video, write it to ``output_path``, return the
        paths; requests of one mode, size and length share pipeline calls.
        """
        groups: dict[tuple[Mode, Size | None, int | None], list[int]] = {}
        for index, request in enumerate(requests):
            reason = self.unsupported_reason(request)
            if reason is not None:
                raise ModelError(f"instance {request.id!r}: {reason}")
            groups.setdefault(self._job(request), []).append(index)
        answers = [""] * len(requests)
        for (mode, size, frames), positions in groups.items():
            step = 1 if mode == "image-to-video" else max(1, self.batch_size)
            for start in range(0, len(positions), step):
                chunk = positions[start : start + step]
                batch = [requests[i] for i in chunk]
                outputs = self._generate(mode, batch, size, frames)
                for index, output in zip(chunk, outputs, strict=True):
                    answers[index] = _write(requests[index], output)
        return answers

    def _job(self, request: Request) -> tuple[Mode, Size | None, int | None]:
        target = target_size(request)
        size = None if target is None else generation_size(target, self.native, self.unit)
        frames = request.extra.get("num_frames") if request.output == "video" else None
        return request_mode(request), size, frames if isinstance(frames, int) else None

    def _generate(
        self, mode: Mode, batch: Sequence[Request], size: Size | None, frames: int | None
    ) -> list[Any]:
        pipeline = self.pipelines[mode]
        takes = _parameters(pipeline)
        torch = self._torch
        kwargs: dict[str, Any] = {
            "generator": [
                torch.Generator("cpu").manual_seed(instance_seed(self.seed, r)) for r in batch
            ],
            "output_type": "pil",
        }
        if "prompt" in takes:
            kwargs["prompt"] = [r.prompt for r in batch]
        if self.num_inference_steps is not None:
            kwargs["num_inference_steps"] = self.num_inference_steps
        if self.guidance_scale is not None and "guidance_scale" in takes:
            kwargs["guidance_scale"] = self.guidance_scale
        if size is not None and "height" in takes:
            kwargs["width"], kwargs["height"] = size
        if frames is not None and "num_frames" in takes:
            kwargs["num_frames"] = frames
        if mode in _IMAGE_CONDITIONED:
            images = [_rgb(r.images[0], size) for r in batch]
            kwargs["image"] = images[0] if mode == "image-to-video" else images
        if mode == "inpaint":
            kwargs["mask_image"] = [_mask(Path(str(r.extra["mask"])), size) for r in batch]
        try:
            result = pipeline(**kwargs)
        except (RuntimeError, ValueError, TypeError) as error:
            ids = ", ".join(repr(r.id) for r in batch)
            name = type(pipeline).__name__
            raise ModelError(f"instances {ids}: {name}: {first_line(error)}") from None
        return list(result.frames if mode.endswith("video") else result.images)


def _load(diffusers: Any, source: str, dtype: Any) -> Any:
    """The checkpoint's pipeline; one-line errors for a missing or unloadable one."""
    options = hub_options(source)
    try:
        diffusers.DiffusionPipeline.load_config(source, **options)
    except (OSError, ValueError) as error:
        if Path(source).exists():
            raise ModelSpecError(
                f"diffusers:{source}: not a diffusers pipeline folder ({first_line(error)})"
            ) from None
        raise ModelSpecError(not_on_disk("diffusers", source, error)) from None
    try:
        return diffusers.DiffusionPipeline.from_pretrained(source, dtype=dtype, **options)
    except (OSError, ValueError, ImportError) as error:
        raise ModelSpecError(f"diffusers:{source}: cannot load: {first_line(error)}") from None


def target_size(request: Request) -> Size | None:
    """The size the output must have: the reference's, else the input image's, else None
    (the pipeline's default).
    """
    size = request.extra.get("output_size")
    if isinstance(size, tuple | list) and len(size) == 2:
        return int(size[0]), int(size[1])
    if request.images:
        from PIL import Image

        with Image.open(request.images[0]) as image:
            width, height = image.size
            return width, height
    return None


def _rgb(path: Path, size: Size | None) -> Any:
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    return rgb if size is None else rgb.resize(size, Image.Resampling.BICUBIC)


def _mask(path: Path, size: Size | None) -> Any:
    from PIL import Image

    with Image.open(path) as image:
        mask = image.convert("L")
    return mask if size is None else mask.resize(size, Image.Resampling.NEAREST)


def _frames(video: Any) -> list[Any]:
    """A generated video as PIL frames (pipelines give PIL lists or float arrays)."""
    import numpy as np
    from PIL import Image

    if isinstance(video, list) and all(isinstance(f, Image.Image) for f in video):
        return video
    pixels = (np.clip(np.asarray(video, dtype=np.float32), 0.0, 1.0) * 255).round()
    return [Image.fromarray(frame.astype(np.uint8)) for frame in pixels]


def _write(request: Request, output: Any) -> str:
    """Save an image (resized to the target size) or a video (frames in a folder, or the
    file its suffix names) at the request's output path.
    """
    from PIL import Image

    path = request.output_path
    if path is None:
        raise ModelError(f"instance {request.id!r}: a media request carries no output path")
    path.parent.mkdir(parents=True, exist_ok=True)
    target = target_size(request)
    frames = _frames(output) if request.output == "video" else [output]
    if target is not None:
        frames = [f.resize(target, Image.Resampling.BICUBIC) for f in frames]
    if request.output != "video":
        frames[0].save(path)
    elif path.suffix.lower() in _VIDEO_FILES:
        _export(frames, path)
    else:
        path.mkdir(exist_ok=True)
        for index, frame in enumerate(frames):
            frame.save(path / f"{index:04d}.png")
    return str(path)


def _export(frames: list[Any], path: Path) -> None:
    from diffusers import utils

    try:
        getattr(utils, _VIDEO_FILES[path.suffix.lower()])(frames, str(path))
    except (ImportError, AttributeError) as error:  # mp4 needs imageio-ffmpeg, or OpenCV
        raise ModelError(f"{path}: cannot write {path.suffix} ({first_line(error)})") from None


def load_diffusers(source: str, settings: Mapping[str, Any]) -> DiffusersModel:
    """The ``diffusers:`` scheme's loader: the settings it takes, from the run's options."""
    keys = ("dtype", "device", "seed", "batch_size", "num_inference_steps", "guidance_scale")
    return DiffusersModel(source, **{k: settings[k] for k in keys if settings.get(k) is not None})
