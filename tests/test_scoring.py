"""Scorers and task families used by the harness, against hand-computed values."""

import math
import wave

import numpy as np
import pytest
from PIL import Image

from genbench.metrics import MetricUnavailable, get_scorer, label_set
from genbench.metrics._numeric import PSNR_CAP_DB, chamfer_distance
from genbench.metrics._text import token_set_f1
from genbench.models import BaselineModel, Request, load_model
from genbench.models._registry import ModelSpecError
from genbench.tasks._parsing import lettered, parse_choice, parse_numbers


def test_accuracy_any_reference():
    assert get_scorer("Acc")(["B", " A ", "x"], ["B", ["C", "A"], "y"]) == pytest.approx(200 / 3)
    assert get_scorer("ACC")([], []) == 0.0


def test_token_set_f1():
    # shared set {the, cat} = 2; p = 2 / 3 tokens ("the" repeated), r = 2 / 3 -> F1 = 2/3
    assert token_set_f1("the cat the", "the cat sat") == pytest.approx(2 / 3)
    assert token_set_f1("the cat", "the cat sat") == pytest.approx(0.8)
    # no shared token scores 0, two empty texts included (the benchmark's definition)
    assert token_set_f1("", "") == 0.0 and token_set_f1("a", "") == 0.0
    assert get_scorer("F1")(["Paris"], [["paris", "Paris"]]) == 100.0


def test_rouge1_with_stemming():
    # "cats" stems to "cat": overlap 3 of 3 and 3 of 6 -> F = 2*1*0.5/1.5
    assert get_scorer("ROUGE-1")(["the cats sat"], ["the cat sat on the mat"]) == pytest.approx(
        100 * 2 * 1 * 0.5 / 1.5
    )


def test_bleu1_sentence_with_brevity_penalty():
    # 3 of 3 unigrams match, hypothesis 3 vs reference 6: BP = exp(1 - 6/3)
    assert get_scorer("BLEU-1")(["the cat sat"], ["the cat sat on the mat"]) == pytest.approx(
        100 * math.exp(-1)
    )
    assert get_scorer("BLEU-1")([""], ["x"]) == 0.0


def test_micro_f1():
    preds = [{"a", "b"}, {"c"}, set()]
    refs = [{"a"}, {"d"}, {"e"}]
    # tp 1, fp 2 (b, c), fn 2 (d, e): 2/(2+2+2)
    assert get_scorer("Micro-F1")(preds, refs) == pytest.approx(100 * 2 / 6)
    # no true positive at all scores 0
    assert get_scorer("Micro-F1")([set()], [{"a"}]) == 0.0


def test_regression_errors():
    assert get_scorer("MAE")([[1.0], [5.0]], [[2.0], [2.0]]) == 2.0
    assert get_scorer("RMSE")([[1.0, 3.0]], [[0.0, 0.0]]) == pytest.approx(math.sqrt(5))
    with pytest.raises(ValueError, match="2 predicted values for 1"):
        get_scorer("RMSE")([[1.0, 2.0]], [[1.0]])


def test_psnr(tmp_path):
    a = np.zeros((4, 4, 3), np.uint8)
    b = a.copy()
    b[0, 0, 0] = 255  # MSE = 255^2 / 48 -> PSNR = 10 log10(48)
    Image.fromarray(a).save(tmp_path / "a.png")
    Image.fromarray(b).save(tmp_path / "b.png")
    psnr = get_scorer("PSNR")
    assert psnr([[tmp_path / "b.png"]], [[tmp_path / "a.png"]]) == pytest.approx(
        10 * math.log10(48)
    )
    assert psnr([[tmp_path / "a.png"]], [[tmp_path / "a.png"]]) == PSNR_CAP_DB


def test_chamfer(tmp_path):
    a = np.array([[0.0, 0, 0], [1, 0, 0]])
    b = np.array([[0.0, 0, 0]])
    # a->b: mean(0, 1) = 0.5; b->a: 0
    assert chamfer_distance(a, b) == pytest.approx(0.5)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    assert get_scorer("CD (Chamfer Distance)")([tmp_path / "a.npy"], [tmp_path / "b.npy"]) == 0.5


def test_unavailable_metrics_say_why():
    with pytest.raises(MetricUnavailable, match="FID: needs the inception network"):
        get_scorer("FID")
    with pytest.raises(MetricUnavailable, match="MOS: needs externally supplied scores"):
        get_scorer("MOS")
    with pytest.raises(MetricUnavailable, match="AMOTA: needs nuscenes-devkit"):
        get_scorer("AMOTA (Average Multi-Object Tracking Accuracy)")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B", "B"),
        ("(C)", "C"),
        ("B. water", "B"),
        ("water", "B"),
        ("The answer is D", "D"),
        ("I am not sure", None),
        ("A or B", None),
    ],
)
def test_parse_choice(raw, expected):
    options = ["sand", "water", "paper", "glue"]
    assert parse_choice(raw, options) == expected


def test_parsing_helpers():
    assert lettered(["cat", "B. dog"]) == ["A. cat", "B. dog"]
    assert parse_numbers("about 3.5 or -2e1 people") == [3.5, -20.0]
    assert label_set("Ada Lovelace, Marie Curie", (", ",)) == {"ada lovelace", "marie curie"}
    assert label_set("Ada<p> Bob <p>", ("<p>",)) == {"ada", "bob"}
    # an empty answer is the one empty label, as the benchmark scores it
    assert label_set("", ("<p>",)) == {""}


def test_baseline_is_valid_and_deterministic(tmp_path):
    model = BaselineModel(seed=1)
    text = Request("7", "t", "NLP", None, "q", options=("A", "B", "C"))
    assert model.predict([text]) == BaselineModel(seed=1).predict([text])
    assert model.predict([text])[0] in {"A", "B", "C"}
    assert model.predict([Request("1", "t", "NLP", None, "q")]) == [""]
    audio = Request(
        "1", "t", "Audio", "Generation", "say", output="audio", output_path=tmp_path / "o.wav"
    )
    with wave.open(model.predict([audio])[0]) as handle:
        assert handle.getnframes() == 16000
    source = tmp_path / "in.png"
    Image.new("RGB", (5, 5), (1, 2, 3)).save(source)
    image = Request(
        "1",
        "t",
        "Image",
        "Generation",
        "",
        images=(source,),
        output="image",
        output_path=tmp_path / "out.png",
    )
    assert model.predict([image]) == [str(tmp_path / "out.png")]
    assert (tmp_path / "out.png").read_bytes() == source.read_bytes()


def test_model_specs(tmp_path, monkeypatch):
    assert load_model("baseline", {"seed": 4}).settings == {"model": "baseline", "seed": 4}
    with pytest.raises(ModelSpecError, match="unknown spec"):
        load_model("what")
    with pytest.raises(ModelSpecError, match="cannot import"):
        load_model("no_such_module_xyz:factory")
    (tmp_path / "my_adapter.py").write_text(
        "from genbench.models import BaselineModel\n"
        "def make(seed=0, **_):\n    m = BaselineModel(seed)\n    m.name = 'mine'\n    return m\n"
        "def bad():\n    return 3\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_model("my_adapter:make", {"seed": 2}).name == "mine"
    with pytest.raises(ModelSpecError, match="returned int"):
        load_model("my_adapter:bad")
