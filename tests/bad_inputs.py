"""Helpers of the bad-input corpus (tests/test_bad_inputs.py, issue 10).

Cases damage a copy of the bundled sample: a task folder cloned under a new name (``Bx-<case>``,
a task field that matches no reference row) and then broken in one way, or a file of the
tree, the outcome folder or the command line. These helpers make the clones and the broken
media, take byte-for-byte snapshots of folders, and search written files (workbooks
unzipped) for a secret.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from genbench.data import sample_root

#: The prefix of every cloned case folder (and so of its item id).
PREFIX = "Bx-"

#: The pytester benchmark module: one item per task.
BENCH = """
def test_task(genbench_task, genbench_evaluate):
    genbench_evaluate(genbench_task)
"""


# --- trees -------------------------------------------------------------------------------


def copy_sample(dest: Path) -> Path:
    """A copy of the bundled sample (its README left out), modification times kept."""
    shutil.copytree(sample_root(), dest, ignore=shutil.ignore_patterns("README.md"))
    return dest


def restore(dest: Path, pristine: Path) -> None:
    """Make ``dest`` a byte-for-byte copy of ``pristine`` again."""
    if dest.exists():
        for path in dest.rglob("*"):  # read-only folders a case left behind
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(dest)
    shutil.copytree(pristine, dest, symlinks=True)


def item_id(tree: Path, folder: Path) -> str:
    """The pytest id of a task folder (``nlp-TriviaQA``, ``3d-comprehension-3D-Detection``)."""
    parts = folder.relative_to(tree).parts
    return "-".join([*(p.lower() for p in parts[:-1]), parts[-1]])


def task_folders(tree: Path) -> dict[str, Path]:
    """Every task folder of a tree by item id."""
    folders = {}
    for task_file in tree.rglob("annotation.json"):
        folders[item_id(tree, task_file.parent)] = task_file.parent
    return folders


def read_task(folder: Path) -> dict[str, Any]:
    """A task folder's annotation.json."""
    return json.loads((folder / "annotation.json").read_text(encoding="utf-8"))


def write_task(folder: Path, data: Any) -> Path:
    """Write a task folder's annotation.json (any JSON value, broken ones included)."""
    path = folder / "annotation.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def clone(tree: Path, source: str, case: str, task: str | None = None) -> Path:
    """Copy the sample task ``source`` (``nlp/TriviaQA``) to ``Bx-<case>`` beside it, with
    the task field ``task``: by default one that matches no reference row, so that the
    clone shares no row with its source (give the Task Name of a row no other task uses
    where the clone's handling depends on the row's metric).
    """
    folder = tree / source
    target = folder.parent / f"{PREFIX}{case}"
    shutil.copytree(folder, target)
    data = read_task(target)
    data["task"] = task or f"Bx {case}"
    write_task(target, data)
    return target


def edit(folder: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Apply ``change`` to a task's JSON in place."""
    data = read_task(folder)
    change(data)
    write_task(folder, data)


def relative_to(target: Path, start: Path) -> str:
    """``target`` as a path relative to ``start``, climbing with ``..`` where needed."""
    return os.path.relpath(target, start)


# --- media -------------------------------------------------------------------------------


def truncate(path: Path, keep: int = 20) -> Path:
    """Keep the first ``keep`` bytes of a file (its header cut for small values)."""
    path.write_bytes(path.read_bytes()[:keep])
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(path: Path, side: int = 20_000) -> Path:
    """A valid black 1-bit PNG of ``side`` x ``side`` pixels, some 40 KB on disk: past
    PIL's decompression-bomb limit (2 x 89.5 M pixels) by far.
    """
    row = b"\x00" + bytes((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 1000) for _ in range(side // 1000))
    data += packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
    path.write_bytes(png + _chunk(b"IEND", b""))
    return path


def save_npy(path: Path, value: Any) -> Path:
    """Write an array as ``.npy``."""
    import numpy as np

    np.save(path, np.asarray(value))
    return path


def folder_instead(path: Path) -> Path:
    """Replace a file by a folder of the same name."""
    path.unlink()
    path.mkdir()
    return path


def link(path: Path, target: Path) -> Path:
    """Replace ``path`` (a file or a folder) by a symlink to ``target``."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)
    return path


# --- snapshots and secrets ---------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (symlinks not followed) by relative path: its sha256, or
    ``link:<target>`` for a symlink. Empty when ``root`` does not exist.
    """
    found: dict[str, str] = {}
    if not root.exists():
        return found
    for directory, folders, files in os.walk(root):
        for name in files + [f for f in folders if Path(directory, f).is_symlink()]:
            path = Path(directory) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = f"link:{os.readlink(path)}"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Paths added, removed or changed between two snapshots, sorted."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def task_of(path: str, items: Mapping[str, str], run: str = "baseline") -> str | None:
    """The item id a file of the run folder ``run`` belongs to (``<run>/tasks/<id>.json``,
    ``<run>/samples/<id>.jsonl``, ``<run>/predictions/<task folder>/...``), or None.

    ``items`` maps each item id to its task folder relative to the tree; files of other
    tasks or other runs are none of these.
    """
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != run:
        return None
    if parts[1] in ("tasks", "samples"):
        item = parts[2].removesuffix(".jsonl").removesuffix(".json")
        return item if item in items else None
    if parts[1] == "predictions":
        rest = "/".join(parts[2:])
        for item, folder in items.items():
            if rest.startswith(folder + "/"):
                return item
    return None


def task_files_changed(
    before: Mapping[str, str],
    after: Mapping[str, str],
    items: Mapping[str, str],
    allowed: Iterable[str] = (),
) -> list[str]:
    """Result, samples and prediction files of the run ``baseline`` of tasks other than
    ``allowed`` that differ between two snapshots of an outcome folder.
    """
    keep = set(allowed)
    return [
        path
        for path in changed(before, after)
        if (owner := task_of(path, items)) is not None and owner not in keep
    ]


def file_texts(root: Path) -> Iterable[tuple[Path, str]]:
    """The text of every file under ``root``; a workbook's (or any zip's) members
    unzipped and joined.
    """
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        yield path, data.decode("utf-8", errors="replace")


def holding(root: Path, secret: str) -> list[Path]:
    """The files under ``root`` whose text holds ``secret``."""
    return [path for path, text in file_texts(root) if secret in text]


def pattern(template: str, **paths: object) -> re.Pattern[str]:
    """A regular expression from ``template`` in which ``{name}`` stands for the escaped
    text of ``paths[name]`` (the rest of the template is a regular expression).
    """
    text = template
    for name, value in paths.items():
        text = text.replace("{" + name + "}", re.escape(str(value)))
    return re.compile(text)
