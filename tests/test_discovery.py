import json
from pathlib import Path

import pytest

from genbench.data import AnnotationError, discover_tasks, read_annotation, sample_root
from genbench.reference import SHEETS


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def annotation(task="Whatever", kind="MultipleChoiceQA", data=None):
    return {"task": task, "type": kind, "data": data if data is not None else [{"id": "0"}]}


def test_mixed_case_tree_and_matching(table, tmp_path):
    write(
        tmp_path / "Image/Comprehension/sports_image_classification/annotation.json",
        annotation(task="not a table name"),
    )
    write(
        tmp_path / "3d/GENERATION/Anything/annotation.json",
        annotation(task="3D Point Cloud Completion"),
    )
    write(tmp_path / "NLP/TriviaQA/annotation.json", annotation(task="TriviaQA"))
    write(tmp_path / "nlp/My-Own-Task/annotation.json", annotation(task="My Own Task"))
    write(tmp_path / "video/other/X/annotation.json", annotation())  # not a paradigm folder
    write(tmp_path / "README/annotation.json", annotation())  # not a modality folder
    tasks = discover_tasks(tmp_path, table)
    by_id = {t.item_id: t for t in tasks}
    assert list(by_id) == sorted(by_id)
    assert set(by_id) == {
        "image-comprehension-sports_image_classification",
        "3d-generation-Anything",
        "nlp-TriviaQA",
        "nlp-My-Own-Task",
    }
    image = by_id["image-comprehension-sports_image_classification"]
    assert image.reference.task_name == "Sports Image Classification"  # by folder name
    assert by_id["3d-generation-Anything"].reference.metric.name == "CD"  # by task field
    assert by_id["nlp-My-Own-Task"].reference is None
    assert by_id["nlp-My-Own-Task"].sheet == "NLP"


def test_malformed_annotation_is_carried_not_raised(table, tmp_path):
    bad = write(tmp_path / "nlp/Broken/annotation.json", '{"task": "x", "data": [')
    write(tmp_path / "nlp/TriviaQA/annotation.json", annotation(task="TriviaQA"))
    tasks = discover_tasks(tmp_path, table)
    broken = next(t for t in tasks if t.folder.name == "Broken")
    assert broken.error.startswith(f"{bad}: not valid JSON")
    assert next(t for t in tasks if t.folder.name == "TriviaQA").error is None


def test_missing_root(table, tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        discover_tasks(tmp_path / "nope", table)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([{"id": "1"}, {"id": "1"}], r"instance '1': field 'id': repeated id"),
        ([{"input": {}}], r"instance '#0': field 'id': missing"),
        (["text"], r"instance '#0': field 'data': not an object"),
    ],
)
def test_annotation_errors_name_file_instance_field(tmp_path, data, message):
    path = write(tmp_path / "a/annotation.json", annotation(data=data))
    with pytest.raises(AnnotationError, match=message) as error:
        read_annotation(path)
    assert str(error.value).startswith(str(path))


def test_annotation_top_level_errors(tmp_path):
    path = write(tmp_path / "annotation.json", {"task": "t", "type": "x"})
    with pytest.raises(AnnotationError, match="field 'data'"):
        read_annotation(path)
    write(path, {"type": "x", "data": []})
    with pytest.raises(AnnotationError, match="field 'data': no instances"):
        read_annotation(path)
    write(path, {"task": 3, "data": [{"id": "0"}]})
    with pytest.raises(AnnotationError, match="field 'task': not a string"):
        read_annotation(path)
    write(path, {"data": [{"id": "0"}]})  # task and type are optional (folder and fields)
    assert read_annotation(path).task == ""


def test_instance_fields_under_input_or_top_level(tmp_path):
    path = write(
        tmp_path / "annotation.json",
        annotation(
            data=[{"id": 7, "input": {"question": "q"}, "document": "d", "output": {"answer": "A"}}]
        ),
    )
    inst = read_annotation(path).instances[0]
    assert inst.id == "7"
    assert inst.find("question") == "q" and inst.find("document") == "d"
    assert inst.find("output.answer") == "A"
    assert inst.find("context", default=None) is None
    with pytest.raises(AnnotationError, match=r"instance '7': field 'input.options': missing"):
        inst.find("input.options")


def test_limit(tmp_path):
    path = write(tmp_path / "annotation.json", annotation(data=[{"id": i} for i in range(5)]))
    assert [i.id for i in read_annotation(path, limit=2)] == ["0", "1"]


def test_bundled_sample(table):
    root = sample_root()
    tasks = discover_tasks(root, table)
    per_sheet = {sheet: [t for t in tasks if t.sheet == sheet and t.reference] for sheet in SHEETS}
    assert all(len(found) >= 2 for found in per_sheet.values()), per_sheet
    assert [t.item_id for t in tasks if t.reference is None] == ["nlp-Custom-Riddles"]
    assert {t.type for t in tasks if t.modality == "NLP"} >= {
        "MultipleChoiceQA",
        "OpenQA",
        "Summarization",
        "classification",
        "ner",
        "Time Series",
    }
    assert all(t.error is None for t in tasks)
    suffixes = {p.suffix for p in root.rglob("*") if p.is_file()}
    assert {".png", ".wav", ".npy", ".json"} <= suffixes
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert size < 20 * 2**20
    for task in tasks:  # every instance of every task parses
        assert len(read_annotation(task.annotation_path)) >= 2
