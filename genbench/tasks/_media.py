"""Input media of an instance, and files a model generated: resolved, confined, by kind.

Input paths resolve inside the task folder (genbench.data.resolve_media); generated files
inside the model's output folder (genbench.data.resolve_output). A bad path is one line
naming the file, the instance and the field.
"""

from __future__ import annotations

from pathlib import Path

from genbench.data import (
    PREDICTION_FILE,
    AnnotationError,
    Instance,
    MediaPathError,
    TaskSpec,
    media_problem,
    resolve_media,
    resolve_output,
)
from genbench.models import OutputKind, Request
from genbench.tasks._family import make_request

IMAGE_FIELDS = ("image", "image_file", "images", "image_list")
FRAME_FIELDS = ("video_file_list", "frames")
VIDEO_FIELDS = ("video_file", "video")
AUDIO_FIELDS = ("audio_file", "audio")
POINT_FIELDS = ("pointcloud", "point_cloud", "pointcloud_file")


def media_paths(
    task: TaskSpec, instance: Instance, names: tuple[str, ...], folders: bool = False
) -> tuple[Path, ...]:
    """The files an instance's field names, resolved inside the task folder
    (genbench.data.resolve_media); an unusable path is an error naming the field.
    """
    found = instance.locate(*names)
    if found is None or found[1] is None:
        return ()
    field, value = found
    items = value if isinstance(value, list) else [value]
    paths = []
    for index, item in enumerate(items):
        where = field if len(items) == 1 else f"{field}[{index}]"
        try:
            path = resolve_media(item, task.folder, task.modality, task.task_file, folders)
        except MediaPathError as error:
            raise instance.error(str(error), where) from None
        problem = media_problem(path)
        if problem is not None:
            raise instance.error(f"{path}: {problem}", where)
        paths.append(path)
    return tuple(paths)


#: File suffixes by the kind of medium they hold.
_KIND_OF_SUFFIX: dict[str, str] = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"), "image"),
    **dict.fromkeys((".wav", ".mp3", ".flac", ".ogg", ".m4a"), "audio"),
    **dict.fromkeys((".mp4", ".avi", ".mov", ".mkv", ".webm"), "video"),
    **dict.fromkeys((".npy", ".ply", ".pcd", ".xyz", ".obj", ".off"), "pointcloud"),
}


def _inputs(task: TaskSpec, instance: Instance) -> dict[str, list[Path]]:
    """The instance's input media by kind. A file's kind follows its suffix, not the
    field that names it: the release has audio clips under ``video_file`` and
    ``image_file`` in audio tasks. Frame lists are video frames; a folder is a video.
    """
    kinds: dict[str, list[Path]] = {"image": [], "frames": [], "video": [], "audio": []}
    kinds["pointcloud"] = []
    fields = (
        (IMAGE_FIELDS, "image"),
        (VIDEO_FIELDS, "video"),
        (AUDIO_FIELDS, "audio"),
        (POINT_FIELDS, "pointcloud"),
    )
    kinds["frames"] = list(media_paths(task, instance, FRAME_FIELDS))
    for names, default in fields:
        for path in media_paths(task, instance, names, folders=default == "video"):
            if path.is_dir():  # a video kept as a folder of frames
                kinds["frames"] += sorted(p for p in path.iterdir() if p.is_file())
            else:
                kinds[_KIND_OF_SUFFIX.get(path.suffix.lower(), default)].append(path)
    return kinds


def media_request(
    task: TaskSpec,
    instance: Instance,
    prompt: str,
    options: tuple[str, ...],
    output: OutputKind,
    output_path: Path | None,
) -> Request:
    """A request carrying every input medium the instance references."""
    media = _inputs(task, instance)
    return make_request(
        task,
        instance,
        prompt,
        options,
        images=tuple(media["image"]),
        video_frames=tuple(media["frames"]),
        video=media["video"][0] if media["video"] else None,
        audio=media["audio"][0] if media["audio"] else None,
        pointcloud=media["pointcloud"][0] if media["pointcloud"] else None,
        output=output,
        output_path=output_path,
    )


def output_file(raw: str, base: Path, instance: Instance) -> Path | None:
    """A generated file named by a prediction, inside ``base``; None when it is missing.

    Raises:
        AnnotationError: the path leaves the model's output folder; the message names the
            prediction file, the instance and the field.
    """
    try:
        path = resolve_output(raw, base)
    except MediaPathError as error:
        if str(error).startswith("generated file not found"):
            return None
        raise AnnotationError(
            base / PREDICTION_FILE, str(error), instance.id, "prediction"
        ) from None
    problem = media_problem(path)
    if problem is not None:
        raise AnnotationError(
            base / PREDICTION_FILE, f"{path}: {problem}", instance.id, "prediction"
        )
    return path
