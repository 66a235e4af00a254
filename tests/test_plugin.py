"""The pytest plugin end to end, through pytester, on the bundled sample."""

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from genbench.data import sample_root

BENCH = """
def test_task(genbench_task, genbench_evaluate):
    genbench_evaluate(genbench_task)
"""


@pytest.fixture
def bench(pytester):
    pytester.makepyfile(test_bench=BENCH)
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:cacheprovider\n")
    return pytester


def run(pytester, *args, subprocess=False):
    outcome = pytester.path / "out"
    argv = ["--outcome-dir", str(outcome), "-p", "no:randomly", *args]
    runner = pytester.runpytest_subprocess if subprocess else pytester.runpytest
    return runner(*argv), outcome


def level_json(outcome):
    data = json.loads((outcome / "baseline_level.json").read_text())
    data.pop("provenance")
    return data


def test_collection_ids_and_markers(bench):
    result, _ = run(bench, "--collect-only", "-q")
    ids = [line.split("[", 1)[1].rstrip("]") for line in result.outlines if "[" in line]
    assert len(ids) == 47
    assert "nlp-Commonsense-Reasoning" in ids
    assert "image-generation-Image-Deraining" in ids
    assert "3d-comprehension-3d_accessory_classification" in ids
    assert ids == sorted(ids)
    video, _ = run(bench, "--collect-only", "-q", "-k", "video")
    assert video.stdout.str().count("video-") == 12
    generation, _ = run(bench, "--collect-only", "-q", "-m", "generation")
    assert "10/47 tests collected" in generation.stdout.str()
    nlp, _ = run(bench, "--collect-only", "-q", "-k", "nlp and not TimeSeries")
    assert "6/47 tests collected" in nlp.stdout.str()
    three_d, _ = run(bench, "--collect-only", "-q", "-m", "3d and comprehension")
    assert "8/47 tests collected" in three_d.stdout.str()


def test_full_run_writes_workbook_level_and_summary(bench):
    result, outcome = run(bench)
    result.assert_outcomes(passed=45, skipped=2)
    out = result.stdout.str()
    assert "General-Level of baseline (mode: paper)" in out
    assert "not counted (no reference row): nlp-Custom-Riddles" in out
    assert "skipped (unsupported) (2):\n  audio-generation-TextToSpeech: metric WER" in out
    assert "parse failures: 20 instances in 8 tasks" in out
    assert "its levels illustrate the harness and say nothing about a model" in out
    data = level_json(outcome)
    assert data["per_modality"]["Image"]["supported"] == 14
    assert data["per_modality"]["Audio"]["supported"] == 2  # the two WER tasks are skipped
    assert data["nlp"]["supported"] == 6
    statuses = {t["item_id"]: t["status"] for t in data["tasks"]}
    assert statuses["audio-generation-TextToSpeech"] == "skipped"
    assert statuses["nlp-Custom-Riddles"] == "unmatched" and len(statuses) == 47
    book = openpyxl.load_workbook(outcome / "baseline_result.xlsx", read_only=True)
    assert book.sheetnames[-2:] == ["Task-Status", "Level-Scores"]
    nlp = {r[1]: (*r, None)[4] for r in book["NLP"].iter_rows(min_row=2, values_only=True)}
    assert nlp["Commonsense Reasoning"] is not None and nlp["Causal Reasoning"] is None
    provenance = json.loads((outcome / "baseline_level.json").read_text())["provenance"]
    assert provenance["model_spec"] == "baseline" and provenance["seed"] == 0
    predictions = outcome / "baseline" / "predictions" / "nlp" / "TriviaQA" / "prediction.json"
    assert json.loads(predictions.read_text())["model"] == "baseline"


def test_xdist_gives_the_same_results(bench):
    serial, outcome = run(bench, subprocess=True)
    serial.assert_outcomes(passed=45, skipped=2)
    first = level_json(outcome)
    shutil.rmtree(outcome)
    parallel, outcome = run(bench, "-n", "2", subprocess=True)
    parallel.assert_outcomes(passed=45, skipped=2)
    assert level_json(outcome) == first
    assert (
        "genbench: worker gw0 -> CPU (no GPU visible)" in parallel.stdout.str()
        or "genbench: worker gw0 -> GPU" in parallel.stdout.str()
    )


