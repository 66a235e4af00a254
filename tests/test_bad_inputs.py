"""The bad-input corpus of issue 10: every way a new user or an attacker was seen to get a
wrong score, a lost result or a leak, and more of the same kind.

Each case damages one thing (a task of a copy of the bundled sample, a prediction file, a
medium, an option, a workbook) and runs against an outcome folder that holds a complete
earlier run of that copy. It asserts the one line printed, the exit status, and that the
result, samples and prediction files of every other task are byte-for-byte unchanged and
nothing in the dataset was written.

Task and prediction cases share two pytest sessions (steps 1-3, and step 2 alone over
hand-written predictions): each case is a clone ``Bx-<case>`` of a sample task, damaged,
and selected with ``-k Bx``. Settings cases each run a session of their own, which stops
before any item. The ``genbench`` command runs in-process. Subprocesses only where a
process must die: the kill -9 test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import openpyxl
import pytest
from PIL import Image

from genbench.cli import main as genbench_main
from genbench.data import sample_root
from genbench.reference import ReferenceTable
from tests.bad_inputs import (
    PREFIX,
    bomb_png,
    changed,
    clone,
    copy_sample,
    file_texts,
    folder_instead,
    holding,
    item_id,
    link,
    pattern,
    read_task,
    relative_to,
    restore,
    save_npy,
    snapshot,
    task_files_changed,
    task_folders,
    truncate,
    write_task,
)
from tests.helpers import write_workbook
from tests.shard_helpers import workbook_values
from tests.test_plugin import bench  # noqa: F401  (the pytester benchmark folder)

# --- the world every case runs in -----------------------------------------------------------


@dataclass
class Store:
    """What the module's cases share: the pristine copy, the tree every run reads (always
    at one path, since the dataset path is part of a run's settings), the clean run's
    outcome and the working copy cases run against, a folder outside all of them, and the
    sessions run so far.
    """

    root: Path
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def pristine(self) -> Path:
        return self.root / "pristine"

    @property
    def tree(self) -> Path:
        return self.root / "tree"

    @property
    def clean(self) -> Path:
        return self.root / "clean"

    @property
    def work(self) -> Path:
        return self.root / "out"

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    @property
    def items(self) -> dict[str, str]:
        """Each sample task's item id and folder relative to the tree."""
        return {
            item: folder.relative_to(self.pristine).as_posix()
            for item, folder in task_folders(self.pristine).items()
        }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    made = Store(tmp_path_factory.mktemp("corpus"))
    copy_sample(made.pristine)
    outside = made.outside
    (outside / "images").mkdir(parents=True)
    Image.new("RGB", (8, 8), (200, 10, 10)).save(outside / "secret.png")
    for index in range(4):
        shutil.copy(outside / "secret.png", outside / "images" / f"{index}.png")
    save_npy(outside / "cloud.npy", np.zeros((16, 3), dtype=np.float32))
    made.cache["tree"] = snapshot(made.pristine)
    return made


def _run(pytester: pytest.Pytester, store: Store, outcome: Path, *args: str) -> Any:
    return pytester.runpytest(
        "--dataset-dir", str(store.tree), "--outcome-dir", str(outcome), *args
    )


def _ready(pytester: pytest.Pytester, store: Store) -> None:
    """The tree as pristine, and the clean run made (once, under umask 022)."""
    if snapshot(store.tree) != store.cache["tree"]:
        restore(store.tree, store.pristine)
    if not store.clean.exists():
        old = os.umask(0o022)
        try:
            result = _run(pytester, store, store.clean)
        finally:
            os.umask(old)
        result.assert_outcomes(passed=45, skipped=2)
        store.cache["clean"] = snapshot(store.clean)


@dataclass
class World:
    """One case's world: the tree as pristine, and a copy of the clean run's outcome
    folder (``outcome``, with its snapshot ``before``).
    """

    pytester: pytest.Pytester
    store: Store
    outcome: Path
    before: dict[str, str]

    @property
    def tree(self) -> Path:
        return self.store.tree

    def run(self, *args: str, outcome: Path | None = None) -> Any:
        return _run(self.pytester, self.store, outcome or self.outcome, *args)

    def others_changed(self, *allowed: str) -> list[str]:
        """Result, samples and prediction files of the sample's tasks (other than
        ``allowed``) that differ from the clean run's.
        """
        return task_files_changed(
            self.before, snapshot(self.outcome), self.store.items, allowed=allowed
        )


@pytest.fixture
def world(bench: pytest.Pytester, store: Store) -> World:  # noqa: F811
    _ready(bench, store)
    if snapshot(store.work) != store.cache["clean"]:
        restore(store.work, store.clean)
    return World(bench, store, store.work, store.cache["clean"])


# --- reading a session ----------------------------------------------------------------------


def outcomes(result: Any) -> dict[str, tuple[str, str]]:
    """Each item's outcome and text (the failure as pytest shows it, or the skip reason);
    empty when the session stopped before any item.
    """
    found: dict[str, tuple[str, str]] = {}
    reports = getattr(result.reprec, "getreports", lambda name: [])
    for report in reports("pytest_runtest_logreport"):
        ident = report.nodeid.split("[", 1)[1][:-1]
        if report.when != "call" and report.outcome == "passed":
            continue
        if ident in found and found[ident][0] != "passed":
            continue
        if report.skipped and isinstance(report.longrepr, tuple):
            text = str(report.longrepr[2]).removeprefix("Skipped: ")
        else:
            text = report.longreprtext
        found[ident] = (report.outcome, text)
    return found


def failure(result: Any, item: str) -> str:
    """The last line of an item's failure (the one line it must print)."""
    outcome, text = outcomes(result)[item]
    assert outcome == "failed", text
    return last_line(text)


def printed_once(result: Any) -> None:
    """Every failure of the session is one line, shown once: no chained traceback."""
    for item, lines in sections(result.outlines).items():
        shown = [line for line in lines if line.strip()]
        assert len(shown) == 1, f"{item}: {shown}"
    assert "Traceback" not in result.stdout.str()


def sections(lines: Sequence[str]) -> dict[str, list[str]]:
    """The lines of each item's section under FAILURES, by item id."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        title = re.fullmatch(r"_+ test_task\[(.+)\] _+", line)
        if title:
            current = title.group(1)
            found[current] = []
        elif line.startswith("=====") or re.fullmatch(r"- (generated|Generated) .* -", line):
            current = None  # a section line, or another plugin's footer (junitxml, html)
        elif current is not None:
            found[current].append(line)
    return found


def header(lines: Sequence[str]) -> list[str]:
    """The genbench lines of the run's header (before the items)."""
    found = []
    for line in lines:
        if line.startswith(("collected ", "collecting")):
            break
        if line.startswith("genbench: "):
            found.append(line.removeprefix("genbench: "))
    return found


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def error_lines(result: Any) -> list[str]:
    return [line for line in result.errlines if line.strip()]


def level_tasks(outcome: Path, run: str = "baseline") -> dict[str, dict[str, Any]]:
    data = json.loads((outcome / f"{run}_level.json").read_text())
    return {task["item_id"]: task for task in data.get("tasks", [])}


def _rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        names = [str(name) for name in next(rows)]
        return [dict(zip(names, (*row, *[None] * len(names)), strict=False)) for row in rows]
    finally:
        book.close()


def workbook_cell(path: Path, sheet: str, task_name: str, column: str = "baseline") -> Any:
    (row,) = [row for row in _rows(path, sheet) if row["Task Name"] == task_name]
    return row[column]


def task_status(path: Path, item: str) -> dict[str, Any]:
    (row,) = [row for row in _rows(path, "Task-Status") if row["item_id"] == item]
    return row


# --- task and prediction cases: the table ---------------------------------------------------


@dataclass
class Ctx:
    """A case's clone and the places around it."""

    folder: Path
    predictions: Path
    outside: Path
    digest: str

    @property
    def task_file(self) -> Path:
        return self.folder / "annotation.json"

    @property
    def pred(self) -> Path:
        return self.predictions / "prediction.json"

    def task(self) -> dict[str, Any]:
        return read_task(self.folder)

    def save(self, data: Any) -> None:
        write_task(self.folder, data)

    def paths(self) -> dict[str, Path]:
        return {
            "task_file": self.task_file,
            "folder": self.folder,
            "pred": self.pred,
            "predictions": self.predictions,
            "outside": self.outside,
        }


