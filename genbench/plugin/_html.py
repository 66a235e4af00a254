"""pytest-html: the level summary above the results; score, metric, SoTA in each row."""

from __future__ import annotations

import pytest

from genbench.plugin._state import PROPERTY, STATE
from genbench.report import render_summary_html


class HtmlHooks:
    """pytest-html: the level summary above the results; score, metric, SoTA per row."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_html_results_summary(
        self, prefix: list[str], summary: list[str], postfix: list[str], session: pytest.Session
    ) -> None:
        state = self.config.stash[STATE]
        if state.summary is not None:
            prefix.append(render_summary_html(state.summary))

    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(2, '<th class="sortable" data-column-type="score">Score</th>')
        cells.insert(3, "<th>Metric</th>")
        cells.insert(4, "<th>SoTA</th>")

    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        values = next((v for n, v in report.user_properties if n == PROPERTY), None)
        score = metric = sota = "-"
        if isinstance(values, dict):
            metric = str(values.get("metric") or "-")
            if values.get("score") is not None:
                score = f"{values['score']:.4g}"
            if values.get("sota") is not None:
                sota = f"{values['sota']:.4g}"
        cells.insert(2, f'<td class="col-score">{score}</td>')
        cells.insert(3, f'<td class="col-metric">{metric}</td>')
        cells.insert(4, f'<td class="col-sota">{sota}</td>')
