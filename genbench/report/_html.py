"""HTML pieces for pytest-html: the General-Level summary table."""

from __future__ import annotations

from html import escape

from genbench.level import LEVEL_NAMES, LevelSummary
from genbench.reference import MODALITIES


def render_summary_html(summary: LevelSummary) -> str:
    """The level summary as a self-contained HTML table (no external assets)."""
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            "scope",
            "Level-2",
            "Level-3",
            "Level-4",
            "S_C",
            "S_G",
            "S_L",
            "supported",
            "wins",
        )
    )
    rows = []
    for modality in MODALITIES:
        m = summary.per_modality[modality]
        cells = [
            modality,
            *(f"{v:.2f}" for v in (m.level2, m.level3, m.level4, m.s_c, m.s_g)),
            "",
            f"{m.supported}/{m.total}",
            str(m.wins),
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    n = summary.nlp
    rows.append(
        f"<tr><td>NLP</td><td colspan='5'></td><td>{n.s_l:.2f}</td>"
        f"<td>{n.supported}/{n.total}</td><td>{n.wins}</td></tr>"
    )
    overall = ", ".join(f"{name} {summary.final[name]:.2f}" for name in LEVEL_NAMES)
    return (
        f"<h2 id='genbench-level'>General-Level of {escape(summary.model)}</h2>"
        f"<p>mode: {escape(summary.mode.value)}; level reached: "
        f"<strong>Level-{summary.level}</strong>; overall: {escape(overall)}</p>"
        f"<table class='genbench-level' border='1'><tr>{head}</tr>{''.join(rows)}</table>"
    )
