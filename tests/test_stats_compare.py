"""Paired comparisons: a model against itself, a model better on half the tasks, the
Benjamini-Hochberg correction, instances answered by one model only, the command.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from genbench.cli import main
from genbench.level import Mode
from genbench.stats import (
    BootstrapSettings,
    benjamini_hochberg,
    compare_models,
    from_outcome,
    render_comparison,
)
from tests.helpers import write_workbook
from tests.stats_helpers import write_task


def accuracy_rows(table, count):
    rows = [r for r in table if r.metric.name == "ACC" and r.sheet != "NLP"]
    return rows[:count]


def build_outcome(table, path, better, count=20, n=150, seed=0):
    """Models A and B on ``count`` accuracy tasks; B answers right where A does, and on
    the tasks in ``better`` also on 40% of A's misses; elsewhere B changes 5% of the
    answers either way (no true difference).
    """
    rng = np.random.default_rng(seed)
    for i, row in enumerate(accuracy_rows(table, count)):
        item = f"task-{i:02d}"
        a = rng.random(n) < 0.6
        if i in better:
            b = a | (rng.random(n) < 0.4)
        else:
            flip = rng.random(n) < 0.05
            b = np.where(flip, ~a, a)
        write_task(path, "A", row, item, 100.0 * a)
        write_task(path, "B", row, item, 100.0 * b)


def test_benjamini_hochberg_by_hand():
    # sorted p: 0.001, 0.008, 0.039, 0.041, 0.6 (m = 5); adjusted p_(k) = min_j>=k m p_(j)/j
    adjusted, rejected = benjamini_hochberg([0.041, 0.001, 0.6, 0.008, 0.039], 0.05)
    assert adjusted == pytest.approx([0.05125, 0.005, 0.6, 0.02, 0.05125])
    assert rejected == [False, True, False, True, False]
    assert benjamini_hochberg([], 0.05) == ([], [])


def test_a_model_against_itself_differs_nowhere(table, tmp_path):
    build_outcome(table, tmp_path, better=set())
    a = from_outcome(tmp_path, "A", table, Mode.PAPER)
    result = compare_models(
        table, (a.tasks, a.tasks), (a.summary, a.summary), BootstrapSettings(draws=300)
    )
    assert not any(t.significant for t in result.tasks)
    assert all(t.normalized.p_value == 1.0 for t in result.tasks)
    for difference in result.final.values():
        assert difference.interval == (0.0, 0.0) and not result.significant_level(difference)


def test_a_better_model_is_found_on_the_tasks_where_it_is_better(table, tmp_path):
    better = set(range(0, 20, 2))
    build_outcome(table, tmp_path, better)
    a = from_outcome(tmp_path, "A", table, Mode.PAPER)
    b = from_outcome(tmp_path, "B", table, Mode.PAPER)
    result = compare_models(
        table, (b.tasks, a.tasks), (b.summary, a.summary), BootstrapSettings(draws=1000)
    )
    found = {int(t.item_id.split("-")[1]) for t in result.tasks if t.significant}
    assert found == better
    for t in result.tasks:
        if t.significant:
            assert t.normalized.difference > 0 and t.normalized.interval[0] > 0
    assert result.significant_level(result.final["Level-2"])
    assert result.final["Level-2"].difference > 0
    data = result.to_json()
    assert data["fdr"]["significant"] == len(better) and data["fdr"]["tested"] == 20
    assert "significant after Benjamini-Hochberg (q=0.05): 10" in render_comparison(result)


def test_only_instances_both_answered_are_paired(table, tmp_path):
    row = accuracy_rows(table, 1)[0]
    write_task(tmp_path, "A", row, "t", [100.0, 0.0, 100.0, 100.0], ids=["1", "2", "3", "4"])
    write_task(tmp_path, "B", row, "t", [0.0, 0.0, 100.0], ids=["3", "2", "9"])
    a = from_outcome(tmp_path, "A", table, Mode.PAPER)
    b = from_outcome(tmp_path, "B", table, Mode.PAPER)
    result = compare_models(
        table, (a.tasks, b.tasks), (a.summary, b.summary), BootstrapSettings(draws=200)
    )
    (task,) = result.tasks
    # common ids 2 and 3 (A's order): A 0, 100 -> 50; B 0, 0 -> 0
    assert task.n == 2 and task.raw == (50.0, 0.0) and task.normalized.difference == 50.0


def test_cli_compare_outcome_and_workbooks(table, tmp_path, capsys):
    build_outcome(table, tmp_path / "out", better={0, 1, 2, 3}, count=6)
    out = tmp_path / "c.json"
    argv = ["compare", str(tmp_path / "out"), "-m", "B", "-m", "A", "--json", str(out), "--all"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "B (A) vs A (B)" in text and "task-05" in text
    data = json.loads(out.read_text())
    assert list(data) == ["models", "mode", "difference", "bootstrap", "fdr", "levels", "tasks"]
    assert data["models"] == {"A": "B", "B": "A"}
    assert set(data["levels"]) == {"final", "per_modality", "nlp"}
    entry = data["tasks"][0]
    assert set(entry) == {
        "item_id",
        "sheet",
        "task_name",
        "metric",
        "n",
        "score_a",
        "score_b",
        "normalized_a",
        "normalized_b",
        "difference",
        "interval",
        "p_value",
        "p_adjusted",
        "significant",
        "note",
    }
    # the same comparison from two workbooks and the run folders of their records
    a = from_outcome(tmp_path / "out", "A", table, Mode.PAPER)
    b = from_outcome(tmp_path / "out", "B", table, Mode.PAPER)
    book_a = write_workbook(tmp_path / "a.xlsx", table, {"A": a.scores})
    book_b = write_workbook(tmp_path / "b.xlsx", table, {"B": b.scores})
    out2 = tmp_path / "c2.json"
    argv = [
        "compare",
        str(book_b),
        str(book_a),
        "--samples",
        str(tmp_path / "out" / "B"),
        "--samples",
        str(tmp_path / "out" / "A" / "samples"),
        "--json",
        str(out2),
    ]
    assert main(argv) == 0
    again = json.loads(out2.read_text())
    for name, level in data["levels"]["final"].items():
        assert again["levels"]["final"][name]["interval"] == level["interval"]
        assert again["levels"]["final"][name]["difference"] == pytest.approx(level["difference"])
    assert [t["p_value"] for t in again["tasks"]] == [t["p_value"] for t in data["tasks"]]
    # without records: point differences only
    assert main(["compare", str(book_b), str(book_a), "--json", str(out2)]) == 0
    assert all(t["interval"] is None for t in json.loads(out2.read_text())["tasks"])


def test_cli_compare_errors_are_one_line(tmp_path, capsys):
    assert main(["compare", str(tmp_path), "-m", "A"]) == 2
    assert "name the two models" in capsys.readouterr().err
    assert main(["compare", str(tmp_path), "-m", "A", "-m", "B"]) == 2
    assert "no task results of model 'A'" in capsys.readouterr().err
