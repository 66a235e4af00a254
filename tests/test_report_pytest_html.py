"""pytest-html: genbench's columns, reasons as text, links, environment, embedded report."""

import html
import json
import re

# the fixture (a pytester tree holding the benchmark module), shared with test_plugin.py
from tests.test_plugin import bench  # noqa: F401


def report_data(path):
    """The JSON that pytest-html 4 renders its table from."""
    text = path.read_text()
    blob = re.search(r'data-jsonblob="([^"]*)"', text).group(1)
    return text, json.loads(html.unescape(blob))


def rows(data):
    found = {}
    for node, entries in data["tests"].items():
        item = node.split("[", 1)[1].rstrip("]")
        found[item] = entries[-1]
    return found


def test_rows_links_environment_and_the_embedded_report(bench):  # noqa: F811
    result = bench.runpytest(
        "--outcome-dir", "out", "-k", "nlp or audio-generation", "--html", "report.html"
    )
    result.assert_outcomes(passed=7, skipped=2)
    text, data = report_data(bench.path / "report.html")
    for header in ("Sheet", "Normalized", "Win", "Parse failures", "Reason", "Missing"):
        assert f">{header}</th>" in text
    by_item = rows(data)
    trivia = "".join(by_item["nlp-TriviaQA"]["resultsTableRow"])
    assert '<td class="col-sheet">NLP</td>' in trivia and '<td class="col-n">4</td>' in trivia
    assert 'href="report-genbench.html#samples-0-nlp-TriviaQA"' in trivia
    assert 'href="out/baseline/predictions/nlp/TriviaQA/prediction.json"' in trivia
    speech = by_item["audio-generation-TextToSpeech"]
    assert "metric WER: needs the asr network" in "".join(speech["resultsTableRow"])
    assert speech["log"].startswith("metric WER: needs the asr network")  # text, no tuple
    assert "('" not in speech["log"] and "Skipped:" not in speech["log"]
    environment = data["environment"]
    assert environment["genbench model"] == "baseline"
    assert environment["genbench dataset"].endswith("genbench/data/sample")
    assert '"seed": 0' in environment["genbench model settings"]
    companion = bench.path / "report-genbench.html"
    assert companion.is_file() and 'src="report-genbench.html"' in text
    assert 'id="samples-0-nlp-TriviaQA"' in companion.read_text()


def test_self_contained_report_embeds_the_whole_report_under_xdist(bench):  # noqa: F811
    result = bench.runpytest(
        "--outcome-dir",
        "out",
        "-k",
        "TriviaQA or Deraining",
        "-n",
        "2",
        "--html",
        "one.html",
        "--self-contained-html",
    )
    result.assert_outcomes(passed=2)
    text, data = report_data(bench.path / "one.html")
    assert "srcdoc=" in text and "genbench report: baseline" in html.unescape(text)
    rain = "".join(rows(data)["image-generation-Image-Deraining"]["resultsTableRow"])
    assert '<td class="col-sheet">Image-Generation</td>' in rain  # results came from a worker
