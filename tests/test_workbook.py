import json

import openpyxl
import pytest

from genbench.cli import main
from genbench.level import level_scores
from genbench.report import (
    LEVEL_SHEET,
    WorkbookError,
    looks_like_fractions,
    parse_score,
    read_result_workbook,
    rescale_fractions,
    write_outcome,
)
from tests.helpers import key, write_workbook


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("∞", None),
        ("inf", None),
        ("INF", None),
        ("-", None),
        (float("inf"), None),
        (12, 12.0),
        (0.5, 0.5),
        ("12.5", 12.5),
        (" 7 ", 7.0),
        ("1e-3", 0.001),
    ],
)
def test_parse_score(cell, expected):
    assert parse_score(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "12,5", True, float("nan"), "nan", "-inf"])
def test_parse_score_rejects(cell):
    with pytest.raises(ValueError, match="not a score"):
        parse_score(cell)


def test_reads_several_models_and_ignores_extra_sheets(mini, tmp_path):
    path = write_workbook(
        tmp_path / "r.xlsx",
        mini,
        {
            "M1": {key(mini, "A"): 90, key(mini, "T1"): "55.5"},
            "M2": {key(mini, "A"): "∞", key(mini, "B"): "-"},
        },
        with_sota=True,
        extra_sheets=(LEVEL_SHEET,),
    )
    book = read_result_workbook(path, mini)
    assert book.models == ["M1", "M2"]
    assert book.scores["M1"][key(mini, "A")] == 90.0
    assert book.scores["M1"][key(mini, "T1")] == 55.5
    assert book.scores["M1"][key(mini, "C")] is None
    assert book.scores["M2"][key(mini, "A")] is None
    only = read_result_workbook(path, mini, ["m2"])
    assert only.models == ["M2"]


def test_shuffled_rows_read_the_same(table, tmp_path):
    scores = {row.key: row.sota * 0.9 for row in table}
    a = read_result_workbook(write_workbook(tmp_path / "a.xlsx", table, {"m": scores}), table)
    b = read_result_workbook(
        write_workbook(tmp_path / "b.xlsx", table, {"m": scores}, shuffle=3), table
    )
    assert a.scores == b.scores
    assert level_scores(table, a.scores["m"], "m") == level_scores(table, b.scores["m"], "m")


def test_missing_sheet(mini, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {}}, skip_sheets=("Audio-Generation",))
    with pytest.raises(WorkbookError, match=r"r.xlsx: no sheet 'Audio-Generation'"):
        read_result_workbook(path, mini)


def test_missing_model_column(mini, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {}})
    with pytest.raises(WorkbookError, match=r"no model column 'Other' \(found: M\)"):
        read_result_workbook(path, mini, ["Other"])
    empty = write_workbook(tmp_path / "e.xlsx", mini, {})
    with pytest.raises(WorkbookError, match="no model column"):
        read_result_workbook(empty, mini)


def test_bad_value_names_sheet_row_and_value(mini, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {key(mini, "B"): "twelve"}})
    with pytest.raises(WorkbookError) as error:
        read_result_workbook(path, mini)
    message = str(error.value)
    assert "r.xlsx: sheet 'Image-Comprehension' row 3" in message
    assert "'twelve'" in message and "\n" not in message


def test_task_not_in_table(mini, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {}})
    book = openpyxl.load_workbook(path)
    book["NLP"].append([9, "Made-up Task", "x", "ACC", 1])
    book.save(path)
    with pytest.raises(WorkbookError, match=r"sheet 'NLP' row 4: task 'Made-up Task'"):
        read_result_workbook(path, mini)


def test_unknown_metric_and_duplicate_rows(mini, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {}})
    book = openpyxl.load_workbook(path)
    book["NLP"].append([9, "T1", "x", "ACC", 1])
    book.save(path)
    with pytest.raises(WorkbookError, match=r"row 4: task 'T1' already listed in row 2"):
        read_result_workbook(path, mini)
    book["NLP"].cell(4, 4, "Bogus")
    book.save(path)
    with pytest.raises(WorkbookError, match=r"row 4: unknown metric 'Bogus'"):
        read_result_workbook(path, mini)


