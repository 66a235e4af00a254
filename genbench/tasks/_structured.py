"""Structured answers: boxes, box tracks, per-point part labels, 3D detections, and dense
maps (depth, flow, masks, mattes, saliency).

The same readers take the reference (a JSON value from annotation.json) and the model's
answer (text holding JSON, or numbers); docs/TASKS.md lists the accepted forms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench.data import (
    AnnotationError,
    Instance,
    MediaPathError,
    TaskSpec,
    media_problem,
    resolve_media,
)
from genbench.metrics import Box, Detection
from genbench.metrics._arrays import load_array
from genbench.models import Request
from genbench.tasks._family import Parsed, TaskFamily
from genbench.tasks._media import media_request, output_file
from genbench.tasks._parsing import parse_numbers, prompt_text

# --- reading values ---------------------------------------------------------------------------


def json_in_text(raw: str) -> Any:
    """The first JSON array or object in an answer (a code fence around it is fine).

    Raises:
        ValueError: the answer holds no JSON value.
    """
    starts = [i for i in (raw.find("["), raw.find("{")) if i >= 0]
    if not starts:
        raise ValueError("no JSON value")
    value, _ = json.JSONDecoder().raw_decode(raw[min(starts) :])
    return value


def _is_numbers(value: Any, size: int | None = None) -> bool:
    return (
        isinstance(value, list | tuple)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and (size is None or len(value) == size)
    )


_BOX_KEYS = ("box", "bbox", "bbox_2d", "boxes")


def box_form(task: TaskSpec) -> bool:
    """Whether a task writes boxes as ``[x, y, width, height]`` (its ``others.bbox_format``
    names a width), rather than as corner pairs ``[x1, y1, x2, y2]``.
    """
    text = str(task.others.get("bbox_format", "")).casefold()
    return "width" in text or bool(re.search(r"\bw\b", text))


def _corners(values: Any, xywh: bool) -> list[float]:
    x1, y1, a, b = (float(v) for v in values)
    return [x1, y1, x1 + a, y1 + b] if xywh else [x1, y1, a, b]


def read_box(value: Any, xywh: bool = False) -> Box | None:
    """A box from ``[x1, y1, x2, y2]`` (``[x, y, w, h]`` with ``xywh``),
    ``{"box"|"bbox_2d": corners}``, or COCO ``{"bbox": [x, y, w, h]}`` (with optional
    ``label``/``category`` and ``score``). None for "no box": null, an empty list, or an
    all-zero box.
    """
    if value is None or value == []:
        return None
    label, score, corners = "", 1.0, value
    if isinstance(value, dict):
        label = str(value.get("label", value.get("category", value.get("category_id", ""))))
        score = float(value.get("score", 1.0))
        if _is_numbers(value.get("bbox"), 4):
            corners = _corners(value["bbox"], True)
        else:
            corners = value.get("box", value.get("bbox_2d"))
            if _is_numbers(corners, 4):
                corners = _corners(corners, xywh)
    elif _is_numbers(value, 4):
        corners = _corners(value, xywh)
    if not _is_numbers(corners, 4):
        raise ValueError(f"not a box: {json.dumps(value)[:80]}")
    if not any(corners):
        return None
    x1, y1, x2, y2 = (float(v) for v in corners)
    return Box(x1, y1, x2, y2, label.casefold(), score)


def _labelled(value: Any) -> bool:
    """A ``{label: box or [boxes]}`` object (the release's ``{"bird": [[...]]}``)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and not any(key in value for key in _BOX_KEYS)
        and all(isinstance(v, list) for v in value.values())
    )


def _boxes_of_label(label: str, value: list[Any], xywh: bool) -> list[Box]:
    items = [value] if _is_numbers(value, 4) else value
    boxes = [read_box(item, xywh) for item in items]
    return [Box(b.x1, b.y1, b.x2, b.y2, label.casefold(), b.score) for b in boxes if b]


