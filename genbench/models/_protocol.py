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
            An ``array`` output (depth, flow, masks, mattes, saliency) is a ``.npy`` file;
            ``extra["output_shape"]`` gives its shape when the task knows it.
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


@runtime_checkable
class Model(Protocol):
    """A model under evaluation.

    ``name`` names its outputs; ``settings`` (generation settings, dtype, seed ...) are
    recorded in every result and decide when earlier predictions may be reused.
    """

    name: str
    settings: Mapping[str, object]

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """One prediction per request, in order: the answer text, or the written media path."""
        ...
