"""The HTML report without a browser: reading outcome folders, and what the page holds."""

import json
import re
import shutil

import pytest

from genbench.viewer import ReportOptions, load_runs, render_report, sample_anchor, write_report
from tests.outcome_tree import (
    INJECTION,
    PASSED_OVER,
    TASK_NOTE,
    write_closeset_tree,
    write_outcome_tree,
    write_worse_copy,
)


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


def test_the_tree_lists_what_was_passed_over_unmatched_and_decided(tree, table, alpha_html):
    run = load_runs(tree, table, ["alpha"])[0]
    assert run.tree is not None and run.tree.passed_over[0] == PASSED_OVER[0]
    assert 'id="tree-0"' in alpha_html and "The dataset tree</a>: 41 task folders" in alpha_html
    assert "generation_config.json: no &#39;data&#39; list" in alpha_html
    assert "video/comprehension/&lt;script&gt;window.__pwned" in alpha_html  # a folder's name
    # the unmatched task with the rows it comes close to, and the note on a task
    assert "did you mean &#39;Time Series&#39;, &#39;Riddle &lt;b&gt;Solving&lt;/b&gt;&#39;" in (
        alpha_html
    )
    assert TASK_NOTE in alpha_html
    assert f'href="#{sample_anchor("nlp-Custom-Riddles")}"' in alpha_html


def test_a_run_without_discovery_json_has_no_tree_and_a_broken_one_is_a_note(table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="old", tasks=5, discovery=False)
    run = load_runs(outcome, table)[0]
    assert run.tree is None and not run.notes
    assert 'class="tree"' not in render_report([run], outcome)
    (outcome / "old" / "discovery.json").write_text('{"root": "/x", "tasks": [{}]}')
    run = load_runs(outcome, table)[0]
    assert run.tree is None and any("discovery.json: unreadable" in n for n in run.notes)
    assert "discovery.json: unreadable" in render_report([run], outcome)


def test_reused_results_are_marked_and_counted(tree, table, alpha_html):
    run = load_runs(tree, table, ["alpha"])[0]
    reused = [t.result.item_id for t in run.tasks if t.result.reused]
    assert reused and run.reused == len(reused)
    assert f"<span>reused {len(reused)}</span>" in alpha_html
    assert f"{len(reused)} of 41 task results were reused" in alpha_html
    rows = re.findall(r'<tr data-status="[^"]*".*?</tr>', alpha_html, re.S)
    assert sum("<td>reused</td>" in row for row in rows) == len(reused)
    assert alpha_html.count('<span class="badge">reused</span>') == len(reused)


def test_statuses_show_in_the_table_and_the_chart(table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="m", tasks=40, instances=2, seed=2)
    # a close-set task among scored ones, and a reason that carries markup
    for path in sorted((outcome / "m" / "tasks").glob("*.json")):
        data = json.loads(path.read_text())
        if data["status"] == "scored" and data["sheet"] == "NLP":
            data.update(status="closeset", score=None, normalized=None, win=None)
            data["reason"] = "close set: no references"
            path.write_text(json.dumps(data))
            break
    tasks = sorted((outcome / "m" / "tasks").glob("*.json"))
    failed = next(p for p in tasks if '"status": "failed"' in p.read_text())
    data = json.loads(failed.read_text())
    data["reason"] = "broken: " + INJECTION
    failed.write_text(json.dumps(data))
    run = load_runs(outcome, table)[0]
    html = render_report([run], outcome)
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "broken: &lt;script&gt;window.__pwned" in html  # in the table and the tooltip
    for status in ("skipped", "failed", "closeset"):
        task = next(t for t in run.tasks if t.result.status == status)
        row = re.search(rf'<tr data-status="{status}".*?</tr>', html, re.S).group(0)
        assert f"<td>{status}</td>" in row and task.result.reason.split(":")[0] in row
        # the chart's point says what happened in its tooltip
        anchor = sample_anchor(task.result.item_id)
        title = re.search(rf'<a xlink:href="#{anchor}"><title>([^<]*)</title>', html)
        assert title and f": {status}: " in title.group(1)
    assert "skipped (counts 0)" in html and "failed (counts 0)" in html
    assert "close set: no references</text>" in html  # the legend's entry
    scored = next(t for t in run.tasks if t.result.normalized is not None and t.sota_normalized)
    anchor = sample_anchor(scored.result.item_id)
    title = re.search(rf'<a xlink:href="#{anchor}"><title>([^<]*)</title>', html).group(1)
    assert f"normalized {scored.result.normalized:.2f} vs SoTA" in title


def test_task_intervals_are_drawn_on_the_normalized_scale(tree, table):
    run = load_runs(tree, table, ["alpha"])[0]
    lower = [t for t in run.tasks if t.interval and t.result.metric not in ("ACC", "F1")]
    assert lower
    for task in run.tasks:
        if task.interval is None:
            continue
        low, high = task.normalized_interval
        assert 0 <= low <= task.result.normalized <= high <= 100  # around the drawn point
    # a lower-is-better metric: the ends swap
    task = next(t for t in run.tasks if t.interval and "RMSE" in t.result.metric)
    assert task.normalized_interval[0] < task.normalized_interval[1]