def test_steps_alone_and_together(bench):
    predicted, outcome = run(bench, "--step", "1", "-k", "nlp")
    predicted.assert_outcomes(passed=7)
    assert (outcome / "baseline" / "predictions" / "nlp" / "TriviaQA" / "prediction.json").is_file()
    assert not (outcome / "baseline_result.xlsx").exists()
    scored, _ = run(bench, "--step", "2", "-k", "nlp")
    scored.assert_outcomes(passed=7)
    assert (outcome / "baseline_result.xlsx").is_file()
    assert not (outcome / "baseline_level.json").exists()
    levelled, _ = run(bench, "--step", "3", "-k", "nlp")
    levelled.assert_outcomes(passed=7)
    assert level_json(outcome)["nlp"]["supported"] == 6
    nothing, _ = run(bench, "--step", "2", "-k", "video")  # never predicted
    nothing.assert_outcomes(skipped=12)
    bad, _ = run(bench, "--step", "4")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR


def test_limit(bench):
    result, outcome = run(bench, "--limit", "1", "-k", "TriviaQA")
    result.assert_outcomes(passed=1)
    # a limited (smoke) run is kept apart from full runs
    task = json.loads((outcome / "baseline@limit1" / "tasks" / "nlp-TriviaQA.json").read_text())
    assert task["n"] == 1 and task["limit"] == 1 and task["provenance"]["limit"] == 1
    assert not (outcome / "baseline" / "tasks").exists()
    samples = (outcome / "baseline@limit1" / "samples" / "nlp-TriviaQA.jsonl").read_text()
    assert len(samples.splitlines()) == 1


def test_rerun_keeps_results_and_predictions(bench):
    run(bench, "-k", "video")
    predictions = bench.path / "out" / "baseline" / "predictions"
    files = {p: p.stat().st_mtime_ns for p in predictions.rglob("prediction.json")}
    assert len(files) == 12
    result, outcome = run(bench, "-k", "video or audio")
    result.assert_outcomes(passed=14, skipped=2)
    assert {p: p.stat().st_mtime_ns for p in files} == files  # not predicted again
    data = level_json(outcome)
    assert data["per_modality"]["Video"]["supported"] == 12
    assert data["per_modality"]["Audio"]["supported"] == 2
    later, _ = run(bench, "-k", "nlp")
    later.assert_outcomes(passed=7)
    assert level_json(outcome)["per_modality"]["Video"]["supported"] == 12  # still there
    assert level_json(outcome)["nlp"]["supported"] == 6


