"""Next-level diagnostics on hand-built score tables (tests/helpers.MINI_ROWS)."""

from __future__ import annotations

import json

import pytest

from genbench.cli import main
from genbench.level import level_scores
from genbench.stats import diagnose, render_diagnosis
from tests.helpers import key
from tests.stats_helpers import write_task


def names(group):
    return [c.row.task_name for c in group.candidates]


def scored(table, **values):
    """Scores of the named MINI_ROWS tasks (the rest unsupported)."""
    return {key(table, name): value for name, value in values.items()}


def test_level2_lists_the_nearest_wins_per_modality_and_paradigm(mini):
    scores = scored(mini, A=70.0, B=12.0, D=28.0, E=30.0)
    summary = level_scores(mini, scores, "m")
    assert summary.level == 2
    result = diagnose(mini, summary, scores)
    assert result.next_level == 3
    groups = {(g.modality, g.paradigm): g for g in result.groups}
    assert len(groups) == 8
    # B: MAE 12 against 10 -> 100 tanh(50/24) = 96.947 vs 100 tanh(2.5) = 98.661; A: 70 vs 80
    image = groups["Image", "Comprehension"]
    assert names(image) == ["B", "A"]
    assert image.candidates[0].gap == pytest.approx(98.661 - 96.947, abs=1e-3)
    assert image.candidates[0].points_needed == pytest.approx(2.0)
    assert image.candidates[1].gap == pytest.approx(10.0)
    # D: PSNR 28 against 30 (100 tanh(1.4) = 88.535 vs 90.515: gap 1.98) before the
    # unsupported FID task C (gap 58.40)
    assert names(groups["Image", "Generation"]) == ["D", "C"]
    assert groups["Image", "Generation"].candidates[1].points_needed is None
    assert groups["Image", "Generation"].candidates[1].gap == pytest.approx(58.40, abs=0.01)
    assert names(groups["Video", "Comprehension"]) == ["E"]
    assert names(groups["3D", "Generation"]) == ["J"]


def test_level3_lists_the_cheapest_wins_of_the_missing_paradigms(mini):
    scores = scored(mini, A=85.0, B=12.0, D=28.0, E=30.0, F=31.0, G=40.0, I=49.0)
    summary = level_scores(mini, scores, "m")
    assert summary.level == 3
    result = diagnose(mini, summary, scores)
    assert result.next_level == 4
    order = [(g.modality, g.needs, g.total_gap) for g in result.groups]
    assert [o[0] for o in order] == ["Image", "Video", "3D", "Audio"]
    assert order[0][1] == ["Generation"] and order[0][2] == pytest.approx(1.98, abs=0.01)
    assert order[1][1] == ["Comprehension"] and order[1][2] == pytest.approx(30.0)
    assert order[2][1] == ["Comprehension", "Generation"]
    assert order[2][2] == pytest.approx(1.0 + 98.03, abs=0.01)
    assert order[3][2] == pytest.approx(10.0 + 94.4, abs=0.01)
    assert names(result.groups[0]) == ["D", "C"]
    assert names(result.groups[3]) == ["G", "H"]


def test_level4_lists_the_language_wins_and_fragile_wins(mini):
    scores = scored(mini, A=85.0, D=31.0, T1=45.0, T2=3.0)
    summary = level_scores(mini, scores, "m")
    assert summary.level == 4
    chances = {key(mini, "A"): 0.6, key(mini, "D"): 0.95, key(mini, "T1"): 0.1}
    result = diagnose(mini, summary, scores, chances, {key(mini, "A"): "image-A"})
    assert result.next_level == 5
    (nlp,) = result.groups
    assert names(nlp) == ["T1", "T2"]
    # RMSE 3.0 against 2.31: 100 tanh(5/6) = 68.23 vs 79.40 normalized; lower by 0.69
    assert nlp.candidates[1].gap == pytest.approx(79.40 - 68.23, abs=0.01)
    assert nlp.candidates[1].points_needed == pytest.approx(0.69)
    assert nlp.candidates[0].win_probability == 0.1
    assert [(c.row.task_name, c.item_id) for c in result.fragile] == [("A", "image-A")]
    text = render_diagnosis(result)
    assert "next: Level-5 needs" in text and "ahead by 5" in text


def test_level5_has_no_next_level(mini):
    scores = scored(mini, A=85.0, D=31.0, T1=55.0)
    summary = level_scores(mini, scores, "m")
    result = diagnose(mini, summary, scores, {key(mini, "T1"): 0.7})
    assert summary.level == 5 and result.next_level is None and result.groups == []
    data = result.to_json()
    assert data["requirement"] == "highest level reached"
    assert [c["task_name"] for c in data["fragile_wins"]] == ["T1"]


def test_level1_states_the_requirement(mini):
    summary = level_scores(mini, {}, "m")
    result = diagnose(mini, summary, {})
    assert summary.level == 1 and result.next_level == 2 and result.groups == []


def test_cli_diagnose_on_an_outcome(table, tmp_path, capsys):
    row = table.sheet("Image-Comprehension")[0]
    values = [row.sota + 5.0] * 30 + [row.sota - 5.0] * 10  # wins, not surely
    write_task(tmp_path, "M", row, "image-comprehension-x", values)
    out = tmp_path / "d.json"
    argv = ["diagnose", str(tmp_path), "-m", "M", "--bootstrap", "200", "--json", str(out)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "General-Level of M" in text and "95% intervals" in text
    assert "next: Level-4 needs" in text
    data = json.loads(out.read_text())
    assert data["level"] == 3 and data["next_level"] == 4
    assert set(data) >= {"groups", "fragile_wins", "requirement", "ci"}
    assert data["ci"]["tasks"]["image-comprehension-x"]["win_probability"] > 0.5