def test_a_close_set_run_says_so_and_how_to_submit(table, tmp_path):
    outcome = tmp_path / "out"
    write_closeset_tree(outcome, table, model="closed model", tasks=12)
    run = load_runs(outcome, table)[0]
    assert run.closeset and run.summary is None and "no task was scored" in run.summary_source
    html = render_report([run], outcome, table=table)
    assert "A close set: no level." in html
    assert f"genbench submit {outcome} -m &#39;closed model&#39; --dataset-dir" in html
    assert "genbench submit --check submission.zip" in html
    assert 'class="ladder"' not in html and "<svg" not in html and 'id="diagnosis' not in html
    assert html.count('<tr data-status="closeset"') == len(run.tasks) - 1
    assert '<tr data-status="failed"' in html and "not valid JSON" in html
    assert "close set: no references" in html and "cannot run; a close set." in html


@pytest.fixture(scope="module")
def pair(tmp_path_factory, table):
    """alpha (with a ci block) and a copy that answers half its resampled tasks wrong."""
    outcome = tmp_path_factory.mktemp("pair")
    write_outcome_tree(outcome, table, model="alpha", tasks=60, instances=20, ci=True, seed=7)
    worse = write_worse_copy(outcome, table, "alpha", "worse")
    return outcome, worse


def test_the_comparison_finds_the_worse_tasks_and_lists_them_first(pair, table):
    outcome, worse = pair
    html = render_report(load_runs(outcome, table), outcome, table=table)
    assert 'id="comparison"' in html and 'href="#comparison"' in html
    section = html[html.index('id="comparison"') : html.index('<section class="run"')]
    assert "paired percentile bootstrap, B=1000, seed 0" in section
    levels = re.search(r'<table class="level-differences.*?</table>', section, re.S).group(0)
    assert levels.count("<tr") == 1 + 4 + 4 * 5 + 1  # header, overall, modalities, S_L
    tasks = section.split("task-differences")[1]
    rows = re.findall(r'<tr( class="significant")?><td>(.*?)</td>', tasks)
    flags = [bool(flag) for flag, _ in rows]
    assert flags == sorted(flags, reverse=True)  # significant ones first
    significant = [cell for flag, cell in rows if flag]
    assert len(significant) == len(worse) and len(worse) >= 3
    for item_id in worse:
        assert any(f'title="{item_id}"' in cell for cell in significant)
    assert f"<strong>{len(worse)} significant</strong>" in section


def test_comparison_options_and_bounds(pair, table, tmp_path):
    outcome, _ = pair
    runs = load_runs(outcome, table)
    off = render_report(runs, outcome, ReportOptions(compare=False), table=table)
    assert 'id="comparison"' not in off
    small = render_report(runs, outcome, ReportOptions(bootstrap=50, seed=3), table=table)
    assert "B=50, seed 3" in small and "no p-value is below 0.0392" in small
    none = render_report(runs, outcome, ReportOptions(bootstrap=0), table=table)
    assert 'id="comparison"' not in none and "no comparison: --bootstrap is 0" in none
    assert 'id="comparison"' not in render_report(runs, outcome)  # no table, no statistics
    # at most `comparisons` models against the first, the others named
    shutil.copytree(outcome, tmp_path / "three")
    write_worse_copy(tmp_path / "three", table, "alpha", "zeta")
    three = load_runs(tmp_path / "three", table)
    html = render_report(three, tmp_path / "three", ReportOptions(comparisons=1), table=table)
    assert html.count('<div class="comparison"') == 1
    assert "not zeta (genbench compare OUTCOME -m A -m B)" in html


def test_each_model_gets_its_next_level_from_its_ci_block_or_computed(pair, table):
    outcome, _ = pair
    runs = load_runs(outcome, table)
    html = render_report(runs, outcome, table=table)
    alpha = html[html.index('id="diagnosis-0"') : html.index('id="diagnosis-1"')]
    worse = html[html.index('id="diagnosis-1"') :]
    level = runs[0].summary.level
    assert f"Stands on Level-{level}." in alpha
    assert "Win probabilities from the level JSON&#39;s ci block (bootstrap, B=200" in alpha
    assert "Win probabilities computed for this report" in worse and "B=1000, seed 0" in worse
    assert "Fragile wins (win probability below 0.8)" in alpha
    # ci block: the fragile wins are those the block gives below 0.8
    fragile = [t for t in runs[0].tasks if t.result.win and (t.win_probability or 1) < 0.8]
    assert f"below 0.8): {len(fragile)}</h4>" in alpha
    bare = render_report(runs[1:], outcome, ReportOptions(bootstrap=0), table=table)
    assert "No win probabilities: the level JSON has no ci block and --bootstrap is 0" in bare


def test_the_diagnosis_lists_the_nearest_wins_with_points_needed(table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="m", tasks=30, ci=True, seed=11)
    run = load_runs(outcome, table)[0]
    html = render_report([run], outcome, table=table)
    section = html[html.index('id="diagnosis-0"') :]
    section = section[: section.index("</div>")]
    assert "needs " in section and '<table class="candidates sortable">' in section
    assert re.search(r"<td>(raise|lower) by [0-9.]+", section) or "not supported" in section
