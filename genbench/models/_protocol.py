"""What a model takes and gives: the small protocol every adapter implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

OutputKind = Literal["text", "image", "video", "audio", "pointcloud", "array"]


@dataclass(frozen=True)
class Request:
    """One instance as a model sees it.

    Attributes:
        id: the instance id.
        task: the task's name.
        modality: ``Image``, ``Video``, ``Audio``, ``3D`` or ``NLP``.
        paradigm: ``Comprehension``, ``Generation`` or None (NLP).
        prompt: the full text prompt.
        options: candidate answers the instance offers (``A``, ``B``... or labels), if any.
        images: input images; video_frames: a video as frame images; video: a video file;
        audio: an audio file; pointcloud: a point cloud file (``.npy``, ``.ply``, ``.xyz``).
        output: what the model must produce.
        output_path: for media outputs, where the model writes the file; it then returns
            this path (as a string) as its prediction. The suffix gives the format.
            An ``array`` output (depth, flow, masks, mattes, saliency) is a ``.npy`` file.
        extra: what the task tells the model beyond the prompt and media, when it knows it
            (none of the reference's content):

            - ``output_shape`` (tuple of ints): the shape of an ``array`` output;
            - ``output_size`` (``(width, height)``): the reference image's or the first
              reference frame's size, which a generated image or frame should have;
            - ``num_frames`` (int): how many frames the reference video has;
            - ``sample_rate`` (int): the reference audio's sample rate, in Hz;
            - ``mask`` (Path): an inpainting mask (white where the model draws).
    """

    id: str
    task: str
    modality: str
    paradigm: str | None
    prompt: str
    options: tuple[str, ...] = ()
    images: tuple[Path, ...] = ()
    video_frames: tuple[Path, ...] = ()
    video: Path | None = None
    audio: Path | None = None
    pointcloud: Path | None = None
    output: OutputKind = "text"
    output_path: Path | None = None
    extra: Mapping[str, object] = field(default_factory=dict)


class ModelSpecError(ValueError):
    """A model spec that names no known adapter or cannot be loaded."""


class ModelError(RuntimeError):
    """A model that failed to answer; the message names the instance and the cause.

    Adapters raise it (or a subclass) for failures of the model or its server, so that
    the task fails with one line while the predictions of earlier batches stay saved.
    """


#: Media a request may carry, by the Request field that holds it.
InputKind = Literal["image", "video", "audio", "pointcloud"]


def request_inputs(request: Request) -> frozenset[str]:
    """The kinds of media a request carries."""
    kinds = set()
    if request.images:
        kinds.add("image")
    if request.video_frames or request.video is not None:
        kinds.add("video")
    if request.audio is not None:
        kinds.add("audio")
    if request.pointcloud is not None:
        kinds.add("pointcloud")
    return frozenset(kinds)


def unsupported(model: object, request: Request) -> str | None:
    """Why a model cannot answer a request (None when it can).

    A model with an ``unsupported_reason(request)`` method decides for itself (a composed
    model asks the model its route leads to; a pipeline knows which conditionings it
    takes). Others are judged by :func:`capability_gap`.
    """
    decide = getattr(model, "unsupported_reason", None)
    if callable(decide):
        reason: str | None = decide(request)
        return reason
    return capability_gap(model, request)


def capability_gap(model: object, request: Request) -> str | None:
    """What a request needs beyond a model's declared capabilities (None when nothing).

    A model may declare ``inputs`` (media kinds it takes) and ``outputs`` (what it
    produces: ``text``, ``image`` ...); one that declares neither is taken to handle all.
    """
    name = getattr(model, "name", "model")
    outputs = getattr(model, "outputs", None)
    if outputs is not None and request.output not in outputs:
        return f"model {name!r} does not produce {request.output} outputs"
    inputs = getattr(model, "inputs", None)
    if inputs is not None:
        missing = sorted(request_inputs(request) - set(inputs))
        if missing:
            return f"model {name!r} does not take {' or '.join(missing)} input"
    return None


@runtime_checkable
class Model(Protocol):
    """A model under evaluation.

    ``name`` names its outputs; ``settings`` (generation settings, dtype, seed ...) are
    recorded in every result and decide when earlier predictions may be reused. A model
    may also declare ``inputs`` and ``outputs`` (see :func:`capability_gap`), or decide
    request by request with ``unsupported_reason(request) -> str | None`` (see
    :func:`unsupported`): tasks it cannot take are skipped as unsupported rather than
    answered.
    """

    name: str
    settings: Mapping[str, object]

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """One prediction per request, in order: the answer text, or the written media path."""
        ...
