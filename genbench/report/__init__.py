"""Reports: result workbooks, level summaries (text and JSON)."""

from genbench.report._fractions import looks_like_fractions, rescale_fractions
from genbench.report._html import render_summary_html
from genbench.report._outcome import outcome_paths, safe_model_name, write_outcome
from genbench.report._summary import (
    level_score,
    rank_summaries,
    ranking_rule,
    render_leaderboard,
    render_summary,
)
from genbench.report._workbook import (
    LEVEL_SHEET,
    ResultWorkbook,
    WorkbookError,
    level_rows,
    parse_score,
    read_result_workbook,
    write_result_workbook,
    write_template,
)

__all__ = [
    "LEVEL_SHEET",
    "ResultWorkbook",
    "WorkbookError",
    "level_rows",
    "level_score",
    "looks_like_fractions",
    "outcome_paths",
    "parse_score",
    "rank_summaries",
    "ranking_rule",
    "read_result_workbook",
    "render_leaderboard",
    "render_summary",
    "render_summary_html",
    "rescale_fractions",
    "safe_model_name",
    "write_outcome",
    "write_result_workbook",
    "write_template",
]
