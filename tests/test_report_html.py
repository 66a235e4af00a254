"""The HTML report without a browser: reading outcome folders, and what the page holds."""

import json
import re
import shutil

import pytest

from genbench.viewer import ReportOptions, load_runs, render_report, sample_anchor, write_report
from tests.outcome_tree import write_outcome_tree


@pytest.fixture(scope="module")
def tree(tmp_path_factory, table):
    """Two models, 40 tasks each; the first with a ci block."""
    outcome = tmp_path_factory.mktemp("outcome")
    write_outcome_tree(outcome, table, model="alpha", tasks=40, ci=True, seed=1)
    write_outcome_tree(outcome, table, model="beta", tasks=40, seed=2)
    return outcome


@pytest.fixture(scope="module")
def alpha_html(tree, table):
    runs = load_runs(tree, table, ["alpha"])
    return render_report(runs, tree)


def test_load_runs_reads_tasks_summary_and_ci(tree, table):
    alpha, beta = load_runs(tree, table)
    assert (alpha.model, beta.model) == ("alpha", "beta")
    assert len(alpha.tasks) == 41  # 40 rows and one unmatched task
    statuses = {t.result.status for t in alpha.tasks}
    assert {"scored", "unmatched"} <= statuses
    assert alpha.summary is not None and alpha.summary_source == "level JSON"
    assert alpha.ci is not None and beta.ci is None
    scored = next(t for t in alpha.tasks if t.result.status == "scored")
    assert scored.interval is not None and scored.win_probability is not None
    assert scored.sota_normalized is not None and scored.samples_file is not None
    assert scored.prediction_file is not None and scored.prediction_file.is_file()
    assert not alpha.notes  # unknown keys ("a_key_from_the_future") are ignored


def test_models_are_chosen_by_name_and_unknown_ones_named(tree, table):
    assert [r.model for r in load_runs(tree, table, ["beta", "alpha"])] == ["beta", "alpha"]
    with pytest.raises(ValueError, match=r"no run of model 'gamma'.*alpha, beta"):
        load_runs(tree, table, ["gamma"])
    with pytest.raises(FileNotFoundError):
        load_runs(tree / "nowhere", table)


def test_summary_is_computed_when_the_level_json_is_absent_or_of_another_run(tree, table, tmp_path):
    outcome = tmp_path / "out"
    shutil.copytree(tree / "alpha", outcome / "alpha")
    (outcome / "alpha" / "tasks" / "broken.json").write_text("{not json")
    run = load_runs(outcome, table)[0]
    assert run.summary is not None and "computed" in run.summary_source
    assert any("broken.json" in note for note in run.notes)
    # a limited run must not take the full run's level JSON
    shutil.copytree(tree / "alpha", outcome / "alpha@limit5")
    level = json.loads((tree / "alpha_level.json").read_text())
    (outcome / "alpha@limit5_level.json").write_text(json.dumps(level))
    limited = load_runs(outcome, table, ["alpha@limit5"])[0]
    assert "computed" in limited.summary_source and limited.ci is None
    assert any("another run" in note for note in limited.notes)


def test_model_output_is_escaped(alpha_html):
    assert "window.__pwned" in alpha_html  # the prediction is shown ...
    assert "<script>window.__pwned" not in alpha_html  # ... as text, never as markup
    assert '<img src=x onerror="window.__pwned' not in alpha_html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in alpha_html


def test_the_page_is_self_contained(alpha_html):
    assert alpha_html.count("<script>") == 1  # the page's own, inline
    assert not re.search(r"<script[^>]+src=", alpha_html)
    assert not re.search(r"<link[^>]+stylesheet", alpha_html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", alpha_html)


def test_every_task_has_a_sample_view_failures_first_and_capped(tree, table, alpha_html):
    run = load_runs(tree, table, ["alpha"])[0]
    for task in run.tasks:
        assert f'id="{sample_anchor(task.result.item_id)}"' in alpha_html
    assert "6 of 8 shown" in alpha_html
    html = render_report([run], tree, ReportOptions(samples_per_task=2))
    assert "2 of 8 shown" in html and "6 of 8 shown" not in html
    # in every view, flagged instances (missing, parse failure) come before the others
    for view in re.findall(r'<table class="instances">(.*?)</table>', alpha_html, re.S):
        flagged = ['class="failed"' in row for row in view.split("<tr")[2:]]
        assert flagged == sorted(flagged, reverse=True)


def test_ci_block_shows_intervals_and_win_probability(alpha_html, tree, table):
    assert "P(win)</th>" in alpha_html and "P(reach)" in alpha_html
    assert "error bars: 0.95 intervals (bootstrap)" in alpha_html
    beta = render_report(load_runs(tree, table, ["beta"]), tree)
    assert "P(win)" not in beta and "P(reach)" not in beta
    assert beta.count("<svg") == 2  # bars and task chart, drawn without error bars


def test_media_inline_within_budget_else_linked(tree, table):
    runs = load_runs(tree, table, ["alpha"])
    rich = render_report(runs, tree)
    assert "data:image/jpeg;base64," in rich
    lean = render_report(runs, tree, ReportOptions(media_budget_bytes=0))
    assert "data:image" not in lean and "data:audio" not in lean
    assert 'class="file" href="alpha-inputs/_media/' in lean  # linked, relative


def test_several_models_get_a_leaderboard_and_side_by_side_bars(tree, table, tmp_path):
    path = write_report(tmp_path / "both.html", load_runs(tree, table))
    html = path.read_text()
    assert 'id="leaderboard"' in html and 'id="compare-chart"' in html
    assert html.count('<section class="run"') == 2
    assert 'id="samples-1-' in html  # the second model's anchors do not collide


def test_bundled_sample_is_marked_illustrative(tree, table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="m", tasks=5, dataset="/x/genbench/data/sample")
    html = render_report(load_runs(outcome, table), outcome)
    assert "Illustrative only" in html
    assert "Illustrative only" not in render_report(load_runs(tree, table, ["beta"]), tree)


def test_a_run_known_only_by_its_level_json(tree, table, tmp_path):
    outcome = tmp_path / "out"
    outcome.mkdir()
    level = json.loads((tree / "beta_level.json").read_text())
    level["a_key_from_the_future"] = {"x": 1}
    del level["nlp"]  # absent parts read as 0
    (outcome / "beta_level.json").write_text(json.dumps(level))
    run = load_runs(outcome, table)[0]
    assert run.tasks == [] and run.summary is not None and run.summary.nlp.s_l == 0
    html = render_report([run], outcome)
    assert 'class="ladder"' in html and html.count("<svg") == 1  # the bars, no task chart
    assert 'class="tasks"' not in html
