"""The published-tree generator writes every variant of the release, as it says it does.

Variants are checked by walking the written tree with readers of these tests' own, not by
trusting the generator's description; the description is then checked against the tree
and against references/sota.csv.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import re
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.published_tree import (
    SPECS,
    PublishedTree,
    TaskRecord,
    make_old_casing_tree,
    make_published_tree,
)

REPO = Path(__file__).resolve().parents[1]
MEDIA_DIRS = ("images", "audios", "videos", "video", "depth", "pointclouds")
MEDIA_SUFFIXES = (".png", ".jpg", ".wav", ".npy", ".npz")
SHEETS = {
    ("NLP", None): "NLP",
    **{
        (m, p): f"{m}-{p}"
        for m in ("Image", "Video", "Audio", "3D")
        for p in ("Comprehension", "Generation")
    },
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> PublishedTree:
    return make_published_tree(tmp_path_factory.mktemp("open"))


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> PublishedTree:
    return make_published_tree(tmp_path_factory.mktemp("close"), closeset=True)


# ---- readers of our own -------------------------------------------------------------


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_task_file(path: Path) -> bool:
    try:
        value = read(path)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(value, dict) and isinstance(value.get("data"), list)


def version(path: Path) -> int:
    match = re.search(r"_v(\d+)\.json$", path.name)
    return int(match.group(1)) if match else 1


def task_files(root: Path) -> dict[str, str]:
    """Task folder -> its task file (the highest ``_vN``), both relative to the root."""
    found: dict[Path, list[Path]] = {}
    for path in sorted(root.rglob("*.json")):
        if is_task_file(path):
            folder = path.parent.parent if path.parent.name == "json" else path.parent
            found.setdefault(folder, []).append(path)
    return {
        folder.relative_to(root).as_posix(): max(files, key=version).relative_to(root).as_posix()
        for folder, files in found.items()
    }


def instances(root: Path) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(task folder, task file contents, instance) over every task of the tree."""
    for folder, file in task_files(root).items():
        content = read(root / file)
        for instance in content["data"]:
            yield folder, content, instance


def fold(name: str) -> str:
    return re.sub(r"[\s\-_]+", "", name).casefold().replace("vqa", "visualquestionanswering")


