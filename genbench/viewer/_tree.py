"""What the dataset tree held, as the run recorded it: ``<run>/discovery.json``.

The controller keeps the tree's discovery beside a run's results (genbench.runner's
``DISCOVERY_FILE``): every task folder, how it matched the reference table, and every
folder that holds JSON but yields no task, with the reason. The report lists the
folders passed over, the tasks that match no row (with the rows they come close to),
those that cannot run, and every decision noted on a task (which of several task files
was used, a stray JSON file beside it), as ``genbench tasks`` does in the terminal.
Runs written before the file existed simply have no such section.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from genbench.data import Discovery
from genbench.reference import ReferenceTable
from genbench.runner import DISCOVERY_FILE


@dataclass(frozen=True)
class TreeRemark:
    """Something said of one task of the tree: ``kind`` is ``unmatched`` (its phrase
    names the closest rows), ``cannot run`` (the error) or ``note`` (a decision).
    """

    item_id: str
    kind: str
    text: str


@dataclass(frozen=True)
class TreeView:
    """The tree a run evaluated, in the report's terms.

    Attributes:
        root: the tree's folder, as the run saw it.
        tasks: task folders found.
        matched: of those, matched to a reference row.
        closeset: every task is a close-set task (inputs only).
        passed_over: (path, reason) of every folder or file that yields no task; the
            path relative to ``root`` where it lies inside it.
        remarks: per task, what did not match, cannot run, or was decided.
    """

    root: str
    tasks: int
    matched: int
    closeset: bool
    passed_over: list[tuple[str, str]] = field(default_factory=list)
    remarks: list[TreeRemark] = field(default_factory=list)

    @property
    def unmatched(self) -> int:
        """Task folders that match no reference row (run, never counted)."""
        return self.tasks - self.matched

    @property
    def unreadable(self) -> int:
        """Task folders that cannot run."""
        return sum(r.kind == "cannot run" for r in self.remarks)


def read_tree(folder: Path, table: ReferenceTable, notes: list[str]) -> TreeView | None:
    """The run's ``discovery.json`` as a :class:`TreeView`; None when the run has none.

    A file that cannot be read adds a line to ``notes`` (and gives None), so that the
    report still renders.
    """
    path = folder / DISCOVERY_FILE
    if not path.is_file():
        return None
    try:
        discovery = Discovery.from_json(json.loads(path.read_text(encoding="utf-8")), table)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        notes.append(f"{path}: unreadable, the tree is not shown ({type(error).__name__}: {error})")
        return None
    remarks: list[TreeRemark] = []
    for task in discovery.tasks:
        if task.error is not None:
            remarks.append(TreeRemark(task.item_id, "cannot run", task.error))
        elif task.reference is None:
            remarks.append(TreeRemark(task.item_id, "unmatched", f"{task.match}; not counted"))
        remarks += [TreeRemark(task.item_id, "note", note) for note in task.notes]
    root = discovery.root
    return TreeView(
        root=str(root),
        tasks=len(discovery.tasks),
        matched=sum(t.reference is not None for t in discovery.tasks),
        closeset=discovery.closeset,
        passed_over=[
            (
                p.path.relative_to(root).as_posix() if p.path.is_relative_to(root) else str(p.path),
                p.reason,
            )
            for p in discovery.passed_over
        ],
        remarks=remarks,
    )
