"""Image, video, audio and 3D families: text answers about media, and generated media.

Media are referenced by paths relative to the task folder (docs/TREES.md). A comprehension task
answers in text (``output.text`` or ``output.answer``), parsed by what its metric needs: an
option letter for accuracy over options, numbers for counting errors, plain text otherwise.
A generation task writes a file (``output.image``, ``output.video_file_list`` as frames,
``output.audio_file``, ``output.pointcloud``) scored against the reference media.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genbench.data import PREDICTION_FILE, AnnotationError, Instance, TaskSpec
from genbench.metrics import JUDGED_METRICS, JudgedReference, get_metric, label_set
from genbench.models import OutputKind, Request
from genbench.tasks._family import (
    Parsed,
    TaskFamily,
    parse_leading_numbers,
    reference_numbers,
    register_resolver,
)
from genbench.tasks._hints import with_generation_hints
from genbench.tasks._media import media_paths, media_request, output_file
from genbench.tasks._parsing import (
    LETTERS,
    lettered,
    option_letter,
    options_in_text,
    parse_choice,
    prompt_text,
    reference_letters,
)
from genbench.tasks._structured import (
    DenseAnswer,
    StructuredAnswer,
    boxes_in_answer,
    first_output,
    items_in_answer,
    read_boxes,
    read_detections,
    read_items,
    read_labels,
    read_track,
    resolve_reference_file,
)

_LABEL_SEPARATORS = ("<p>", ", ", ";")

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
_NUMERIC_METRICS = {"MAE", "RMSE", "RMS", "MSE", "PCC", "RTE", "AP", "AUC"}
#: Metrics scored on the media a model generates against a text (its prompt, or the
#: reference transcript) rather than reference media.
_TEXT_CONDITIONED = {"CLIP score", "CLAP", "WER"}
#: Metrics that need no reference at all.
_NO_REFERENCE = {"L1 distance", "DINOScore"}


def _metric_name(task: TaskSpec, default: str) -> str:
    return task.reference.metric.name if task.reference is not None else get_metric(default).name


#: Where a text answer's reference is kept, in the order they are tried (the release
#: uses all of these: docs/TREES.md).
TEXT_REFERENCE_FIELDS = (
    "output.text",
    "output.answer",
    "output.prediction",
    "output.label",
    "output.category",
    "output.caption",
    "output.response",
)


def text_reference(instance: Instance) -> tuple[str, Any]:
    """The field and value of a text answer's reference: the first of
    TEXT_REFERENCE_FIELDS, else ``output`` itself when it is a string or a one-field object.
    """
    found = instance.locate(*TEXT_REFERENCE_FIELDS)
    if found is not None:
        return found
    output = instance.output
    if isinstance(output, str | int | float) and not isinstance(output, bool):
        return "output", output
    if isinstance(output, dict) and len(output) == 1:
        (field, value), *_ = output.items()
        return f"output.{field}", value
    raise instance.error("missing", " or ".join(TEXT_REFERENCE_FIELDS))


class TextAnswer(TaskFamily):
    """A question about media, answered in text (classification, VQA, captioning, counting)."""

    name, default_metric = "text answer", "ACC"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt, question and context, the lettered options if any, and the media."""
        prompt = prompt_text(instance)
        letters: tuple[str, ...] = ()
        given = instance.find("options", default=None)
        if isinstance(given, list) and given:
            prompt += "\n" + "\n".join(lettered(given)) + "\nAnswer with the option's letter."
            letters = tuple(LETTERS[: len(given)])
        elif self._options(instance):  # choices written in the question's text
            letters = tuple(LETTERS[: len(self._options(instance) or [])])
        return media_request(task, instance, prompt, letters, "text", None)

    def _options(self, instance: Instance) -> list[str] | None:
        """The options: ``input.options``, or choices written as lines in the question
        when the reference names one of them (else the lines are just text).
        """
        options = instance.find("options", default=None)
        if isinstance(options, list) and options:
            return [str(o) for o in options]
        written = options_in_text(prompt_text(instance))
        if not written:
            return None
        try:
            _, answer = text_reference(instance)
        except AnnotationError:  # no reference (close set): offer the choices
            return written
        answers = answer if isinstance(answer, list) else [answer]
        return written if all(option_letter(a, written) for a in answers) else None

    def scorer_variant(self, task: TaskSpec, first: Instance | None) -> str:
        """Video QA scores BLEU-1 over the corpus and open answers by containment; entity
        and class F1 outside language tasks is over label sets.
        """
        metric = _metric_name(task, self.default_metric)
        if metric == "F1":
            return "labels"
        if task.modality == "Video" and metric == "BLEU-1":
            return "corpus"
        if task.modality == "Video" and metric == "ACC" and first is not None:
            return "contains" if self._options(first) is None else ""
        return ""

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The answer(s): a string, or a list of accepted ones; an option's text becomes
        its letter; numbers for counting; a label set for F1.
        """
        metric = _metric_name(task, self.default_metric)
        if metric in JUDGED_METRICS:
            _, answer = text_reference(instance)
            return JudgedReference(prompt_text(instance), str(answer))
        field, answer = text_reference(instance)
        answers = answer if isinstance(answer, list) else [answer]
        if metric in _NUMERIC_METRICS:
            return reference_numbers(instance, answers, field)
        if metric == "F1":
            return label_set(answers, _LABEL_SEPARATORS)
        options = self._options(instance)
        if options is not None:
            return reference_letters(instance, answers, options, field)
        return [str(a).strip() for a in answers]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """An option letter, numbers (counting), a label set (F1) or the stripped text."""
        metric = _metric_name(task, self.default_metric)
        if metric in _NUMERIC_METRICS:
            return parse_leading_numbers(raw, len(self.reference(task, instance)))
        if metric == "F1":
            if raw is None:
                return Parsed(frozenset(), ok=False)
            return Parsed(label_set(raw, _LABEL_SEPARATORS))
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
        request = media_request(task, instance, prompt, (), self.kind, output_path)
        return with_generation_hints(request, task, instance, self._field())

    def _field(self) -> str:
        return next(f for f, k in MEDIA_OUTPUTS.items() if k == self.kind)

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The reference media: a list of frames for images and videos, else one path.

        Metrics scored against text take the reference transcript (``output.text``) or
        the prompt; judged metrics take the prompt; no-reference metrics take None.
        """
        metric = _metric_name(task, self.default_metric)
        prompt = str(instance.find("prompt", default=""))
        if metric in JUDGED_METRICS:
            return JudgedReference(prompt, str(instance.find("output.text", default="")))
        if metric in _TEXT_CONDITIONED:
            return str(instance.find("output.text", "text", "prompt"))
        if metric in _NO_REFERENCE:
            return None
        paths = media_paths(task, instance, (f"output.{self._field()}",))
        if not paths:
            raise AnnotationError(
                instance.source, "missing", instance.id, f"output.{self._field()}"
            )
        return list(paths) if self.kind in ("image", "video") else paths[0]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The generated file (frames of a folder for video), inside the model's output
        folder (``base``, the prediction file's folder); elsewhere is an error.
        """
        if raw is None:
            return Parsed(None, ok=False)
        path = output_file(raw, base, instance)
        if path is None:
            return Parsed(None, ok=False)
        if self.kind == "video":
            frames = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else []
            return Parsed(frames, ok=bool(frames))
        if path.is_dir():
            where = base / PREDICTION_FILE
            raise AnnotationError(
                where, f"{path} is a folder, not a file", instance.id, "prediction"
            )
        return Parsed([path] if self.kind == "image" else path)


_MEDIA_FAMILIES = {kind: MediaOutput(kind) for kind in ("image", "video", "audio", "pointcloud")}
_TEXT = TextAnswer()


_DENSE_METRICS = {"mIoU", "DICE", "PQ", "absRel", "EPE", "SAD", "Structure measure"}
#: Metrics over numbers, or over maps when the reference is a file or a mask.
_DENSE_OR_NUMBERS = {"MAE", "RMSE", "RMS", "MSE", "AUC", "AP"}
_BOX_METRICS = {"AP50", "AP75", "AP10"}
_ARRAYS = {".npy", ".npz", ".flo"}


def _is_map(task: TaskSpec, value: Any) -> bool:
    if isinstance(value, dict):
        return "counts" in value
    resolved = resolve_reference_file(task, value)
    return isinstance(resolved, str) and Path(resolved).is_file()


def _is_boxes(value: Any) -> bool:
    try:
        return bool(read_boxes(value))
    except (ValueError, TypeError):
        return False


def _structured_family(task: TaskSpec, first: Instance | None) -> TaskFamily | None:
    """The family for metrics whose answers are boxes, tracks, labels per point, 3D
    detections or dense maps; None for the others.
    """
    field, value = "", None
    if first is not None and first.output not in (None, {}):
        field, value = first_output(first)
    if task.reference is None:
        # no row, so no metric to go by: a reference that is an array file (depth, flow),
        # not a media output (a point cloud is .npy too), is still a dense map
        if field.removeprefix("output.") in MEDIA_OUTPUTS:
            return None
        resolved = resolve_reference_file(task, value)
        is_array = isinstance(resolved, str) and Path(resolved).suffix.lower() in _ARRAYS
        return _DENSE if is_array and Path(resolved).is_file() else None
    metric = task.reference.metric.name
    if metric in _DENSE_METRICS or (metric in _DENSE_OR_NUMBERS and _is_map(task, value)):
        return _DENSE
    if metric in _BOX_METRICS or (metric == "AP" and _is_boxes(value)):
        return _STRUCTURED["boxes"]
    if metric == "m_vIoU" or (metric == "AUC" and isinstance(value, dict | list) and value):
        return _STRUCTURED["track"]
    keys = {"R@50": "items", "Instance mIoU": "parts", "mAP": "detections", "mAP@50": "detections"}
    return _STRUCTURED[keys[metric]] if metric in keys else None


def multimodal_family(task: TaskSpec, first: Instance | None) -> TaskFamily | None:
    """The family of an image, video, audio or 3D task; None for language tasks.

    Structured answers by metric (boxes, tracks, maps ...); then media output where the
    reference holds media (or a close-set generation task), a text answer otherwise.
    """
    if task.modality == "NLP":
        return None
    structured = _structured_family(task, first)
    if structured is not None:
        return structured
    output = first.output if first is not None else None
    has_media = isinstance(output, dict) and any(f in output for f in MEDIA_OUTPUTS)
    if has_media or (task.paradigm == "Generation" and not output):  # close set: {}
        return _MEDIA_FAMILIES[output_kind(task, first)]
    return _TEXT


_DENSE = DenseAnswer()
_BOXES_NOTE = (
    "Answer with a JSON list of boxes {box} in pixels (or a JSON object mapping each label "
    "to its list of boxes)."
)
_STRUCTURED = {
    "boxes": StructuredAnswer("boxes", read_boxes, [], _BOXES_NOTE, boxes_in_answer, boxes=True),
    "items": StructuredAnswer(
        "boxes or relations",
        read_items,
        [],
        "Answer with a JSON list, best first (boxes {box} or relation strings).",
        items_in_answer,
        boxes=True,
    ),
    "track": StructuredAnswer(
        "box track",
        read_track,
        {},
        "Answer with a JSON object mapping each frame number to its box {box}.",
        boxes=True,
    ),
    "parts": StructuredAnswer(
        "part labels",
        read_labels,
        [],
        "Answer with a JSON list of one part label per point.",
        per_point=True,
    ),
    "detections": StructuredAnswer(
        "3D detections",
        read_detections,
        [],
        'Answer with a JSON list of {"label", "score", "box": [cx, cy, cz, dx, dy, dz]} '
        '(or "points": [indices] for instance masks).',
    ),
}

register_resolver(multimodal_family)
