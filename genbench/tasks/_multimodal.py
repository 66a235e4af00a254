"""Image, video, audio and 3D families: text answers about media, and generated media.

Media are referenced by paths relative to the task folder (SPEC §1). A comprehension task
answers in text (``output.text`` or ``output.answer``), parsed by what its metric needs: an
option letter for accuracy over options, numbers for counting errors, plain text otherwise.
A generation task writes a file (``output.image``, ``output.video_file_list`` as frames,
``output.audio_file``, ``output.pointcloud``) scored against the reference media.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genbench.data import AnnotationError, Instance, TaskSpec
from genbench.metrics import get_metric
from genbench.models import OutputKind, Request
from genbench.tasks._family import (
    Parsed,
    TaskFamily,
    make_request,
    parse_leading_numbers,
    reference_numbers,
    register_resolver,
)
from genbench.tasks._parsing import LETTERS, lettered, parse_choice

_IMAGE_FIELDS = ("image", "image_file", "images", "image_list")
_FRAME_FIELDS = ("video_file_list", "frames")
_VIDEO_FIELDS = ("video_file", "video")
_AUDIO_FIELDS = ("audio_file", "audio")
_POINT_FIELDS = ("pointcloud", "point_cloud", "pointcloud_file")
#: Output fields that hold reference media, and the kind of media each holds.
MEDIA_OUTPUTS: dict[str, OutputKind] = {
    "image": "image",
    "video_file_list": "video",
    "audio_file": "audio",
    "pointcloud": "pointcloud",
}
_DEFAULT_KIND: dict[str, OutputKind] = {
    "Image": "image",
    "Video": "video",
    "Audio": "audio",
    "3D": "pointcloud",
}
_SUFFIX: dict[str, str] = {"image": ".png", "video": "", "audio": ".wav", "pointcloud": ".npy"}
_NUMERIC_METRICS = {"MAE", "RMSE", "RMS", "MSE"}


def _paths(task: TaskSpec, instance: Instance, names: tuple[str, ...]) -> tuple[Path, ...]:
    value = instance.find(*names, default=None)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    paths = []
    for item in items:
        path = task.folder / str(item)
        if not path.exists():
            raise AnnotationError(
                instance.source, f"file not found: {path}", instance.id, "/".join(names)
            )
        paths.append(path)
    return tuple(paths)


def media_request(
    task: TaskSpec,
    instance: Instance,
    prompt: str,
    options: tuple[str, ...],
    output: OutputKind,
    output_path: Path | None,
) -> Request:
    """A request carrying every input medium the instance references."""
    video = _paths(task, instance, _VIDEO_FIELDS)
    audio = _paths(task, instance, _AUDIO_FIELDS)
    points = _paths(task, instance, _POINT_FIELDS)
    return make_request(
        task,
        instance,
        prompt,
        options,
        images=_paths(task, instance, _IMAGE_FIELDS),
        video_frames=_paths(task, instance, _FRAME_FIELDS),
        video=video[0] if video else None,
        audio=audio[0] if audio else None,
        pointcloud=points[0] if points else None,
        output=output,
        output_path=output_path,
    )


def _metric_name(task: TaskSpec, default: str) -> str:
    return task.reference.metric.name if task.reference is not None else get_metric(default).name


class TextAnswer(TaskFamily):
    """A question about media, answered in text (classification, VQA, captioning, counting)."""

    name, default_metric = "text answer", "ACC"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt, the lettered options if any, and the input media."""
        prompt = str(instance.find("prompt", "question", default=""))
        options = instance.find("options", default=None)
        letters: tuple[str, ...] = ()
        if isinstance(options, list) and options:
            prompt += "\n" + "\n".join(lettered(options)) + "\nAnswer with the option's letter."
            letters = tuple(LETTERS[: len(options)])
        return media_request(task, instance, prompt, letters, "text", None)

    def _options(self, instance: Instance) -> list[str] | None:
        options = instance.find("options", default=None)
        return options if isinstance(options, list) and options else None

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The answer(s); an option's text becomes its letter; numbers for counting."""
        answer = instance.find("output.text", "output.answer")
        answers = answer if isinstance(answer, list) else [answer]
        if _metric_name(task, self.default_metric) in _NUMERIC_METRICS:
            return reference_numbers(instance, answers, "output.text")
        options = self._options(instance)
        if options is not None:
            return [parse_choice(str(a), options) or str(a).strip() for a in answers]
        return [str(a).strip() for a in answers]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """An option letter, numbers (counting) or the stripped text."""
        if _metric_name(task, self.default_metric) in _NUMERIC_METRICS:
            return parse_leading_numbers(raw, len(self.reference(task, instance)))
        if raw is None:
            return Parsed("", ok=False)
        options = self._options(instance)
        if options is not None:
            choice = parse_choice(raw, options)
            return Parsed(choice or raw.strip(), ok=choice is not None)
        return Parsed(raw.strip())


