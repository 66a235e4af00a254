"""Each rule of discovery, matching and media paths, on small hand-made trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genbench.data import (
    MediaPathError,
    TaskMapError,
    discover,
    fold,
    match_row,
    read_task_map,
    resolve_media,
    resolve_output,
)
from genbench.runner import output_name


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def task(name="Whatever", kind="OpenQA", n=1, **extra):
    data = [{"id": str(i), "input": {"question": "q"}, "output": {"answer": "a"}} for i in range(n)]
    return {"task": name, "type": kind, "data": data, **extra}


# --- task files ---------------------------------------------------------------------------


def test_the_task_file_is_found_by_content_whatever_its_name(table, tmp_path):
    write(
        tmp_path / "image/comprehension/Bird-Detection/bird_detection.json", task("Bird Detection")
    )
    write(tmp_path / "video/comprehension/StaticVDE/StaticVDE.json", task("StaticVDE"))
    write(tmp_path / "nlp/TriviaQA/json/annotation.json", task("TriviaQA"))
    found = {t.item_id: t for t in discover(tmp_path, table).tasks}
    assert found["image-comprehension-Bird-Detection"].task_file.name == "bird_detection.json"
    assert found["video-comprehension-StaticVDE"].task_file.name == "StaticVDE.json"
    assert found["nlp-TriviaQA"].task_file.relative_to(tmp_path).as_posix() == (
        "nlp/TriviaQA/json/annotation.json"
    )


def test_several_task_files_the_highest_version_wins_and_it_is_said(table, tmp_path):
    folder = tmp_path / "nlp/TriviaQA"
    write(folder / "json/annotation.json", task("TriviaQA", n=1))
    write(folder / "json/annotation_v2.json", task("TriviaQA", n=3))
    write(folder / "json/annotation_v10.json", task("TriviaQA", n=5))
    (found,) = discover(tmp_path, table).tasks
    assert found.task_file.name == "annotation_v10.json" and found.instances == 5
    assert "3 task files: used json/annotation_v10.json" in found.notes[0]
    assert "json/annotation.json" in found.notes[0] and "json/annotation_v2.json" in found.notes[0]


def test_on_a_version_tie_top_level_then_annotation_then_name(table, tmp_path):
    folder = tmp_path / "nlp/TriviaQA"
    write(folder / "json/annotation.json", task("TriviaQA", n=1))
    write(folder / "trivia.json", task("TriviaQA", n=2))
    write(folder / "annotation.json", task("TriviaQA", n=3))
    (found,) = discover(tmp_path, table).tasks
    assert found.task_file == folder / "annotation.json"


def test_predictions_results_and_other_json_are_not_task_files(table, tmp_path):
    folder = tmp_path / "nlp/TriviaQA"
    write(folder / "annotation.json", task("TriviaQA"))
    write(folder / "prediction.json", [{"id": "0", "prediction": "a"}])
    write(folder / "leaderboard.json", {"task": "x", "data": [{"id": "0", "prediction": "a"}]})
    write(folder / "score.json", {"F1": 40.0})
    (found,) = discover(tmp_path, table).tasks
    assert found.task_file.name == "annotation.json"
    notes = "\n".join(found.notes)
    assert "prediction.json: a prediction file" in notes
    assert "leaderboard.json: a prediction file" in notes
    assert "score.json: no 'data' list" in notes


def test_every_folder_without_a_task_is_listed_with_its_reason(table, tmp_path):
    write(tmp_path / "nlp/TriviaQA/annotation.json", task("TriviaQA"))
    write(tmp_path / "video/comprehension/eval_results/results.json", {"BLEU": 1})
    write(tmp_path / "image/generation/configs/config.json", {"data": {"root": "x"}})
    write(tmp_path / "audio/comprehension/Speakers/audios/a.wav", "RIFF")
    write(tmp_path / "3D/comprehension/Deep/inner/annotation.json", task())
    write(tmp_path / "video/other/X/annotation.json", task())
    write(tmp_path / "README/annotation.json", task())
    write(tmp_path / "image/comprehension/index.json", {"tasks": []})
    found = discover(tmp_path, table)
    reasons = {p.path.relative_to(tmp_path).as_posix(): p.reason for p in found.passed_over}
    assert reasons == {
        "video/comprehension/eval_results": "no task file (results.json: no 'data' list "
        "(a result or configuration file?))",
        "image/generation/configs": "no task file (config.json: no 'data' list "
        "(a result or configuration file?))",
        "audio/comprehension/Speakers": "no JSON file (no task file)",
        "3D/comprehension/Deep": "JSON only deeper than the folder's top and json/",
        "video/other": "not a paradigm folder (comprehension, generation)",
        "README": "not a modality folder (3D, audio, image, nlp, video)",
        "image/comprehension/index.json": "a JSON file outside any task folder",
    }
    assert [t.item_id for t in found.tasks] == ["nlp-TriviaQA"]


def test_a_broken_task_file_or_no_instances_fails_its_task_only(table, tmp_path):
    bad = write(tmp_path / "nlp/Broken/annotation.json", '{"task": "x", "data": [')
    write(tmp_path / "nlp/Empty/annotation.json", task("Empty", n=0))
    write(tmp_path / "nlp/TriviaQA/annotation.json", task("TriviaQA"))
    found = {t.folder.name: t for t in discover(tmp_path, table).tasks}
    assert found["Broken"].error.startswith(f"{bad}: not valid JSON")
    assert found["Empty"].error.endswith("annotation.json: field 'data': no instances")
    assert found["TriviaQA"].error is None


def test_close_set_by_set_type_or_by_empty_outputs(table, tmp_path):
    write(tmp_path / "nlp/A/annotation.json", task("TriviaQA", set_type="closeset"))
    data = task("Causal Reasoning")
    for instance in data["data"]:
        instance["output"] = {}
    write(tmp_path / "nlp/B/annotation.json", data)
    write(tmp_path / "nlp/C/annotation.json", task("OpenBookQA"))
    found = {t.folder.name: t.closeset for t in discover(tmp_path, table).tasks}
    assert found == {"A": True, "B": True, "C": False}


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "task_field", "folder", "row", "rule"),
    [
        (
            "Image-Comprehension",
            "chemistry vqa",
            "x",
            "Chemistry Visual Question Answering",
            "task field",
        ),
        ("Image-Comprehension", "fall-human-detection", "x", "Fall Human Detection", "task field"),
        ("NLP", "natural_language_inference", "x", "Natural Language Inference", "task field"),
        (
            "NLP",
            "event_coreference_mcq",
            "Event-Coreference-Resolution",
            "Event Coreference Resolution",
            "folder name",
        ),
        (
            "NLP",
            "Multi-Turn_Daily_Dialogue_Generationid",
            "Multi-Turn-Daily-Dialogue-Generation",
            "Multi-Turn Daily Dialogue Generation",
            "folder name",
        ),
        (
            "Audio-Comprehension",
            "Accent Recog",
            "x",
            "Accent Classification",
            "task field = Task Short Name",
        ),
        (
            "NLP",
            "Document-Level Causal",
            "y",
            "Document-Level Causal Reasoning",
            "task field = start of Task Name",
        ),
        (
            "Image-Comprehension",
            None,
            "chinese-fine-art",
            "Chinese Fine Art Recognition",
            "folder name = start of Task Name",
        ),
        (
            "Image-Comprehension",
            None,
            "car_brands_recognition",
            "Car Brands Recognition",
            "folder name",
        ),
    ],
)
def test_matching_rules(table, sheet, task_field, folder, row, rule):
    found = match_row(table, sheet, task_field, folder)
    assert (found.row.task_name if found.row else None, found.rule) == (row, rule)


def test_folding_and_vqa():
    assert fold("Chemistry VQA") == fold("chemistry_visual-question answering")
    assert (
        fold("Accent Classification")
        == fold("accent_classification")
        == fold("AccentClassification")
    )


def test_matching_stays_within_the_sheet_and_short_prefixes_do_not_match(table):
    # Accent Classification is an audio task: not matched from an image folder
    assert match_row(table, "Image-Comprehension", "Accent Classification", "x").row is None
    # "Causal" is the start of two NLP names and shorter than 10 folded characters
    assert match_row(table, "NLP", "Causal", "x").row is None


def test_an_unmatched_task_is_offered_the_closest_rows(table):
    found = match_row(table, "Image-Comprehension", "Chemistry Visual QA", "chem")
    assert found.row is None and found.rule == "none"
    assert found.suggestions[0] == "Chemistry Visual Question Answering"


def test_two_folders_on_one_row_is_an_error_naming_both(table, tmp_path):
    write(tmp_path / "nlp/TriviaQA/annotation.json", task("TriviaQA"))
    write(tmp_path / "nlp/trivia-copy/annotation.json", task("TriviaQA"))
    first, second = discover(tmp_path, table).tasks
    for one, other in ((first, second), (second, first)):
        assert "matches the row NLP: 'TriviaQA'" in one.error
        assert str(other.folder) in one.error and "--task-map" in one.error


def test_item_ids_that_differ_only_in_case_are_an_error(table, tmp_path):
    # (Crowd-Counting and crowd-counting would both match one row: that error comes first)
    write(tmp_path / "image/comprehension/My-Task/annotation.json", task("A1"))
    write(tmp_path / "image/comprehension/my-task/annotation.json", task("A2"))
    errors = [t.error for t in discover(tmp_path, table).tasks]
    assert all(e and "differs only in case" in e for e in errors)


def test_task_map_overrides_in_csv_and_json(table, tmp_path):
    write(tmp_path / "nlp/Mystery/annotation.json", task("nothing like a row"))
    write(tmp_path / "nlp/TriviaQA/annotation.json", task("TriviaQA"))
    csv = write(tmp_path / "map.csv", "item id,Task Name\nnlp-Mystery,Causal Reasoning\n")
    found = {t.folder.name: t for t in discover(tmp_path, table, read_task_map(csv)).tasks}
    assert found["Mystery"].reference.task_name == "Causal Reasoning"
    assert found["Mystery"].match_rule == "--task-map"
    as_json = write(tmp_path / "map.json", {"TriviaQA": None, "nlp/Mystery": "Causal Reason"})
    found = {t.folder.name: t for t in discover(tmp_path, table, read_task_map(as_json)).tasks}
    assert found["TriviaQA"].reference is None  # mapped to no row
    assert found["Mystery"].reference.task_name == "Causal Reasoning"  # by short name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"nlp-X": 3}', "expected"),
        ("[1, 2]", "expected"),
        ("{", "not valid JSON"),
    ],
)
def test_bad_task_maps(tmp_path, content, message):
    path = write(tmp_path / "map.json", content)
    with pytest.raises(TaskMapError, match=message):
        read_task_map(path)


def test_a_task_map_entry_naming_no_row_is_an_error(table, tmp_path):
    write(tmp_path / "nlp/Mystery/annotation.json", task("x"))
    csv = write(tmp_path / "map.csv", "nlp-Mystery,Causal Reasonning\n")
    with pytest.raises(TaskMapError, match=r"map.csv: entry 'nlp-Mystery': no single row"):
        discover(tmp_path, table, read_task_map(csv))
    with pytest.raises(TaskMapError, match="row 1: expected 2 columns"):
        read_task_map(write(tmp_path / "bad.csv", "a,b,c\n"))


# --- media paths ------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "image/comprehension/Birds"
    for path in (
        "images/Anna_0087.jpg",
        "images/CarBrands0453.png",
        "images/people-8824.jpg",
        "audios/sub/clip.wav",
        "videos/3/0.jpg",
        "json/local.png",
        "images/twin/a.png",
        "images/other/a.png",
    ):
        write(root / path, "x")
    return root


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("Anna_0087.jpg", "images/Anna_0087.jpg"),  # a bare name, in the media folder
        ("images/CarBrands0453.png", "images/CarBrands0453.png"),  # relative to the task
        (
            "./data/comprehension/fall-human-detection/images/people-8824.jpg",
            "images/people-8824.jpg",
        ),
        ("sub\\clip.wav", "audios/sub/clip.wav"),  # Windows separators
        ("3/0.jpg", "videos/3/0.jpg"),  # frames relative to videos/
        ("local.png", "json/local.png"),  # relative to the task file in json/
    ],
)
def test_media_path_forms(folder, written, found):
    resolved = resolve_media(written, folder, "Image", folder / "json/annotation.json")
    assert resolved == folder / found


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("../../../../etc/passwd", "climbs out of the task folder"),
        ("/etc/passwd", "absolute path"),
        ("C:\\data\\x.png", "absolute path"),
        ("nothing.png", "file not found: 'nothing.png'"),
        ("a.png", "2 files share its name"),
        ("images", "is a folder, not a file"),
        ("", "not a file path"),
    ],
)
def test_media_paths_never_leave_the_task_folder(folder, written, message):
    with pytest.raises(MediaPathError, match=message):
        resolve_media(written, folder, "Image")


def test_a_symlink_out_of_the_task_folder_is_refused(folder, tmp_path):
    secret = write(tmp_path / "secret.txt", "key")
    (folder / "images/link.png").symlink_to(secret)
    with pytest.raises(MediaPathError, match="resolves outside the task folder"):
        resolve_media("link.png", folder, "Image")


def test_generated_files_stay_inside_the_output_folder(tmp_path):
    base = tmp_path / "predictions/Task"
    write(base / "media/0.png", "x")
    assert resolve_output("media/0.png", base) == base / "media/0.png"
    reference = write(tmp_path / "dataset/Task/images/0.png", "x")
    (base / "media/sneaky.png").symlink_to(reference)
    for written, message in (
        (str(reference), "not a path relative to the prediction file"),
        ("../../dataset/Task/images/0.png", "climbs out"),
        ("media/sneaky.png", "resolves outside the model's output folder"),
        ("media/none.png", "generated file not found"),
    ):
        with pytest.raises(MediaPathError, match=message):
            resolve_output(written, base)


def test_instance_ids_map_to_file_names_injectively():
    ids = ["a/b", "a?b", "a_b", "..", ".", "a%2Fb", "A", "a b", "ü"]
    names = [output_name(i) for i in ids]
    assert len(set(names)) == len(ids)
    assert all("/" not in n and n not in (".", "..") and not n.startswith(".") for n in names)
