"""What discovery read from each task file, kept between runs while the file is unchanged.

Discovery parses every JSON file of a tree to know which are task files and what they
hold (genbench.data._taskfile.inspect_json): a whole released tree is gigabytes of JSON,
parsed again by every run. :class:`TaskFileCache` keeps each file's findings with the
file's size and modification time (to the nanosecond) in one JSON file, and gives them
back while both are the same; anything else is read again. The cache file sits in the
outcome folder (``.genbench/discovery-<tree digest>.json``) and holds the files of the
last discovery of that tree. A cache that cannot be read or written is passed over:
discovery then reads every file, as without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.data._taskfile import NotATaskFile, TaskFileInfo, inspect_json

#: Bump when what inspect_json finds (or how it is stored) changes.
CACHE_VERSION = 1


class TaskFileCache:
    """inspect_json's findings by file, reused while a file's size and time are unchanged."""

    def __init__(self, path: Path) -> None:
        """Read the cache at ``path`` (none, or an unreadable one, starts empty)."""
        self.path = path
        self._entries: dict[str, dict[str, Any]] = {}
        self._seen: dict[str, dict[str, Any]] = {}
        self.reused = 0
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                self._entries = dict(data.get("files", {}))
        except (OSError, ValueError):
            pass

    @classmethod
    def for_tree(cls, outcome_dir: Path, root: Path) -> TaskFileCache:
        """The cache of the tree at ``root`` in an outcome folder."""
        key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
        return cls(outcome_dir / ".genbench" / f"discovery-{key}.json")

    def inspect(self, path: Path) -> TaskFileInfo | NotATaskFile:
        """What :func:`inspect_json` finds in ``path``, from the cache where it holds."""
        try:
            stat = path.stat()
        except OSError:
            return inspect_json(path)
        stamp = [stat.st_size, stat.st_mtime_ns]
        key = str(path)
        entry = self._entries.get(key)
        if entry is not None and entry.get("stamp") == stamp:
            found = _from_json(entry)
            if found is not None:
                self._seen[key] = entry
                self.reused += 1
                return found
        found = inspect_json(path)
        if not (isinstance(found, NotATaskFile) and found.unreadable):
            self._seen[key] = _to_json(found, stamp)  # unreadable files are read again
        return found

    def save(self) -> None:
        """Write the findings of this discovery (only these files), if any changed."""
        if self._seen == self._entries:
            return
        with contextlib.suppress(OSError):  # a read-only outcome folder: no cache
            write_json_atomic(self.path, {"version": CACHE_VERSION, "files": self._seen})


def _to_json(found: TaskFileInfo | NotATaskFile, stamp: list[int]) -> dict[str, Any]:
    kind = "task" if isinstance(found, TaskFileInfo) else "other"
    fields = {k: v for k, v in asdict(found).items() if k != "path"}
    return {"stamp": stamp, "kind": kind, "path": str(found.path), "fields": fields}


def _from_json(entry: dict[str, Any]) -> TaskFileInfo | NotATaskFile | None:
    try:
        path, fields = Path(entry["path"]), entry["fields"]
        if entry["kind"] == "task":
            return TaskFileInfo(path=path, **fields)
        return NotATaskFile(path=path, **fields)
    except (KeyError, TypeError):
        return None
