"""The report in a real browser: headless system Chromium, driven by Playwright.

Loads the file offline and checks what a user would see: no console errors, the charts
drawn with a size, the ladder, a sample view for every task (opened from a link), sorting
and filtering of the task table, model output that stays text. Screenshots go to the
test's tmp dir. Skipped, with the reason, only where /usr/bin/chromium is absent.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from genbench.cli import main
from genbench.viewer import load_runs, write_report
from tests.browser import MISSING, chromium_available, launch, open_report
from tests.outcome_tree import write_closeset_tree, write_outcome_tree

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not chromium_available(), reason=MISSING)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def run_benchmarks(outcome, *options):
    """`pytest benchmarks` on the bundled sample into ``outcome`` (its real ci block)."""
    command = [sys.executable, "-m", "pytest", str(ROOT / "benchmarks"), "-q", "-p"]
    command += ["no:cacheprovider", "--outcome-dir", str(outcome), *options]
    subprocess.run(command, cwd=outcome.parent, check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def sample_outcome(tmp_path_factory):
    """The bundled sample, run with the baseline model, as `make bench` does."""
    outcome = tmp_path_factory.mktemp("sample") / "outcome"
    run_benchmarks(outcome)
    return outcome


@pytest.fixture(scope="module")
def two_models(sample_outcome, tmp_path_factory):
    """The bundled sample's outcome with a second model (another seed) beside baseline."""
    outcome = tmp_path_factory.mktemp("two") / "outcome"
    shutil.copytree(sample_outcome, outcome)
    run_benchmarks(outcome, "--model-name", "other", "--seed", "1")
    return outcome


def chart_sizes(page):
    return page.eval_on_selector_all(
        "figure.chart svg",
        "svgs => svgs.map(s => [s.getBoundingClientRect().width, "
        "s.getBoundingClientRect().height])",
    )


def column(page, table, index):
    return page.eval_on_selector(
        table,
        f"t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden)"
        f".map(r => r.cells[{index}].dataset.value)",
    )


def test_bundled_sample_report(browser, sample_outcome, tmp_path):
    path = tmp_path / "report.html"
    assert main(["report", str(sample_outcome), "-o", str(path)]) == 0
    loaded = open_report(browser, path)
    page = loaded.page
    assert loaded.errors == []
    sizes = chart_sizes(page)
    assert len(sizes) == 2 and all(w > 300 and h > 100 for w, h in sizes)
    assert page.locator(".rung.current").inner_text().startswith("Level-")
    assert page.locator(".illustrative").is_visible()
    assert page.locator("details.samples").count() == 47  # a sample view for every task
    assert page.locator("#diagnosis-0 table.candidates").count() >= 1
    assert page.locator("#tree-0").is_visible()
    page.goto(path.as_uri() + "#samples-0-image-generation-Image-Deraining")
    view = page.locator("#samples-0-image-generation-Image-Deraining")
    assert view.get_attribute("open") is not None
    thumbnail = view.locator("img.thumb").first
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) > 0
    page.screenshot(path=str(tmp_path / "sample-report.png"), full_page=False)
    assert loaded.errors == []


def test_real_ci_block_intervals_surround_the_drawn_points(sample_outcome, table):
    # `pytest benchmarks` writes task intervals on the metric's scale (dB, raw errors ...):
    # the chart draws them normalized, around each task's point
    run = load_runs(sample_outcome, table)[0]
    assert run.ci is not None and run.ci["B"] == 1000
    drawn = [t for t in run.tasks if t.interval is not None]
    assert len(drawn) > 30 and any(t.result.metric in ("MAE", "RMSE", "CD") for t in drawn)
    for task in drawn:
        low, high = task.normalized_interval
        assert low - 1e-9 <= task.result.normalized <= high + 1e-9, task.result.item_id


