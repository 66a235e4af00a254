"""What the speed scripts share: whole-process timing, the machine's description, trees.

Every script compares two configurations in one run, alternating them so that a change
in the machine's load (it is shared) hits both alike, and reports the median of the
repeats and their ratio.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: The checkout whose genbench the timed processes run: this one, or the one named by
#: ``GENBENCH_PERF_CODE`` (another commit exported to a folder, in this environment), to
#: compare a change with what came before it.
CODE = Path(os.environ.get("GENBENCH_PERF_CODE", REPO)).resolve()
BIN = Path(sys.executable).parent
#: pytest as users run it (``pytest benchmarks``: the environment's console script). Not
#: ``python -m pytest``: that puts the working folder on ``sys.path``, where pytest finds
#: the checkout's ``genbench.egg-info`` and rewrites the assertions of all of genbench's
#: modules in every process (0.3-0.5 s each here, where no bytecode is written).
PYTEST = [str(BIN / "pytest")]


@dataclass
class Timing:
    """One configuration's repeated whole-process runs: wall and CPU seconds each."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def row(self, cpu: bool = True) -> str:
        """``label  wall median (min-max)  cpu median``; ``cpu=False`` where the process
        leaves work to processes it does not wait for (their time is not counted).
        """
        spent = f"cpu {self.median_cpu:6.2f} s" if cpu else "cpu of its workers not counted"
        return (
            f"{self.label:<44s} wall {self.median_wall:6.2f} s "
            f"({min(self.wall):.2f}-{max(self.wall):.2f})  {spent}"
        )


def code_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a timed process: genbench from :data:`CODE` (and perf's own
    modules from this checkout), plus ``env``.
    """
    # perf/ for the sleeping model (``_sleepy:make``); another checkout's genbench first
    path = [str(REPO / "perf")] if CODE == REPO else [str(CODE), str(REPO / "perf")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path), **(env or {})}


def run_process(
    command: Sequence[str], cwd: Path = CODE, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Run a command to its end: (wall seconds, CPU seconds of it and its children,
    its output). Raises CalledProcessError with the output on failure.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        list(command),
        cwd=cwd,
        env=code_env(env),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some tasks failed, which a timing may include
        raise subprocess.CalledProcessError(
            done.returncode, command, done.stdout[-3000:], done.stderr[-3000:]
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


def alternate(
    configurations: Sequence[tuple[str, Callable[[], Sequence[str]]]],
    repeat: int,
    prepare: Callable[[str], None] | None = None,
    env: dict[str, str] | None = None,
) -> list[Timing]:
    """Run each configuration's command ``repeat`` times, alternating A B A B ...;
    ``prepare(label)`` runs before each run (untimed), e.g. to remove earlier outputs.
    """
    timings = [Timing(label) for label, _ in configurations]
    for _ in range(repeat):
        for timing, (label, command) in zip(timings, configurations, strict=True):
            if prepare is not None:
                prepare(label)
            wall, cpu, _ = run_process(command(), env=env)
            timing.wall.append(wall)
            timing.cpu.append(cpu)
    return timings


def machine() -> str:
    """The machine in one line: CPU model, cores, memory, load average now."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    bytecode = " (PYTHONDONTWRITEBYTECODE set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    python = platform.python_version()
    code = "" if CODE == REPO else f"; genbench from {CODE}"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; load average {load}; "
        f"Python {python}{bytecode}{code}"
    )


def ratio_line(slow: Timing, fast: Timing, cpu: bool = True) -> str:
    """``fast vs slow: N.NNx`` on median wall (and CPU) time."""
    line = f"{fast.label} vs {slow.label}: {slow.median_wall / fast.median_wall:.2f}x (wall)"
    return line + (f", {slow.median_cpu / fast.median_cpu:.2f}x (CPU)" if cpu else "")


def fresh(path: Path) -> None:
    """Remove a folder if it exists."""
    shutil.rmtree(path, ignore_errors=True)


# --- trees ----------------------------------------------------------------------------------


