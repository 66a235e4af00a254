"""Prediction files: both shapes of docs/TREES.md read, one shape written atomically.

Written: ``{"task", "type", "model", "settings", "data": [{"id", "prediction"}]}``. Read:
that, or a bare list ``[{"id", "prediction"}]``; an entry may carry ``prediction_final``
instead of ``prediction``; a number (Time Series) is kept as its text, a list or object
as its JSON, and null counts as missing. Ids are compared as strings; a repeated id is
an error. The model name and settings decide whether earlier predictions may be reused
on a rerun.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.data import AnnotationError, read_json

#: Where an entry keeps its answer: ``prediction``, else ``prediction_final`` (what the
#: authors' scorer writes for mathematical word problems, beside ``prediction_steps``).
ANSWER_KEYS = ("prediction", "prediction_final")


@dataclass
class PredictionFile:
    """The predictions of one task, by instance id."""

    path: Path
    task: str = ""
    type: str = ""
    model: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    predictions: dict[str, str] = field(default_factory=dict)
    #: The run's settings digest and the task file's digest (None in files from elsewhere).
    settings_digest: str | None = None
    task_digest: str | None = None

    def save(self) -> None:
        """Write the file atomically (a killed run leaves the previous version)."""
        write_json_atomic(
            self.path,
            {
                "task": self.task,
                "type": self.type,
                "model": self.model,
                "settings": self.settings,
                "settings_digest": self.settings_digest,
                "task_digest": self.task_digest,
                "data": [{"id": k, "prediction": v} for k, v in self.predictions.items()],
            },
        )


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def read_predictions(path: Path) -> PredictionFile:
    """Read a prediction file in either shape.

    Raises:
        AnnotationError: bad JSON, or an entry without ``id`` or ``prediction``; the message
            names the file, the entry and the field.
    """
    data = read_json(path)
    header: Mapping[str, Any] = data if isinstance(data, dict) else {}
    entries = header.get("data") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise AnnotationError(path, "not a list of {id, prediction}", field="data")
    found = PredictionFile(
        path,
        str(header.get("task", "")),
        str(header.get("type", "")),
        header.get("model"),
        dict(header.get("settings") or {}),
        settings_digest=_text_or_none(header.get("settings_digest")),
        task_digest=_text_or_none(header.get("task_digest")),
    )
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or "id" not in entry:
            raise AnnotationError(path, "missing", f"#{index}", "id")
        ident = str(entry["id"])
        key = next((k for k in ANSWER_KEYS if k in entry), None)
        if key is None:
            raise AnnotationError(path, "missing", ident, " or ".join(ANSWER_KEYS))
        if ident in seen:
            raise AnnotationError(path, "repeated id (which prediction counts?)", ident, "id")
        seen.add(ident)
        value = entry[key]
        if value is None:  # null: no answer, counted as missing
            continue
        if not isinstance(value, str):
            value = json.dumps(value) if isinstance(value, list | dict) else str(value)
        found.predictions[ident] = value
    return found