def test_two_models_comparison_diagnosis_and_tree(browser, two_models, tmp_path, capsys):
    path = tmp_path / "two.html"
    assert main(["report", str(two_models), "-o", str(path)]) == 0
    print(capsys.readouterr().out)  # the size, for docs/REPORTS.md
    loaded = open_report(browser, path)
    page = loaded.page
    assert loaded.errors == []
    assert page.locator("#comparison").is_visible()
    assert page.locator("#comparison table.level-differences tbody tr").count() == 25
    rows = page.locator("#comparison table.task-differences tbody tr")
    assert rows.count() == 44  # every task both models scored
    page.locator("#comparison table.task-differences th", has_text="A − B").click()
    values = page.eval_on_selector(
        "#comparison table.task-differences",
        "t => Array.from(t.tBodies[0].rows).map(r => r.cells[6].dataset.value)",
    )
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers)
    for index in (0, 1):
        assert page.locator(f"#diagnosis-{index}").is_visible()
        assert page.locator(f"#tree-{index}").is_visible()
    assert page.locator("#tasks-chart-0 svg a title").count() > 40  # tooltips
    assert page.locator("#tasks-0 th", has_text="reused").count() == 1
    page.screenshot(path=str(tmp_path / "two-models-sample.png"), full_page=True)
    assert loaded.errors == []


def test_close_set_page(browser, table, tmp_path):
    outcome = tmp_path / "out"
    write_closeset_tree(outcome, table, tasks=8)
    path = tmp_path / "closed.html"
    assert main(["report", str(outcome), "-o", str(path)]) == 0
    loaded = open_report(browser, path)
    page = loaded.page
    assert page.locator(".closeset-notice").is_visible()
    assert "genbench submit" in page.locator(".closeset-notice").inner_text()
    assert page.locator("figure.chart").count() == 0 and page.locator(".ladder").count() == 0
    assert page.locator("#tasks-0 tbody tr[data-status=closeset]").count() == 7
    assert loaded.errors == []


def test_task_table_sorts_filters_and_model_output_stays_text(browser, table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="alpha", tasks=60, ci=True, seed=4)
    write_outcome_tree(outcome, table, model="beta", tasks=60, seed=5)
    path = write_report(tmp_path / "both.html", load_runs(outcome, table))
    loaded = open_report(browser, path)
    page = loaded.page
    assert len(chart_sizes(page)) == 5  # comparison, and bars and tasks of each model
    first_before = page.locator("#tasks-0 tbody tr").first.inner_text()
    page.locator("#tasks-0 th", has_text="normalized").click()
    values = [float(v) for v in column(page, "#tasks-0", 4) if v]
    assert values == sorted(values) and len(values) > 30
    assert column(page, "#tasks-0", 4)[-1] == ""  # tasks without a score sort last
    assert page.locator("#tasks-0 tbody tr").first.inner_text() != first_before
    page.locator("#tasks-0 th", has_text="normalized").click()
    descending = [float(v) for v in column(page, "#tasks-0", 4) if v]
    assert descending == sorted(values, reverse=True)
    page.select_option("[data-table=tasks-0] .filter-status", "skipped")
    statuses = page.eval_on_selector(
        "#tasks-0",
        "t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).map(r => r.dataset.status)",
    )
    assert statuses and set(statuses) == {"skipped"}
    # a chart's point links to its task's sample view, which opens
    page.locator("#tasks-chart-0 svg a").first.dispatch_event("click")  # points may overlap
    page.wait_for_function("document.querySelectorAll('details.samples[open]').length === 1")
    assert page.evaluate("location.hash").startswith("#samples-0-")
    # the injected prediction was shown as text and never ran
    nlp = page.locator("details.samples", has_text="window.__pwned").first
    nlp.locator("summary").click()
    assert "<script>window.__pwned = 1</script>" in nlp.inner_text()
    assert page.evaluate("window.__pwned") is None and loaded.dialogs == []
    page.screenshot(path=str(tmp_path / "two-models.png"), full_page=True)
    assert loaded.errors == []


def test_700_tasks_stay_small_and_paint_fast(browser, table, tmp_path):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="big", instances=8, ci=True)
    path = write_report(tmp_path / "big.html", load_runs(outcome, table), table=table)
    assert path.stat().st_size < 10_000_000  # with its diagnosis and tree sections
    loaded = open_report(browser, path)
    page = loaded.page
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    assert paint < 3000
    assert page.locator("details.samples").count() == 700
    assert page.locator("#tasks-0 tbody tr").count() == 700
    assert all(w > 300 and h > 100 for w, h in chart_sizes(page))
    assert page.locator("#diagnosis-0").is_visible() and page.locator("#tree-0").is_visible()
    assert loaded.errors == []
