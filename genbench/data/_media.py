"""Where an instance's media file is, without ever leaving its task folder.

A path in an instance resolves, in this order (docs/TASKS.md, "Media paths"):

1. relative to the task folder (``images/CarBrands0453.png``), or to the folder of the
   task file when that is ``json/``;
2. in the task's media subfolders (``images/``, ``audios/``, ``videos/`` ...; those of the
   task's modality first): a bare name such as ``Anna_Hummingbird_0087_56435.jpg``, or
   video frames listed relative to ``videos/``;
3. by file name alone in those subfolders, when exactly one file has that name: stale
   paths from the authors' machines (``./data/comprehension/fall-human-detection/images/
   people-8824.jpg``).

Windows separators read as ``/``. An absolute path, a ``..`` component, or a path whose
symlinks resolve outside the task folder is an error, as is a file that is not found,
or a name that several files share: one line naming the task file, the instance and the
field.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

#: Media subfolders of a task folder, by modality (the modality's own first).
MEDIA_FOLDERS: dict[str, tuple[str, ...]] = {
    "Image": ("images", "image", "imgs"),
    "Video": ("videos", "video", "frames", "depth"),
    "Audio": ("audios", "audio", "wavs"),
    "3D": ("pointclouds", "point_clouds", "pointcloud", "pcd", "3d"),
    "NLP": (),
}
_ALL_FOLDERS = tuple(dict.fromkeys(f for folders in MEDIA_FOLDERS.values() for f in folders))
_OTHER = ("masks", "depth")


class MediaPathError(ValueError):
    """A media path that cannot be used; the message says why (without file and instance)."""


def media_folders(task_folder: Path, modality: str) -> list[Path]:
    """The task's media subfolders that exist, the modality's own first."""
    names = dict.fromkeys((*MEDIA_FOLDERS.get(modality, ()), *_ALL_FOLDERS, *_OTHER))
    return [task_folder / name for name in names if (task_folder / name).is_dir()]


@functools.lru_cache(maxsize=64)
def _names(task_folder: Path, modality: str) -> dict[str, tuple[Path, ...]]:
    """Every file under the media subfolders, by file name (built once per task folder)."""
    found: dict[str, list[Path]] = {}
    for folder in media_folders(task_folder, modality):
        for directory, _, files in os.walk(folder):
            for name in files:
                found.setdefault(name, []).append(Path(directory) / name)
    return {name: tuple(paths) for name, paths in found.items()}


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True


def _first_existing(candidates: Iterable[Path]) -> Path | None:
    return next((c for c in candidates if c.exists()), None)


def resolve_media(
    value: object,
    task_folder: Path,
    modality: str,
    task_file: Path | None = None,
    folders_allowed: bool = False,
) -> Path:
    """The file (or, with ``folders_allowed``, frame folder) a media path names.

    Raises:
        MediaPathError: the path is absolute, climbs out with ``..``, resolves outside the
            task folder, is not found, is ambiguous, or names a folder where a file is due.
    """
    if not isinstance(value, str) or not value.strip():
        raise MediaPathError(f"not a file path: {value!r}")
    text = value.strip().replace("\\", "/")
    relative = PurePosixPath(text)
    if relative.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise MediaPathError(f"absolute path {value!r}: paths must be inside the task folder")
    if ".." in relative.parts:
        raise MediaPathError(f"path {value!r} climbs out of the task folder ('..')")
    root = task_folder.resolve()
    bases = [task_folder]
    if task_file is not None and task_file.parent != task_folder:
        bases.append(task_file.parent)
    bases += media_folders(task_folder, modality)
    found = _first_existing(base / relative for base in bases)
    if found is None:
        same_name = _names(task_folder, modality).get(relative.name, ())
        if len(same_name) > 1:
            where = ", ".join(str(p.relative_to(task_folder)) for p in same_name[:3])
            raise MediaPathError(f"{value!r}: {len(same_name)} files share its name ({where})")
        if not same_name:
            looked = ", ".join(f"{b.name}/" for b in bases[1:]) or "no media folder"
            raise MediaPathError(f"file not found: {value!r} (looked in the task folder, {looked})")
        found = same_name[0]
    if not _inside(found, root):
        raise MediaPathError(f"{value!r} resolves outside the task folder (a symlink?)")
    if found.is_dir() and not folders_allowed:
        raise MediaPathError(f"{value!r} is a folder, not a file")
    return found


def resolve_output(value: str, base: Path) -> Path:
    """A generated file named in a prediction file, which must lie inside ``base`` (the
    prediction file's folder): a model's outputs never point into the dataset or
    elsewhere.

    Raises:
        MediaPathError: absolute, climbing out with ``..``, resolving outside ``base``
            (a symlink), or not found.
    """
    text = value.strip().replace("\\", "/")
    relative = PurePosixPath(text)
    if not text or relative.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise MediaPathError(f"{value!r} is not a path relative to the prediction file")
    if ".." in relative.parts:
        raise MediaPathError(f"{value!r} climbs out of the model's output folder ('..')")
    path = base / relative
    if not path.exists():
        raise MediaPathError(f"generated file not found: {value!r}")
    if not _inside(path, base.resolve()):
        raise MediaPathError(f"{value!r} resolves outside the model's output folder")
    return path


_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"})


@functools.lru_cache(maxsize=1 << 16)
def _media_problem(path: Path, size: int, mtime_ns: int) -> str | None:
    suffix = path.suffix.lower()
    if size == 0:
        return "an empty file"
    if suffix in _IMAGES:
        return _image_problem(path)
    if suffix == ".wav":
        import wave

        try:
            with wave.open(str(path)) as handle:
                handle.getnframes()
        except (wave.Error, EOFError, OSError) as error:
            return f"not a readable WAV file ({error})"
    if suffix == ".npy":
        import numpy as np

        try:
            np.load(path, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            return f"not a readable .npy array ({error})"
    return None


def _image_problem(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # the header only
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        return f"not a readable image ({type(error).__name__}: {error})"
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        return f"an image of {width} x {height} pixels, over the limit of {limit} (a bomb?)"
    return None


def media_problem(path: Path) -> str | None:
    """Why a media file cannot be used (None when its header reads well): an image that
    does not open or is too large to decode safely (a decompression bomb), a WAV or
    ``.npy`` file whose header does not read, an empty file. Only headers are read, once
    per version of a file.
    """
    try:
        stat = path.stat()
    except OSError as error:
        return f"cannot be read ({error})"
    if path.is_dir():
        return None
    return _media_problem(path, stat.st_size, stat.st_mtime_ns)