def copy_sample(root: Path, copies: int) -> int:
    """The bundled sample's tasks ``copies`` times under ``root``; returns the task count.

    Copy 1 is the sample as it is. Copy k > 1 sits in ``<folder>-k`` and its task file's
    ``task`` field names a row of the same sheet with the same metric that no other copy
    has taken (so it is scored as the original is), else a name no row matches (scored
    with its family's default metric and not counted): two folders on one row would both
    fail.
    """
    from genbench.data import discover, sample_root
    from genbench.reference import load_reference_table

    table = load_reference_table()
    sample = sample_root()
    found = discover(sample, table)
    taken = {task.reference for task in found.tasks if task.reference is not None}
    free = {}
    for row in table:
        if row not in taken:
            free.setdefault((row.sheet, row.metric.name), []).append(row)
    shutil.copytree(sample, root, dirs_exist_ok=True)
    for k in range(2, copies + 1):
        for task in found.tasks:
            folder = root / task.folder.relative_to(sample)
            target = folder.with_name(f"{folder.name}-{k}")
            shutil.copytree(folder, target)
            if task.task_file is None:
                continue
            path = target / task.task_file.relative_to(task.folder)
            data = json.loads(path.read_text(encoding="utf-8"))
            row = task.reference
            rows = free.get((row.sheet, row.metric.name), []) if row is not None else []
            data["task"] = rows.pop(0).task_name if rows else f"{data.get('task', '')} copy {k}"
            path.write_text(json.dumps(data), encoding="utf-8")
    return len(found.tasks) * copies


def language_tree(root: Path, tasks: int, instances: int, seed: int = 0) -> None:
    """``tasks`` language tasks of ``instances`` each with prediction files beside them,
    every family of docs/TASKS.md in turn (tests/language_tree.py), each code snippet
    made distinct per instance (real tasks repeat none; a memo would flatter repeats).

    A family's later copies take rows of the same metric that are free, else a task name
    that matches no row (see :func:`copy_sample`).
    """
    sys.path.insert(0, str(REPO))
    from genbench.data import discover
    from genbench.reference import load_reference_table
    from tests import language_tree as tree

    table = load_reference_table()
    folders = tree.build_language_tree(root, instances=instances, seed=seed, tasks=tasks)
    for folder in folders:
        _distinct_code(folder)
    found = {t.folder: t for t in discover(root, table).tasks}
    originals = folders[: len(tree.FAMILIES)]
    taken = {found[f].reference for f in originals if found[f].reference is not None}
    free: dict[str, list[str]] = {}
    for row in table:
        if row.sheet == "NLP" and row not in taken:
            free.setdefault(row.metric.name, []).append(row.task_name)
    for folder in folders[len(tree.FAMILIES) :]:
        task = found[folder]
        path = folder / "annotation.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        metric = task.reference.metric.name if task.reference else ""
        names = free.get(metric, [])
        data["task"] = names.pop(0) if names else f"{data['task']} copy {folder.name}"
        path.write_text(json.dumps(data), encoding="utf-8")


def _distinct_code(folder: Path) -> None:
    """Rename the function and ``x`` in every code reference and prediction after the
    instance (``def add`` -> ``def f7_add``, ``x`` -> ``v7``): same structure, new text.
    """
    path, predictions = folder / "annotation.json", folder / "prediction.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") not in ("Code Generation", "Code Repair"):
        return
    answers = json.loads(predictions.read_text(encoding="utf-8"))
    for instance, answer in zip(data["data"], answers, strict=True):
        ident = instance["id"]
        instance.update(_renamed(instance, ident))
        answer["prediction"] = _renamed(answer["prediction"], ident)
    path.write_text(json.dumps(data), encoding="utf-8")
    predictions.write_text(json.dumps(answers), encoding="utf-8")


def _renamed(value: Any, ident: str) -> Any:
    if isinstance(value, str):
        return value.replace("def ", f"def f{ident}_").replace("x", f"v{ident}")
    if isinstance(value, dict):
        return {k: v if k == "id" else _renamed(v, ident) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, ident) for v in value]
    return value


def print_table(title: str, rows: Iterable[str]) -> None:
    """A title, the machine, then the rows."""
    print(title)
    print(f"machine: {machine()}")
    for row in rows:
        print(row)
