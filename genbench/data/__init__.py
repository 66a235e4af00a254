"""General-Bench data: discovery of a tree, annotation.json parsing, the bundled sample."""

from pathlib import Path

from genbench.data._annotation import (
    Annotation,
    AnnotationError,
    Instance,
    read_annotation,
    read_header,
    read_json,
)
from genbench.data._discover import ANNOTATION, TaskSpec, discover_tasks, match_reference


def sample_root() -> Path:
    """The bundled sample benchmark (a small General-Bench open-set tree)."""
    return Path(__file__).resolve().parent / "sample"


__all__ = [
    "ANNOTATION",
    "Annotation",
    "AnnotationError",
    "Instance",
    "TaskSpec",
    "discover_tasks",
    "match_reference",
    "read_annotation",
    "read_header",
    "read_json",
    "sample_root",
]