@functools.cache
def table() -> list[dict[str, str]]:
    with (REPO / "references" / "sota.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def matches(record: TaskRecord) -> list[tuple[str, tuple[str, str]]]:
    """Every (rule, row) by which the task's field or folder finds a row of its sheet."""
    sheet = SHEETS[(record.modality, record.paradigm)]
    task, folder = fold(record.task_field), fold(Path(record.folder).name)
    found = []
    for row in table():
        if row["Sheet"] != sheet:
            continue
        name, short = fold(row["Task Name"]), fold(row["Task Short Name"])
        key = (sheet, row["Task Name"])
        found += [("task field", key)] if task == name else []
        found += [("folder name", key)] if folder == name else []
        found += [("short name", key)] if short in (task, folder) else []
    return found


def media_strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(field name, path) of every media path in an instance's fields."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from media_strings(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from media_strings(item, key)
    elif isinstance(value, str) and value.endswith(MEDIA_SUFFIXES):
        yield key, value


def resolve(task: Path, field: str, written: str) -> tuple[str, Path]:
    """The path form of a written media path and the file it names, as the release means."""
    parts = written.replace("\\", "/").split("/")
    if "\\" in written:
        return "windows", _media_dir(task) / "/".join(parts)
    if written.startswith("./data/"):
        return "stale", _media_dir(task) / parts[-1]
    if len(parts) == 1:
        return "bare", _media_dir(task) / written
    if (task / parts[0]).is_dir():
        return "task-relative", task / written
    assert field == "video_file_list", written
    return "videos-relative", task / "videos" / written


def _media_dir(task: Path) -> Path:
    dirs = [task / name for name in MEDIA_DIRS if (task / name).is_dir()]
    assert len(dirs) == 1, dirs
    return dirs[0]


def dig(value: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        value = value[key]
    return value


# ---- determinism ----------------------------------------------------------------------


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(
    tree: PublishedTree, tmp_path: Path
) -> None:
    again = make_published_tree(tmp_path / "again")
    other = make_published_tree(tmp_path / "other", seed=1)
    assert (again.tasks, again.non_tasks) == (tree.tasks, tree.non_tasks)
    assert tree_bytes(tree.root) == tree_bytes(again.root)
    first, second = tree_bytes(tree.root), tree_bytes(other.root)
    common = first.keys() & second.keys()
    assert sum(first[k] != second[k] for k in common) > len(common) // 2


def test_copies_repeat_each_task_folder_byte_for_byte(tmp_path: Path) -> None:
    copied = make_published_tree(tmp_path, copies=3)
    found = task_files(tmp_path)
    assert len(found) == len(copied.tasks) == 3 * len({t.task_field for t in copied.tasks})
    for record in copied.tasks:
        if record.folder.endswith(("-2", "-3")):
            original = copied.task(record.folder[:-2])
            assert read(tmp_path / record.task_file) == read(tmp_path / original.task_file)
            written = tree_bytes(tmp_path / original.folder)
            for item in copied.non_tasks:  # not the task's own files: written once
                written.pop(item.path.removeprefix(f"{original.folder}/"), None)
            assert tree_bytes(tmp_path / record.folder) == written
            assert record.task_field == original.task_field
            assert (record.row, record.rule) == (
                (None, "none") if original.rule == "folder name" else (original.row, original.rule)
            )


# ---- the description agrees with the tree and the table --------------------------------


def test_walking_finds_exactly_the_described_task_files(tree: PublishedTree) -> None:
    assert task_files(tree.root) == {t.folder: t.task_file for t in tree.tasks}


def test_described_ids_and_references_are_those_written(tree: PublishedTree) -> None:
    for record in tree.tasks:
        data = read(tree.root / record.task_file)["data"]
        assert record.ids == tuple(instance["id"] for instance in data)
        for described, instance in zip(record.instances, data, strict=True):
            assert described.reference == dig(instance, record.reference_field)


def test_rows_and_rules_are_those_the_table_gives(tree: PublishedTree) -> None:
    metrics = {(r["Sheet"], r["Task Name"]): r["Metrics"] for r in table()}
    for record in tree.tasks:
        found = matches(record)
        assert len({row for _, row in found}) <= 1, (record.folder, found)
        assert (found[0] if found else ("none", None)) == (record.rule, record.row)
        assert record.metric == (metrics[record.row] if record.row else None)
        top = record.folder.split("/")[0]
        assert record.modality == {"3d": "3D", "nlp": "NLP"}.get(top.casefold(), top.capitalize())
    assert {t.rule for t in tree.tasks} == {"task field", "folder name", "short name", "none"}


def is_boxes(reference: Any) -> bool:
    """A dict of label -> boxes, or a list of {label: box}."""
    items = reference if isinstance(reference, list) else [reference]
    return all(isinstance(i, dict) for i in items) and all(
        isinstance(b, list) for i in items for b in i.values()
    )


def test_each_metric_fits_its_references(tree: PublishedTree) -> None:
    suffixes = {"WER": ".wav", "CD (Chamfer Distance)": ".npy", "absRel": ".npz"}
    for record in tree.tasks:
        references = [i.reference for i in record.instances]
        oracles = [i.oracle for i in record.instances]
        metric = record.metric or ""
        assert metric.startswith("AP") == all(map(is_boxes, references)), record.folder
        if metric in ("MAE", "RMSE"):
            assert all(float(o) == float(r) for o, r in zip(oracles, references, strict=True))
        if metric in suffixes:
            assert all(o.endswith(suffixes[metric]) for o in oracles), record.folder
        if metric == "PSNR":
            assert all((tree.root / record.folder / o).exists() for o in oracles)
        if metric.casefold() == "acc":
            assert all(isinstance(o, str) and 0 < len(o) < 20 for o in oracles)
    metrics = {t.metric for t in tree.tasks}
    assert {"AP75", "AP50", "ACC", "Acc", "MAE", "RMSE", "WER", "CD (Chamfer Distance)"} <= metrics


def expected_oracle(task: Path, reference: Any, xywh: bool) -> str:
    """The answer a model gives when it is right, read from the reference as written."""
    if isinstance(reference, dict) and is_boxes(reference):
        return json.dumps([box for boxes in reference.values() for box in boxes])
    if isinstance(reference, list) and is_boxes(reference):
        boxes = [box for item in reference for box in item.values()]
        return json.dumps([[x, y, x + w, y + h] if xywh else [x, y, w, h] for x, y, w, h in boxes])
    if isinstance(reference, list) and str(reference[0]).endswith(MEDIA_SUFFIXES):
        _, first = resolve(task, "video_file_list", reference[0])
        return first.parent.relative_to(task).as_posix()
    if isinstance(reference, list):
        return str(reference[0])
    if isinstance(reference, str) and reference.endswith(MEDIA_SUFFIXES):
        return resolve(task, "", reference)[1].relative_to(task).as_posix()
    return str(reference)


def test_oracle_answers_restate_the_references(tree: PublishedTree) -> None:
    for record in tree.tasks:
        xywh = "others" in read(tree.root / record.task_file)
        for instance in record.instances:
            expected = expected_oracle(tree.root / record.folder, instance.reference, xywh)
            assert instance.oracle == expected, record.folder


# ---- layout -----------------------------------------------------------------------------


def test_top_level_and_paradigm_folders(tree: PublishedTree) -> None:
    assert {p.name for p in tree.root.iterdir()} == {"3D", "audio", "image", "nlp", "video"}
    for modality in ("3D", "audio", "image", "video"):
        paradigms = {p.name for p in (tree.root / modality).iterdir()}
        assert paradigms == {"comprehension", "generation"}


def test_old_casing_tree(tmp_path: Path) -> None:
    old = make_old_casing_tree(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"NLP", "Image"}
    assert task_files(tmp_path) == {t.folder: t.task_file for t in old.tasks}
    assert {t.modality for t in old.tasks} == {"NLP", "Image"}


FOLDER_STYLES = {
    "Capital-Hyphen": r"[A-Z][a-z]+(-[A-Z][a-zA-Z]+)+",
    "CamelCase": r"([A-Z][a-z]+){2,}",
    "snake_case": r"[a-z0-9]+(_[a-z0-9]+)+",
    "lower-hyphen": r"[a-z]+(-[a-z]+)+",
}


def test_folder_name_styles(tree: PublishedTree) -> None:
    names = [Path(folder).name for folder in task_files(tree.root)]
    for style, pattern in FOLDER_STYLES.items():
        assert any(re.fullmatch(pattern, name) for name in names), style
    assert {"Causal-Reasoning", "AccentClassification", "3d_classification"} <= set(names)
    assert {
        "AgricultureVideoQuestionAnswering",
        "car_brands_recognition",
        "chinese-fine-art",
    } <= set(names)


def test_task_file_variants(tree: PublishedTree) -> None:
    kinds = set()
    for folder, file in task_files(tree.root).items():
        name, parent = Path(file).name, Path(file).parent.name
        siblings = {p.name for p in (tree.root / file).parent.iterdir()}
        if name == "annotation.json" and parent != "json":
            kinds.add("annotation.json")
        elif parent == "json" and name == "annotation.json":
            kinds.add("json/annotation.json")
        elif parent == "json" and {"annotation.json", "annotation_v2.json"} <= siblings:
            kinds.add("json/ with _v2")
        elif name == f"{Path(folder).name}.json":
            kinds.add("<Task>/<Task>.json")
        elif re.fullmatch(r"[a-z]+(_[a-z]+)+\.json", name) and siblings & set(MEDIA_DIRS):
            kinds.add("snake_case.json beside media")
    assert kinds == {
        "annotation.json",
        "json/annotation.json",
        "json/ with _v2",
        "<Task>/<Task>.json",
        "snake_case.json beside media",
    }
    art = tree.root / "image/comprehension/chinese-fine-art/json"
    older, newer = read(art / "annotation.json"), read(art / "annotation_v2.json")
    assert len(older["data"]) < len(newer["data"]) and older["version"] != newer["version"]


# ---- top-level fields and task names ---------------------------------------------------


def test_top_level_fields(tree: PublishedTree) -> None:
    headers = [read(tree.root / file) for file in task_files(tree.root).values()]
    keys = set().union(*headers)
    assert {"modality", "version", "set_type", "skill", "domain", "data_source"} <= keys
    assert {"general_capability", "others", "task", "type", "data"} <= keys
    assert all(h["set_type"] == "openset" for h in headers)
    modality = next(h["modality"] for h in headers if "modality" in h)
    assert set(modality) == {"in", "out"}


def boxes_fit(root: Path, folder: str, content: dict[str, Any]) -> list[bool]:
    """Whether each box lies inside its image, read in the task's declared box format."""
    xywh = content.get("others", {}).get("bbox_format") == "(x_min, y_min, width, height)"
    fits = []
    for instance in content["data"]:
        output = instance["output"]
        labelled = output["bbox"] if "bbox" in output else [output["text"]]
        boxes = [box for item in labelled for group in item.values() for box in _boxes(group)]
        _, path = resolve(root / folder, "image_file", instance["input"]["image_file"])
        width, height = Image.open(path).size
        for x, y, a, b in boxes:
            x2, y2 = (x + a, y + b) if xywh else (a, b)
            fits.append(0 <= x < x2 <= width and 0 <= y < y2 <= height)
    return fits


def _boxes(group: list[Any]) -> list[list[int]]:
    return group if group and isinstance(group[0], list) else [group]


def test_detection_boxes_in_both_formats(tree: PublishedTree) -> None:
    formats = set()
    for folder, file in task_files(tree.root).items():
        content = read(tree.root / file)
        if content["type"] == "Detection":
            assert all(boxes_fit(tree.root, folder, content)), folder
            formats.add(content.get("others", {}).get("bbox_format", "corners"))
    assert formats == {"corners", "(x_min, y_min, width, height)"}


def test_task_field_variants(tree: PublishedTree) -> None:
    fields = {
        Path(folder).name: read(tree.root / file)["task"]
        for folder, file in task_files(tree.root).items()
    }
    assert {
        "chemistry vqa",
        "fall-human-detection",
        "natural_language_inference",
        "event_coreference_mcq",
        "Document-Level Causal",
        "Multi-Turn_Daily_Dialogue_Generationid",
    } <= set(fields.values())
    assert fold("Event Coreference Resolution") == fold(
        next(name for name, task in fields.items() if task == "event_coreference_mcq")
    )
    unmatched = [t for t in tree.tasks if not matches(t)]
    assert unmatched and all(fold(t.task_field) not in map(fold, _all_names()) for t in unmatched)


def _all_names() -> list[str]:
    return [row["Task Name"] for row in table()] + [row["Task Short Name"] for row in table()]


# ---- media ------------------------------------------------------------------------------


def test_media_subfolders(tree: PublishedTree) -> None:
    dirs = {p.name for p in tree.root.rglob("*") if p.is_dir()}
    assert set(MEDIA_DIRS) <= dirs
    frames = list(tree.root.glob("video/comprehension/*/videos/*/*.jpg"))
    assert frames and all(re.fullmatch(r"\d+", p.parent.name) for p in frames)


def test_every_media_path_names_a_file_in_its_path_form(tree: PublishedTree) -> None:
    forms: dict[str, set[str]] = {}
    for record in tree.tasks:
        task = tree.root / record.folder
        data = read(tree.root / record.task_file)["data"]
        for described, instance in zip(record.instances, data, strict=True):
            resolved = set()
            for field, written in media_strings(instance):
                form, path = resolve(task, field, written)
                assert path.is_file(), (record.folder, written)
                forms.setdefault(form, set()).add(record.folder)
                resolved.add((written, path.relative_to(task).as_posix()))
            assert resolved == set(described.media), record.folder
    assert set(forms) == {"bare", "task-relative", "stale", "windows", "videos-relative"}
    assert "audio/comprehension/AccentClassification" in forms["windows"]


def test_media_files_are_real(tree: PublishedTree) -> None:
    for path in tree.root.rglob("*"):
        if path.suffix in (".png", ".jpg"):
            assert min(Image.open(path).size) >= 32
        elif path.suffix == ".wav":
            with wave.open(str(path)) as handle:
                assert handle.getnframes() > 0
        elif path.suffix == ".npy":
            assert np.load(path).shape == (64, 3)
        elif path.suffix == ".npz":
            assert np.load(path)["depth"].ndim == 3


def test_audio_task_with_a_video_file_field_in_audios(tree: PublishedTree) -> None:
    found = []
    for folder, _, instance in instances(tree.root):
        inputs = instance.get("input", {})
        for field in ("video_file", "image_file"):
            if folder.startswith("audio/") and field in inputs:
                _, path = resolve(tree.root / folder, field, inputs[field])
                found.append(path.parent.name == "audios" and path.suffix == ".wav")
    assert found and all(found)


def test_generation_tasks_carry_reference_media(tree: PublishedTree) -> None:
    suffixes = {}
    for folder, _, instance in instances(tree.root):
        if "/generation/" in f"/{folder}/":
            for field, written in media_strings(instance.get("output", {})):
                _, path = resolve(tree.root / folder, field, written)
                assert path.is_file()
                suffixes.setdefault(folder.split("/")[0], set()).add(path.suffix)
    assert {".png"} <= suffixes["image"] and {".wav"} <= suffixes["audio"]
    assert {".npy"} <= suffixes["3D"] and {".png"} <= suffixes["video"]


# ---- references and inputs --------------------------------------------------------------


def shapes(root: Path) -> set[str]:
    """Names of the reference and input shapes the tree's instances use."""
    found = set()
    for _, content, instance in instances(root):
        output, inputs = instance.get("output", {}), instance.get("input", {})
        if isinstance(output, dict):
            for key, value in output.items():
                found.add(f"output.{key}:{type(value).__name__}")
            if isinstance(output.get("bbox"), list) and all(
                isinstance(b, dict) for b in output["bbox"]
            ):
                found.add("bbox list of {label: box}")
        else:
            found.add(f"output:{type(output).__name__}")
        if "dialog" in instance and "response" in output:
            found.add("dialog + output.response")
        if isinstance(inputs, dict):
            found.add("input:" + "+".join(sorted(inputs)))
            if "<<<raw_text>>>" in inputs.get("prompt", "") and "raw_text" in inputs:
                found.add(f"raw_text placeholder:{content['type']}")
            if "\nA. " in inputs.get("question", "") and "image_file" in inputs:
                found.add("choices in input.question")
    return found


def test_reference_shapes(tree: PublishedTree) -> None:
    assert {
        "output.text:str",
        "output.text:list",
        "output.text:dict",
        "output.prediction:str",
        "output.bbox:list",
        "bbox list of {label: box}",
        "output.category:str",
        "output.answer:str",
        "output.answer:list",
        "dialog + output.response",
        "output:str",
    } <= shapes(tree.root)


def test_input_shapes(tree: PublishedTree) -> None:
    assert {
        "input:options+question",
        "input:options+question+text",
        "input:context+question",
        "input:prompt+raw_text",
        "input:image_file+prompt+question",
        "choices in input.question",
        "input:audio_file+prompt",
        "input:prompt+video_file",
        "input:prompt+video_file_list",
        "raw_text placeholder:classification",
        "raw_text placeholder:ner",
    } <= shapes(tree.root)


def test_language_families(tree: PublishedTree) -> None:
    kinds = {
        content["type"] for folder, content, _ in instances(tree.root) if folder.startswith("nlp/")
    }
    assert {
        "MultipleChoiceQA",
        "OpenQA",
        "Dialogue",
        "Mathematical Word Problem Solving",
        "Time Series",
        "classification",
        "ner",
        "Translation",
        "Summarization",
    } <= kinds


def test_instance_ids_repeat_across_tasks_not_within(tree: PublishedTree) -> None:
    seen: dict[str, set[str]] = {}
    for record in tree.tasks:
        assert len(set(record.ids)) == len(record.ids)
        for instance_id in record.ids:
            seen.setdefault(instance_id, set()).add(record.folder)
    assert len(seen["0458"]) == 2


# ---- things that are not tasks ---------------------------------------------------------


def test_non_tasks_are_written_and_are_not_task_files(tree: PublishedTree) -> None:
    found = task_files(tree.root)
    superseded = {
        p.relative_to(tree.root).as_posix()
        for file in found.values()
        for p in (tree.root / file).parent.glob("*.json")
        if is_task_file(p)
    }
    described = [tree.root / item.path for item in tree.non_tasks]
    assert all(path.exists() for path in described)
    for path in tree.root.rglob("*.json"):
        relative = path.relative_to(tree.root).as_posix()
        if relative not in superseded:
            assert any(path == d or d in path.parents for d in described), relative
    for item in tree.non_tasks:
        assert item.path not in found and item.reason
    folders = [item.path for item in tree.non_tasks if (tree.root / item.path).is_dir()]
    assert not any(f == d or f.startswith(f"{d}/") for f in found for d in folders)


def test_non_task_kinds(tree: PublishedTree) -> None:
    kinds = set()
    for item in tree.non_tasks:
        path = tree.root / item.path
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        jsons = [f for f in files if f.suffix == ".json"]
        if not jsons and any(f.suffix == ".wav" for f in files):
            kinds.add("media, no JSON")
        for file in jsons:
            try:
                value = read(file)
            except json.JSONDecodeError:
                kinds.add("broken JSON")
                continue
            if isinstance(value, list) and all({"id", "prediction"} == set(v) for v in value):
                if is_task_file(file.parent / "annotation.json"):
                    kinds.add("prediction.json beside a task file")
            elif (
                isinstance(value, dict)
                and "data" not in value
                and file.name in ("results.json", "score.json")
            ):
                kinds.add(file.name)
            elif isinstance(value, dict) and not isinstance(value.get("data"), list):
                kinds.add("config without a data list")
    assert kinds == {
        "media, no JSON",
        "broken JSON",
        "prediction.json beside a task file",
        "results.json",
        "score.json",
        "config without a data list",
    }


# ---- the close set ----------------------------------------------------------------------


def test_closeset_has_no_references(tree: PublishedTree, closed: PublishedTree) -> None:
    assert task_files(closed.root) == task_files(tree.root)
    outputs = []
    for _, content, instance in instances(closed.root):
        assert content["set_type"] == "closeset"
        outputs.append(instance.get("output", "absent"))
    assert set(map(str, outputs)) == {"{}", "absent"}
    assert all(i.reference is None for t in closed.tasks for i in t.instances)
    open_files, close_files = tree_bytes(tree.root).keys(), tree_bytes(closed.root).keys()
    assert close_files < open_files
    references = {
        f"{t.folder}/{path}"
        for t in tree.tasks
        for i in t.instances
        for written, path in i.media
        if written in str(i.reference)
    }
    assert references and references.isdisjoint(close_files)
    assert {p for p in open_files - close_files if p.endswith(MEDIA_SUFFIXES)} == references


# ---- the command line ------------------------------------------------------------------


def test_command_line_writes_a_tree_and_refuses_a_full_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("cli", REPO / "tools" / "make_published_tree.py")
    assert spec is not None and spec.loader is not None
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out = str(tmp_path / "out")
    assert cli.main([out, "--closeset", "--copies", "2", "--seed", "3"]) == 0
    assert f"wrote {2 * len(SPECS)} task folders" in capsys.readouterr().out
    assert read(tmp_path / "out/nlp/Causal-Reasoning-2/annotation.json")["set_type"] == "closeset"
    with pytest.raises(SystemExit) as refused:
        cli.main([out])
    assert refused.value.code == 2 and "not empty" in capsys.readouterr().err
