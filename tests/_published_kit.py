"""The kit the published-tree task specs are written with: small real media and task specs.

Media are tiny but real (PNG/JPEG through PIL, 16-bit WAV through the ``wave`` module,
``.npy``/``.npz`` through numpy) and byte-identical for the same random generator state,
so a tree can be compared byte for byte across runs.
"""

from __future__ import annotations

import io
import wave
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from PIL import Image

#: How the reference table's row is expected to be found (see ``published_tree``).
Rule = Literal["task field", "folder name", "short name", "none"]
#: A fixed zip timestamp: numpy's own ``savez`` stamps the current time, which breaks
#: byte-identical reruns.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
WORDS = (
    "the",
    "farmer",
    "checks",
    "a",
    "green",
    "field",
    "near",
    "old",
    "river",
    "while",
    "small",
    "birds",
    "sing",
    "and",
    "bright",
    "tractor",
    "moves",
    "slowly",
    "over",
    "dark",
    "soil",
    "under",
    "blue",
    "sky",
)


def sentence(rng: np.random.Generator, n: int = 6) -> str:
    """A sentence of ``n`` vocabulary words: text whose content does not matter."""
    words = [str(w) for w in rng.choice(WORDS, size=n)]
    return " ".join(words).capitalize() + "."


def pick(rng: np.random.Generator, items: Sequence[Any]) -> Any:
    """One item of ``items``, drawn with ``rng`` (keeps its Python type, unlike numpy)."""
    return items[int(rng.integers(len(items)))]


@dataclass
class Media:
    """Writes one task's media files and remembers, per instance, what it wrote.

    ``reference`` files are the ground truth of generation and dense tasks: the close set
    leaves them out, as it leaves out every reference.
    """

    folder: Path
    rng: np.random.Generator
    closeset: bool
    written: list[tuple[str, str]] = field(default_factory=list)

    def picture(self, file: str, as_written: str | None = None, *, reference: bool = False) -> str:
        """A gradient with a square: PNG 48x32, or JPEG 128x96 (room for detection boxes)."""
        size = (48, 32) if not file.endswith(".jpg") else (128, 96)
        return self._put(file, as_written, reference, lambda: _image_bytes(self.rng, size, file))

    def sound(self, file: str, as_written: str | None = None, *, reference: bool = False) -> str:
        """A quarter-second sine tone at 8 kHz, mono, 16 bit."""
        return self._put(file, as_written, reference, lambda: _wav_bytes(self.rng))

    def cloud(self, file: str, as_written: str | None = None, *, reference: bool = False) -> str:
        """64 points as a float32 (64, 3) ``.npy`` array."""
        points = self.rng.normal(size=(64, 3)).astype(np.float32)
        return self._put(file, as_written, reference, lambda: _npy_bytes(points))

    def depth(self, file: str, frames: int, *, reference: bool = True) -> str:
        """Per-frame depth maps as an ``.npz`` holding ``depth`` of shape (frames, 32, 48)."""
        maps = self.rng.uniform(0.5, 5.0, size=(frames, 32, 48)).astype(np.float32)
        return self._put(file, None, reference, lambda: _npz_bytes(depth=maps))

    def take(self) -> tuple[tuple[str, str], ...]:
        """The (path as written, file relative to the task folder) pairs since the last take."""
        taken, self.written = tuple(self.written), []
        return taken

    def _put(
        self, file: str, as_written: str | None, reference: bool, encode: Callable[[], bytes]
    ) -> str:
        written = file if as_written is None else as_written
        if reference and self.closeset:
            return written
        path = self.folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode())
        self.written.append((written, file))
        return written


def _image_bytes(rng: np.random.Generator, size: tuple[int, int], file: str) -> bytes:
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([x * 255 // width, y * 255 // height, np.full_like(x, 96)], -1)
    top, left = int(rng.integers(0, height // 2)), int(rng.integers(0, width // 2))
    pixels[top : top + height // 3, left : left + width // 3] = rng.integers(0, 256, 3)
    buffer = io.BytesIO()
    kind = "JPEG" if file.endswith(".jpg") else "PNG"
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format=kind)
    return buffer.getvalue()


def _wav_bytes(rng: np.random.Generator, rate: int = 8000) -> bytes:
    frequency = float(rng.uniform(200, 800))
    t = np.arange(rate // 4) / rate
    samples = (0.3 * np.sin(2 * np.pi * frequency * t) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())
    return buffer.getvalue()


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _npz_bytes(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", _ZIP_TIME), _npy_bytes(array))
    return buffer.getvalue()


@dataclass(frozen=True)
class Made:
    """One instance as a maker returns it: its fields (no ``id``) and its oracle answer."""

    fields: dict[str, Any]
    oracle: str


#: Makes instance ``index`` of a task, writing its media through ``Media``.
Maker = Callable[[Media, int], Made]


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One published task: where it lives, its task file, header, table row and instances.

    ``folder`` is relative to the tree's root in the release's casing (``image/
    comprehension/car_brands_recognition``); ``task_file`` is relative to the folder;
    ``header`` holds every top-level field but ``data``; ``reference`` is the path to the
    reference inside an instance (``("output", "text")``). ``superseded`` names an older
    task file written beside the current one (``json/annotation.json`` beside
    ``json/annotation_v2.json``), holding fewer instances.
    """

    folder: str
    header: dict[str, Any]
    row: tuple[str, str] | None
    metric: str | None
    reference: tuple[str, ...]
    make: Maker
    task_file: str = "annotation.json"
    rule: Rule = "task field"
    ids: tuple[str, ...] = ("0", "1", "2")
    superseded: str | None = None
    closeset_drops_output: bool = False


def header(task: str, kind: str, **fields: Any) -> dict[str, Any]:
    """A task file's top-level fields in the release's order: ``task``, ``type``, the rest.

    ``set_type`` is always written, ``openset``; the close set rewrites it.
    """
    return {"task": task, "type": kind, **fields, "set_type": "openset"}


def text_modality(*inputs: str) -> dict[str, list[str]]:
    """The ``modality`` field of a task whose answer is text."""
    return {"in": [*inputs, "text"], "out": ["text"]}
