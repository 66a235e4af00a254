"""Size, render time and first paint of the HTML report of a 700-task outcome folder.

Target (issue 12): the report of a 700-task run, sample views included, under 10 MB and
painted in under 3 s by headless Chromium. The outcome folder is synthetic, in the
documented format (tests/outcome_tree.py): one task per reference row plus one unmatched,
some skipped and failed, N instances each, shared small images and audio, a ci block.
Usage: python perf/report_speed.py [--instances 20] [--repeat 3] [--screenshot out.png]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers

from genbench.reference import load_reference_table
from genbench.viewer import load_runs, write_report
from tests.browser import MISSING, chromium_available, launch, open_report
from tests.outcome_tree import write_outcome_tree

TIMINGS = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const navigation = performance.getEntriesByType('navigation')[0];
  return [paint ? paint.startTime : null, navigation.domContentLoadedEventEnd,
          navigation.loadEventEnd];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    table = load_reference_table()
    with tempfile.TemporaryDirectory() as folder:
        outcome = Path(folder) / "outcome"
        write_outcome_tree(outcome, table, model="synthetic-700", instances=args.instances, ci=True)
        renders = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            path = write_report(Path(folder) / "report.html", load_runs(outcome, table))
            renders.append(time.perf_counter() - start)
        size = path.stat().st_size
        print(f"tasks: 700, instances per task: {args.instances}")
        render = statistics.median(renders)
        print(f"report: {size / 1e6:.2f} MB; read and render: median {render:.1f} s")
        if not chromium_available():
            print(f"browser timings skipped: {MISSING}")
            return
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            marks = []
            for _ in range(args.repeat):
                loaded = open_report(browser, path)
                marks.append(loaded.page.evaluate(TIMINGS))
                if loaded.errors:
                    print(f"console errors: {loaded.errors}")
                if args.screenshot:
                    loaded.page.screenshot(path=str(args.screenshot))
                loaded.page.close()
            browser.close()
        paint, ready, load = (statistics.median(m[i] for m in marks) for i in range(3))
        print(
            f"headless Chromium, median of {args.repeat}: first contentful paint {paint:.0f} ms, "
            f"DOMContentLoaded {ready:.0f} ms, load {load:.0f} ms"
        )


if __name__ == "__main__":
    main()
