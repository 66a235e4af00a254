"""The pack's manifest: who made it with what, and per task its counts and file digests.

``manifest.json`` at the pack's root::

    {"format": "genbench-submission/1", "layout": "leaderboard", "model": "...",
     "settings_digest": "sha256:...", "genbench": "0.1.0", "complete": true,
     "tasks": {"image/generation/Image-Dehazing": {
         "item_id": "...", "task": "...", "prediction_file": ".../prediction.json",
         "instances": 3, "predictions": 3, "missing": [],
         "settings_digest": "sha256:...", "task_digest": null,
         "files": {".../prediction.json": "<sha256>", ".../media/0.png": "<sha256>"}}}}

Paths are relative to the pack's root, with ``/``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from genbench.submit._errors import SubmissionError

FORMAT = "genbench-submission/1"
MANIFEST = "manifest.json"
LAYOUTS = ("leaderboard", "authors")


@dataclass
class TaskEntry:
    """One task in the manifest."""

    item_id: str
    task: str
    prediction_file: str
    instances: int
    predictions: int
    missing: list[str] = field(default_factory=list)
    settings_digest: str | None = None
    task_digest: str | None = None
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """The whole manifest (see the module docstring)."""

    layout: str
    model: str
    settings_digest: str | None
    genbench: str
    complete: bool
    tasks: dict[str, TaskEntry] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The manifest as written."""
        return {"format": FORMAT, **asdict(self)}

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read a pack's manifest.

        Raises:
            SubmissionError: missing, not JSON, another format, or a malformed entry.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SubmissionError(f"{path}: not a genbench submission manifest: {error}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SubmissionError(f"{path}: field 'format': expected {FORMAT!r}")
        if data.get("layout") not in LAYOUTS:
            raise SubmissionError(f"{path}: field 'layout': one of {', '.join(LAYOUTS)}")
        try:
            tasks = {str(k): TaskEntry(**v) for k, v in dict(data["tasks"]).items()}
            return cls(
                str(data["layout"]),
                str(data["model"]),
                data.get("settings_digest"),
                str(data["genbench"]),
                bool(data["complete"]),
                tasks,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SubmissionError(f"{path}: malformed manifest: {error}") from None


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def settings_digest(settings: dict[str, Any]) -> str:
    """A digest of a model's generation settings (canonical JSON), when the prediction
    file does not carry its own ``settings_digest``.
    """
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
