"""What the HTML report shows: a run's tasks and level, read from the outcome folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench.level import LevelSummary
from genbench.metrics import UnknownMetricError, get_metric
from genbench.reference import NLP, split_sheet
from genbench.runner import CLOSESET, FAILED, SCORED, SKIPPED, UNMATCHED, TaskResult
from genbench.viewer._tree import TreeView

#: Statuses of tasks that were meant to be scored and were not: drawn at 0 in the task
#: chart (they count 0), close-set tasks with their own mark (nothing to score against).
NOT_SCORED_STATUSES = (SKIPPED, FAILED, CLOSESET)


@dataclass(frozen=True)
class TaskRow:
    """One task of one run, as the report shows it: the stored result, and what it adds.

    ``sota_normalized`` is the SoTA on General-Level's 0-100 scale (the metric registry's
    map), so that the model's normalized score and the SoTA can be drawn on one axis.
    ``interval`` and ``win_probability`` come from the level JSON's ``ci`` block, when the
    run has one; ``interval`` is on the reference table's scale of the task's metric, as
    the block holds it (docs/STATISTICS.md).
    """

    result: TaskResult
    sota_normalized: float | None = None
    samples_file: Path | None = None
    prediction_file: Path | None = None
    interval: tuple[float, float] | None = None
    win_probability: float | None = None

    @property
    def normalized_interval(self) -> tuple[float, float] | None:
        """``interval`` on General-Level's 0-100 scale, where the normalized score is drawn
        (the ends swap for lower-is-better metrics); None without an interval.
        """
        if self.interval is None:
            return None
        try:
            metric = get_metric(self.result.metric)
            ends = sorted(metric.normalize(value) for value in self.interval)
        except (UnknownMetricError, ValueError):
            return None
        return ends[0], ends[1]

    @property
    def modality(self) -> str:
        """``Image``, ``Video``, ``Audio``, ``3D`` or ``NLP`` (from the sheet, else the id)."""
        try:
            return split_sheet(self.result.sheet)[0]
        except ValueError:
            prefix = self.result.item_id.split("-", 1)[0].lower()
            names = {"image": "Image", "video": "Video", "audio": "Audio", "3d": "3D"}
            return names.get(prefix, NLP)

    @property
    def paradigm(self) -> str | None:
        """``Comprehension``, ``Generation``, or None (NLP, or unknown)."""
        try:
            return split_sheet(self.result.sheet)[1]
        except ValueError:
            parts = self.result.item_id.split("-")
            return parts[1].capitalize() if len(parts) > 2 and self.modality != NLP else None


@dataclass
class RunOutcome:
    """One model's run: its level summary and its tasks.

    ``summary_source`` says where the summary came from (the level JSON, computed here from
    the task results, or a workbook; None when no task was scored). ``folder`` is
    ``<outcome>/<run>``, or None for a model known only from a workbook. ``tree`` is what
    the run's ``discovery.json`` says of the dataset tree, when it has one. ``notes`` are
    problems met while reading.
    """

    run: str
    model: str
    summary: LevelSummary | None
    provenance: dict[str, Any] = field(default_factory=dict)
    ci: dict[str, Any] | None = None
    tasks: list[TaskRow] = field(default_factory=list)
    folder: Path | None = None
    summary_source: str = "level JSON"
    notes: list[str] = field(default_factory=list)
    tree: TreeView | None = None

    @property
    def scored(self) -> bool:
        """Whether any task was scored (a close-set run, or one where every task was
        skipped or failed, has no level).
        """
        return any(t.result.status in (SCORED, UNMATCHED) for t in self.tasks)

    @property
    def closeset(self) -> bool:
        """Whether this is a close-set run: tasks predicted without references, none scored."""
        return not self.scored and any(t.result.status == CLOSESET for t in self.tasks)

    @property
    def reused(self) -> int:
        """Tasks whose result was reused from an earlier run (unchanged inputs)."""
        return sum(t.result.reused for t in self.tasks)

    @property
    def on_bundled_sample(self) -> bool:
        """Whether the run evaluated the bundled sample (its levels are illustrative only)."""
        dataset = str(self.provenance.get("dataset") or "").replace("\\", "/").rstrip("/")
        return dataset.endswith("genbench/data/sample")


@dataclass(frozen=True)
class ReportOptions:
    """Limits that keep a report of 700 tasks small and quick to open (docs/REPORTS.md),
    and what its statistics sections compute.

    Attributes:
        samples_per_task: instances shown in a task's sample view (failures first).
        media_per_task: media files shown inline (thumbnails, audio) per task.
        media_budget_bytes: inline media in the whole report, shared evenly by the tasks
            that have samples; past a task's share, files are linked.
        thumbnail_px: the longer side of an image thumbnail.
        inline_audio_bytes: audio files up to this size play inline; larger are linked.
        text_chars: prompts, predictions, answers and references are cut past this.
        title: the page title (default: the models' names).
        compare: add the comparison of models (None: when two or more have samples).
        comparisons: at most this many comparisons, each against the first model.
        bootstrap: B of the comparison, and of a diagnosis's win probabilities where the
            level JSON has no ``ci`` block; 0 resamples nothing.
        seed: the bootstrap seed (``genbench compare``'s default is 0 as well).
        fdr: the false discovery rate q of the Benjamini-Hochberg correction.
        candidates: tasks listed per group of a diagnosis.
    """

    samples_per_task: int = 6
    media_per_task: int = 6
    media_budget_bytes: int = 4_000_000
    thumbnail_px: int = 96
    inline_audio_bytes: int = 64_000
    text_chars: int = 400
    title: str | None = None
    compare: bool | None = None
    comparisons: int = 3
    bootstrap: int = 1000
    seed: int = 0
    fdr: float = 0.05
    candidates: int = 5


def sample_anchor(item_id: str, run_index: int = 0) -> str:
    """The HTML id of a task's sample view: ``samples-<run index>-<item id, made safe>``.

    pytest-html's Links column points here, so the rule must stay stable.
    """
    return f"samples-{run_index}-{re.sub(r'[^A-Za-z0-9_.-]', '_', item_id)}"
