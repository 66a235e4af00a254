"""Media for chat APIs and processors: data URLs, ``input_audio`` parts, frame sampling,
and WAV files read and written.

Shared by the OpenAI-compatible adapter and the LLM judge, by the Hugging Face adapter
for reading audio, and by the adapters that generate audio.
"""

from __future__ import annotations

import base64
import mimetypes
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"})
AUDIO_SUFFIXES = frozenset({".wav", ".mp3"})


def image_part(path: Path) -> dict[str, Any]:
    """An OpenAI ``image_url`` content part holding the image as a base64 data URL."""
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{data}"}}


def audio_part(path: Path) -> dict[str, Any]:
    """An OpenAI ``input_audio`` content part (WAV or MP3, base64)."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"type": "input_audio", "input_audio": {"data": data, "format": path.suffix[1:]}}


def media_parts(path: Path) -> list[dict[str, Any]]:
    """Content parts for a file: an image, an audio clip, or a folder of frames.

    Raises:
        ValueError: a file of another kind.
    """
    if path.is_dir():
        return [part for frame in sorted(path.iterdir()) for part in media_parts(frame)]
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return [image_part(path)]
    if suffix in AUDIO_SUFFIXES:
        return [audio_part(path)]
    raise ValueError(f"{path}: cannot be sent as an image or audio part")


def sample_frames(frames: Sequence[Path], at_most: int) -> list[Path]:
    """At most ``at_most`` frames, evenly spaced, first and last included."""
    if len(frames) <= at_most:
        return list(frames)
    positions = np.linspace(0, len(frames) - 1, at_most).round().astype(int)
    return [frames[i] for i in positions]


def read_wav(path: Path, rate: int) -> NDArray[np.float32]:
    """A WAV file as mono float32 in [-1, 1] at ``rate`` Hz (linear resampling)."""
    with wave.open(str(path)) as handle:
        frames = handle.readframes(handle.getnframes())
        width, channels, source_rate = (
            handle.getsampwidth(),
            handle.getnchannels(),
            handle.getframerate(),
        )
    dtype = {1: np.uint8, 2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(frames, dtype=dtype).astype(np.float32)
    if width == 1:
        samples = samples - 128.0
    samples = samples.reshape(-1, channels).mean(1) / float(2 ** (8 * width - 1))
    if source_rate != rate and samples.size:
        positions = np.linspace(0, samples.size - 1, int(samples.size * rate / source_rate))
        samples = np.interp(positions, np.arange(samples.size), samples).astype(np.float32)
    return np.asarray(samples, dtype=np.float32)


def resample(samples: NDArray[np.floating[Any]], rate: int, target: int) -> NDArray[np.float32]:
    """Audio (samples last) from ``rate`` to ``target`` Hz with scipy's polyphase filter,
    which low-passes before it decimates (no aliasing, unlike plain interpolation).
    """
    if rate == target:
        return np.asarray(samples, dtype=np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    common = gcd(int(rate), int(target))
    out = resample_poly(samples, target // common, rate // common, axis=-1)
    return np.asarray(out, dtype=np.float32)


def write_wav(path: Path, samples: NDArray[np.floating[Any]], rate: int) -> str:
    """Write float audio in [-1, 1] as 16-bit PCM WAV and return the path as a string.

    ``samples`` is one channel ``(n,)`` or several ``(channels, n)``; values outside
    [-1, 1] are clipped.
    """
    data = np.atleast_2d(np.asarray(samples, dtype=np.float64))
    pcm = (np.clip(data, -1.0, 1.0) * 32767.0).round().astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(pcm.shape[0])
        handle.setsampwidth(2)
        handle.setframerate(int(rate))
        handle.writeframes(pcm.T.tobytes())
    return str(path)
