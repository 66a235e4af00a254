"""One task's predictions against what the tree expects: which instances have a usable
prediction, which generated files they name, and what is missing or broken.

Shared by packing (predictions in the outcome folder) and checking (a pack): a pack that
was made passes its own check by construction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from genbench.runner import PREDICTION_FILE
from genbench.submit._errors import Problem
from genbench.submit._expect import ExpectedTask
from genbench.submit._media import media_problem


@dataclass
class Verdict:
    """A task's predictions, judged: usable ones by id, their media, the problems."""

    usable: dict[str, str] = field(default_factory=dict)
    media: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Instance ids without a usable prediction."""
        return sorted({p.instance for p in self.problems if p.instance is not None})


def media_target(value: str, base: Path, inside_only: bool) -> Path | None:
    """The existing file or folder a prediction names, relative to ``base`` (the
    prediction file's folder) or absolute unless ``inside_only``; None if it names none.
    """
    if not value.strip() or "\n" in value or len(value) > 4096:
        return None
    given = Path(value)
    if inside_only and (given.is_absolute() or ".." in given.parts):
        return None
    candidate = given if given.is_absolute() else base / given
    try:
        if not candidate.exists():
            return None
        resolved, folder = candidate.resolve(), base.resolve()
    except OSError:
        return None
    if resolved in (folder, folder / PREDICTION_FILE):
        return None
    if inside_only and not resolved.is_relative_to(folder):
        return None
    return candidate


def _inline_map(value: str) -> bool:
    text = value.strip()
    if not text or text[0] not in "[{":
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def judge_task(
    expected: ExpectedTask,
    predictions: Mapping[str, str],
    base: Path,
    where: str,
    inside_only: bool,
) -> Verdict:
    """Judge every instance the tree has; ``where`` names the prediction file in problems.

    A text answer counts as a file only when it names one beside the prediction file, so
    that an answer such as ``/`` never reads as the root folder.
    """
    verdict = Verdict()
    inside_only = inside_only or expected.output == "text"
    for ident in expected.ids:
        value = predictions.get(ident)
        if value is None:
            verdict.problems.append(Problem(where, "no prediction", ident))
            continue
        target = media_target(value, base, inside_only)
        if target is None:
            if expected.output == "text" or (
                expected.output == "file-or-json" and _inline_map(value)
            ):
                verdict.usable[ident] = value
            elif value.strip():
                verdict.problems.append(Problem(where, f"{value}: file not found", ident))
            else:
                verdict.problems.append(
                    Problem(where, "empty prediction: a generated file is expected", ident)
                )
            continue
        why = media_problem(target)
        if why is not None:
            verdict.problems.append(Problem(where, f"{value}: {why}", ident))
            continue
        verdict.usable[ident] = value
        verdict.media[ident] = target
    return verdict
