"""The harness on a tree in the published styles (tests/published_tree.py): every task
folder collected or listed with its reason, matched to the right row, run by the
baseline without a failure, and scored at the metric's best by an oracle that answers
each instance's reference in the form the prompt asks for.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from genbench.cli import main
from genbench.data import discover, read_annotation
from genbench.metrics import get_metric
from tests.published_tree import PublishedTree, make_published_tree

BENCH = """
def test_task(genbench_task, genbench_evaluate):
    genbench_evaluate(genbench_task)
"""

#: The oracle: answers each instance with its reference (text), or writes the reference
#: file where a generated file is due. Its answers come from a JSON key made by the test.
ORACLE = """
import json
import shutil
from pathlib import Path

import numpy as np

from genbench.metrics._arrays import load_array

KEY = json.loads(Path(__file__).with_name("oracle_key.json").read_text())


class Oracle:
    name = "oracle"
    settings = {"model": "oracle"}

    def predict(self, requests):
        return [self._one(r) for r in requests]

    def _one(self, request):
        answer = KEY[request.task][request.id]
        if request.output_path is None:
            return answer
        source, out = Path(answer), request.output_path
        out.parent.mkdir(parents=True, exist_ok=True)
        if request.output == "array":
            np.save(out, load_array(str(source)))
        elif source.is_dir():
            shutil.copytree(source, out)
        else:
            shutil.copyfile(source, out)
        return str(out)


def make():
    return Oracle()
