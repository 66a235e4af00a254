"""Generated media: whether a file (or a folder of frames) exists and decodes.

Images decode with PIL, WAV with the standard ``wave`` module, ``.npy``/``.npz`` with
numpy (no pickles); a video is a folder of frame images. Other formats (``.mp4``,
``.ply``, ...) are only checked to be non-empty files: nothing here can decode them.
"""

from __future__ import annotations

import wave
from pathlib import Path

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"})


def media_files(path: Path) -> list[Path]:
    """The files of a media output: the file itself, or a folder's files (sorted, nested)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path]


def _decode(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        from PIL import Image

        with Image.open(path) as image:
            image.load()
    elif suffix == ".wav":
        with wave.open(str(path), "rb") as sound:
            sound.readframes(sound.getnframes())
    elif suffix in (".npy", ".npz"):
        import numpy as np

        loaded = np.load(path, allow_pickle=False)
        if suffix == ".npz":
            with loaded:
                for name in loaded.files:
                    loaded[name]
    elif path.stat().st_size == 0:
        raise ValueError("empty file")


def media_problem(path: Path) -> str | None:
    """Why a generated output is unusable (missing, empty, does not decode), or None.

    A folder is a video: it needs at least one frame, and every frame must decode.
    """
    if not path.exists():
        return "file not found"
    files = media_files(path)
    if not files:
        return "empty folder (a video needs frames)"
    for file in files:
        try:
            _decode(file)
        except Exception as error:  # any decoder's complaint means the file is unusable
            name = file.name if file != path else path.name
            return f"{name} does not decode: {error}"
    return None
