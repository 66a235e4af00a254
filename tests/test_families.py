"""Task families: which family a task gets, answer parsing, references, external scores."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from genbench.data import AnnotationError, Instance, discover_tasks, sample_root
from genbench.metrics import Box, JudgedReference
from genbench.runner import RunSettings, TaskError, TaskRunner
from genbench.tasks import resolve_family
from genbench.tasks._structured import (
    boxes_in_answer,
    json_in_text,
    read_detections,
    read_items,
    read_track,
)


def _instance(fields, path=Path("annotation.json")):
    return Instance(str(fields.get("id", "0")), fields, path)


def test_every_sample_task_has_the_family_its_metric_needs(table):
    expected = {
        "AP10": "boxes",
        "R@50": "boxes or relations",
        "AUC": "box track",
        "m_vIoU": "box track",
        "Instance mIoU": "part labels",
        "mAP": "3D detections",
        "mAP@50": "3D detections",
        "mIoU": "dense map",
        "DICE": "dense map",
        "SAD": "dense map",
        "RMS": "dense map",
        "PQ": "dense map",
        "absRel": "dense map",
        "EPE": "dense map",
        "Structure measure": "dense map",
        "MS-SSIM": "image output",
        "L1 distance": "video output",
        "ANLS": "text answer",
        "CIDEr": "text answer",
        "EM@1": "text answer",
        "RTE": "text answer",
    }
    seen = set()
    for task in discover_tasks(sample_root(), table):
        if task.reference is None or task.reference.metric.name not in expected:
            continue
        first = next(iter(json.loads(task.annotation_path.read_text())["data"]))
        family = resolve_family(task, _instance(first, task.annotation_path))
        assert family.name == expected[task.reference.metric.name], task.item_id
        seen.add(task.reference.metric.name)
    assert seen == set(expected)


def test_box_answers_in_every_accepted_form():
    assert boxes_in_answer("[1, 2, 3, 4]") == [Box(1, 2, 3, 4)]
    assert boxes_in_answer('```json\n[{"bbox_2d": [0, 0, 5, 5], "label": "Cat"}]\n```') == [
        Box(0, 0, 5, 5, "cat")
    ]
    assert boxes_in_answer('{"bbox": [1, 1, 2, 3], "score": 0.5}') == [Box(1, 1, 3, 4, "", 0.5)]
    assert boxes_in_answer("The box is (10, 20), (30, 40).") == [Box(10, 20, 30, 40)]
    assert boxes_in_answer("no box") == []
    assert boxes_in_answer("[0, 0, 0, 0]") == []


def test_tracks_items_and_detections():
    track = read_track({"0": [0, 0, 2, 2], "2": None})
    assert track == {0: Box(0, 0, 2, 2)}
    assert read_track([[0, 0, 0, 0], [1, 1, 3, 3]]) == {1: Box(1, 1, 3, 3)}
    assert read_items("man ride horse\n\nman wear hat") == ["man ride horse", "man wear hat"]
    assert read_items([["man", "ride", "horse"]]) == ["man ride horse"]
    found = read_detections([{"label": "Chair", "box": [0, 0, 0, 1, 1, 1], "score": 0.3}])
    assert found[0].label == "chair" and found[0].score == 0.3
    with pytest.raises(ValueError, match="'box'"):
        read_detections([{"label": "x"}])
    with pytest.raises(ValueError, match="no JSON"):
        json_in_text("nothing here")


def test_text_answer_forms(table, tmp_path):
    tasks = {t.item_id: t for t in discover_tasks(sample_root(), table)}
    mner = tasks["image-comprehension-MNER"]
    first = _instance(json.loads(mner.annotation_path.read_text())["data"][0])
    family = resolve_family(mner, first)
    assert family.scorer_variant(mner, first) == "labels"
    assert family.reference(mner, first) == {"ada", "bob"}
    assert family.parse(mner, first, "Bob<p>Ada", tmp_path).value == {"ada", "bob"}
    odometry = tasks["3d-comprehension-3D-Odometry"]
    first = _instance(json.loads(odometry.annotation_path.read_text())["data"][0])
    family = resolve_family(odometry, first)
    assert family.reference(odometry, first) == [0.5, 0.1, 0.0]
    assert family.parse(odometry, first, "x=0.4, y=0.1, z=0", tmp_path).value == [0.4, 0.1, 0.0]
    video_qa = tasks["video-comprehension-Agriculture-Video-QA"]
    first = _instance(json.loads(video_qa.annotation_path.read_text())["data"][0])
    assert resolve_family(video_qa, first).scorer_variant(video_qa, first) == "corpus"


def test_dense_answers(table, tmp_path):
    tasks = {t.item_id: t for t in discover_tasks(sample_root(), table)}
    depth = tasks["image-comprehension-Indoor-Depth-Est"]
    first = _instance(
        json.loads(depth.annotation_path.read_text())["data"][0], depth.annotation_path
    )
    family = resolve_family(depth, first)
    request = family.request(depth, first, tmp_path / "0.npy")
    assert request.output == "array" and request.extra["output_shape"] == [16, 16]
    np.save(tmp_path / "0.npy", np.zeros((16, 16)))
    assert family.parse(depth, first, "0.npy", tmp_path).value == str(tmp_path / "0.npy")
    assert not family.parse(depth, first, "missing.npy", tmp_path).ok
    assert family.parse(depth, first, "[[1, 2]]", tmp_path).value == [[1, 2]]
    broken = _instance({"id": "9", "output": {"depth": "nowhere.npy"}}, depth.annotation_path)
    with pytest.raises(
        AnnotationError, match=r"instance '9': field 'output\.depth': file not found"
    ):
        family.reference(depth, broken)


def test_judged_and_text_conditioned_references(table):
    tasks = {t.item_id: t for t in discover_tasks(sample_root(), table)}
    t2v = tasks["video-generation-Static-T2V"]
    first = _instance(json.loads(t2v.annotation_path.read_text())["data"][0], t2v.annotation_path)
    assert resolve_family(t2v, first).reference(t2v, first) is None  # no-reference metric
    qa = tasks["audio-comprehension-AccentClassification"]
    judged_row = next(r for r in table.sheet("Audio-Comprehension") if r.metric.name == "GPT-Score")
    judged = replace(qa, reference=judged_row)
    first = _instance({"id": "0", "input": {"prompt": "What is said?"}, "output": {"text": "hi"}})
    ref = resolve_family(judged, first).reference(judged, first)
    assert ref == JudgedReference("What is said?", "hi")


def _mos_tree(root):
    folder = root / "audio" / "generation" / "DailyTalk"
    folder.mkdir(parents=True)
    data = [
        {"id": str(i), "input": {"prompt": "talk"}, "output": {"audio_file": "a.wav"}}
        for i in range(3)
    ]
    (folder / "annotation.json").write_text(
        json.dumps({"task": "DailyTalkGeneration", "type": "TTS", "data": data})
    )
    return folder


def test_external_scores_fill_a_judged_task(table, tmp_path):
    _mos_tree(tmp_path)
    scores = tmp_path / "scores.csv"
    scores.write_text("task,id,score\naudio-generation-DailyTalk,0,4\nDailyTalkGeneration,1,3\n")
    settings = RunSettings(
        "baseline", "m", tmp_path / "out", tmp_path, steps=frozenset({2}), external_scores=scores
    )
    (task,) = discover_tasks(tmp_path, table)
    result = TaskRunner(settings, table, lambda: None).score(task)
    assert result.metric == "MOS" and result.score == pytest.approx(3.5)
    assert result.missing == 1 and result.normalized == pytest.approx((3.5 - 1) / 4 * 100)
    whole = tmp_path / "scores.json"
    whole.write_text(json.dumps({"dailytalk_generation": 3.82}))
    settings = RunSettings(
        "baseline", "m", tmp_path / "out", tmp_path, steps=frozenset({2}), external_scores=whole
    )
    result = TaskRunner(settings, table, lambda: None).score(task)
    assert result.score == 3.82 and result.win  # ties win: the SoTA is 3.82
    bad = tmp_path / "bad.csv"
    bad.write_text("task,score\nDailyTalkGeneration,good\n")
    settings = RunSettings(
        "baseline", "m", tmp_path / "out", tmp_path, steps=frozenset({2}), external_scores=bad
    )
    with pytest.raises(TaskError, match=r"bad.csv: row 2: field 'score': not a number"):
        TaskRunner(settings, table, lambda: None).score(task)


def test_nan_in_a_reference_is_one_clear_line(table, tmp_path):
    folder = tmp_path / "nlp" / "TimeSeries"
    folder.mkdir(parents=True)
    data = [{"id": "0", "input": {"data": [1, 2]}, "output": {"target": "nan"}}]
    (folder / "annotation.json").write_text(
        json.dumps({"task": "Time Series", "type": "Time Series", "data": data})
    )
    (folder / "prediction.json").write_text(json.dumps([{"id": "0", "prediction": "3"}]))
    settings = RunSettings(
        "baseline",
        "m",
        tmp_path / "out",
        tmp_path,
        steps=frozenset({2}),
        predictions_beside_tasks=True,
    )
    (task,) = discover_tasks(tmp_path, table)
    with pytest.raises(TaskError, match=r"prediction.json: scoring RMSE: the score is nan"):
        TaskRunner(settings, table, lambda: None).score(task)
