"""What a run is, so that nothing of another run is ever scored, mixed or reused.

Every run folder (``<outcome>/<run>/``) holds ``run.json``: the model name, its spec
(secrets removed), the dataset, and the settings that can change a prediction or a
score, with their digest. A run into a folder written with other settings is refused
before any item runs, naming what differs and how to keep both. Prediction files and
task results carry the settings digest and the digest of the task file they were made
from, so predictions of another model or settings, and results of a changed task file,
are refused or redone rather than scored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench._atomic import write_json_atomic
from genbench._secrets import redact, redact_value

RUN_FILE = "run.json"
#: Model options that change how fast, not what, a model answers: left out of the digest.
NOT_IDENTITY = frozenset({"device", "concurrency", "timeout", "batch_size", "allow_download"})


def digest(value: Any) -> str:
    """A short sha256 of a JSON value (keys sorted), for recording and comparing."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_digest(path: Path) -> str:
    """A short sha256 of a file's bytes (read in chunks)."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()[:16]


@dataclass(frozen=True)
class RunIdentity:
    """The settings that decide a run's predictions and scores, secrets removed."""

    model_name: str
    settings: Mapping[str, Any]

    @property
    def digest(self) -> str:
        """The digest of the settings (recorded in predictions and results)."""
        return digest(dict(self.settings))

    def to_json(self) -> dict[str, Any]:
        """The content of ``run.json``."""
        return {"model": self.model_name, "settings_digest": self.digest, **self.settings}

    def differences(self, other: Mapping[str, Any]) -> list[str]:
        """``key: theirs -> ours`` for every setting that differs from a ``run.json``."""
        keys = sorted(set(self.settings) | (set(other) - {"model", "settings_digest"}))
        return [
            f"{key}: {other.get(key)!r} -> {self.settings.get(key)!r}"
            for key in keys
            if other.get(key) != self.settings.get(key)
        ]


def run_identity(
    model_name: str,
    model_spec: str,
    dataset: Path,
    seed: int,
    limit: int | None,
    model_options: Mapping[str, Any],
    scoring: Mapping[str, Any],
) -> RunIdentity:
    """The identity of a run from its settings (see the module docstring)."""
    options = {k: v for k, v in model_options.items() if k not in NOT_IDENTITY}
    return RunIdentity(
        redact(model_name),
        {
            "model_spec": redact(model_spec),
            "dataset": str(dataset),
            "seed": seed,
            "limit": limit,
            "model_options": redact_value(options),
            "scoring": redact_value(dict(scoring)),
        },
    )


class RunConflict(ValueError):
    """A run into a folder written with other settings; the message says how to proceed."""


def check_run_folder(folder: Path, identity: RunIdentity) -> bool:
    """Whether ``folder`` already belongs to this run (False: it holds no run yet).

    Raises:
        RunConflict: the folder holds a run of another model name (two names may map to
            one folder: ``a/b`` and ``a_b``) or of other settings, or an unreadable
            ``run.json``; the message names the differences and the ways out.
    """
    path = folder / RUN_FILE
    if not path.is_file():
        return False
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RunConflict(f"{path}: unreadable ({error}); remove it or the folder") from None
    if not isinstance(recorded, dict):
        raise RunConflict(f"{path}: not a JSON object; remove it or the folder")
    if recorded.get("model") != identity.model_name:
        raise RunConflict(
            f"{folder} holds results of model {recorded.get('model')!r}, whose name files "
            f"under the same folder as {identity.model_name!r}: give this run another "
            "--model-name"
        )
    if recorded.get("settings_digest") == identity.digest:
        return True
    changes = "; ".join(identity.differences(recorded)) or "the settings digest"
    raise RunConflict(
        f"{folder} holds results of {recorded.get('model')!r} made with other settings "
        f"({changes}). Give this run its own --model-name (e.g. "
        f"{identity.model_name}-2) to keep both, or remove {folder} to start over."
    )


def claim_run_folder(folder: Path, identity: RunIdentity) -> None:
    """Record the run's identity in ``folder/run.json``, or refuse a different one.

    Raises:
        RunConflict: as :func:`check_run_folder`.
    """
    if not check_run_folder(folder, identity):
        write_json_atomic(folder / RUN_FILE, identity.to_json())
