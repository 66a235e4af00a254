"""General-Level on a small hand-made table, every number worked out by hand below."""

import math

import pytest

from genbench.level import Mode, UnknownTaskError, harmonic_mean, level_reached, level_scores
from genbench.reference import TaskKey
from tests.helpers import key


def sig(t, x):
    """2*sigmoid(T/x) - 1, times 100, written out."""
    return 100 * (2 / (1 + math.exp(-t / x)) - 1)


def test_worked_example(mini):
    scores = {
        key(mini, "T1"): 40.0,  # loses to 50
        key(mini, "T2"): 1.0,  # RMSE 1.0 -> 98.66 beats 2.31 -> 79.40
        key(mini, "A"): 90.0,  # beats 80
        key(mini, "B"): 5.0,  # MAE 5 -> 99.99 beats 10 -> 98.66
        key(mini, "C"): 25.0,  # FID 25 -> 46.21 loses to 18.7 -> 58.40
        key(mini, "D"): 34.56,  # PSNR 34.56 -> 93.88 beats 30 -> 90.51
        key(mini, "F"): 20.0,  # PSNR 20 -> 76.16 loses to 90.51; E missing
        key(mini, "G"): 50.0,  # tie with SoTA: wins
        key(mini, "H"): 5.6,  # tie with SoTA: wins (94.4)
        # I and J (3D) missing
    }
    s = level_scores(mini, scores, "m")
    a, b = 90.0, sig(50, 5)
    c, d = sig(25, 25), 100 * math.tanh(34.56 / 20)
    image = s.per_modality["Image"]
    assert image.level2 == pytest.approx(((a + b) / 2 + (c + d) / 2) / 2)
    assert image.s_c == pytest.approx((a + b) / 2)
    assert image.s_g == pytest.approx(d / 2)
    assert image.level3 == pytest.approx(((a + b) / 2 + d / 2) / 2)
    sc, sg = (a + b) / 2, d / 2
    assert image.level4 == pytest.approx(2 * sc * sg / (sc + sg))
    assert (image.supported, image.total, image.wins) == (4, 4, 3)

    video = s.per_modality["Video"]
    f = 100 * math.tanh(1.0)
    assert video.level2 == pytest.approx(f / 2)
    assert (video.level3, video.level4, video.s_c, video.s_g) == (0, 0, 0, 0)
    assert (video.supported, video.total, video.wins) == (1, 2, 0)

    audio = s.per_modality["Audio"]
    assert audio.level2 == pytest.approx((50 + 94.4) / 2)
    assert audio.level3 == pytest.approx((50 + 94.4) / 2)
    assert audio.level4 == pytest.approx(2 * 50 * 94.4 / 144.4)
    assert audio.wins == 2

    three_d = s.per_modality["3D"]
    assert (three_d.level2, three_d.supported, three_d.total) == (0, 0, 2)

    assert s.nlp.s_l == pytest.approx(sig(5, 1.0) / 2)
    assert (s.nlp.supported, s.nlp.total, s.nlp.wins) == (2, 2, 1)

    l2 = (image.level2 + video.level2 + audio.level2 + 0) / 4
    l3 = (image.level3 + 0 + audio.level3 + 0) / 4
    l4 = (image.level4 + 0 + audio.level4 + 0) / 4
    assert s.final["Level-2"] == pytest.approx(l2)
    assert s.final["Level-3"] == pytest.approx(l3)
    assert s.final["Level-4"] == pytest.approx(l4)
    assert s.final["Level-5"] == pytest.approx(l4 * sig(5, 1.0) / 2 / 100)
    assert s.level == 5
    # The hand-evaluated figures themselves, to two decimals.
    assert round(s.final["Level-2"], 2) == 48.20
    assert round(s.final["Level-3"], 2) == 35.79
    assert round(s.final["Level-4"], 2) == 32.05
    assert round(s.final["Level-5"], 2) == 15.81


