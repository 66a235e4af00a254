"""``genbench report`` and ``genbench leaderboard --html`` on the command line."""

import argparse

from genbench.cli import build_parser, main
from tests.helpers import write_workbook
from tests.outcome_tree import write_closeset_tree, write_outcome_tree, write_worse_copy
from tests.test_startup import loaded_after


def test_report_writes_one_file_and_says_where(table, tmp_path, capsys):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="alpha", tasks=12)
    write_outcome_tree(outcome, table, model="beta", tasks=12, seed=3)
    assert main(["report", str(outcome), "-m", "beta", "-o", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "1 model(s)" in out
    html = (tmp_path / "r.html").read_text()
    assert "genbench report: beta" in html and 'id="leaderboard"' not in html
    assert main(["report", str(outcome), "--samples-per-task", "1", "--media-budget", "0"]) == 0
    both = (outcome / "report.html").read_text()  # the default place
    assert 'id="leaderboard"' in both and "1 of 8 shown" in both and "data:image" not in both


def test_report_errors_are_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("genbench: error: ") and "nowhere" in err and "\n" not in err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert "no run" in capsys.readouterr().err


def test_leaderboard_html_ranks_by_level_reached(table, tmp_path, capsys):
    strong = {row.key: row.sota for row in table}
    weak = {row.key: row.sota / 2 if row.metric.higher_is_better else row.sota * 2 for row in table}
    path = write_workbook(tmp_path / "r.xlsx", table, {"weak": weak, "strong": strong})
    html = tmp_path / "board.html"
    assert main(["leaderboard", str(path), "--html", str(html)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "ranked by level reached" in lines[0]
    assert [line.split()[1] for line in lines[2:4]] == ["strong", "weak"]
    text = html.read_text()
    assert "genbench leaderboard" in text and 'id="compare-chart"' in text
    assert text.index('href="#model-0">strong') < text.index('href="#model-1">weak')


def test_help_texts_have_no_rest_markup():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for sub in commands.choices.values():
        assert "``" not in sub.format_help()


def test_the_command_line_stays_light():
    heavy = {"matplotlib", "jinja2", "PIL", "pandas", "openpyxl"}
    assert loaded_after("genbench.cli", "genbench.viewer") & heavy == set()


def test_report_compares_and_diagnoses_with_its_options(table, tmp_path, capsys):
    outcome = tmp_path / "out"
    write_outcome_tree(outcome, table, model="alpha", tasks=24, instances=12, ci=True, seed=5)
    write_worse_copy(outcome, table, "alpha", "worse")
    assert main(["report", str(outcome)]) == 0  # two models: compared by default
    html = (outcome / "report.html").read_text()
    assert 'id="comparison"' in html and "B=1000, seed 0" in html
    assert 'id="diagnosis-0"' in html and 'id="diagnosis-1"' in html
    assert main(["report", str(outcome), "--bootstrap", "40", "--seed", "9"]) == 0
    html = (outcome / "report.html").read_text()
    assert "paired percentile bootstrap, B=40, seed 9" in html
    assert "B=40, seed 9" in html[html.index('id="diagnosis-1"') :]  # worse has no ci block
    assert main(["report", str(outcome), "--no-compare"]) == 0
    assert 'id="comparison"' not in (outcome / "report.html").read_text()
    assert main(["report", str(outcome), "-m", "alpha", "--compare"]) == 0
    assert "no comparison: it needs two models" in (outcome / "report.html").read_text()
    capsys.readouterr()
    assert main(["report", str(outcome), "--bootstrap", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("genbench: error: --bootstrap") and err.count("\n") == 1


def test_report_of_a_close_set_run(table, tmp_path, capsys):
    outcome = tmp_path / "out"
    write_closeset_tree(outcome, table, tasks=6)
    assert main(["report", str(outcome)]) == 0
    assert "wrote" in capsys.readouterr().out
    html = (outcome / "report.html").read_text()
    assert "A close set: no level." in html and "genbench submit" in html