def test_not_a_workbook(mini, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    with pytest.raises(WorkbookError, match="cannot open"):
        read_result_workbook(path, mini)


def test_adding_another_model_changes_nothing(table, tmp_path):
    first = {
        row.key: min(row.sota * 1.01, row.metric.natural_range[1])  # 101% is not a score
        for row in table
        if row.sheet.startswith(("NLP", "Image"))
    }
    other = {row.key: 1.0 for row in table}
    alone = read_result_workbook(write_workbook(tmp_path / "a.xlsx", table, {"m": first}), table)
    both = read_result_workbook(
        write_workbook(tmp_path / "b.xlsx", table, {"o": other, "m": first}), table
    )
    assert level_scores(table, alone.scores["m"], "m") == level_scores(table, both.scores["m"], "m")


def test_fractions(mini):
    fractions = {key(mini, "A"): 0.9, key(mini, "T1"): 0.5, key(mini, "C"): 30.0}
    assert looks_like_fractions(mini, fractions)  # FID is not a percent metric
    assert not looks_like_fractions(mini, {key(mini, "A"): 90.0, key(mini, "T1"): 0.5})
    assert not looks_like_fractions(mini, {key(mini, "A"): 0.0})
    rescaled = rescale_fractions(mini, fractions)
    assert rescaled == {key(mini, "A"): 90.0, key(mini, "T1"): 50.0, key(mini, "C"): 30.0}


def test_written_outcome_reads_back_and_lines_up_with_the_template(table, tmp_path):
    scores = {row.key: row.sota for row in table if row.sheet != "Video-Generation"}
    summary = level_scores(table, scores, "My/Model")
    workbook, level_json = write_outcome(tmp_path, table, scores, summary, {"seed": 7})
    assert workbook.name == "My_Model_result.xlsx" and level_json.name == "My_Model_level.json"
    back = read_result_workbook(workbook, table)
    assert back.models == ["My/Model"]
    assert level_scores(table, back.scores["My/Model"], "My/Model") == summary
    data = json.loads(level_json.read_text())
    assert data["final"] == summary.to_json()["final"]
    assert data["provenance"]["seed"] == 7
    book = openpyxl.load_workbook(workbook, read_only=True)
    template = openpyxl.load_workbook("references/template_result.xlsx", read_only=True)
    assert book.sheetnames == [*template.sheetnames, LEVEL_SHEET]
    for sheet in template.sheetnames:
        ours = [r[:4] for r in book[sheet].iter_rows(values_only=True)]
        theirs = [r[:4] for r in template[sheet].iter_rows(values_only=True)]
        assert ours == theirs
    level_sheet = list(book[LEVEL_SHEET].iter_rows(values_only=True))
    overall = next(r for r in level_sheet if r[2] == "Overall")
    assert overall[3] == pytest.approx(summary.final["Level-2"])
    assert overall[-1] == summary.level
    assert ("seed", 7) in [r[:2] for r in level_sheet]


def test_cli_level_and_json(table, tmp_path, capsys):
    scores = {row.key: row.sota for row in table}
    path = write_workbook(tmp_path / "r.xlsx", table, {"A": scores, "B": {}})
    assert main(["level", str(path), "-m", "A", "--json", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    assert "General-Level of A (mode: paper)" in out
    assert "316/316" in out and "level reached: Level-5" in out
    data = json.loads((tmp_path / "a.json").read_text())
    assert data == level_scores(table, scores, "A").to_json()
    assert (
        main(["level", str(path), "--json", str(tmp_path / "both.json"), "--compat", "upstream"])
        == 0
    )
    both = json.loads((tmp_path / "both.json").read_text())
    assert [d["model"] for d in both] == ["A", "B"] and both[0]["mode"] == "upstream"


def test_cli_outcome(table, tmp_path, capsys):
    path = write_workbook(tmp_path / "r.xlsx", table, {"A": {row.key: 1.0 for row in table}})
    assert main(["level", str(path), "--outcome", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "A_result.xlsx").is_file()
    assert json.loads((tmp_path / "out" / "A_level.json").read_text())["model"] == "A"


def test_cli_errors_are_one_line(mini, tmp_path, capsys):
    path = write_workbook(tmp_path / "r.xlsx", mini, {"M": {}})
    assert main(["level", str(path), "-m", "Nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("genbench: error: ") and "Nope" in err and "\n" not in err
    assert main(["level", str(tmp_path / "missing.xlsx")]) == 2
    assert "missing.xlsx" in capsys.readouterr().err


def test_cli_warns_on_fractions_and_rescales(table, tmp_path, capsys):
    scores = {row.key: row.sota / 100 for row in table if row.metric.is_percent}
    path = write_workbook(tmp_path / "r.xlsx", table, {"F": scores})
    assert main(["level", str(path), "--json", str(tmp_path / "f.json")]) == 0
    captured = capsys.readouterr()
    assert "look like fractions" in captured.err and "--rescale" in captured.err
    assert json.loads((tmp_path / "f.json").read_text())["final"]["Level-3"] == 0
    assert main(["level", str(path), "--rescale", "--json", str(tmp_path / "r.json")]) == 0
    assert "fractions" not in capsys.readouterr().err
    assert json.loads((tmp_path / "r.json").read_text())["final"]["Level-3"] > 0


def test_cli_leaderboard(table, tmp_path, capsys):
    strong = {row.key: row.sota for row in table}
    weak = {row.key: row.sota / 2 if row.metric.higher_is_better else row.sota * 2 for row in table}
    path = write_workbook(tmp_path / "r.xlsx", table, {"weak": weak, "strong": strong})
    other = write_workbook(tmp_path / "o.xlsx", table, {"none": {}})
    assert main(["leaderboard", str(path), str(other), "--sort", "Level-3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ranked = [line.split()[1] for line in lines[2:]]
    assert ranked == ["strong", "weak", "none"]


def test_cli_template(tmp_path, capsys):
    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "NLP"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("=40+2", r"sheet 'NLP' row \d+: model 'm': a formula \('=40\+2'\), not a score"),
        (-50, r"model 'm': -50 is outside the range of ACC \[0, 100\]"),
        (250, r"model 'm': 250 is outside the range of ACC \[0, 100\]"),
    ],
)
def test_formulas_and_scores_out_of_range_are_errors(table, tmp_path, value, message):
    row = next(r for r in table if r.sheet == "NLP" and r.metric.name == "ACC")
    path = write_workbook(tmp_path / "bad.xlsx", table, {"m": {row.key: value}})
    with pytest.raises(WorkbookError, match=message) as error:
        read_result_workbook(path, table)
    assert str(error.value).startswith(f"{path}: sheet 'NLP' row ")


def test_a_workbook_that_would_hold_the_same_is_not_written_again(table, tmp_path):
    scores = {row.key: row.sota for row in table if row.sheet == "NLP"}
    summary = level_scores(table, scores, "m")
    workbook, _ = write_outcome(tmp_path, table, scores, summary, {"seed": 7})
    first = workbook.stat()
    write_outcome(tmp_path, table, scores, summary, {"seed": 7})
    again = workbook.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)

    # a changed score, or other provenance: written again, and it holds the new content
    changed = dict(scores)
    row = next(r for r in table if r.sheet == "NLP")
    changed[row.key] = row.sota / 2
    write_outcome(tmp_path, table, changed, level_scores(table, changed, "m"), {"seed": 7})
    assert read_result_workbook(workbook, table).scores["m"][row.key] == row.sota / 2
    third = workbook.stat()
    write_outcome(tmp_path, table, changed, level_scores(table, changed, "m"), {"seed": 8})
    assert workbook.stat().st_ino != third.st_ino

    # a workbook replaced since (its size or time differ from the record): written again
    workbook.write_bytes(b"not a workbook")
    write_outcome(tmp_path, table, changed, level_scores(table, changed, "m"), {"seed": 8})
    assert read_result_workbook(workbook, table).models == ["m"]