def output_kind(task: TaskSpec, instance: Instance | None) -> OutputKind:
    """The media a generation task produces: from its reference fields, else its modality."""
    output = instance.output if instance is not None else None
    if isinstance(output, dict):
        for field, kind in MEDIA_OUTPUTS.items():
            if field in output:
                return kind
    return _DEFAULT_KIND[task.modality]


class MediaOutput(TaskFamily):
    """Generation of an image, a video (frames), audio or a point cloud."""

    name, default_metric = "media output", "PSNR"
    missing_scores_as_wrong = False

    def __init__(self, kind: OutputKind) -> None:
        """A family for one kind of media output."""
        self.kind = kind
        self.name = f"{kind} output"
        self.default_metric = {
            "image": "PSNR",
            "video": "PSNR",
            "audio": "WER",
            "pointcloud": "CD",
        }[kind]

    def output_suffix(self, task: TaskSpec) -> str:
        """``.png``, ``.wav``, ``.npy``; '' for a folder of frames."""
        return _SUFFIX[self.kind]

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt and input media, with where to write the output."""
        prompt = str(instance.find("prompt", default=""))
        return media_request(task, instance, prompt, (), self.kind, output_path)

    def _field(self) -> str:
        return next(f for f, k in MEDIA_OUTPUTS.items() if k == self.kind)

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The reference media: a list of frames for images and videos, else one path."""
        paths = _paths(task, instance, (f"output.{self._field()}",))
        if not paths:
            raise AnnotationError(
                instance.source, "missing", instance.id, f"output.{self._field()}"
            )
        return list(paths) if self.kind in ("image", "video") else paths[0]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The generated file (frames of a folder for video), resolved beside the predictions."""
        if raw is None:
            return Parsed(None, ok=False)
        path = Path(raw) if Path(raw).is_absolute() else base / raw
        if not path.exists():
            return Parsed(None, ok=False)
        if self.kind == "video":
            frames = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else []
            return Parsed(frames, ok=bool(frames))
        return Parsed([path] if self.kind == "image" else path)


_MEDIA_FAMILIES = {kind: MediaOutput(kind) for kind in ("image", "video", "audio", "pointcloud")}
_TEXT = TextAnswer()


def multimodal_family(task: TaskSpec, first: Instance | None) -> TaskFamily | None:
    """The family of an image, video, audio or 3D task; None for language tasks.

    Media output where the reference holds media (or a close-set generation task), a text
    answer otherwise.
    """
    if task.modality == "NLP":
        return None
    output = first.output if first is not None else None
    has_media = isinstance(output, dict) and any(f in output for f in MEDIA_OUTPUTS)
    if has_media or (task.paradigm == "Generation" and not isinstance(output, dict)):
        return _MEDIA_FAMILIES[output_kind(task, first)]
    return _TEXT


register_resolver(multimodal_family)