"""

BROKEN = "image-comprehension-Broken-Annotation"


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> PublishedTree:
    return make_published_tree(tmp_path_factory.mktemp("published") / "General-Bench-Openset")


def _bench(pytester, tree: PublishedTree):
    pytester.makepyfile(test_bench=BENCH)
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:randomly\n")
    return ["--dataset-dir", str(tree.root), "--outcome-dir", str(pytester.path / "out")]


def test_every_folder_collected_or_listed_and_matched_to_its_row(tree, table):
    found = discover(tree.root, table)
    by_folder = {t.folder.relative_to(tree.root).as_posix(): t for t in found.tasks}
    for record in tree.tasks:
        task = by_folder[record.folder]
        assert task.task_file == tree.root / record.task_file
        if record.row is None:
            assert task.reference is None and task.suggestions, record.folder
        else:
            assert (task.reference.sheet, task.reference.task_name) == record.row, record.folder
            assert task.instances == len(record.instances)
    passed = {p.path.relative_to(tree.root).as_posix(): p.reason for p in found.passed_over}
    for non_task in tree.non_tasks:
        folder = non_task.path
        if folder in passed:
            continue
        # a stray JSON beside a task file is said in that task's notes; a broken task
        # file makes its task fail with the reason
        parent = folder.rsplit("/", 1)[0]
        if parent in by_folder:
            name = folder.rsplit("/", 1)[1]
            assert any(name in note for note in by_folder[parent].notes), folder
        else:
            assert by_folder[folder].error and "not valid JSON" in by_folder[folder].error
    assert "audio/comprehension/SpeakerIdentification" in passed
    assert "image/generation/configs" in passed and "video/comprehension/eval_results" in passed


def test_genbench_tasks_shows_it_all(tree, capsys):
    assert main(["tasks", "--dataset-dir", str(tree.root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {row["item_id"]: row for row in report["tasks"]}
    assert rows["image-comprehension-chinese-fine-art"]["task_file"] == "json/annotation_v2.json"
    assert rows["nlp-Event-Coreference-Resolution"]["rule"] == "folder name"
    assert rows["image-comprehension-Chemistry-VQA"]["task_name"] == (
        "Chemistry Visual Question Answering"
    )
    assert rows["video-comprehension-StaticVDE"]["rule"] == "task field = Task Short Name"
    assert rows["image-comprehension-Bird-Detection"]["media"] == ["images"]
    assert {p["path"] for p in report["passed_over"]} >= {"image/generation/configs"}
    assert main(["tasks", "--dataset-dir", str(tree.root)]) == 0
    text = capsys.readouterr().out
    assert "passed over audio/comprehension/SpeakerIdentification: no JSON file" in text
    assert "did you mean" in text  # the unmatched PokemonRecognition


def test_baseline_runs_every_task(pytester, tree):
    result = pytester.runpytest(*_bench(pytester, tree))
    outcomes = result.parseoutcomes()
    # only the broken task file fails, with one line naming it
    assert outcomes["failed"] == 1, result.stdout.str()
    assert f"FAILED test_bench.py::test_task[{BROKEN}]" in result.stdout.str()
    assert outcomes.get("errors", 0) == 0


def _oracle_key(tree: PublishedTree, table) -> dict[str, dict[str, str]]:
    """Answers by the task's display name and instance id: the generator's oracle answer,
    in the form the prompt asks for (boxes in the task's own box form: the reference as
    written), media as absolute paths of the reference files.
    """
    key: dict[str, dict[str, str]] = {}
    for task in discover(tree.root, table).tasks:
        if task.error is not None:
            continue
        record = tree.task(task.folder.relative_to(tree.root).as_posix())
        answers = key.setdefault(task.display_name, {})
        for instance in record.instances:
            answer = instance.oracle
            if record.metric in ("AP50", "AP75"):
                answer = json.dumps(instance.reference)
            elif ((task.folder / answer).exists() and task.paradigm == "Generation") or (
                record.metric == "absRel"
            ):
                answer = str(_media(task, answer))
            answers[instance.id] = answer
    return key


def _media(task, answer: str) -> Path:
    from genbench.data import resolve_media

    return resolve_media(answer, task.folder, task.modality, task.task_file, True)


#: Tasks the oracle cannot be scored on here: WER needs a speech recognizer.
NOT_HERE = {"audio-generation-TextToSpeech"}


def test_oracle_gets_the_best_score_on_every_task(pytester, tree, table):
    (pytester.path / "oracle_key.json").write_text(json.dumps(_oracle_key(tree, table)))
    pytester.makepyfile(oracle_model=ORACLE)
    pytester.syspathinsert()
    args = [*_bench(pytester, tree), "--model", "oracle_model:make"]
    result = pytester.runpytest_subprocess(*args)
    out = result.stdout.str()
    results = {
        p.stem: json.loads(p.read_text())
        for p in (pytester.path / "out" / "oracle_model_make" / "tasks").glob("*.json")
    }
    for item, data in sorted(results.items()):
        if item == BROKEN or item in NOT_HERE:
            continue
        assert data["status"] in ("scored", "unmatched"), (item, data["reason"], out[-3000:])
        metric = get_metric(data["metric"])
        best = metric.normalize(0.0 if not metric.higher_is_better else 100.0)
        if metric.name == "PSNR":  # identical images: the cap (100 dB)
            best = metric.normalize(100.0)
        assert data["normalized"] == pytest.approx(best, abs=1e-6), (item, data["score"])
        assert data["missing"] == 0 and data["parse_failures"] == 0, item
    assert len(results) == len(tree.tasks) + 1  # every task, the broken one included


def test_close_set_is_predicted_and_listed(pytester, tmp_path):
    closed = make_published_tree(tmp_path / "General-Bench-Closeset", closeset=True)
    shutil.rmtree(closed.root / "image/comprehension/Broken-Annotation")
    result = pytester.runpytest(*_bench(pytester, closed))
    out = result.stdout.str()
    assert "close set (inputs only: predict, then submit)" in out
    assert "close set: " in out and "tasks predicted, not scored (no references)" in out
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes["skipped"] == len(closed.tasks)
    data = json.loads((pytester.path / "out/baseline/tasks/nlp-Causal-Reasoning.json").read_text())
    assert data["status"] == "closeset" and data["reason"] == "close set: no references"
    predictions = pytester.path / "out/baseline/predictions/nlp/Causal-Reasoning/prediction.json"
    assert len(json.loads(predictions.read_text())["data"]) == 3
    assert not list(pytester.path.glob("out/*_level.json"))  # nothing scored: no level


def test_time_series_bare_numbers_and_prediction_final(tree, table, tmp_path):
    # the authors' prediction files: a bare number, and prediction_final for math
    from genbench.runner import RunSettings, TaskRunner

    tasks = {t.item_id: t for t in discover(tree.root, table).tasks}
    outcome = tmp_path / "out"
    settings = RunSettings("baseline", "m", outcome, tree.root, steps=frozenset({2}))
    runner = TaskRunner(settings, table, lambda: None)  # type: ignore[arg-type,return-value]
    for item, entry in {
        "nlp-Time-Series": lambda i: {"id": i.id, "prediction": i.fields["output"]["target"]},
        "nlp-Mathematical-Word-Problem-Solving": lambda i: {
            "id": i.id,
            "prediction_steps": ["..."],
            "prediction_final": i.fields["output"]["solution"]["final_answer"],
        },
    }.items():
        task = tasks[item]
        data = [entry(i) for i in read_annotation(task.annotation_path)]
        path = runner.prediction_path(task)
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(data))
        result = runner.score(task)
        best = 0.0 if item == "nlp-Time-Series" else 100.0
        assert result.score == pytest.approx(best), item
    assert np.isfinite(result.normalized)
