"""``--score-workers N``: scoring prediction files ahead in worker processes gives exactly
what a serial run gives (results, samples files, workbook and level), skips and failures
included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genbench.data import discover
from genbench.runner import RunSettings
from genbench.runner._pool import ScoreAhead, preload
from tests.language_tree import build_language_tree

BENCH = "def test_task(genbench_task, genbench_evaluate):\n    genbench_evaluate(genbench_task)\n"


@pytest.fixture
def bench(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_bench=BENCH)
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    tree = pytester.path / "tree"
    folders = build_language_tree(tree, instances=12, seed=5)
    (folders[3] / "prediction.json").unlink()  # skipped: nothing predicted
    (folders[5] / "annotation.json").write_text('{"task": "x", "data": [')  # failed
    return pytester


def run(pytester: pytest.Pytester, out: str, *args: str) -> pytest.RunResult:
    tree = pytester.path / "tree"
    return pytester.runpytest_subprocess(
        "--dataset-dir", str(tree), "--outcome-dir", str(pytester.path / out),
        "--step", "23", "--predictions-beside-tasks", *args,
    )  # fmt: skip


def comparable(outcome: Path) -> dict[str, object]:
    """Every file a run wrote, times and the run's own folder left out."""
    run = outcome / "baseline"
    found: dict[str, object] = {}
    for path in sorted((run / "tasks").glob("*.json")):
        result = json.loads(path.read_text())
        result.pop("seconds")
        found[path.name] = result
    for path in sorted((run / "samples").glob("*.jsonl")):
        found[path.name] = path.read_text()
    level = json.loads((outcome / "baseline_level.json").read_text())
    level.pop("provenance")
    found["level"] = level
    return found


def test_score_workers_give_the_serial_results(bench):
    serial = run(bench, "serial")
    ahead = run(bench, "ahead", "--score-workers", "2")
    for result in (serial, ahead):
        result.assert_outcomes(passed=18, skipped=1, failed=1)
    assert comparable(bench.path / "ahead") == comparable(bench.path / "serial")
    assert terminal(ahead, "ahead") == terminal(serial, "serial")


def terminal(result: pytest.RunResult, out: str) -> list[str]:
    """The terminal output without the run's own folder and times."""
    start = result.stdout.lines.index(next(x for x in result.stdout.lines if "FAILURES" in x))
    return [
        line.replace(f"/{out}/", "/OUT/")
        for line in result.stdout.lines[start:]
        if " in " not in line or "passed" not in line
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--step", "123"], "use it with --step 2 or --step 23"),
        (["--step", "23", "-n", "2"], "--score-workers and -n exclude each other"),
        (["--step", "23", "--score-workers", "0"], "at least 1"),
    ],
)
def test_score_workers_refuse_what_they_cannot_do(bench, args, message):
    extra = [] if "--score-workers" in args else ["--score-workers", "2"]
    result = bench.runpytest_subprocess(
        "--dataset-dir", str(bench.path / "tree"), "--outcome-dir", str(bench.path / "o"),
        *args, *extra,
    )  # fmt: skip
    assert message in result.stderr.str()


def test_score_ahead_needs_workers_and_prediction_files(tmp_path, table):
    build_language_tree(tmp_path, instances=2)
    tasks = discover(tmp_path, table).tasks
    scoring = RunSettings("baseline", "b", tmp_path / "o", tmp_path, steps=frozenset({2, 3}))
    with pytest.raises(ValueError, match="two workers"):
        ScoreAhead(scoring, tasks, 1)
    predicting = RunSettings("baseline", "b", tmp_path / "o", tmp_path)
    with pytest.raises(ValueError, match="scores prediction files"):
        ScoreAhead(predicting, tasks, 2)
    # the libraries the workers' server imports once: those the tasks' metrics use
    assert "codebleu" in preload(tasks)
    assert "nltk" not in preload(tasks)  # loaded light per worker (genbench.metrics._nltk)
    assert preload([t for t in tasks if t.reference and t.reference.metric.name == "ACC"]) == []