Damage = Callable[[Ctx], object]
Check = Callable[[Ctx, dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    """One damaged task.

    ``stage`` ``run`` runs steps 1-3 on the clone; ``score`` runs step 2 alone over
    predictions the damage writes. ``line`` is the regular expression (``{task_file}``,
    ``{folder}``, ``{pred}``, ``{predictions}``, ``{outside}`` stand for those paths) that
    the item's one line must match in full; None when the item must pass. ``outcome``
    ``absent``: the folder is no task, and ``line`` must match a line of the header.
    ``check`` looks further at the clone and the item's result. ``task`` is the clone's
    task field: by default one matching no row; a Task Name no sample task uses where the
    task's handling depends on its row's metric.
    """

    name: str
    source: str
    damage: Damage
    line: str | None
    outcome: str = "failed"
    stage: str = "run"
    check: Check | None = None
    task: str | None = None


def _parent(data: dict[str, Any], index: int, dotted: str) -> tuple[dict[str, Any], str]:
    """The object holding a dotted field of the ``index``-th instance, and the field's key."""
    node = data["data"][index]
    *parents, last = dotted.split(".")
    for part in parents:
        node = node[part]
    return node, last


def instance_field(index: int, dotted: str, value: Any) -> Damage:
    """Set a field of the ``index``-th instance (``value`` may be a function of the Ctx)."""

    def damage(ctx: Ctx) -> None:
        data = ctx.task()
        node, key = _parent(data, index, dotted)
        node[key] = value(ctx) if callable(value) else value
        ctx.save(data)

    return damage


def drop_field(index: int, dotted: str) -> Damage:
    def damage(ctx: Ctx) -> None:
        data = ctx.task()
        node, key = _parent(data, index, dotted)
        del node[key]
        ctx.save(data)

    return damage


def top_field(key: str, value: Any) -> Damage:
    def damage(ctx: Ctx) -> None:
        data = ctx.task()
        data[key] = value
        ctx.save(data)

    return damage


def instances(change: Callable[[list[Any]], object]) -> Damage:
    def damage(ctx: Ctx) -> None:
        data = ctx.task()
        change(data["data"])
        ctx.save(data)

    return damage


def raw_task(text: str) -> Damage:
    return lambda ctx: ctx.task_file.write_text(text)


def media(relative: str, change: Callable[[Path, Ctx], object]) -> Damage:
    return lambda ctx: change(ctx.folder / relative, ctx)


def both(*damages: Damage) -> Damage:
    def damage(ctx: Ctx) -> None:
        for one in damages:
            one(ctx)

    return damage


def ids(*new: Any) -> Damage:
    """Give the instances these ids, in order."""

    def change(data: list[Any]) -> None:
        for instance, ident in zip(data, new, strict=False):
            instance["id"] = ident

    return instances(change)


def out_of_tree(ctx: Ctx) -> str:
    """A relative path from the clone to a real image outside the tree."""
    return relative_to(ctx.outside / "secret.png", ctx.folder)


# Prediction files written by hand (step 2 alone reads them).


def write_predictions(entries: Callable[[Ctx], Any], head: Callable[[Ctx], dict] | None = None):
    def damage(ctx: Ctx) -> None:
        ctx.predictions.mkdir(parents=True, exist_ok=True)
        data = entries(ctx)
        if head is not None:
            data = {**head(ctx), "data": data}
        ctx.pred.write_text(json.dumps(data))

    return damage


def answers(ctx: Ctx) -> list[dict[str, Any]]:
    """TriviaQA clone: every reference answer as the prediction."""
    return [{"id": i["id"], "prediction": i["output"]["answer"]} for i in ctx.task()["data"]]


def restored(ctx: Ctx) -> list[dict[str, Any]]:
    """Deraining clone: each input image copied to ``media/<id>.png``."""
    (ctx.predictions / "media").mkdir(parents=True, exist_ok=True)
    entries = []
    for instance in ctx.task()["data"]:
        name = f"media/{instance['id']}.png"
        shutil.copy(ctx.folder / instance["input"]["image"], ctx.predictions / name)
        entries.append({"id": instance["id"], "prediction": name})
    return entries


def copies(source_of: Callable[[dict[str, Any]], str]) -> Callable[[Ctx], list[dict]]:
    """Mask or point-cloud clone: each instance's file ``source_of`` copied to
    ``media/<id><suffix>`` as its prediction.
    """

    def entries(ctx: Ctx) -> list[dict[str, Any]]:
        (ctx.predictions / "media").mkdir(parents=True, exist_ok=True)
        found = []
        for instance in ctx.task()["data"]:
            source = ctx.folder / source_of(instance)
            name = f"media/{instance['id']}{source.suffix}"
            shutil.copy(source, ctx.predictions / name)
            found.append({"id": instance["id"], "prediction": name})
        return found

    return entries


masks = copies(lambda instance: instance["output"]["mask"])
clouds = copies(lambda instance: instance["input"]["pointcloud"])


def small_png(path: Path, ctx: Ctx) -> None:
    """Replace an image by a 5 x 3 one (a mask of the wrong size)."""
    Image.new("L", (5, 3)).save(path, format="PNG")


def then(entries: Callable[[Ctx], Any], change: Callable[[Ctx, Any], object]):
    def made(ctx: Ctx) -> Any:
        found = entries(ctx)
        change(ctx, found)
        return found

    return made


def setting(index: int, value: Any) -> Callable[[Ctx, Any], None]:
    def change(ctx: Ctx, entries: list[dict[str, Any]]) -> None:
        entries[index]["prediction"] = value(ctx) if callable(value) else value

    return change


def ours(ctx: Ctx, **changes: Any) -> dict[str, Any]:
    return {"model": "baseline", "settings_digest": ctx.digest, **changes}


def result_field(name: str, value: Any) -> Check:
    def check(ctx: Ctx, result: dict[str, Any]) -> None:
        assert result[name] == value, f"{name}: {result[name]!r}, not {value!r}"

    return check


def distinct_outputs(count: int) -> Check:
    """Every instance's output is its own file (or folder) inside the predictions folder."""

    def check(ctx: Ctx, result: dict[str, Any]) -> None:
        data = json.loads(ctx.pred.read_text())["data"]
        paths = [(ctx.predictions / entry["prediction"]).resolve() for entry in data]
        assert len(set(paths)) == len(paths) == count, paths
        root = ctx.predictions.resolve()
        for path in paths:
            assert path.is_relative_to(root) and path.exists(), path
            assert len(path.name.encode()) <= 255

    return check


TRIVIA = "nlp/TriviaQA"
CHOICE = "nlp/Commonsense-Reasoning"
SERIES = "nlp/TimeSeries"
SPORTS = "image/comprehension/Sports-Image-Classification"
SEGMENT = "image/comprehension/Hubmap-Organ-Seg"
DERAIN = "image/generation/Image-Deraining"
VIDEO_QA = "video/comprehension/Agriculture-Video-QA"
DEBLUR = "video/generation/Video-Deblurring"
SPEECH = "audio/comprehension/SpeechCommand"
CLOUD_CLASS = "3D/comprehension/3D-Appliance-Classification"
COMPLETION = "3D/generation/3D-Point-Cloud-Completion"

TF = "{task_file}"
FIELD_1 = TF + r": instance '1': field "

TASK_CASES = [
    # the task file and its instances
    Case(
        "task-file-not-json",
        TRIVIA,
        raw_task('{"task": "x", "data": [{"id": '),
        TF + r": not valid JSON: .+",
    ),
    Case(
        "task-file-a-list",
        TRIVIA,
        raw_task('[{"id": "0"}]'),
        r"passed over nlp/Bx-task-file-a-list: no task file "
        r"\(annotation\.json: a JSON list, not a task file.*\)",
        "absent",
    ),
    Case(
        "data-an-object",
        TRIVIA,
        top_field("data", {"0": {}}),
        r"passed over nlp/Bx-data-an-object: no task file \(annotation\.json: no 'data' list.*\)",
        "absent",
    ),
    Case(
        "newer-task-file-broken",
        TRIVIA,
        lambda ctx: (ctx.folder / "annotation_v2.json").write_text('{"task": "x", "data": ['),
        r"{folder}/annotation_v2\.json: not valid JSON: .+",
    ),
    Case("data-empty", TRIVIA, top_field("data", []), TF + r": field 'data': no instances"),
    Case(
        "task-field-a-number", TRIVIA, top_field("task", 42), TF + r": field 'task': not a string"
    ),
    Case(
        "type-field-a-list",
        TRIVIA,
        top_field("type", ["OpenQA"]),
        TF + r": field 'type': not a string",
    ),
    Case(
        "instance-a-string",
        TRIVIA,
        instances(lambda d: d.__setitem__(1, "oops")),
        TF + r": instance '#1': field 'data': not an object",
    ),
    Case("id-missing", TRIVIA, drop_field(1, "id"), TF + r": instance '#1': field 'id': .+"),
    Case("id-empty", TRIVIA, instance_field(1, "id", ""), TF + r": instance '#1': field 'id': .+"),
    Case("id-null", TRIVIA, instance_field(1, "id", None), TF + r": instance '#1': field 'id': .+"),
    Case(
        "id-an-object",
        TRIVIA,
        instance_field(1, "id", {"n": 1}),
        TF + r": instance '#1': field 'id': .+",
    ),
    Case(
        "id-repeated-as-number",
        TRIVIA,
        instance_field(1, "id", 0),
        TF + r": instance '0': field 'id': repeated id",
    ),
    Case(
        "question-missing",
        TRIVIA,
        drop_field(1, "input.question"),
        FIELD_1 + r"'question': missing",
    ),
    Case(
        "id-with-a-newline",
        TRIVIA,
        both(instance_field(1, "id", "a\nb"), drop_field(1, "input.question")),
        TF + r": instance 'a\\nb': field 'question': missing",
    ),
    Case(
        "output-missing", TRIVIA, drop_field(1, "output"), FIELD_1 + r"'output(\.answer)?': missing"
    ),
    Case(
        "answer-letter-not-an-option",
        CHOICE,
        instance_field(1, "output.answer", "E"),
        FIELD_1 + r"'(output\.)?answer': .*'E'.*",
    ),
    Case(
        "answer-text-not-an-option",
        CHOICE,
        instance_field(1, "output.answer", "in the garage"),
        FIELD_1 + r"'(output\.)?answer': .*'in the garage'.*",
    ),
    Case(
        "options-not-a-list",
        CHOICE,
        instance_field(1, "input.options", "sand or water"),
        FIELD_1 + r"'input\.options': not a non-empty list",
    ),
    Case(
        "label-not-an-option",
        SPORTS,
        instance_field(1, "output.text", "golf"),
        FIELD_1 + r"'output\.text': .*'golf'.*",
    ),
    Case(
        "series-target-text",
        SERIES,
        instance_field(1, "output.target", "n/a"),
        FIELD_1 + r"'output\.target': .+",
    ),
    # input media outside the task folder
    Case(
        "image-climbs-to-etc-passwd",
        SPORTS,
        instance_field(1, "input.image", "../../../../etc/passwd"),
        FIELD_1 + r"'input\.image': .*'\.\./\.\./\.\./\.\./etc/passwd'.*",
    ),
    Case(
        "image-climbs-to-a-real-image",
        SPORTS,
        instance_field(1, "input.image", out_of_tree),
        FIELD_1 + r"'input\.image': .*climbs out.*",
    ),
    Case(
        "image-absolute",
        SPORTS,
        instance_field(1, "input.image", "/etc/passwd"),
        FIELD_1 + r"'input\.image': .*'/etc/passwd'.*",
    ),
    Case(
        "image-absolute-into-own-folder",
        SPORTS,
        instance_field(1, "input.image", lambda c: str(c.folder / "images/1.png")),
        FIELD_1 + r"'input\.image': absolute path .*",
    ),
    Case(
        "image-windows-drive",
        SPORTS,
        instance_field(1, "input.image", "C:\\data\\1.png"),
        FIELD_1 + r"'input\.image': absolute path .*",
    ),
    Case(
        "image-symlink-out",
        SPORTS,
        media("images/1.png", lambda p, c: link(p, c.outside / "secret.png")),
        FIELD_1 + r"'input\.image': .*resolves outside the task folder.*",
    ),
    Case(
        "image-folder-symlink-out",
        SPORTS,
        media("images", lambda p, c: link(p, c.outside / "images")),
        TF + r": instance '0': field 'input\.image': .*resolves outside the task folder.*",
    ),
    Case(
        "frame-climbs-out",
        VIDEO_QA,
        instance_field(
            0, "input.video_file_list", ["videos/0/000.png", "../../../../../etc/hostname"]
        ),
        TF + r": instance '0': field 'input\.video_file_list\[1\]': .*climbs out.*",
    ),
    Case(
        "audio-absolute",
        SPEECH,
        instance_field(1, "input.audio_file", "/etc/passwd"),
        FIELD_1 + r"'input\.audio_file': absolute path .*",
    ),
    Case(
        "pointcloud-symlink-out",
        CLOUD_CLASS,
        media("pointclouds/1.npy", lambda p, c: link(p, c.outside / "cloud.npy")),
        FIELD_1 + r"'input\.pointcloud': .*resolves outside the task folder.*",
    ),
    # input media that are not there, not files, or not what they claim
    Case(
        "image-not-found",
        SPORTS,
        instance_field(1, "input.image", "images/nope.png"),
        FIELD_1 + r"'input\.image': file not found: 'images/nope\.png'.*",
    ),
    Case(
        "image-a-folder",
        SPORTS,
        media("images/1.png", lambda p, c: folder_instead(p)),
        FIELD_1 + r"'input\.image': 'images/1\.png' is a folder, not a file",
    ),
    Case(
        "image-name-shared",
        SPORTS,
        both(
            media(
                "images/a",
                lambda p, c: (p.mkdir(), shutil.copy(c.folder / "images/0.png", p / "dup.png")),
            ),
            media(
                "images/b",
                lambda p, c: (p.mkdir(), shutil.copy(c.folder / "images/0.png", p / "dup.png")),
            ),
            instance_field(1, "input.image", "./data/old/images/dup.png"),
        ),
        FIELD_1 + r"'input\.image': .*2 files share its name.*",
    ),
    Case(
        "image-a-number",
        SPORTS,
        instance_field(1, "input.image", 123),
        FIELD_1 + r"'input\.image': not a file path: 123",
    ),
    Case(
        "image-empty-path",
        SPORTS,
        instance_field(1, "input.image", ""),
        FIELD_1 + r"'input\.image': not a file path: ''",
    ),
    Case(
        "image-truncated",
        SPORTS,
        media("images/1.png", lambda p, c: truncate(p)),
        r".*instance '1'.*images/1\.png.*",
    ),
    Case(
        "image-decompression-bomb",
        SEGMENT,
        media("images/1.png", lambda p, c: bomb_png(p)),
        r".*instance '1'.*images/1\.png.*",
        task="Lung segmentation",
    ),
    Case(
        "audio-truncated",
        SPEECH,
        media("audios/1.wav", lambda p, c: truncate(p)),
        r".*instance '1'.*audios/1\.wav.*",
    ),
    Case(
        "pointcloud-truncated",
        CLOUD_CLASS,
        media("pointclouds/1.npy", lambda p, c: truncate(p)),
        r".*instance '1'.*pointclouds/1\.npy.*",
    ),
    # references that cannot be read
    Case(
        "reference-truncated-png",
        DERAIN,
        media("images/1_target.png", lambda p, c: truncate(p)),
        r".*instance '1'.*images/1_target\.png.*",
    ),
    Case(
        "reference-decompression-bomb",
        DERAIN,
        media("images/1_target.png", lambda p, c: bomb_png(p)),
        r".*instance '1'.*images/1_target\.png.*",
    ),
    Case(
        "reference-a-folder",
        DERAIN,
        instance_field(1, "output.image", "images"),
        FIELD_1 + r"'output\.image': 'images' is a folder, not a file",
    ),
    Case(
        "reference-mask-truncated",
        SEGMENT,
        media("maps/1.png", lambda p, c: truncate(p)),
        r".*instance '1'.*maps/1\.png.*",
        task="Bacteria Segmentation",
    ),
    Case(
        "reference-cloud-truncated",
        COMPLETION,
        media("pointclouds/1_complete.npy", lambda p, c: truncate(p, 60)),
        r".*instance '1'.*pointclouds/1_complete\.npy.*",
    ),
    Case(
        "reference-cloud-wrong-shape",
        COMPLETION,
        media("pointclouds/1_complete.npy", lambda p, c: save_npy(p, np.zeros(5))),
        r".*instance '1'.*pointclouds/1_complete\.npy.*",
    ),
    # forms that are fine: a documented, correct result
    Case(
        "image-windows-separators",
        SPORTS,
        instance_field(1, "input.image", "images\\1.png"),
        None,
        "passed",
    ),
    Case(
        "image-stale-authors-path",
        SPORTS,
        instance_field(1, "input.image", "./data/comprehension/sports/images/1.png"),
        None,
        "passed",
    ),
    Case(
        "ids-dot-dot-in-video-generation",
        DEBLUR,
        ids("..", "."),
        None,
        "passed",
        check=distinct_outputs(2),
    ),
    Case(
        "ids-slash-and-question-mark",
        DERAIN,
        ids("a/b", "a?b", "a_b"),
        None,
        "passed",
        check=distinct_outputs(3),
    ),
    Case(
        "id-absolute-path",
        DERAIN,
        ids("/etc/passwd", "../../x", "C:\\x"),
        None,
        "passed",
        check=distinct_outputs(3),
    ),
    Case(
        "id-long-non-ascii",
        DERAIN,
        ids("é" * 120, "ß" * 121, "0"),
        None,
        "passed",
        check=distinct_outputs(3),
    ),
]

PRED = "{pred}"
PRED_0 = PRED + r": instance '0': field "
PRED_1 = PRED + r": instance '1': field "

SCORE_CASES = [
    # generated files that are not the model's
    Case(
        "prediction-climbs-to-reference",
        DERAIN,
        write_predictions(
            then(
                restored,
                setting(0, lambda c: relative_to(c.folder / "images/0_target.png", c.predictions)),
            )
        ),
        PRED_0 + r"'prediction': .*climbs out of the model's output folder.*",
        stage="score",
    ),
    Case(
        "prediction-absolute-reference",
        DERAIN,
        write_predictions(
            then(restored, setting(0, lambda c: str(c.folder / "images/0_target.png")))
        ),
        PRED_0 + r"'prediction': .*not a path relative to the prediction file.*",
        stage="score",
    ),
    Case(
        "prediction-symlink-to-reference",
        DERAIN,
        write_predictions(
            then(
                restored,
                lambda c, e: link(c.predictions / "media/0.png", c.folder / "images/0_target.png"),
            )
        ),
        PRED_0 + r"'prediction': .*resolves outside the model's output folder.*",
        stage="score",
    ),
    Case(
        "prediction-folder-symlink-to-dataset",
        DERAIN,
        write_predictions(
            then(
                restored,
                lambda c, e: (
                    link(c.predictions / "media", c.folder / "images"),
                    e[0].update(prediction="media/0_target.png"),
                ),
            )
        ),
        PRED_0 + r"'prediction': .*resolves outside the model's output folder.*",
        stage="score",
    ),
    Case(
        "prediction-a-folder",
        DERAIN,
        write_predictions(
            then(restored, lambda c, e: folder_instead(c.predictions / "media/1.png"))
        ),
        PRED_1 + r"'prediction': .*folder.*",
        stage="score",
    ),
    Case(
        "prediction-truncated-png",
        DERAIN,
        write_predictions(then(restored, lambda c, e: truncate(c.predictions / "media/1.png"))),
        r".*instance '1'.*media/1\.png.*",
        stage="score",
    ),
    Case(
        "prediction-mask-wrong-size",
        SEGMENT,
        write_predictions(then(masks, lambda c, e: small_png(c.predictions / "media/1.png", c))),
        r".*instance '1'.*media/1\.png.*",
        stage="score",
        task="Flood Area Segmentation",
    ),
    Case(
        "prediction-cloud-truncated",
        COMPLETION,
        write_predictions(then(clouds, lambda c, e: truncate(c.predictions / "media/1.npy", 60))),
        r".*instance '1'.*media/1\.npy.*",
        stage="score",
    ),
    # prediction files that are broken, ambiguous or someone else's
    Case(
        "predictions-repeat-an-id",
        TRIVIA,
        write_predictions(lambda c: [*answers(c), {"id": "0", "prediction": "Venus"}]),
        PRED_0 + r"'id': repeated id.*",
        stage="score",
    ),
    Case(
        "predictions-not-json",
        TRIVIA,
        lambda c: (c.predictions.mkdir(parents=True), c.pred.write_text("[{")),
        PRED + r": not valid JSON: .+",
        stage="score",
    ),
    Case(
        "predictions-entry-without-id",
        TRIVIA,
        write_predictions(then(answers, lambda c, e: e[1].pop("id"))),
        PRED + r": instance '#1': field 'id': missing",
        stage="score",
    ),
    Case(
        "predictions-entry-without-answer",
        TRIVIA,
        write_predictions(then(answers, lambda c, e: e[1].pop("prediction"))),
        PRED_1 + r"'prediction or prediction_final': missing",
        stage="score",
    ),
    Case(
        "predictions-data-an-object",
        TRIVIA,
        write_predictions(lambda c: {"0": "Mars"}, lambda c: {}),
        PRED + r": field 'data': not a list of \{id, prediction\}",
        stage="score",
    ),
    Case(
        "predictions-of-another-model",
        TRIVIA,
        write_predictions(answers, lambda c: {"model": "other"}),
        PRED + r": these are the predictions of model 'other' .*",
        stage="score",
    ),
    Case(
        "predictions-of-other-settings",
        TRIVIA,
        write_predictions(answers, lambda c: ours(c, settings_digest="0" * 16)),
        PRED + r": these are the predictions of model 'baseline' \(settings 0{16}\).*",
        stage="score",
    ),
    Case(
        "predictions-of-an-older-task-file",
        TRIVIA,
        write_predictions(answers, lambda c: ours(c, task_digest="0" * 16)),
        PRED
        + r": made for an earlier version of {task_file}; predict again \(step 1\) before scoring",
        stage="score",
    ),
    # prediction files that are fine: a documented, correct result
    Case(
        "prediction-null",
        TRIVIA,
        write_predictions(then(answers, setting(1, None))),
        None,
        "passed",
        "score",
        result_field("missing", 1),
    ),
    Case(
        "predictions-for-one-instance",
        TRIVIA,
        write_predictions(lambda c: answers(c)[:1]),
        None,
        "passed",
        "score",
        result_field("missing", 3),
    ),
    Case(
        "predictions-as-a-bare-list-with-number-ids",
        TRIVIA,
        write_predictions(lambda c: [{**e, "id": int(e["id"])} for e in answers(c)]),
        None,
        "passed",
        "score",
        result_field("score", 100.0),
    ),
    Case(
        "predictions-with-prediction-final",
        TRIVIA,
        write_predictions(
            lambda c: [
                {"id": e["id"], "prediction_steps": [], "prediction_final": e["prediction"]}
                for e in answers(c)
            ]
        ),
        None,
        "passed",
        "score",
        result_field("score", 100.0),
    ),
]


@dataclass
class Session:
    """One shared session over many clones, and what it left."""

    outcome: Path
    outcomes: dict[str, tuple[str, str]]
    sections: dict[str, list[str]]
    header: list[str]
    stdout: str
    ret: int
    tree_changed: list[str]
    clean_changed: list[str]
    results: dict[str, dict[str, Any]]
    ctxs: dict[str, Ctx]
    problems: dict[str, str]


def _session(pytester: pytest.Pytester, store: Store, stage: str) -> Session:
    """The shared session of ``stage`` (run once): every case's clone made and damaged,
    then ``-k Bx`` against a copy of the clean run's outcome; the tree is left pristine.
    """
    if stage in store.cache:
        return store.cache[stage]
    _ready(pytester, store)
    tree = store.tree
    cases = [case for case in TASK_CASES + SCORE_CASES if case.stage == stage]
    outcome = store.root / f"{stage}-outcome"
    restore(outcome, store.clean)
    digest = json.loads((outcome / "baseline" / "run.json").read_text())["settings_digest"]
    ctxs = {}
    for case in cases:
        folder = clone(tree, case.source, case.name, case.task)
        relative = folder.relative_to(tree)
        ctx = Ctx(folder, outcome / "baseline" / "predictions" / relative, store.outside, digest)
        case.damage(ctx)
        ctxs[case.name] = ctx
    before_tree, before = snapshot(tree), snapshot(outcome)
    args = ["-k", PREFIX[:-1]] + (["--step", "2"] if stage == "score" else [])
    result = _run(pytester, store, outcome, *args)
    problems, results = {}, {}
    for case in cases:
        path = outcome / "baseline" / "tasks" / f"{item_id(tree, ctxs[case.name].folder)}.json"
        results[case.name] = json.loads(path.read_text()) if path.is_file() else {}
        if case.check is not None and case.outcome == "passed":
            try:
                case.check(ctxs[case.name], results[case.name])
            except (AssertionError, OSError, KeyError, ValueError) as error:
                problems[case.name] = f"{type(error).__name__}: {error}"
    session = Session(
        outcome,
        outcomes(result),
        sections(result.outlines),
        header(result.outlines),
        result.stdout.str(),
        result.ret,
        changed(before_tree, snapshot(tree)),
        task_files_changed(before, snapshot(outcome), store.items),
        results,
        ctxs,
        problems,
    )
    store.cache[stage] = session
    restore(tree, store.pristine)
    return session


@pytest.mark.parametrize("case", TASK_CASES + SCORE_CASES, ids=lambda case: case.name)
def test_task_input(bench: pytest.Pytester, store: Store, case: Case) -> None:  # noqa: F811
    session = _session(bench, store, case.stage)
    ctx = session.ctxs[case.name]
    item = item_id(store.tree, ctx.folder)
    assert session.ret in (0, 1)
    if case.outcome == "absent":
        assert item not in session.outcomes
        line_of = pattern(case.line or "", **ctx.paths())
        assert any(line_of.fullmatch(line) for line in session.header), session.header
    else:
        outcome, text = session.outcomes[item]
        assert outcome == case.outcome, text
        if case.line is not None:
            line = last_line(text)
            assert pattern(case.line, **ctx.paths()).fullmatch(line), line
            recorded = task_status(session.outcome / "baseline_result.xlsx", item)
            assert (recorded["status"], recorded["reason"]) == ("failed", line)
    assert case.name not in session.problems, session.problems[case.name]
    assert session.tree_changed == [], "written into the dataset"
    assert session.clean_changed == [], "another task's files changed"
    if case.outcome == "failed":
        printed = [line for line in session.sections[item] if line.strip()]
        assert printed == [last_line(text)], "the error is not printed once, in one line"
        assert "Traceback" not in session.stdout


# --- settings: one line, exit 4, before any item, nothing written --------------------------


@dataclass
class Paths:
    """Where a settings case points: the tree, this case's outcome, a scratch folder."""

    world: World
    scratch: Path

    @property
    def tree(self) -> Path:
        return self.world.tree

    @property
    def outcome(self) -> Path:
        return self.world.outcome

    @property
    def readonly(self) -> Path:
        """A folder nothing can be written into (root writes into any mode-0555 folder)."""
        if os.geteuid() == 0:
            return Path("/sys/genbench-outcome")
        folder = self.scratch / "readonly"
        folder.mkdir(exist_ok=True)
        folder.chmod(0o555)
        return folder

    def file(self, name: str, text: str = "") -> str:
        path = self.scratch / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return str(path)

    def values(self) -> dict[str, Path]:
        return {
            "tree": self.tree,
            "outcome": self.outcome,
            "scratch": self.scratch,
            "readonly": self.readonly,
        }


@dataclass(frozen=True)
class Usage:
    """A bad setting: ``args`` (given the paths) must stop the run before any item with
    pytest's usage error (exit 4) and the one line ``ERROR: <line>`` on standard error
    (``{tree}``, ``{outcome}``, ``{scratch}``, ``{readonly}`` stand for those paths).
    ``argparse``: pytest's own parser reports it (its usage line, then ``line``).
    ``seconds``: the run must end within this time (no network, no retries).
    """

    name: str
    args: Callable[[Paths], list[str]]
    line: str
    argparse: bool = False
    seconds: float | None = None


ADAPTERS = """
class Fails:
    name = "failing"
    settings = {"model": "failing"}

    def predict(self, requests):
        raise RuntimeError("server down")


def failing():
    return Fails()


def broken_load():
    raise RuntimeError("no weights here")


def not_a_model():
    return 42
"""


def adapters(paths: Paths) -> str:
    """Write the adapters module beside the benchmark (importable from it)."""
    paths.world.pytester.makepyfile(badmodels=ADAPTERS)
    paths.world.pytester.syspathinsert()
    return "badmodels"


def other_tree(paths: Paths) -> str:
    folder = paths.scratch / "other-tree"
    shutil.copytree(paths.tree / "nlp", folder / "nlp")
    return str(folder)


def shared_folder(paths: Paths) -> list[str]:
    """Model ``a_b`` ran one task; model ``a/b`` would file its results in its folder."""
    paths.world.run("--model-name", "a_b", "-k", "TriviaQA").assert_outcomes(passed=1)
    paths.world.before = snapshot(paths.outcome)
    return ["--model-name", "a/b", "-k", "Commonsense"]


SETTINGS = [
    Usage(
        "limit-zero", lambda p: ["--limit", "0"], r"--limit 0: give 1 or more instances per task"
    ),
    Usage(
        "limit-negative",
        lambda p: ["--limit", "-1"],
        r"--limit -1: give 1 or more instances per task",
    ),
    Usage(
        "limit-not-a-number",
        lambda p: ["--limit", "abc"],
        r".*error: argument --limit: invalid int value: 'abc'",
        argparse=True,
    ),
    Usage(
        "step-13",
        lambda p: ["--step", "13"],
        r"--step '13': give consecutive steps in order: 1, 2, 3, 12, 23, 123 "
        r"\(1 predict, 2 score, 3 level\)",
    ),
    Usage(
        "step-21", lambda p: ["--step", "21"], r"--step '21': give consecutive steps in order: .*"
    ),
    Usage("step-4", lambda p: ["--step", "4"], r"--step '4': give consecutive steps in order: .*"),
    Usage(
        "step-empty", lambda p: ["--step", ""], r"--step '': give consecutive steps in order: .*"
    ),
    Usage(
        "level-mode-unknown",
        lambda p: ["--level-mode", "nope"],
        r".*error: argument --level-mode: invalid choice: 'nope' .*",
        argparse=True,
    ),
    Usage("batch-size-zero", lambda p: ["--batch-size", "0"], r"--batch-size 0: give 1 or more .*"),
    Usage("shard-past-the-end", lambda p: ["--shard", "3/2"], r"(--)?shard 3/2: .*"),
    Usage("shard-not-a-fraction", lambda p: ["--shard", "half"], r"(--)?shard '?half'?: .*"),
    Usage(
        "dataset-missing",
        lambda p: ["--dataset-dir", str(p.scratch / "missing")],
        r"--dataset-dir {scratch}/missing: no such folder",
    ),
    Usage(
        "dataset-a-file",
        lambda p: ["--dataset-dir", p.file("file.txt")],
        r"--dataset-dir {scratch}/file\.txt: no such folder",
    ),
    Usage(
        "dataset-empty",
        lambda p: ["--dataset-dir", str(p.scratch)],
        r"no General-Bench task under {scratch}: expected .*",
    ),
    Usage(
        "dataset-without-tasks",
        lambda p: ["--dataset-dir", (p.file("nlp/Foo/results.json", "{}") and str(p.scratch))],
        r"no General-Bench task under {scratch}: expected .* \(passed over Foo: .*\)",
    ),
    Usage(
        "outcome-a-file",
        lambda p: ["--outcome-dir", p.file("file.txt")],
        r"--outcome-dir {scratch}/file\.txt: is a file, not a folder",
    ),
    Usage(
        "outcome-read-only",
        lambda p: ["--outcome-dir", str(p.readonly / "out")],
        r"--outcome-dir {readonly}/out: not writable",
    ),
    Usage(
        "predictions-dir-a-file",
        lambda p: ["--predictions-dir", p.file("file.txt")],
        r"--predictions-dir {scratch}/file\.txt: is a file, not a folder",
    ),
    Usage(
        "predictions-dir-and-beside-tasks",
        lambda p: ["--predictions-dir", str(p.scratch), "--predictions-beside-tasks"],
        r"--predictions-dir and --predictions-beside-tasks exclude each other",
    ),
    Usage(
        "beside-tasks-in-the-bundled-sample",
        lambda p: ["--dataset-dir", str(sample_root()), "--predictions-beside-tasks"],
        r"--predictions-beside-tasks: the dataset folder .* is not writable",
    ),
    Usage(
        "model-unknown-module",
        lambda p: ["--model", "nosuch:thing"],
        r"--model: model 'nosuch:thing': cannot import nosuch:thing: No module named 'nosuch'",
    ),
    Usage(
        "model-unknown-scheme",
        lambda p: ["--model", "bogus"],
        r"--model: model 'bogus': unknown spec .*",
    ),
    Usage(
        "model-hf-not-on-disk",
        lambda p: ["--model", "hf:org/absent"],
        r"--model: org/absent: not on disk .* --allow-download",
        seconds=10,
    ),
    Usage(
        "model-openai-without-model",
        lambda p: ["--model", "openai:http://127.0.0.1:9/v1"],
        r"--model: .*expected openai:<base_url>#<model>",
    ),
    Usage(
        "model-load-fails",
        lambda p: ["--model", f"{adapters(p)}:broken_load"],
        r".*cannot load model 'badmodels:broken_load'.*no weights here",
    ),
    Usage(
        "model-factory-returns-no-model",
        lambda p: ["--model", f"{adapters(p)}:not_a_model"],
        r".*'badmodels:not_a_model'.*not_a_model\(\) returned int.*",
    ),
    Usage(
        "judge-malformed",
        lambda p: ["--judge", "openai:localhost:8000", "--model-name", "judged", "-k", "TriviaQA"],
        r"--judge: .*expected openai:<base_url>#<model>",
    ),
    Usage(
        "metric-weights-missing",
        lambda p: ["--metric-weights", str(p.scratch / "missing")],
        r"--metric-weights {scratch}/missing: no such folder",
    ),
    Usage(
        "external-scores-missing",
        lambda p: ["--external-scores", str(p.scratch / "missing.csv")],
        r"--external-scores {scratch}/missing\.csv: no such readable file",
    ),
    Usage(
        "external-scores-without-score",
        lambda p: ["--external-scores", p.file("scores.csv", "task\nnlp-TriviaQA\n")],
        r"--external-scores: {scratch}/scores\.csv: row 2: needs 'task' and 'score'",
    ),
    Usage(
        "external-scores-a-json-list",
        lambda p: ["--external-scores", p.file("scores.json", "[1, 2]")],
        r"--external-scores: {scratch}/scores\.json: top level is not an object",
    ),
    Usage(
        "external-scores-not-a-number",
        lambda p: ["--external-scores", p.file("scores.csv", "task,score\nnlp-TriviaQA,high\n")],
        r"--external-scores: {scratch}/scores\.csv: row 2: field 'score': not a number",
    ),
    Usage(
        "external-scores-nan",
        lambda p: ["--external-scores", p.file("scores.csv", "task,score\nnlp-TriviaQA,nan\n")],
        r"--external-scores: {scratch}/scores\.csv: row 2: field 'score': not finite",
    ),
    Usage(
        "task-map-missing",
        lambda p: ["--task-map", str(p.scratch / "missing.csv")],
        r"--task-map {scratch}/missing\.csv: no such readable file",
    ),
    Usage(
        "task-map-a-folder",
        lambda p: ["--task-map", str(p.scratch)],
        r"--task-map {scratch}: no such readable file",
    ),
    Usage(
        "task-map-three-columns",
        lambda p: ["--task-map", p.file("map.csv", "nlp-TriviaQA,TriviaQA,x\n")],
        r"{scratch}/map\.csv: row 1: expected 2 columns, found 3",
    ),
    Usage(
        "task-map-unknown-row",
        lambda p: ["--task-map", p.file("map.csv", "nlp-TriviaQA,No Such Task\n")],
        r".*{scratch}/map\.csv.*'No Such Task'.*",
    ),
    Usage(
        "task-map-a-json-list",
        lambda p: ["--task-map", p.file("map.json", "[]")],
        r"{scratch}/map\.json: expected .*",
    ),
    Usage(
        "seed-into-a-run-of-another-seed",
        lambda p: ["--seed", "1"],
        r"{outcome}/baseline holds results of 'baseline' made with other settings "
        r"\(seed: 0 -> 1\)\. Give this run its own --model-name .*",
    ),
    Usage(
        "seed-level-only-over-another-seed",
        lambda p: ["--seed", "1", "--step", "3"],
        r"{outcome}/baseline holds results made with other settings \(seed: 0 -> 1\); "
        r"give the settings of the run that made them",
    ),
    Usage(
        "other-dataset-into-the-same-run",
        lambda p: ["--dataset-dir", other_tree(p)],
        r"{outcome}/baseline holds results of 'baseline' made with other settings \(dataset: .*",
    ),
    Usage("model-names-sharing-a-folder", shared_folder, r".*{outcome}/a_b.*'a_b'.*"),
]


@pytest.mark.parametrize("case", SETTINGS, ids=lambda case: case.name)
def test_setting(world: World, case: Usage, tmp_path: Path) -> None:
    paths = Paths(world, tmp_path)
    args = case.args(paths)
    before_tree = snapshot(world.tree)
    start = time.perf_counter()
    result = world.run(*args)
    seconds = time.perf_counter() - start
    lines = error_lines(result)
    expected = pattern(case.line, **paths.values())
    assert result.ret == pytest.ExitCode.USAGE_ERROR, lines or result.outlines[-5:]
    if case.argparse:
        assert any(expected.fullmatch(line) for line in lines), lines
    else:
        assert len(lines) == 1 and lines[0].startswith("ERROR: "), lines
        assert expected.fullmatch(lines[0].removeprefix("ERROR: ")), lines[0]
    assert outcomes(result) == {}, "an item ran"
    assert changed(world.before, snapshot(world.outcome)) == [], "the outcome folder changed"
    assert changed(before_tree, snapshot(world.tree)) == [], "the dataset changed"
    if case.seconds is not None:
        assert seconds < case.seconds


# --- workbooks and the genbench command: one line, exit 2, nothing overwritten -------------


def book(change: Callable[[openpyxl.Workbook], object] | None = None) -> Callable:
    """A result workbook with model ``M`` scoring 50 everywhere, then ``change``d."""

    def make(path: Path, table: ReferenceTable) -> None:
        scores = {"M": {row.key: 50.0 for row in table}}
        write_workbook(path, table, scores)
        if change is not None:
            workbook = openpyxl.load_workbook(path)
            change(workbook)
            workbook.save(path)

    return make


def cell(sheet: str, row: int, value: Any, column: int = 5) -> Callable:
    return lambda wb: wb[sheet].cell(row=row, column=column, value=value)


def series_row(value: Any) -> Callable:
    """Put ``value`` in the NLP row whose metric is RMSE (Time Series)."""

    def change(wb: openpyxl.Workbook) -> None:
        for row in wb["NLP"].iter_rows(min_row=2):
            if row[3].value == "RMSE":
                row[4].value = value
                return
        raise KeyError("RMSE")

    return change


@dataclass(frozen=True)
class Command:
    """A ``genbench`` command over a bad workbook: exit ``ret`` and one line
    ``genbench: error: <line>`` on standard error (``{book}`` is the workbook,
    ``{scratch}`` its folder); every file of the folder is left as it was.
    """

    name: str
    prepare: Callable[[Path, ReferenceTable], object]
    line: str
    argv: Callable[[Path], list[str]] = lambda book: ["level", str(book)]
    ret: int = 2


WORKBOOKS = [
    Command(
        "formula-cell",
        book(cell("NLP", 2, "=1+1")),
        r"{book}: sheet 'NLP' row 2: model 'M': .*'=1\+1'.*",
    ),
    Command(
        "negative-score",
        book(cell("NLP", 2, -50)),
        r"{book}: sheet 'NLP' row 2: model 'M': .*-50.*",
    ),
    Command(
        "percent-score-above-100",
        book(cell("NLP", 2, 250)),
        r"{book}: sheet 'NLP' row 2: model 'M': .*250.*",
    ),
    Command(
        "negative-error-metric",
        book(series_row(-1.5)),
        r"{book}: sheet 'NLP' row \d+: model 'M': .*-1\.5.*",
    ),
    Command(
        "text-in-a-score-cell",
        book(cell("NLP", 2, "n/a")),
        r"{book}: sheet 'NLP' row 2: model 'M': not a score: 'n/a'",
    ),
    Command(
        "boolean-in-a-score-cell",
        book(cell("NLP", 2, True)),
        r"{book}: sheet 'NLP' row 2: model 'M': not a score: True",
    ),
    Command(
        "sheet-missing",
        book(lambda wb: wb.remove(wb["Video-Generation"])),
        r"{book}: no sheet 'Video-Generation' \(found: .*\)",
    ),
    Command(
        "metrics-column-missing",
        book(cell("NLP", 1, "Metric", column=4)),
        r"{book}: sheet 'NLP' has no column 'Metrics'",
    ),
    Command(
        "task-not-in-the-table",
        book(cell("NLP", 2, "No Such Task", column=2)),
        r"{book}: sheet 'NLP' row 2: task 'No Such Task' with metric 'ACC' "
        r"is not in the reference table",
    ),
    Command(
        "task-listed-twice",
        book(
            lambda wb: [
                wb["NLP"].cell(row=3, column=c, value=wb["NLP"].cell(row=2, column=c).value)
                for c in (2, 4)
            ]
        ),
        r"{book}: sheet 'NLP' row 3: task .* already listed in row 2",
    ),
    Command(
        "not-a-workbook",
        lambda path, table: path.write_text("not a zip"),
        r"{book}: cannot open as a workbook: .*",
    ),
    Command("workbook-missing", lambda path, table: None, r".*{book}.*"),
    Command(
        "model-column-missing",
        book(),
        r"{book}: no model column 'Nope' \(found: M\)",
        lambda b: ["level", str(b), "-m", "Nope"],
    ),
    Command(
        "template-over-a-result-workbook",
        book(),
        r"{book}: .*--force.*",
        lambda b: ["template", str(b)],
    ),
    Command(
        "level-of-a-model-without-results",
        lambda path, table: path.mkdir(),
        r".*'nosuch'.*",
        lambda b: ["level", str(b), "--model-name", "nosuch"],
    ),
]


@pytest.mark.parametrize("case", WORKBOOKS, ids=lambda case: case.name)
def test_workbook(
    case: Command, table: ReferenceTable, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "model_result.xlsx"
    case.prepare(path, table)
    before = snapshot(tmp_path)
    ret = genbench_main(case.argv(path))
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert ret == case.ret, err
    assert len(err) == 1 and err[0].startswith("genbench: error: "), err
    line = err[0].removeprefix("genbench: error: ")
    assert pattern(case.line, book=path, scratch=tmp_path).fullmatch(line), line
    written = [path for path in changed(before, snapshot(tmp_path)) if not path.endswith(".lock")]
    assert written == [], "a file was written"


def test_template_overwrites_only_with_force(
    table: ReferenceTable, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "model_result.xlsx"
    book()(path, table)
    before = path.read_bytes()
    assert genbench_main(["template", str(path), "--force"]) == 0
    assert path.read_bytes() != before
    fresh = tmp_path / "template.xlsx"
    assert genbench_main(["template", str(fresh)]) == 0 and fresh.is_file()
    capsys.readouterr()


# --- predictions belong to a model ----------------------------------------------------------


def test_another_model_writes_apart(world: World) -> None:
    result = world.run("--model-name", "B", "--seed", "1", "-k", "TriviaQA")
    result.assert_outcomes(passed=1)
    own = world.outcome / "B" / "predictions" / "nlp" / "TriviaQA" / "prediction.json"
    assert json.loads(own.read_text())["model"] == "B"
    assert [
        path for path in changed(world.before, snapshot(world.outcome)) if "B" not in path
    ] == []
    assert snapshot(world.tree) == world.store.cache["tree"]


@pytest.mark.parametrize(
    ("where", "steps"),
    [("beside", "23"), ("beside", "123"), ("folder", "2")],
    ids=["beside-tasks-step-23", "beside-tasks-step-123", "predictions-dir-step-2"],
)
def test_another_models_predictions_are_refused(world: World, where: str, steps: str) -> None:
    if where == "beside":
        place = ["--predictions-beside-tasks"]
        path = world.tree / "nlp" / "TriviaQA" / "prediction.json"
    else:
        shared = world.pytester.path / "shared"
        place = ["--predictions-dir", str(shared)]
        path = shared / "nlp" / "TriviaQA" / "prediction.json"
    other = world.run("--model-name", "B", "--seed", "1", "--step", "1", *place, "-k", "TriviaQA")
    other.assert_outcomes(passed=1)
    theirs = path.read_bytes()
    result = world.run("--step", steps, *place, "-k", "TriviaQA")
    assert result.ret == 1
    line = failure(result, "nlp-TriviaQA")
    expected = re.escape(str(path)) + r": (these are|holds) the predictions of (model )?'B' .*"
    assert re.fullmatch(expected, line), line
    assert path.read_bytes() == theirs
    assert world.others_changed("nlp-TriviaQA") == []
    workbook = world.outcome / "baseline_result.xlsx"
    assert task_status(workbook, "nlp-TriviaQA")["status"] == "failed"
    assert workbook_cell(workbook, "NLP", "TriviaQA") is None
    printed_once(result)


def test_predictions_and_results_record_model_and_digests(world: World) -> None:
    clean = world.store.clean / "baseline"
    digest = json.loads((clean / "run.json").read_text())["settings_digest"]
    folders = task_folders(world.tree)
    predictions = sorted((clean / "predictions").rglob("prediction.json"))
    assert len(predictions) == 47
    for path in predictions:
        data = json.loads(path.read_text())
        task_file = world.tree / path.parent.relative_to(clean / "predictions") / "annotation.json"
        assert (data["model"], data["settings_digest"]) == ("baseline", digest), path
        assert data["task_digest"] == sha16(task_file), path
    for path in (clean / "tasks").glob("*.json"):
        data = json.loads(path.read_text())
        assert (data["model"], data["digests"]["settings"]) == ("baseline", digest), path
        if data["status"] in ("scored", "unmatched"):
            task_file = folders[data["item_id"]] / "annotation.json"
            assert data["digests"]["task"] == sha16(task_file), path


def sha16(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.mark.parametrize("name", ["..", "."])
def test_model_names_stay_inside_the_outcome_folder(
    world: World, tmp_path: Path, name: str
) -> None:
    """``--model-name ..`` once filed the run in the outcome folder's parent: either the
    name is refused (one line naming the option) or the run's files stay inside.
    """
    box = tmp_path / "box"
    outcome = box / "outcome"
    result = world.run("--model-name", name, "-k", "TriviaQA", outcome=outcome)
    outside = [path.name for path in box.iterdir() if path != outcome]
    assert outside == [], "written beside the outcome folder"
    if result.ret == pytest.ExitCode.USAGE_ERROR:
        (line,) = error_lines(result)
        assert line.startswith("ERROR: --model-name "), line
    else:
        result.assert_outcomes(passed=1)
        run_files = [p for p in outcome.rglob("*") if p.is_file() and p.parent != outcome]
        assert run_files and all(
            p.relative_to(outcome).parts[0] not in (".", "..") for p in run_files
        )
        assert not (outcome / "tasks").exists(), "the run folder is the outcome folder itself"


# --- results reflect this run ---------------------------------------------------------------


def test_a_task_failing_now_loses_its_old_score(world: World) -> None:
    folder = world.tree / "nlp" / "TriviaQA"
    data = read_task(folder)
    del data["data"][1]["input"]["question"]
    task_file = write_task(folder, data)
    result = world.run("-k", "TriviaQA")
    assert result.ret == 1
    line = f"{task_file}: instance '1': field 'question': missing"
    assert failure(result, "nlp-TriviaQA") == line
    workbook = world.outcome / "baseline_result.xlsx"
    assert workbook_cell(workbook, "NLP", "TriviaQA") is None
    status = task_status(workbook, "nlp-TriviaQA")
    assert (status["status"], status["reason"], status["score"]) == ("failed", line, None)
    recorded = level_tasks(world.outcome)["nlp-TriviaQA"]
    assert (recorded["status"], recorded["reason"], recorded["score"]) == ("failed", line, None)
    level = json.loads((world.outcome / "baseline_level.json").read_text())
    assert level["nlp"]["supported"] == 5  # 6 in the clean run
    assert f"failed (1):\n  nlp-TriviaQA: {line}" in result.stdout.str()
    assert world.others_changed("nlp-TriviaQA") == []
    printed_once(result)


def test_a_task_skipped_now_loses_its_old_score(world: World) -> None:
    prediction = world.outcome / "baseline" / "predictions" / "nlp" / "TriviaQA" / "prediction.json"
    prediction.unlink()
    result = world.run("--step", "2", "-k", "TriviaQA")
    result.assert_outcomes(skipped=1)
    workbook = world.outcome / "baseline_result.xlsx"
    assert workbook_cell(workbook, "NLP", "TriviaQA") is None
    status = task_status(workbook, "nlp-TriviaQA")
    reason = f"no predictions at {prediction}: run step 1 first"
    assert (status["status"], status["reason"]) == ("skipped", reason)
    assert world.others_changed("nlp-TriviaQA") == []


def test_a_changed_task_file_is_not_scored_with_old_predictions(world: World) -> None:
    folder = world.tree / "nlp" / "TriviaQA"
    data = read_task(folder)
    data["data"][0]["input"]["question"] = "Which planet is called the red one?"
    task_file = write_task(folder, data)
    result = world.run("--step", "2", "-k", "TriviaQA")
    assert result.ret == 1
    prediction = world.outcome / "baseline" / "predictions" / "nlp" / "TriviaQA" / "prediction.json"
    assert failure(result, "nlp-TriviaQA") == (
        f"{prediction}: made for an earlier version of {task_file}; "
        "predict again (step 1) before scoring"
    )
    assert workbook_cell(world.outcome / "baseline_result.xlsx", "NLP", "TriviaQA") is None
    assert world.others_changed("nlp-TriviaQA") == []
    printed_once(result)


def test_a_changed_task_file_leaves_the_level(world: World) -> None:
    folder = world.tree / "nlp" / "TriviaQA"
    data = read_task(folder)
    data["data"][0]["output"]["answer"] = "Mars, the fourth planet"
    write_task(folder, data)
    result = world.run("--step", "3")
    assert (
        "nlp-TriviaQA: stored result left out: its task file changed since it was scored "
        "(run the task again)" in result.stdout.str()
    )
    level = json.loads((world.outcome / "baseline_level.json").read_text())
    assert level["nlp"]["supported"] == 5
    assert world.others_changed() == []


def test_a_limited_run_is_kept_apart_and_says_so(world: World) -> None:
    result = world.run("--limit", "1", "-k", "nlp")
    result.assert_outcomes(passed=7)
    touched = changed(world.before, snapshot(world.outcome))
    # the limited run's own files, and the record of its own workbook (.genbench/)
    ours = [path.removeprefix(".genbench/").startswith("baseline@limit1") for path in touched]
    assert touched and all(ours), touched
    limited = json.loads((world.outcome / "baseline@limit1_level.json").read_text())
    assert limited["limit"] == 1 and limited["provenance"]["limit"] == 1
    provenance = {
        row["Model"]: row["Mode"]
        for row in _rows(world.outcome / "baseline@limit1_result.xlsx", "Level-Scores")
    }
    assert provenance["limit"] == 1
    out = result.stdout.str()
    assert "limited run: the first 1 instances of each task (a smoke test)" in out
    assert "limited run (first 1 instances per task): a smoke test, not a General-Level" in out


def test_folders_differing_in_case_both_fail(world: World) -> None:
    source = world.tree / "image" / "comprehension" / "Crowd-Counting"
    lower = source.parent / "crowd-counting"
    shutil.copytree(source, lower)
    result = world.run("-k", "Crowd-Counting")
    assert result.ret == 1
    assert failure(result, "image-comprehension-Crowd-Counting") == (
        f"{source}: matches the row Image-Comprehension: 'Crowd Counting' (by task field), "
        f"as does {lower} (by task field); rename a folder or map it with --task-map"
    )
    assert failure(result, "image-comprehension-crowd-counting").startswith(f"{lower}: ")
    assert world.others_changed("image-comprehension-Crowd-Counting") == []
    printed_once(result)


def test_item_ids_differing_in_case_both_fail(world: World) -> None:
    upper = clone(world.tree, TRIVIA, "Case-Pair")
    lower = clone(world.tree, TRIVIA, "case-pair")
    result = world.run("-k", "case-pair")
    assert result.ret == 1
    assert failure(result, "nlp-Bx-Case-Pair") == (
        f"{upper}: its item id 'nlp-Bx-Case-Pair' differs only in case from {lower}; rename one"
    )
    assert failure(result, "nlp-Bx-case-pair").startswith(f"{lower}: its item id ")
    assert world.others_changed() == []
    printed_once(result)


def test_an_all_failed_run_writes_no_level(world: World, tmp_path: Path) -> None:
    module = adapters(Paths(world, tmp_path))
    fresh = tmp_path / "fresh"
    result = world.run("--model", f"{module}:failing", "-k", "nlp", outcome=fresh)
    assert result.ret == 1
    found = outcomes(result)
    assert len(found) == 7 and {outcome for outcome, _ in found.values()} == {"failed"}
    for item, (_, text) in found.items():
        task_file = world.tree / "nlp" / item.removeprefix("nlp-") / "annotation.json"
        first_id = json.loads(task_file.read_text())["data"][0]["id"]
        assert last_line(text) == (
            f"{task_file}: model 'failing': instance {str(first_id)!r}: RuntimeError: server down"
        )
    assert "no task was scored: no workbook or level written" in result.stdout.str()
    assert not list(fresh.glob("*_level.json")) and not list(fresh.glob("*.xlsx"))
    printed_once(result)


@pytest.mark.parametrize(
    ("scores", "value"),
    [
        ({"nlp-TriviaQA": 250}, "250"),
        ({"nlp-TriviaQA": -50}, "-50"),
        ({"TriviaQA": {"0": 250, "1": 50}}, "250"),
    ],
    ids=["task-score-250", "task-score-minus-50", "instance-score-250"],
)
def test_external_scores_out_of_range(world: World, scores: dict, value: str) -> None:
    path = world.pytester.path / "scores.json"
    path.write_text(json.dumps(scores))
    result = world.run("--external-scores", str(path), "--model-name", "ext", "-k", "TriviaQA")
    assert result.ret == 1
    line = failure(result, "nlp-TriviaQA")
    expected = re.escape(str(path)) + r": .*TriviaQA.*" + re.escape(value) + r"(\.0)?\b.*"
    assert re.fullmatch(expected, line), line
    stored = json.loads((world.outcome / "ext" / "tasks" / "nlp-TriviaQA.json").read_text())
    assert (stored["status"], stored["score"]) == ("failed", None)
    assert world.others_changed() == []
    printed_once(result)


# --- secrets never written or shown ---------------------------------------------------------

KEY = "sk-corpus-url-4f1c9e"
HEADER_KEY = "sk-corpus-env-7a2d05"
JUDGE_KEY = "sk-corpus-judge-93be1"


class _NotJson(BaseHTTPRequestHandler):
    """Answers 200 with a body that is not JSON, or under ``/good/`` a proper answer;
    keeps what it was sent.
    """

    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        type(self).bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        data = b"<html><body>upstream proxy says hello</body></html>"
        kind = "text/html"
        if self.path.startswith("/good/"):
            data = json.dumps({"choices": [{"message": {"content": "Paris"}}]}).encode()
            kind = "application/json"
        try:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def not_json_server() -> Any:
    _NotJson.bodies = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NotJson)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_keys_never_written_or_shown(
    world: World, not_json_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs with keys in the model URL, its query, the judge's query and the
    environment: one whose server answers 200 with HTML (the task fails, under ``-l``),
    one whose server answers (predictions, results, workbook and level are written). No key
    in the terminal, any file of the outcome folder, the HTML reports or the junit XML; no
    outside file sent to the server.
    """
    monkeypatch.setenv("OPENAI_API_KEY", HEADER_KEY)
    escape = clone(world.tree, SPORTS, "escape")
    data = read_task(escape)
    data["data"][0]["input"]["image"] = relative_to(world.store.outside / "secret.png", escape)
    write_task(escape, data)
    judge = f"openai:http://127.0.0.1:9/v1?api_key={JUDGE_KEY}#judge"
    shown: list[str] = []
    for name, path, select in (("tiny", "v1", "TriviaQA or Bx-escape"), ("good", "good/v1", "nlp")):
        url = f"http://user:{KEY}@127.0.0.1:{not_json_server}/{path}?api-key={KEY}"
        reports = world.pytester.path / name
        result = world.run(
            *("--model", f"openai:{url}#{name}", "--judge", judge, "-k", select, "-l"),
            *("--html", str(reports / "report.html"), "--self-contained-html"),
            *("--junitxml", str(reports / "junit.xml")),
        )
        shown += [*result.outlines, *result.errlines]
        assert any("openai:http://***@127.0.0.1" in line for line in header(result.outlines))
        if name == "tiny":
            failing = result
            assert result.ret == 1
        else:
            assert result.ret == 0, result.outlines[-20:]
    trivia = world.tree / "nlp" / "TriviaQA" / "annotation.json"
    line = failure(failing, "nlp-TriviaQA")
    assert re.fullmatch(re.escape(str(trivia)) + r": model 'tiny': .*JSON.*", line), line
    line = failure(failing, "image-comprehension-Bx-escape")
    assert line.startswith(f"{escape / 'annotation.json'}: instance '0': field 'input.image': ")
    secret = base64.b64encode((world.store.outside / "secret.png").read_bytes())
    assert _NotJson.bodies, "the model server was never asked"
    assert not any(secret in body for body in _NotJson.bodies), "an outside file was sent"
    written = {path.name for path, _ in file_texts(world.outcome)}
    assert {"good_result.xlsx", "good_level.json", "prediction.json"} <= written
    text = "\n".join(shown)
    assert "Traceback" not in text and "Authorization" not in text
    for key in (KEY, HEADER_KEY, JUDGE_KEY):
        assert key not in text, "the terminal shows a key"
        assert holding(world.outcome, key) == [], "an outcome file holds a key"
        assert holding(world.pytester.path, key) == [], "a report holds a key"
    printed_once(failing)


# --- files follow the umask -----------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_files_follow_the_umask(world: World, umask: int, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    old = os.umask(umask)
    try:
        result = world.run("-k", "TriviaQA or Deraining", outcome=fresh)
    finally:
        os.umask(old)
    result.assert_outcomes(passed=2)
    wrong = [
        (path.relative_to(fresh).as_posix(), oct(path.stat().st_mode & 0o777))
        for path in fresh.rglob("*")
        if path.stat().st_mode & 0o777 != (0o777 if path.is_dir() else 0o666) & ~umask
    ]
    assert wrong == []


# --- kill -9 at random moments loses nothing ------------------------------------------------


def _comparable(outcome: Path) -> tuple[dict[str, Any], dict[str, list[tuple[object, ...]]]]:
    """The level JSON without provenance, and the workbook's cells without provenance."""
    level = json.loads((outcome / "baseline_level.json").read_text())
    level.pop("provenance")
    return level, workbook_values(outcome / "baseline_result.xlsx")


def _results_since(folder: Path, moment: float) -> int:
    """How many task results under ``folder`` were written after ``moment``."""
    return sum(path.stat().st_mtime >= moment for path in folder.glob("*.json"))


def test_kill_9_at_random_moments_then_rerun_equals_a_clean_run(
    world: World, tmp_path: Path
) -> None:
    """Three runs of the whole sample, each killed (SIGKILL to its process group) at a
    random moment after it has written a task result, then one run to the end: its
    workbook and level equal the clean run's.
    """
    fresh = tmp_path / "killed"
    results = fresh / "baseline" / "tasks"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
    ]
    command += ["--dataset-dir", str(world.tree), "--outcome-dir", str(fresh)]
    killed = 0
    for seed in (0, 1, 2):
        launched = time.time()
        process = subprocess.Popen(
            command,
            cwd=world.pytester.path,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while (
            process.poll() is None
            and not _results_since(results, launched)
            and time.monotonic() < deadline
        ):
            time.sleep(0.02)
        time.sleep(random.Random(seed).uniform(0.0, 2.5))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed >= 2, "the runs ended before they could be killed"
    final = subprocess.run(command, cwd=world.pytester.path, capture_output=True, text=True)
    assert final.returncode == 0, final.stdout[-2000:]
    assert _comparable(fresh) == _comparable(world.store.clean)
