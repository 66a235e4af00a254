import math

import pytest

from genbench.metrics import (
    Metric,
    Percent,
    UnknownMetricError,
    get_metric,
    register_metric,
    registered_metrics,
)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        # SPEC §2 worked figures, mapped by hand.
        ("RMSE", 2.31, 79.40),
        ("FID", 18.7, 58.40),
        ("PSNR", 34.56, 93.88),
        ("MOS", 3.82, 70.5),
        ("CD (Chamfer Distance)", 0.217, 98.03),
        ("WER", 5.6, 94.4),
        # 2*sigmoid(T/x)-1 at x = T: 2/(1+e^-1) - 1 = 0.462117
        ("MAE", 50.0, 46.21),
        ("RMS", 50.0, 46.21),
        ("MSE", 5.0, 46.21),
        ("absRel", 0.1, 46.21),
        ("EPE", 1.0, 46.21),
        ("FVD", 100.0, 46.21),
        ("FAD", 10.0, 46.21),
        ("SAD", 10.0, 46.21),
        ("RTE ( Relative Translation Error)", 0.5, 46.21),
        ("MCD", 5.0, 46.21),
        ("MS-SSIM", 0.542, 77.1),
        ("Acc", 83.33, 83.33),
    ],
)
def test_normalization_worked_figures(name, raw, expected):
    assert get_metric(name).normalize(raw) == pytest.approx(expected, abs=0.005)


def test_sigmoid_formula_exactly():
    # 2*sigmoid(25/18.7) - 1 with sigmoid written out.
    z = 25 / 18.7
    assert get_metric("FID").normalize(18.7) == pytest.approx(
        100 * (2 / (1 + math.exp(-z)) - 1), rel=1e-12
    )


def test_lower_is_better_zero_is_perfect_and_huge_is_near_zero():
    assert get_metric("MAE").normalize(0.0) == 100.0
    assert get_metric("CD").normalize(6540.017245) == pytest.approx(
        100 * math.tanh(1 / 6540.017245 / 2)
    )
    with pytest.raises(ValueError, match="negative"):
        get_metric("FID").normalize(-1.0)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("MOS", 0.5, 0.0),
        ("MOS", 5.0, 100.0),
        ("WER", 130.0, 0.0),
        ("WER", 0.0, 100.0),
        ("Acc", 120.0, 100.0),
        ("PCC", -30.0, 0.0),
        ("MS-SSIM", -1.0, 0.0),
        ("PSNR", -3.0, 0.0),
    ],
)
def test_clamped_to_0_100(name, raw, expected):
    assert get_metric(name).normalize(raw) == expected


def test_nan_is_rejected():
    with pytest.raises(ValueError, match="NaN"):
        get_metric("ACC").normalize(float("nan"))


def test_every_table_metric_resolves(table):
    labels = {row.metric_label for row in table}
    assert len(labels) == 70
    canonical = {get_metric(label).name for label in labels}
    assert len(canonical) == 63
    assert {get_metric(x).name for x in ("Acc", "ACC")} == {"ACC"}
    assert get_metric("BLUE_1").name == "BLEU-1"
    assert get_metric("Rouge-L f").name == "ROUGE-L"
    assert get_metric("F1 Score").name == get_metric("F-score").name == "F1"
    assert get_metric("CLIPScore").name == "CLIP score"
    assert get_metric("MUSIQ score").name == "MUSIQ"
    assert get_metric("  rte ( relative  translation error) ").name == "RTE"


def test_directions(table):
    lower = {m.name for m in registered_metrics() if not m.higher_is_better}
    assert lower == {
        "MAE",
        "RMS",
        "MSE",
        "RMSE",
        "absRel",
        "EPE",
        "FID",
        "FVD",
        "FAD",
        "SAD",
        "RTE",
        "CD",
        "MCD",
        "WER",
    }


def test_unknown_metric_names_it():
    with pytest.raises(UnknownMetricError) as error:
        get_metric("BLEURT-42")
    assert "BLEURT-42" in str(error.value)


def test_register_rejects_a_taken_alias():
    with pytest.raises(ValueError, match="already registered"):
        register_metric(Metric("MyAcc", True, "%", (0, 100), Percent(), ("Acc",)))
    metric = register_metric(Metric("Test-Only-Metric", True, "%", (0, 100), Percent(), ("TOM",)))
    assert get_metric("tom") is metric
