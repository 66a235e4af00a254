"""Where a pack keeps things, shared by packing and checking."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from genbench.submit._expect import ExpectedTask
from genbench.submit._manifest import sha256_file


def prediction_folder(expected: ExpectedTask, layout: str) -> str:
    """The pack folder of a task's prediction file: the task folder (leaderboard), or
    the folder of its task file (authors), relative to the pack's root.
    """
    return expected.folder if layout == "leaderboard" else expected.file_folder


def relative_files(root: Path, files: Iterable[Path]) -> dict[str, str]:
    """Each file's path relative to ``root`` (with ``/``) and its SHA-256, sorted."""
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(set(files))}


def pack_size(path: Path) -> int:
    """Bytes of a pack: the zip file, or the files of a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
