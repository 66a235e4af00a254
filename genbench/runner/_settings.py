"""What a run does and where it writes; the two ways a task stops short."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.runner._identity import RunIdentity, file_digest, run_identity
from genbench.runner._results import run_name

if TYPE_CHECKING:
    from genbench.runner._results import TaskResult


class TaskError(Exception):
    """A task that cannot run; the message is one line naming file, instance and field.

    ``result`` is the failure as recorded (status ``failed``), once the runner has
    recorded it.
    """

    def __init__(self, message: str, result: TaskResult | None = None) -> None:
        super().__init__(message)
        self.result = result


class ModelLoadError(TaskError):
    """The run's model cannot be loaded: every task would fail the same way, so the
    session stops after the first.
    """


class TaskSkipped(Exception):
    """A task that is skipped, with the reason (it counts as unsupported).

    ``result`` is the skip as recorded (status ``skipped`` or ``closeset``).
    """

    def __init__(self, message: str, result: TaskResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class RunSettings:
    """What a run does and where it writes."""

    model_spec: str
    model_name: str
    outcome_dir: Path
    dataset_dir: Path
    steps: frozenset[int] = frozenset({1, 2, 3})
    #: Where prediction files go; None: ``<outcome>/<run>/predictions``.
    predictions_dir: Path | None = None
    #: Write ``prediction.json`` beside each task file instead (the authors' layout).
    predictions_beside_tasks: bool = False
    limit: int | None = None
    seed: int = 0
    batch_size: int = 8
    workers: int = 1
    provenance: dict[str, Any] = field(default_factory=dict)
    metric_weights: Path | None = None
    judge: str | None = None
    external_scores: Path | None = None
    metric_device: str = "cpu"
    #: Adapter options (dtype, device, max_new_tokens ...), passed to the model's loader.
    model_options: dict[str, Any] = field(default_factory=dict)
    #: Score again even where a stored result of the same inputs could be reused.
    rescore: bool = False

    @property
    def run_name(self) -> str:
        """The folder of this run's files under the outcome folder (see run_name)."""
        return run_name(self.model_name, self.limit)

    @property
    def run_dir(self) -> Path:
        """``<outcome>/<run>``: predictions, task results and samples of this run."""
        return self.outcome_dir / self.run_name

    @cached_property
    def identity(self) -> RunIdentity:
        """The settings that decide predictions and scores (see genbench.runner._identity)."""
        external = self.external_scores
        return run_identity(
            self.model_name,
            self.model_spec,
            self.dataset_dir,
            self.seed,
            self.limit,
            self.model_options,
            {
                "metric_weights": str(self.metric_weights or ""),
                "judge": self.judge or "",
                "external_scores": file_digest(external) if external and external.is_file() else "",
            },
        )
