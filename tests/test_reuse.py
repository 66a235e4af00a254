"""Reruns do only what changed: an unchanged task's stored result is reused before its
task file is parsed or the model loaded, and anything that changed is done again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import genbench.runner._run as run_module
from genbench.data import TaskSpec, discover, sample_root
from genbench.models import BaselineModel
from genbench.reference import ReferenceTable
from genbench.runner import RunSettings, TaskRunner, load_result
from genbench.runner._reuse import predictions_complete

#: One task of each kind of result: text (mean), micro-F1 (stats), media output, 3D.
TASKS = (
    "nlp-TriviaQA",
    "nlp-Person-Recognition",
    "image-generation-Image-Deraining",
    "3d-comprehension-3D-Detection",
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(sample_root(), root)
    return root


def tasks_of(root: Path, table: ReferenceTable) -> dict[str, TaskSpec]:
    return {t.item_id: t for t in discover(root, table).tasks if t.item_id in TASKS}


def runner(root: Path, table: ReferenceTable, steps: str = "12", **options: object) -> TaskRunner:
    settings = RunSettings(
        "baseline",
        "baseline",
        root.parent / "out",
        root,
        steps=frozenset(int(s) for s in steps),
        **options,  # type: ignore[arg-type]
    )
    return TaskRunner(settings, table, lambda: BaselineModel(seed=0))


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a task file is parsed or the model loaded."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a task file")

    monkeypatch.setattr(run_module, "read_annotation", refuse)
    monkeypatch.setattr(TaskRunner, "model", property(lambda self: refuse()))


def test_an_unchanged_task_is_reused_without_parsing_or_loading(tree, table, monkeypatch):
    tasks = tasks_of(tree, table)
    first = {item: runner(tree, table).run(task) for item, task in tasks.items()}
    stored = {
        p: p.read_bytes() for p in (tree.parent / "out" / "baseline" / "tasks").glob("*.json")
    }
    no_parsing(monkeypatch)
    again = runner(tree, table)
    for item, task in tasks.items():
        result = again.run(task)
        assert result is not None and result.reused
        assert result.score == first[item].score and result.n == first[item].n
    # the files stay as scored: reuse is said in this session's report, not written
    assert {p: p.read_bytes() for p in stored} == stored


def test_whatever_changed_is_scored_again(tree, table):
    tasks = tasks_of(tree, table)
    task = tasks["nlp-TriviaQA"]
    runner(tree, table).run(task)
    prediction = runner(tree, table).prediction_path(task)
    data = json.loads(prediction.read_text())
    data["data"][0]["prediction"] = "something else"
    prediction.write_text(json.dumps(data))
    changed = runner(tree, table).run(task)
    assert changed is not None and not changed.reused
    assert not runner(tree, table, rescore=True).run(task).reused  # type: ignore[union-attr]
    reused = runner(tree, table).run(task)
    assert reused is not None and reused.reused and reused.score == changed.score


def test_a_missing_answer_is_predicted_on_a_rerun(tree, table, monkeypatch):
    task = tasks_of(tree, table)["nlp-TriviaQA"]
    runner(tree, table).run(task)
    prediction = runner(tree, table).prediction_path(task)
    data = json.loads(prediction.read_text())
    data["data"] = data["data"][1:]  # as if killed before its first answer was saved
    prediction.write_text(json.dumps(data))
    scored_only = runner(tree, table, steps="2").run(task)
    assert scored_only is not None and scored_only.missing == 1
    # step 2 alone reuses that score; a run with step 1 predicts the missing answer
    assert runner(tree, table, steps="2").run(task).reused  # type: ignore[union-attr]
    full = runner(tree, table).run(task)
    assert full is not None and not full.reused and full.missing == 0


def test_step_one_passes_over_complete_predictions_without_parsing(tree, table, monkeypatch):
    task = tasks_of(tree, table)["nlp-TriviaQA"]
    predict = runner(tree, table, steps="1")
    digest = run_module.task_digest(task)
    assert not predictions_complete(predict, task, digest)
    assert predict.run(task) is None
    assert predictions_complete(predict, task, digest)
    prediction = predict.prediction_path(task)
    written = prediction.read_bytes()
    no_parsing(monkeypatch)
    assert runner(tree, table, steps="1").run(task) is None
    assert prediction.read_bytes() == written
    limited = runner(tree, table, steps="1", limit=1)
    assert not predictions_complete(limited, task, digest)  # other settings: not ours


def test_reused_results_equal_the_scored_ones(tree, table):
    tasks = tasks_of(tree, table)
    for task in tasks.values():
        scored = runner(tree, table).run(task)
        reused = runner(tree, table).run(task)
        assert scored is not None and reused is not None and reused.reused
        stored = load_result(tree.parent / "out", "baseline", task.item_id)
        assert stored is not None and not stored.reused
        scored.reused = True
        assert reused.to_json() == scored.to_json()


def test_result_json_is_asdict_with_its_own_nested_copies():
    from dataclasses import asdict

    from genbench.runner import TaskResult

    result = TaskResult(
        "m", "nlp-x", "scored", "NLP", "X", "ACC", score=50.0,
        digests={"score": "abc"}, provenance={"model_settings": {"layers": [1, (2, 3)]}},
    )  # fmt: skip
    data = result.to_json()
    assert data == asdict(result)
    data["provenance"]["model_settings"]["layers"].append(4)
    data["digests"]["score"] = "changed"
    assert result.provenance == {"model_settings": {"layers": [1, (2, 3)]}}
    assert result.digests == {"score": "abc"}


def test_a_rerun_says_what_it_reused_once_per_task(pytester):
    pytester.makepyfile(
        test_bench="def test_task(genbench_task, genbench_evaluate):\n"
        "    genbench_evaluate(genbench_task)\n"
    )
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    outcome = pytester.path / "out"
    args = ["-p", "no:cacheprovider", "--outcome-dir", str(outcome), "-k", "nlp"]
    pytester.runpytest_subprocess(*args).assert_outcomes(passed=7)
    again = pytester.runpytest_subprocess(*args)
    again.assert_outcomes(passed=7)
    assert "reused: 7 of 7 scored tasks were unchanged (--rescore)" in again.stdout.str()
    log = (outcome / "baseline" / "run.log").read_text().splitlines()
    trivia = [line for line in log if " nlp-TriviaQA: " in line]
    assert len(trivia) == 2 and trivia[1].endswith(", reused)")  # one line a run
