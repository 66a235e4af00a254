"""``genbench tasks``: what a General-Bench tree holds, and every decision about it.

One row per task folder (item id, task file, instances, sheet and Task Name it matched,
by which rule, metric, family, media folders, open or close set), then every folder that
yields no task, with the reason. It reads the task files once and loads no model.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from genbench.cli._common import CliError
from genbench.data import Discovery, Instance, TaskSpec, discover, read_task_map, sample_root
from genbench.reference import ReferenceTable
from genbench.tasks import UnknownFamilyError, resolve_family


def _family(task: TaskSpec) -> str:
    first = None
    if task.first is not None and task.task_file is not None:
        first = Instance(str(task.first.get("id", "")), task.first, task.task_file)
    try:
        return resolve_family(task, first).name
    except UnknownFamilyError:
        return "-"


def task_row(task: TaskSpec) -> dict[str, Any]:
    """A task as ``genbench tasks`` shows it (and writes it with ``--json``)."""
    row = task.reference
    file = task.task_file.relative_to(task.folder).as_posix() if task.task_file else None
    return {
        "item_id": task.item_id,
        "task_file": file,
        "instances": task.instances,
        "sheet": task.sheet,
        "task_name": row.name if row else None,
        "rule": task.match_rule,
        "suggestions": list(task.suggestions),
        "metric": row.metric.name if row else None,
        "family": _family(task) if task.error is None else "-",
        "media": [folder.name for folder in task.media_folders()],
        "set": "close" if task.closeset else "open",
        "error": task.error,
        "notes": list(task.notes),
    }


def discovery_json(discovery: Discovery) -> dict[str, Any]:
    """The whole report as JSON."""
    return {
        "root": str(discovery.root),
        "tasks": [task_row(task) for task in discovery.tasks],
        "passed_over": [
            {"path": str(p.path.relative_to(discovery.root)), "reason": p.reason}
            for p in discovery.passed_over
        ],
    }


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "-"
    return str(value)


def render_table(report: dict[str, Any]) -> str:
    """The report as aligned text: the task table, then notes, then passed-over folders."""
    columns = (
        "item_id",
        "task_file",
        "instances",
        "sheet",
        "task_name",
        "rule",
        "metric",
        "family",
        "media",
        "set",
    )
    rows = [[_cell(task[c]) for c in columns] for task in report["tasks"]]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    for task in report["tasks"]:
        if task["error"]:
            lines.append(f"{task['item_id']}: cannot run: {task['error']}")
        elif task["task_name"] is None and task["suggestions"]:
            close = ", ".join(repr(s) for s in task["suggestions"])
            lines.append(f"{task['item_id']}: no row; did you mean {close}")
        lines += [f"{task['item_id']}: {note}" for note in task["notes"]]
    passed = report["passed_over"]
    lines.append(f"{len(report['tasks'])} tasks; {len(passed)} folders yield no task")
    lines += [f"passed over {p['path']}: {p['reason']}" for p in passed]
    return "\n".join(lines)


def run(args: argparse.Namespace, table: ReferenceTable) -> None:
    """Discover the tree and print (or write) the report."""
    root = (args.dataset_dir or sample_root()).resolve()
    if not root.is_dir():
        raise CliError(f"--dataset-dir {root}: no such folder")
    task_map = read_task_map(args.task_map) if args.task_map else None
    report = discovery_json(discover(root, table, task_map))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(render_table(report))


def register(commands: Any) -> None:
    """Add the ``tasks`` subcommand."""
    tasks = commands.add_parser(
        "tasks", help="list a General-Bench tree's tasks, how each matched, what was passed over"
    )
    tasks.add_argument(
        "--dataset-dir", type=Path, default=None, help="the tree (default: the bundled sample)"
    )
    tasks.add_argument("--task-map", type=Path, default=None, help="as for pytest benchmarks")
    tasks.add_argument("--json", action="store_true", help="write the report as JSON")
    tasks.set_defaults(run=run)
