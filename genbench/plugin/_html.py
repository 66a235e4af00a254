"""pytest-html: the level summary and the genbench report above the results; per row the
task's sheet, scores, counts and reason; links to its sample view and prediction file;
the model, its settings and the dataset in the environment table.

The genbench report (``genbench report``, docs/REPORTS.md) is written beside the
pytest-html file as ``<name>-genbench.html``: rows link into it, and the summary embeds it
(an ``iframe``; with ``--self-contained-html`` its whole text, so the one file suffices to
read it, while the row links still need the file beside it).
"""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from genbench._secrets import redact
from genbench.plugin._state import PROPERTY, STATE, GenbenchState
from genbench.report import render_summary_html
from genbench.viewer import sample_anchor

#: The columns added after pytest-html's "Test" column: (header, key of the task result).
COLUMNS = (
    ("Sheet", "sheet"),
    ("Metric", "metric"),
    ("Score", "score"),
    ("Normalized", "normalized"),
    ("SoTA", "sota"),
    ("Win", "win"),
    ("n", "n"),
    ("Missing", "missing"),
    ("Parse failures", "parse_failures"),
    ("Reason", "reason"),
)
#: Columns pytest-html may sort: its sort compares text, so only text columns qualify.
SORTABLE = frozenset({"sheet", "metric", "win"})


class HtmlHooks:
    """pytest-html hooks of genbench (registered only when pytest-html is active)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        html_path = config.getoption("htmlpath", None)
        # where pytest-html writes its report (it resolves the option the same way)
        self.html_path = (
            Path.cwd() / Path(os.path.expandvars(html_path)).expanduser() if html_path else None
        )
        self._prediction_files: dict[str, Path] | None = None

    @property
    def state(self) -> GenbenchState:
        return self.config.stash[STATE]

    @property
    def companion(self) -> Path | None:
        """The genbench report written beside the pytest-html report."""
        if self.html_path is None:
            return None
        return self.html_path.with_name(f"{self.html_path.stem}-genbench.html")

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Name the model, its settings and the dataset in pytest-html's environment."""
        try:
            from pytest_metadata.plugin import metadata_key
        except ImportError:  # pytest-html without pytest-metadata: no environment table
            return
        metadata = self.config.stash.get(metadata_key, None)
        if metadata is None:
            return
        s = self.state.settings
        settings = {**s.model_options, "seed": s.seed, "batch_size": s.batch_size}
        metadata["genbench model"] = redact(s.model_spec)
        metadata["genbench model name"] = s.model_name
        metadata["genbench model settings"] = json.dumps(settings, sort_keys=True, default=str)
        metadata["genbench dataset"] = str(s.dataset_dir)
        metadata["genbench level mode"] = self.state.mode.value
        metadata["genbench outcome"] = str(s.outcome_dir)
        metadata["genbench steps"] = "".join(str(step) for step in sorted(s.steps))

    def pytest_html_results_summary(
        self, prefix: list[str], summary: list[str], postfix: list[str], session: pytest.Session
    ) -> None:
        state = self.state
        if state.summary is not None:
            prefix.append(render_summary_html(state.summary))
        embedded = self._write_companion()
        if embedded:
            prefix.append(embedded)

    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        for offset, (header, key) in enumerate(COLUMNS):
            sortable = f' class="sortable" data-column-type="{key}"' if key in SORTABLE else ""
            cells.insert(2 + offset, f"<th{sortable}>{escape(header)}</th>")

    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        values = _result_of(report)
        for offset, (_, key) in enumerate(COLUMNS):
            text = _cell_text(key, values, report)
            cells.insert(2 + offset, f'<td class="col-{key.replace("_", "")}">{escape(text)}</td>')
        links = self._links(values)
        for index, cell in enumerate(cells):
            if 'class="col-links"' in cell and links:
                cells[index] = cell.replace("</td>", links + "</td>")

    def pytest_html_results_table_html(self, report: pytest.TestReport, data: list[str]) -> None:
        """A skipped task's log shows its reason as text, not pytest's (file, line, text)."""
        reason = _skip_reason(report)
        if reason and data and data[0] == escape(report.longreprtext) + "\n":
            data[0] = escape(reason) + "\n"

    def _links(self, values: dict[str, Any] | None) -> str:
        if values is None or self.companion is None:
            return ""
        item_id = str(values.get("item_id", ""))
        anchors = [
            (f"{quote(self.companion.name)}#{sample_anchor(item_id)}", "samples"),
        ]
        prediction = self._prediction_file(item_id)
        if prediction is not None and self.html_path is not None:
            relative = os.path.relpath(prediction, self.html_path.parent)
            anchors.append((quote(relative.replace(os.sep, "/")), "predictions"))
        return "".join(
            f'<a target="_blank" href="{escape(href)}" class="col-links__extra url">'
            f"{escape(name)}</a> "
            for href, name in anchors
        )

    def _prediction_file(self, item_id: str) -> Path | None:
        if self._prediction_files is None:
            try:
                runner = self.state.runner()
                self._prediction_files = {
                    t.item_id: runner.prediction_path(t) for t in self.state.tasks()
                }
            except (OSError, ValueError):
                self._prediction_files = {}
        path = self._prediction_files.get(item_id)
        return path if path is not None and path.is_file() else None

    def _write_companion(self) -> str:
        """Write the genbench report beside pytest-html's; return the HTML that embeds it."""
        state = self.state
        if state.is_worker or self.companion is None or not state.results:
            return ""
        from genbench.viewer import load_runs, write_report

        s = state.settings
        try:
            self._prediction_file("")  # fills the mapping
            runs = load_runs(s.outcome_dir, state.table, [s.run_name], self._prediction_files)
            write_report(self.companion, runs, table=self.state.table)
        except Exception as error:  # the test report must still be written: say why not
            message = f"genbench: the report could not be written: {error}"
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(message)
            return f"<p class='genbench-report-error'>{escape(message)}</p>"
        self_contained = bool(self.config.getoption("self_contained_html", False))
        source = (
            f'srcdoc="{escape(self.companion.read_text(encoding="utf-8"))}"'
            if self_contained
            else f'src="{escape(quote(self.companion.name))}"'
        )
        return (
            f"<p>The genbench report: <a href='{escape(quote(self.companion.name))}' "
            f"target='_blank'>{escape(self.companion.name)}</a> (levels, charts, every task, "
            "sample views)</p>"
            f'<iframe class="genbench-report" title="genbench report" {source} '
            'style="width:100%;height:900px;border:1px solid #ccc"></iframe>'
        )


def _result_of(report: pytest.TestReport) -> dict[str, Any] | None:
    values = next((v for n, v in report.user_properties if n == PROPERTY), None)
    return values if isinstance(values, dict) else None


def _skip_reason(report: pytest.TestReport) -> str:
    """The text of a skip (pytest keeps it as (file, line, 'Skipped: text'))."""
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return ""
    text = str(report.longrepr[2])
    return text.removeprefix("Skipped: ")


def _cell_text(key: str, values: dict[str, Any] | None, report: pytest.TestReport) -> str:
    if key == "reason":
        reason = str((values or {}).get("reason") or "")
        return reason or _skip_reason(report)
    value = (values or {}).get(key)
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}" if key == "normalized" else f"{value:.4g}"
    return str(value)