def read_boxes(value: Any, xywh: bool = False) -> list[Box]:
    """A list of boxes from one box, a list of boxes, ``{"boxes": [...]}``, a
    ``{label: [boxes]}`` object, or a list of ``{label: box}`` objects.
    """
    if isinstance(value, dict) and "boxes" in value:
        value = value["boxes"]
    if _labelled(value):
        return [box for label, v in value.items() for box in _boxes_of_label(label, v, xywh)]
    if value is None or _is_numbers(value, 4) or isinstance(value, dict):
        box = read_box(value, xywh)
        return [box] if box else []
    if not isinstance(value, list):
        raise ValueError("not a list of boxes")
    boxes: list[Box] = []
    for item in value:
        if _labelled(item) or (isinstance(item, dict) and "boxes" in item):
            boxes += read_boxes(item, xywh)
        elif (box := read_box(item, xywh)) is not None:
            boxes.append(box)
    return boxes


def boxes_in_answer(raw: str, xywh: bool = False) -> list[Box]:
    """Boxes from a model's answer: JSON if it holds any, else its numbers in fours."""
    try:
        return read_boxes(json_in_text(raw), xywh)
    except ValueError:
        numbers = parse_numbers(raw)
        return [
            box
            for i in range(0, len(numbers) - 3, 4)
            if (box := read_box(numbers[i : i + 4], xywh)) is not None
        ]


def read_items(value: Any, xywh: bool = False) -> list[Any]:
    """Ranked items for recall: relation strings (or ``[s, p, o]`` lists), else boxes."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, str) or (isinstance(v, list) and not _is_numbers(v)) for v in value)
    ):
        return [v if isinstance(v, str) else " ".join(str(x) for x in v) for v in value]
    return list(read_boxes(value, xywh))


def items_in_answer(raw: str, xywh: bool = False) -> list[Any]:
    """Ranked items from a model's answer: its JSON list if it holds one, else its lines."""
    try:
        value = json_in_text(raw)
    except ValueError:  # no JSON, or broken JSON: one item per line
        value = raw
    return read_items(value, xywh)


def read_track(value: Any, xywh: bool = False) -> dict[int, Box]:
    """A box per frame, from ``{"<frame>": box}`` or a list indexed by frame (no-box
    frames as null or all-zero).
    """
    if isinstance(value, dict) and "boxes" in value:
        value = value["boxes"]
    items = value.items() if isinstance(value, dict) else enumerate(value or [])
    track = {}
    for frame, item in items:
        box = read_box(item, xywh)
        if box is not None:
            track[int(frame)] = box
    return track


def read_detections(value: Any) -> list[Detection]:
    """3D detections: ``[{"label", "score", "box": [cx, cy, cz, dx, dy, dz]}]`` or, for
    instance masks, ``"points": [point indices]``.
    """
    if isinstance(value, dict):
        value = value.get("detections", value.get("instances", [value]))
    if not isinstance(value, list):
        raise ValueError("not a list of detections")
    detections = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("a detection must be an object")
        label, score = str(item.get("label", "")).casefold(), float(item.get("score", 1.0))
        if _is_numbers(item.get("box"), 6):
            geometry: Any = tuple(float(v) for v in item["box"])
        elif isinstance(item.get("points"), list):
            geometry = frozenset(int(v) for v in item["points"])
        else:
            raise ValueError("a detection needs 'box' (6 numbers) or 'points'")
        detections.append(Detection(label, geometry, score))
    return detections


def read_labels(value: Any) -> list[int]:
    """Per-point part labels from a list of integers (or a ``.npy`` file)."""
    if isinstance(value, str):
        return [int(v) for v in load_array(value).ravel()]
    if not _is_numbers(value):
        raise ValueError("not a list of part labels")
    return [int(v) for v in value]


# --- families ---------------------------------------------------------------------------------
Reader = Callable[..., Any]


