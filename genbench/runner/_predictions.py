"""Prediction files: both shapes of SPEC §1 read, one shape written atomically.

Written: ``{"task", "type", "model", "settings", "data": [{"id", "prediction"}]}``. Read:
that, or a bare list ``[{"id", "prediction"}]``. Ids are compared as strings. The model
name and settings decide whether earlier predictions may be reused on a rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench.data import AnnotationError, read_json


@dataclass
class PredictionFile:
    """The predictions of one task, by instance id."""

    path: Path
    task: str = ""
    type: str = ""
    model: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    predictions: dict[str, str] = field(default_factory=dict)

    def save(self) -> None:
        """Write the file atomically (a killed run leaves the previous version)."""
        write_json_atomic(
            self.path,
            {
                "task": self.task,
                "type": self.type,
                "model": self.model,
                "settings": self.settings,
                "data": [{"id": k, "prediction": v} for k, v in self.predictions.items()],
            },
        )


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
    )
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or "id" not in entry:
            raise AnnotationError(path, "missing", f"#{index}", "id")
        if "prediction" not in entry:
            raise AnnotationError(path, "missing", str(entry["id"]), "prediction")
        value = entry["prediction"]
        found.predictions[str(entry["id"])] = value if isinstance(value, str) else str(value)
    return found