def test_malformed_task_fails_alone_with_one_line(bench, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(sample_root() / "nlp", tree / "nlp")
    broken = tree / "nlp" / "TriviaQA" / "annotation.json"
    data = json.loads(broken.read_text())
    del data["data"][1]["input"]["question"]
    broken.write_text(json.dumps(data))
    result, outcome = run(bench, "--dataset-dir", str(tree))
    result.assert_outcomes(passed=6, failed=1)
    line = f"{broken}: instance '1': field 'question': missing"
    assert line in result.stdout.str()
    # predictions go under the outcome folder, per model, never into the dataset ...
    relative = Path("nlp") / "Commonsense-Reasoning" / "prediction.json"
    assert (outcome / "baseline" / "predictions" / relative).is_file()
    assert not (tree / relative).exists()
    # ... unless the authors' layout is asked for
    result, _ = run(
        bench, "--dataset-dir", str(tree), "--predictions-beside-tasks", "-k", "Commonsense"
    )
    result.assert_outcomes(passed=1)
    assert (tree / relative).is_file()


def test_html_report_shows_the_level(bench):
    result, _ = run(bench, "-k", "nlp", "--html", "report.html", "--self-contained-html")
    result.assert_outcomes(passed=7)
    html = (bench.path / "report.html").read_text()
    assert "General-Level of baseline" in html and "genbench-level" in html
    assert "Score</th>" in html and "col-metric" in html


def test_unknown_model_is_one_usage_error_before_any_item(bench):
    result, outcome = run(bench, "--model", "nosuch:thing")
    assert result.ret == 4
    assert [line for line in result.stderr.lines if line] == [
        "ERROR: --model: model 'nosuch:thing': cannot import nosuch:thing: No module named 'nosuch'"
    ]
    assert not outcome.exists()  # nothing written


def test_baseline_is_deterministic_under_seed(bench):
    run(bench, "-k", "nlp-Commonsense", "--seed", "3")
    path = bench.path / "out" / "baseline" / "predictions" / "nlp" / "Commonsense-Reasoning"
    first = json.loads((path / "prediction.json").read_text())["data"]
    shutil.rmtree(bench.path / "out")
    run(bench, "-k", "nlp-Commonsense", "--seed", "3")
    assert json.loads((path / "prediction.json").read_text())["data"] == first


def test_a_tree_without_any_task_is_a_usage_error(bench, tmp_path):
    empty = tmp_path / "empty"
    (empty / "nlp" / "Notes").mkdir(parents=True)
    (empty / "nlp" / "Notes" / "readme.json").write_text('{"about": "nothing"}')
    result, outcome = run(bench, "--dataset-dir", str(empty))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    line = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert line == [
        f"ERROR: no General-Bench task under {empty}: expected <modality>[/<paradigm>]/<task "
        "folder>/ holding a task file (passed over Notes: no task file (readme.json: no 'data' "
        "list (a result or configuration file?)))"
    ]
    assert not outcome.exists()


def test_the_header_says_what_the_tree_holds(bench, tmp_path):
    from tests.published_tree import make_published_tree

    tree = make_published_tree(tmp_path / "tree").root
    result, _ = run(bench, "--dataset-dir", str(tree), "--collect-only")
    out = result.stdout.str()
    assert f"genbench: dataset {tree}: 29 tasks, 27 matched to the reference table" in out
    assert "genbench: passed over image/generation/configs: no task file" in out
    assert "genbench: passed over audio/comprehension/SpeakerIdentification: no JSON file" in out
    assert "image-comprehension-chinese-fine-art: 2 task files: used json/annotation_v2.json" in out
    assert "image-comprehension-PokemonRecognition: no row; did you mean" in out


SLOW = """
import time

from genbench.models import BaselineModel


class Slow(BaselineModel):
    def predict(self, requests):
        time.sleep(0.2 * len(requests))
        return super().predict(requests)


def make(seed=0):
    return Slow(seed)
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_a_long_task_shows_its_progress(bench, monkeypatch, workers):
    bench.makepyfile(slow_model=SLOW)
    monkeypatch.syspath_prepend(str(bench.path))
    args = ["--model", "slow_model:make", "--batch-size", "1", "--progress-every", "0.4"]
    result, outcome = run(bench, *args, "-k", "TriviaQA", *workers, subprocess=bool(workers))
    result.assert_outcomes(passed=1)
    shown = [line for line in result.outlines if " progress " in line]
    assert shown and re.search(r"nlp-TriviaQA: progress \d/4 instances, [\d.]+/s", shown[0])
    log = (outcome / "slow_model_make" / "run.log").read_text()
    assert "nlp-TriviaQA: progress 4/4 instances" in log  # the last batch is always logged
    assert "nlp-TriviaQA: scored F1" in log
    quiet, _ = run(bench, *args, "-k", "TriviaQA", "-q", "--rescore")
    assert not [line for line in quiet.outlines if " progress " in line]


BROKEN_MODEL = """
def make():
    raise RuntimeError("weights are corrupt")
"""


def test_a_model_that_fails_to_load_stops_the_session_once(bench, monkeypatch):
    bench.makepyfile(broken_model=BROKEN_MODEL)
    monkeypatch.syspath_prepend(str(bench.path))
    result, outcome = run(bench, "--model", "broken_model:make", "-k", "nlp")
    # a serial run loads its model before the first item: one usage error, nothing written
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR")]
    assert errors == ["ERROR: cannot load model 'broken_model:make': weights are corrupt"]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert not outcome.exists()
