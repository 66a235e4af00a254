"""The plugin adds the intervals to the level JSON, the terminal summary and the workbook."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.test_plugin import BENCH, run


@pytest.fixture
def bench(pytester):
    pytester.makepyfile(test_bench=BENCH)
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    return pytester


def test_intervals_in_the_outputs(bench):
    result, outcome = run(bench, "-k", "nlp or Sports", "--bootstrap", "200", "--ci", "0.9")
    result.assert_outcomes(passed=8)
    out = result.stdout.str()
    assert "90% intervals (percentile bootstrap over instances, B=200, seed 0):" in out
    assert "P(reach) Level-2" in out
    data = json.loads((outcome / "baseline_level.json").read_text())
    ci = data["ci"]
    assert (ci["B"], ci["level"], ci["seed"]) == (200, 0.9, 0)
    assert "nlp-Custom-Riddles" not in ci["tasks"]  # unmatched: not counted
    sports = ci["tasks"]["image-comprehension-Sports-Image-Classification"]
    assert sports["note"] == "" and 0.0 < sports["win_probability"] < 1.0
    assert ci["tasks"]["nlp-SentimentClassification"]["interval"] is not None  # micro-F1
    low, high = ci["final"]["Level-2"]
    assert low <= data["final"]["Level-2"] <= high
    book = openpyxl.load_workbook(outcome / "baseline_result.xlsx", read_only=True)
    rows = list(book["Level-Scores"].iter_rows(values_only=True))
    title = next(i for i, r in enumerate(rows) if r[:1] == ("Intervals",))
    assert rows[title + 1][:4] == ("Model", "Mode", "Scope", "Quantity")
    overall = next(r for r in rows[title:] if r[2:4] == ("Overall", "Level-2"))
    assert overall[5:7] == pytest.approx(tuple(ci["final"]["Level-2"]))
    assert overall[7] == ci["reach"]["Level-2"]


def test_bootstrap_zero_leaves_the_intervals_out(bench):
    result, outcome = run(bench, "-k", "Sports", "--bootstrap", "0")
    result.assert_outcomes(passed=1)
    assert "% intervals (" not in result.stdout.str()
    assert "ci" not in json.loads((outcome / "baseline_level.json").read_text())


def test_a_bad_confidence_level_is_a_usage_error(bench):
    result, _ = run(bench, "-k", "Sports", "--ci", "95")
    assert result.ret != 0
    assert "--ci" in result.stderr.str()
