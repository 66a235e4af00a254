"""Per-instance records: what the model was asked, what it answered, how it was scored.

One JSON Lines file per task, ``<outcome>/<run>/samples/<item id>.jsonl``, one line per
instance, in the task file's order::

    {"id": "0", "prompt": "...", "prediction": "B", "parsed": "B", "reference": "A",
     "score": 0.0, "stats": null, "missing": false, "parse_failure": false,
     "media": {"inputs": [...], "prediction": [...], "reference": [...]}}

``score`` is the instance's value on the table's scale where the metric is a mean over
instances (the task score is the mean of these); ``stats`` holds the instance's
sufficient statistics where the metric is computed from sums (micro-F1: true and false
positives and negatives), reduced as the task result's ``aggregation`` says. Prompts
longer than :data:`PROMPT_LIMIT` characters are cut, with the full prompt's sha256
beside them. Media are absolute file paths. The viewer of the HTML report and the
confidence intervals read these files; pandas reads them with
``pd.read_json(path, lines=True)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from genbench._atomic import atomic_path

#: Prompts are kept whole up to this many characters.
PROMPT_LIMIT = 4000
#: Parsed values and references longer than this (as JSON text) are cut.
VALUE_LIMIT = 4000


def jsonable(value: Any, limit: int = VALUE_LIMIT) -> Any:
    """A parsed answer or a reference as a JSON value: sets as sorted lists, paths as
    strings, dataclasses (boxes, detections) as objects, numpy values as numbers or lists;
    anything whose JSON text is longer than ``limit`` as its first ``limit`` characters.
    """
    plain = _plain(value)
    text = json.dumps(plain, ensure_ascii=False, allow_nan=False, default=str)
    return plain if len(text) <= limit else text[:limit] + "…"


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, default=str))
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return _plain(tolist())
    return str(value)


def prompt_fields(prompt: str) -> dict[str, str]:
    """The prompt as recorded: whole, or cut with the full prompt's sha256."""
    if len(prompt) <= PROMPT_LIMIT:
        return {"prompt": prompt}
    digest = hashlib.sha256(prompt.encode("utf-8")).hexdigest()
    return {"prompt": prompt[:PROMPT_LIMIT] + "…", "prompt_sha256": digest}


def media_paths(value: Any) -> list[str]:
    """The existing files a value names (an absolute path, or a list of them), as strings.

    Families resolve media to absolute paths; a text answer is not looked up on disk
    (one file-system call per instance and value, for nothing, on every language task).
    """
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in items if isinstance(v, Path | str) and _is_file(v)]


def _is_file(value: Path | str) -> bool:
    text = str(value)
    if len(text) >= 4096 or not os.path.isabs(text):  # a string test before any Path
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def write_samples(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """Write the records as JSON Lines, atomically (a killed run leaves the old file)."""
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def read_samples(path: Path) -> list[dict[str, Any]]:
    """The records of a samples file, in order.

    Raises:
        ValueError: a line that is not a JSON object; the message names the file and line.
    """
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON: {error}") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            records.append(record)
    return records


def instance_values(records: Sequence[Mapping[str, Any]]) -> list[float | None]:
    """The per-instance scores of a task's records (None where the metric has none)."""
    return [None if r.get("score") is None else float(r["score"]) for r in records]
