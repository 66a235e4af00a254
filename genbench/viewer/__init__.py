"""The HTML report: levels, charts, the task table and a sample viewer, in one file.

``load_runs`` reads an outcome folder (docs/OUTCOME.md); ``write_report`` renders the
runs into one self-contained HTML page that works offline (docs/REPORTS.md). matplotlib,
Jinja2 and PIL are imported on first use only.
"""

from genbench.viewer._load import find_runs, load_run, load_runs, summary_from_json
from genbench.viewer._model import ReportOptions, RunOutcome, TaskRow, sample_anchor
from genbench.viewer._page import render_report, write_report

__all__ = [
    "ReportOptions",
    "RunOutcome",
    "TaskRow",
    "find_runs",
    "load_run",
    "load_runs",
    "render_report",
    "sample_anchor",
    "summary_from_json",
    "write_report",
]
