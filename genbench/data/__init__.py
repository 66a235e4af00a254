"""General-Bench data: discovery of a tree, task files, media paths, the bundled sample."""

from pathlib import Path

from genbench.data._annotation import (
    Annotation,
    AnnotationError,
    Instance,
    read_annotation,
    read_json,
)
from genbench.data._cache import TaskFileCache
from genbench.data._discover import (
    ANNOTATION,
    Discovery,
    PassedOver,
    TaskSpec,
    discover,
    discover_tasks,
    match_reference,
)
from genbench.data._match import Match, TaskMap, TaskMapError, fold, match_row, read_task_map
from genbench.data._media import (
    MEDIA_FOLDERS,
    MediaPathError,
    media_folders,
    media_problem,
    resolve_media,
    resolve_output,
)
from genbench.data._taskfile import NotATaskFile, TaskFileInfo, inspect_json

#: The file name of a task's predictions (the authors' scorer writes it beside the task).
PREDICTION_FILE = "prediction.json"


def sample_root() -> Path:
    """The bundled sample benchmark (a small General-Bench open-set tree)."""
    return Path(__file__).resolve().parent / "sample"


__all__ = [
    "ANNOTATION",
    "MEDIA_FOLDERS",
    "PREDICTION_FILE",
    "Annotation",
    "AnnotationError",
    "Discovery",
    "Instance",
    "Match",
    "MediaPathError",
    "NotATaskFile",
    "PassedOver",
    "TaskFileCache",
    "TaskFileInfo",
    "TaskMap",
    "TaskMapError",
    "TaskSpec",
    "discover",
    "discover_tasks",
    "fold",
    "inspect_json",
    "match_reference",
    "match_row",
    "media_folders",
    "media_problem",
    "read_annotation",
    "read_json",
    "read_task_map",
    "resolve_media",
    "resolve_output",
    "sample_root",
]
