"""Upstream-compatible mode: the authors' scorer's quirks 2-6 of SPEC §2, on purpose."""

import math

import pytest

from genbench.level import Mode, level_scores, upstream_normalize
from tests.helpers import key, make_table


def test_wer_in_percent_read_as_a_fraction():
    assert upstream_normalize("WER", 5.6) == pytest.approx(-460.0)


def test_wer_quirk_in_levels(mini):
    # Model WER 3.0% maps to -200, which "beats" the SoTA's -460 and enters the sum.
    paper = level_scores(mini, {key(mini, "H"): 3.0}, "m", Mode.PAPER)
    upstream = level_scores(mini, {key(mini, "H"): 3.0}, "m", Mode.UPSTREAM)
    assert paper.per_modality["Audio"].s_g == pytest.approx(97.0)
    assert upstream.per_modality["Audio"].s_g == pytest.approx(-200.0)
    assert upstream.per_modality["Audio"].level2 == pytest.approx(-100.0)


def test_chamfer_distance_compared_raw_as_higher_is_better(mini):
    worse = {key(mini, "J"): 0.5}  # worse than the SoTA's 0.217
    paper = level_scores(mini, worse, "m", Mode.PAPER).per_modality["3D"]
    upstream = level_scores(mini, worse, "m", Mode.UPSTREAM).per_modality["3D"]
    assert paper.wins == 0 and paper.s_g == 0
    assert paper.level2 == pytest.approx(100 * math.tanh(1 / 0.5 / 2) / 2)
    assert upstream.wins == 1
    assert upstream.s_g == pytest.approx(0.5)  # the raw distance, unmapped
    assert upstream_normalize("CD (Chamfer Distance)", 0.5) == 0.5
    assert upstream_normalize("RTE ( Relative Translation Error)", 0.3) == 0.3
    assert upstream_normalize("CD", 1.0) == pytest.approx(100 * (2 / (1 + math.exp(-1)) - 1))


def test_level5_rmse_mapped_on_the_model_side_only(mini):
    scores = {key(mini, "T2"): 10.0}  # RMSE 10: far worse than the SoTA's 2.31
    paper = level_scores(mini, scores, "m", Mode.PAPER)
    upstream = level_scores(mini, scores, "m", Mode.UPSTREAM)
    assert paper.nlp.s_l == 0
    mapped = 100 * (2 / (1 + math.exp(-5 / 10)) - 1)  # 24.49 vs the raw 2.31: a "win"
    assert upstream.nlp.s_l == pytest.approx(mapped / 2)


def test_zero_of_a_special_metric_is_unsupported_upstream(mini):
    scores = {key(mini, "B"): 0.0, key(mini, "A"): 90.0}
    paper = level_scores(mini, scores, "m", Mode.PAPER).per_modality["Image"]
    upstream = level_scores(mini, scores, "m", Mode.UPSTREAM).per_modality["Image"]
    assert paper.supported == 2 and paper.s_c == pytest.approx((90 + 100) / 2)
    assert upstream.supported == 1 and upstream.s_c == pytest.approx(90 / 2)


def test_level4_epsilon():
    t = make_table(
        [("Image-Comprehension", "a", "ACC", 10.0), ("Image-Generation", "b", "ACC", 10.0)]
    )
    scores = {row.key: 30.0 for row in t}
    upstream = level_scores(t, scores, "m", Mode.UPSTREAM).per_modality["Image"]
    paper = level_scores(t, scores, "m", Mode.PAPER).per_modality["Image"]
    assert paper.level4 == 30.0
    assert upstream.level4 == pytest.approx(2 * 30 * 30 / (60 + 1e-6), rel=1e-15)
    assert upstream.level4 != paper.level4


def test_unclamped_upstream_mos():
    assert upstream_normalize("MOS", 0.5) == pytest.approx(-12.5)


def test_upstream_agrees_with_paper_on_plain_percent_metrics(table):
    scores = {row.key: 55.5 for row in table if row.metric.is_percent}
    paper = level_scores(table, scores, "m", Mode.PAPER)
    upstream = level_scores(table, scores, "m", Mode.UPSTREAM)
    # Only the Level-4 epsilon differs where no special metric has a score.
    assert upstream.final["Level-2"] == pytest.approx(paper.final["Level-2"])
    assert upstream.final["Level-3"] == pytest.approx(paper.final["Level-3"])
    assert upstream.final["Level-4"] == pytest.approx(paper.final["Level-4"], rel=1e-6)
