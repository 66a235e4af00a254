"""Media in the sample view: small thumbnails and short audio inline, the rest linked.

Inline media are data URLs, so the report stays one file that works offline; a byte
budget over the whole report (``ReportOptions.media_budget_bytes``) keeps 700 tasks
under 10 MB. Past the budget, or for large files, a relative link to the file is shown
instead (it works while the report sits where it was written).
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from genbench.viewer._model import ReportOptions

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
}
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".avi", ".mov", ".mkv"})


@dataclass(frozen=True)
class MediaItem:
    """A file of an instance, as the sample view shows it.

    ``kind`` is ``image``, ``audio``, ``video`` or ``file``; ``href`` links to the file
    (empty when it does not exist); ``inline`` is a data URL when the file is embedded.
    """

    kind: str
    name: str
    href: str
    inline: str | None = None


class MediaEmbedder:
    """Turns file paths into :class:`MediaItem`, embedding while the byte budget lasts.

    The budget is shared fairly: each task may embed up to its share of the whole
    (``media_budget_bytes`` over the tasks that have samples) and at most
    ``media_per_task`` files, so the first tasks cannot starve the others.
    """

    def __init__(self, base_dir: Path, options: ReportOptions, tasks: int = 1) -> None:
        self.base_dir = base_dir
        self.options = options
        self.bytes_left = options.media_budget_bytes
        self.share = options.media_budget_bytes // max(tasks, 1)
        self.task_bytes_left = 0
        self.task_files_left = 0

    def begin_task(self) -> None:
        """Start a task's sample view: its share of the budget is available."""
        self.task_bytes_left = min(self.share, self.bytes_left)
        self.task_files_left = self.options.media_per_task

    def item(self, path_text: str) -> MediaItem:
        """The file at ``path_text``; embedded when it is small enough for what is left."""
        path = Path(path_text)
        suffix = path.suffix.lower()
        kind = (
            "image"
            if suffix in IMAGE_SUFFIXES
            else "audio"
            if suffix in AUDIO_TYPES
            else "video"
            if suffix in VIDEO_SUFFIXES
            else "file"
        )
        if not path.is_file():
            return MediaItem(kind, path.name, "")
        inline = None
        if self.task_files_left > 0:
            if kind == "image":
                inline = self._thumbnail(path)
            elif kind == "audio" and path.stat().st_size <= self.options.inline_audio_bytes:
                inline = _data_url(AUDIO_TYPES[suffix], path.read_bytes())
        if inline is not None and len(inline) <= self.task_bytes_left:
            self.task_bytes_left -= len(inline)
            self.bytes_left -= len(inline)
            self.task_files_left -= 1
        elif inline is not None:  # the task's share is spent: link the rest of its files
            self.task_files_left = 0
            inline = None
        return MediaItem(kind, path.name, self.link(path), inline)

    def link(self, path: Path) -> str:
        """A URL of the file relative to the report's folder (a file URI across drives)."""
        try:
            relative = os.path.relpath(path.resolve(), self.base_dir.resolve())
        except ValueError:  # another drive (Windows)
            return path.resolve().as_uri()
        return quote(relative.replace(os.sep, "/"))

    def _thumbnail(self, path: Path) -> str | None:
        from PIL import Image, UnidentifiedImageError

        size = self.options.thumbnail_px
        try:
            with Image.open(path) as image:
                image.thumbnail((size, size))
                rgb = image.convert("RGB")
        except (OSError, UnidentifiedImageError, ValueError):
            return None  # unreadable: linked instead
        buffer = io.BytesIO()
        rgb.save(buffer, format="JPEG", quality=70)
        return _data_url("image/jpeg", buffer.getvalue())


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
