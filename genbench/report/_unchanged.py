"""A result workbook is not written again when it would hold what it already holds.

A rerun whose tasks all reuse their stored results would write the same workbook again:
importing openpyxl and writing some 1,500 rows cost about 0.35 s on the project's machine
kind, a tenth of rerunning 705 tasks. The outcome writer keeps, in the outcome folder
(``<outcome>/.genbench/<workbook name>.json``), a digest of everything the workbook is
made from together with the size and modification time of the file it wrote; writing the
same content to that same, untouched file again is skipped. Anything else writes it: a
changed score, status, interval or provenance, a workbook edited, replaced or removed
since, an unreadable record. :data:`WORKBOOK_LAYOUT` is raised when the layout changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from genbench._atomic import write_json_atomic

#: Raise when the result workbook's layout changes: earlier records then match nothing.
WORKBOOK_LAYOUT = 1


def content_digest(*parts: object) -> str:
    """A digest of what a workbook is made from (``repr`` of plain data: exact floats)."""
    return hashlib.sha256(repr((WORKBOOK_LAYOUT, parts)).encode("utf-8")).hexdigest()


def record_path(workbook: Path) -> Path:
    """Where the record of a workbook's content is kept."""
    return workbook.parent / ".genbench" / f"{workbook.name}.json"


def _file_stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def unchanged(workbook: Path, digest: str) -> bool:
    """Whether ``workbook`` is the untouched file last written from content ``digest``."""
    try:
        data = json.loads(record_path(workbook).read_text(encoding="utf-8"))
        stamp = _file_stamp(workbook)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("digest") == digest and data.get("file") == stamp


def remember(workbook: Path, digest: str) -> None:
    """Record that ``workbook`` was just written from content ``digest`` (a folder that
    takes no record only means the next run writes the workbook again).
    """
    with contextlib.suppress(OSError):
        write_json_atomic(record_path(workbook), {"digest": digest, "file": _file_stamp(workbook)})