def test_comprehension_only_model_halves_levels_2_3_and_has_no_level_4(mini):
    comp = {
        row.key: row.sota + 10 if row.metric.higher_is_better else row.sota / 2
        for row in mini
        if row.paradigm == "Comprehension"
    }
    s = level_scores(mini, comp, "c")
    # Image: A 90, B MAE 5; the others: 70, 60, 60.
    image_mean = (90 + sig(50, 5)) / 2
    assert s.per_modality["Image"].level2 == pytest.approx(image_mean / 2)
    assert s.per_modality["Image"].level3 == pytest.approx(image_mean / 2)
    assert s.per_modality["Video"].level2 == pytest.approx(70 / 2)
    assert all(m.level4 == 0 and m.s_g == 0 for m in s.per_modality.values())
    assert s.final["Level-4"] == 0 and s.final["Level-5"] == 0
    assert s.final["Level-2"] == pytest.approx((image_mean / 2 + 35 + 30 + 30) / 4)
    assert s.final["Level-3"] == s.final["Level-2"]
    assert s.level == 3


def test_sota_everywhere_wins_every_task(table):
    s = level_scores(table, {row.key: row.sota for row in table}, "sota")
    assert all(m.wins == m.total == m.supported for m in s.per_modality.values())
    assert s.nlp.wins == 115
    assert s.final["Level-2"] == pytest.approx(s.final["Level-3"])


def test_nothing_supported_is_level_1(mini):
    s = level_scores(mini, {}, "none")
    assert s.final == {"Level-2": 0, "Level-3": 0, "Level-4": 0, "Level-5": 0}
    assert s.level == 1


def test_below_sota_everywhere_stays_at_level_2(mini):
    worse = {row.key: row.sota - 1 if row.metric.higher_is_better else row.sota * 2 for row in mini}
    s = level_scores(mini, worse, "w")
    assert s.final["Level-2"] > 0 and s.final["Level-3"] == 0
    assert s.level == 2


def test_lower_is_better_zero_is_perfect_in_paper_mode(mini):
    s = level_scores(mini, {key(mini, "B"): 0.0}, "z")
    image = s.per_modality["Image"]
    assert image.level2 == pytest.approx(100 / 2 / 2)
    assert (image.supported, image.wins) == (1, 1)


def test_unknown_task_is_rejected(mini):
    with pytest.raises(UnknownTaskError, match="nope"):
        level_scores(mini, {TaskKey("NLP", "nope", "ACC"): 1.0}, "x")


def test_harmonic_mean_and_level_reached():
    assert harmonic_mean(40, 60) == pytest.approx(48.0)
    assert harmonic_mean(0, 60) == 0
    assert level_reached({"Level-2": 1, "Level-3": 0, "Level-4": 0, "Level-5": 0}) == 2
    assert level_reached({"Level-2": 1, "Level-3": 1, "Level-4": 1, "Level-5": 0}) == 4


def test_json_shape(mini):
    data = level_scores(mini, {key(mini, "A"): 90.0}, "m", Mode.PAPER).to_json()
    assert set(data) == {"model", "mode", "level", "final", "per_modality", "nlp"}
    assert set(data["final"]) == {"Level-2", "Level-3", "Level-4", "Level-5"}
    assert set(data["per_modality"]) == {"Image", "Video", "Audio", "3D"}
    assert set(data["per_modality"]["Image"]) == {
        "Level-2",
        "Level-3",
        "Level-4",
        "S_C",
        "S_G",
        "supported",
        "total",
        "wins",
    }
    assert set(data["nlp"]) == {"S_L", "supported", "total", "wins"}
    assert data["mode"] == "paper"


def test_published_mean_of_modalities():
    # The paper's Unified-io-2-XXL Level-2: the plain mean of the four modality columns.
    assert round((20.62 + 8.56 + 25.63 + 0) / 4, 2) == 13.70