class StructuredAnswer(TaskFamily):
    """A text answer holding structure (JSON); a missing or unreadable one is empty."""

    def __init__(
        self,
        name: str,
        reader: Reader,
        empty: Any,
        instruction: str,
        from_answer: Callable[..., Any] | None = None,
        per_point: bool = False,
        boxes: bool = False,
    ) -> None:
        """``reader`` reads the reference, and by default the JSON in an answer;
        ``from_answer`` reads an answer instead when answers take other forms too;
        ``empty`` is a wrong answer; ``per_point`` answers need one value per reference
        value; ``boxes``: the readers take ``xywh`` (the task's box form), and
        ``{box}`` in the instruction names that form.
        """
        self.name, self._read, self._empty, self._instruction = name, reader, empty, instruction
        self._from_answer = from_answer or (lambda raw, **form: reader(json_in_text(raw), **form))
        self._per_point, self._boxes = per_point, boxes

    def _form(self, task: TaskSpec) -> dict[str, bool]:
        return {"xywh": box_form(task)} if self._boxes else {}

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The instance's prompt plus the answer format (boxes in the task's own form)."""
        form = "[x_min, y_min, width, height]" if box_form(task) else "[x1, y1, x2, y2]"
        instruction = self._instruction.replace("{box}", form)
        return media_request(
            task, instance, f"{prompt_text(instance)}\n{instruction}", (), "text", None
        )

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The reference structure, from the first field of ``output``."""
        field, value = first_output(instance)
        try:
            resolved = resolve_reference_file(task, value, instance, field)
            return self._read(resolved, **self._form(task))
        except (ValueError, TypeError) as error:
            raise AnnotationError(instance.source, str(error), instance.id, field) from None

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The answer's structure; a missing or unreadable answer is the empty one (wrong)."""
        if raw is None:
            return Parsed(self._empty, ok=False)
        try:
            parsed = self._from_answer(raw, **self._form(task))
        except (ValueError, TypeError):
            return Parsed(self._empty, ok=False)
        if self._per_point and len(parsed) != len(self.reference(task, instance)):
            return Parsed(self._empty, ok=False)  # one label per point, or no answer
        return Parsed(parsed)


def first_output(instance: Instance) -> tuple[str, Any]:
    """The first field of ``output`` and its value."""
    output = instance.output
    if isinstance(output, dict) and output:
        field = next(iter(output))
        return f"output.{field}", output[field]
    if output is None or output == {}:
        raise AnnotationError(instance.source, "missing", instance.id, "output")
    return "output", output


#: Suffixes of the files a structured or dense reference may name.
_FILE_SUFFIXES = frozenset({".npy", ".npz", ".flo", ".png", ".jpg", ".jpeg", ".bmp", ".tif"})


def resolve_reference_file(
    task: TaskSpec, value: Any, instance: Instance | None = None, field: str = "output"
) -> Any:
    """A reference that names a file (``depth/0.npz``, ``maps/1.png``), resolved as every
    media path is (inside the task folder) and its header checked; anything else as it is.

    Raises:
        AnnotationError: the path leaves the task folder or the file does not read.
    """
    if not isinstance(value, str) or Path(value).suffix.lower() not in _FILE_SUFFIXES:
        return value
    try:
        path = resolve_media(value, task.folder, task.modality, task.task_file)
    except MediaPathError as error:
        if instance is None or str(error).startswith("file not found"):
            return value
        raise instance.error(str(error), field) from None
    problem = media_problem(path)
    if problem is not None and instance is not None:
        raise instance.error(f"{path}: {problem}", field)
    return str(path)


class DenseAnswer(TaskFamily):
    """A dense map the model writes as a ``.npy`` file (or returns as RLE / nested JSON)."""

    name, default_metric = "dense map", "mIoU"
    missing_scores_as_wrong = False

    def output_suffix(self, task: TaskSpec) -> str:
        """Dense outputs are ``.npy`` arrays."""
        return ".npy"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt and media, the output path, and the reference's shape when known."""
        prompt = str(instance.find("prompt", "question", default=""))
        request = media_request(task, instance, prompt, (), "array", output_path)
        try:
            shape = list(load_array(self.reference(task, instance)).shape)
        except (AnnotationError, ValueError):
            return request
        from dataclasses import replace

        return replace(request, extra={"output_shape": shape})

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The reference map: a file under the task folder, an RLE dict or nested lists."""
        field, value = first_output(instance)
        value = resolve_reference_file(task, value, instance, field)
        if isinstance(value, str) and not Path(value).is_file():
            raise AnnotationError(instance.source, f"file not found: {value}", instance.id, field)
        return value

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """A path beside the predictions, or an RLE / nested-list JSON value."""
        if raw is None or not raw.strip():
            return Parsed(None, ok=False)
        text = raw.strip()
        if text[0] in "[{":
            try:
                return Parsed(json.loads(text))
            except ValueError:
                return Parsed(None, ok=False)
        path = output_file(text, base, instance)
        return Parsed(None if path is None else str(path), ok=path is not None and path.is_file())
