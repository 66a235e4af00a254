import csv
from pathlib import Path

import openpyxl
import pytest

from genbench.reference import (
    SHEETS,
    ReferenceRow,
    ReferenceTable,
    TaskKey,
    read_reference_csv,
    split_sheet,
    task_key,
)
from genbench.report import write_template

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "references"


def test_rows_per_sheet(table):
    counts = {sheet: len(table.sheet(sheet)) for sheet in SHEETS}
    assert counts == {
        "NLP": 115,
        "Image-Comprehension": 271,
        "Image-Generation": 45,
        "Video-Comprehension": 126,
        "Video-Generation": 46,
        "Audio-Comprehension": 24,
        "Audio-Generation": 20,
        "3D-Comprehension": 30,
        "3D-Generation": 22,
    }
    assert len(table) == 699


def test_known_rows_keep_their_figures(table):
    row = table.find("3D-Generation", "Point Cloud to Mesh Scene Reconstruction")
    assert row is not None and row.sota == 4.93e-05 and row.metric.name == "CD"
    eeg = table.find("Image-Generation", "EEG-based Image Generation")
    assert eeg is not None and eeg.task_name == " EEG-based Image Generation" and eeg.no == 44
    assert eeg.name == "EEG-based Image Generation"
    assert table.find("NLP", "commonsense-reasoning").sota == 83.33


def test_task_key_folds_case_spaces_hyphens_underscores():
    assert task_key("Accent Classification") == task_key("AccentClassification")
    assert task_key("3d_classification") == task_key("3D Classification")
    assert task_key("Bird-Detection") == "birddetection"


def test_split_sheet():
    assert split_sheet("NLP") == ("NLP", None)
    assert split_sheet("3D-Generation") == ("3D", "Generation")
    with pytest.raises(ValueError, match="Level-Scores"):
        split_sheet("Level-Scores")


def test_duplicate_task_is_rejected():
    rows = [
        ReferenceRow("NLP", 1, "X", "X", "ACC", 1.0),
        ReferenceRow("NLP", 2, "x", "x", "Acc", 2.0),
    ]
    with pytest.raises(ValueError, match="appears twice"):
        ReferenceTable(rows)


def test_bad_csv_line_is_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "Sheet,No,Task Name,Task Short Name,Metrics,SoTA Performance\n"
        "NLP,1,A,A,ACC,12\nNLP,2,B,B,Bogus,1\n"
    )
    with pytest.raises(Exception, match=r"t.csv:3"):
        read_reference_csv(path)


def test_template_is_generated_from_the_table(table, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, table)
    made = openpyxl.load_workbook(path)
    committed = openpyxl.load_workbook(ROOT / "references" / "template_result.xlsx")
    assert made.sheetnames == list(SHEETS) == committed.sheetnames
    for sheet in SHEETS:
        rows = [tuple(c.value for c in r) for r in made[sheet].iter_rows()]
        assert rows == [tuple(c.value for c in r) for r in committed[sheet].iter_rows()]
        assert rows[0] == ("No", "Task Name", "Task Short Name", "Metrics")
        assert len(rows) == len(table.sheet(sheet)) + 1


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the authors' workbooks are not beside this checkout"
)
def test_csv_matches_the_authors_workbooks(table):
    sota = openpyxl.load_workbook(SHARED / "sota_result.xlsx", read_only=True)
    template = openpyxl.load_workbook(SHARED / "template_result.xlsx", read_only=True)
    for sheet in SHEETS:
        theirs = list(sota[sheet].iter_rows(min_row=2, values_only=True))
        ours = table.sheet(sheet)
        assert [(r.no, r.task_name, r.short_name, r.metric_label, r.sota) for r in ours] == [
            tuple(t[:5]) for t in theirs
        ]
        assert [tuple(t[:4]) for t in template[sheet].iter_rows(min_row=2, values_only=True)] == [
            (r.no, r.task_name, r.short_name, r.metric_label) for r in ours
        ]


def test_csv_is_plain_text_in_table_order():
    with (ROOT / "references" / "sota.csv").open(encoding="utf-8") as handle:
        sheets = [row["Sheet"] for row in csv.DictReader(handle)]
    order = list(dict.fromkeys(sheets))
    assert order == list(SHEETS)


def test_task_key_of_resolves_metric_aliases():
    assert TaskKey.of("NLP", "Some Task", "Acc") == TaskKey.of("NLP", "some-task", "ACC")
