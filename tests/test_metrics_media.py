"""Dense, box, 3D and generation metrics against hand-computed values and reference
libraries (scikit-learn, pycocotools, torchmetrics), edge cases included."""

import math

import numpy as np
import pytest
from PIL import Image
from sklearn.metrics import average_precision_score, roc_auc_score

from genbench.metrics import Box, Detection, get_scorer
from genbench.metrics._arrays import decode_rle, load_array
from genbench.metrics._boxes import success_auc, viou
from genbench.metrics._dense import abs_rel_aligned, structure_measure
from genbench.metrics._features import frechet_distance
from genbench.metrics._three_d import box3d_iou, shape_miou, translation


def test_abs_rel_is_scale_and_shift_invariant():
    depth = np.array([[1.0, 2.0], [4.0, 8.0]])
    assert abs_rel_aligned(3 * depth + 0.5, depth) == pytest.approx(0.0, abs=1e-12)
    # one bad pixel: prediction p, least squares on 4 points, checked against numpy
    pred = np.array([[1.0, 2.0], [4.0, 10.0]])
    a = np.stack([pred.ravel(), np.ones(4)], 1)
    (s, t), *_ = np.linalg.lstsq(a, depth.ravel(), rcond=None)
    expected = np.mean(np.abs(s * pred.ravel() + t - depth.ravel()) / depth.ravel())
    assert abs_rel_aligned(pred, depth) == pytest.approx(expected)
    with pytest.raises(ValueError, match="no valid reference depth"):
        abs_rel_aligned(pred, np.zeros((2, 2)))


def test_epe_sad_mse_rms(tmp_path):
    flow = np.zeros((2, 2, 2))
    shifted = flow.copy()
    shifted[0, 0] = [3.0, 4.0]  # one vector off by 5 px of 4
    np.save(tmp_path / "f.npy", shifted)
    assert get_scorer("EPE")([str(tmp_path / "f.npy")], [flow]) == pytest.approx(1.25)
    matte = np.zeros((10, 10), np.uint8)
    guess = matte.copy()
    guess[0, :] = 255  # 10 pixels off by 1.0
    Image.fromarray(guess).save(tmp_path / "m.png")
    Image.fromarray(matte).save(tmp_path / "r.png")
    assert get_scorer("SAD")([str(tmp_path / "m.png")], [str(tmp_path / "r.png")]) == (
        pytest.approx(10 / 1000)
    )
    assert get_scorer("MSE")([str(tmp_path / "m.png")], [str(tmp_path / "r.png")]) == (
        pytest.approx(0.1 * 1000)
    )
    depth = np.array([[1.0, 2.0], [0.0, 4.0]])  # the 0 is not a valid depth
    assert get_scorer("RMS")([depth + 1], [depth]) == pytest.approx(1.0)
    # numbers: pooled as before
    assert get_scorer("MSE")([[1.0], [3.0]], [[0.0], [0.0]]) == pytest.approx(5.0)


def test_structure_measure_edges():
    gt = np.zeros((8, 8))
    gt[2:6, 2:6] = 1
    assert structure_measure(gt, gt) == pytest.approx(1.0)
    # an empty reference scores 1 - mean(prediction); a full one mean(prediction)
    assert structure_measure(np.full((4, 4), 0.25), np.zeros((4, 4))) == pytest.approx(0.75)
    assert structure_measure(np.full((4, 4), 0.25), np.ones((4, 4))) == pytest.approx(0.25)
    inverted = structure_measure(1 - gt, gt)
    assert 0.0 <= inverted < 0.2
    assert get_scorer("S-measure")([gt], [gt]) == pytest.approx(100.0)


def test_miou_is_dataset_level():
    a_ref = np.array([[0, 0], [1, 1]])
    a_pred = np.array([[0, 1], [1, 1]])
    b_ref = np.array([[1, 1], [1, 255]])  # 255 ignored
    b_pred = np.array([[1, 1], [0, 0]])
    # confusion over both images: class 0: tp 1, fp 1, fn 1 -> 1/3;
    # class 1: tp 4, fp 1 (a), fn 1 (b) -> 4/6
    expected = 100 * (1 / 3 + 4 / 6) / 2
    assert get_scorer("mIoU")([a_pred, b_pred], [a_ref, b_ref]) == pytest.approx(expected)


def test_dice_and_rle():
    rle = {"size": [2, 3], "counts": [1, 2, 3]}  # column-major: 0, 1, 1, 0, 0, 0
    mask = decode_rle(rle)
    assert mask.tolist() == [[0, 1, 0], [1, 0, 0]]
    other = np.array([[0, 1, 1], [0, 0, 0]])
    # |A|=2, |B|=2, overlap 1 -> 2*1/4
    assert get_scorer("DICE")([rle, np.zeros((2, 3))], [other, np.zeros((2, 3))]) == (
        pytest.approx(100 * (0.5 + 1.0) / 2)
    )
    assert load_array([1, 2]).tolist() == [1.0, 2.0]


def test_panoptic_quality_perfect_and_half():
    ref = np.zeros((4, 4, 2), np.int64)
    ref[:1, :, 0], ref[:1, :, 1] = 1, 1  # a "thing" of category 1 (4 pixels)
    ref[1:, :, 0] = 2  # "stuff" category 2 (12 pixels)
    assert get_scorer("PQ")([ref], [ref]) == pytest.approx(100.0)
    missed = np.zeros_like(ref)
    missed[..., 0] = 2  # everything predicted as stuff
    # thing: unmatched -> PQ 0; stuff: IoU 12/16 > 0.5 matched, PQ 0.75; mean 0.375
    assert get_scorer("PQ")([missed], [ref]) == pytest.approx(37.5)


def test_anomaly_ap_and_roc_auc_match_sklearn():
    scores, labels = [0.9, 0.2, 0.6, 0.4], [1, 0, 0, 1]
    preds, refs = [[s] for s in scores], [[float(v)] for v in labels]
    assert get_scorer("AP")(preds, refs) == pytest.approx(
        100 * average_precision_score(labels, scores)
    )
    assert get_scorer("AUC")(preds, refs) == pytest.approx(100 * roc_auc_score(labels, scores))
    with pytest.raises(ValueError, match="both positive and negative"):
        get_scorer("AUC")([[0.1]], [[1.0]])


def test_coco_ap():
    truth = [[Box(0, 0, 10, 10)], [Box(0, 0, 10, 10)]]
    perfect = [[Box(0, 0, 10, 10, score=0.9)], [Box(0, 0, 10, 10, score=0.8)]]
    assert get_scorer("AP50")(perfect, truth) == pytest.approx(100.0)
    assert get_scorer("AP")(perfect, truth) == pytest.approx(100.0)
    # IoU 0.6 with the second box: a hit at 0.5, a miss at 0.75
    shifted = [[Box(0, 0, 10, 10, score=0.9)], [Box(0, 0, 10, 6, score=0.8)]]
    assert get_scorer("AP50")(shifted, truth) == pytest.approx(100.0)
    assert get_scorer("AP75")(shifted, truth) == pytest.approx(50.5, abs=1.0)
    # IoU 0.15 counts at 0.10 only
    sliver = [[Box(0, 0, 10, 1.5, score=0.9)], [Box(0, 0, 10, 1.5, score=0.8)]]
    assert get_scorer("AP10")(sliver, truth) == pytest.approx(100.0)
    assert get_scorer("AP50")(sliver, truth) == 0.0
    assert get_scorer("AP50")([[], []], truth) == 0.0


def test_recall_at_50():
    truth = [[Box(0, 0, 10, 10), Box(20, 20, 30, 30)]]
    preds = [[Box(0, 0, 10, 9, score=0.9), Box(50, 50, 60, 60, score=0.8)]]
    assert get_scorer("R@50")(preds, truth) == pytest.approx(50.0)
    triplets = [["man ride horse", "man wear hat"]]
    assert get_scorer("R@50")([["Man ride horse", "dog"]], triplets) == pytest.approx(50.0)


def test_tracking_success_auc_and_viou():
    ref = {0: Box(0, 0, 10, 10), 1: Box(0, 0, 10, 10)}
    assert success_auc(ref, ref) == pytest.approx(20 / 21)  # IoU 1 > t except t = 1
    half = {0: Box(0, 0, 10, 5), 1: Box(0, 0, 10, 10)}
    # frame 0 IoU 0.5: above t = 0 ... 0.45 (10 of 21 thresholds); frame 1 as before
    assert success_auc(half, ref) == pytest.approx((10 / 21 + 20 / 21) / 2)
    assert get_scorer("AUC")([half], [ref]) == pytest.approx(100 * (10 / 21 + 20 / 21) / 2)
    # vIoU: frames {0, 1} vs {1, 2}: union 3, IoU 1 on frame 1 -> 1/3
    pred = {1: Box(0, 0, 10, 10), 2: Box(0, 0, 10, 10)}
    assert viou(pred, ref) == pytest.approx(1 / 3)
    assert get_scorer("m_vIoU")([pred, {}], [ref, ref]) == pytest.approx(100 / 6)


def test_three_d_metrics():
    assert translation([1, 2, 3]).tolist() == [1, 2, 3]
    pose = np.eye(4)
    pose[:3, 3] = [3, 4, 0]
    assert get_scorer("RTE")([list(pose.ravel())], [[0.0, 0.0, 0.0]]) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="3, 12 or 16"):
        translation([1, 2])
    # parts {0: 2 points, 1: 2 points}; one point of part 1 called 0: IoUs 2/3 and 1/2
    assert shape_miou([0, 0, 0, 1], [0, 0, 1, 1]) == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert get_scorer("Instance mIoU")([[0, 0]], [[0, 0]]) == 100.0
    assert box3d_iou((0, 0, 0, 2, 2, 2), (1, 0, 0, 2, 2, 2)) == pytest.approx(4 / 12)


def test_three_d_map():
    truth = [[Detection("chair", (0, 0, 0, 1, 1, 1)), Detection("chair", (5, 5, 5, 1, 1, 1))]]
    preds = [
        [
            Detection("chair", (0, 0, 0, 1, 1, 1), 0.9),
            Detection("chair", (9, 9, 9, 1, 1, 1), 0.8),
            Detection("chair", (5, 5, 5, 1, 1, 1), 0.7),
        ]
    ]
    # ranked hits: yes, no, yes -> precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1;
    # interpolated AP = 0.5 * 1 + 0.5 * 2/3
    assert get_scorer("mAP")(preds, truth) == pytest.approx(100 * (0.5 + 0.5 * 2 / 3))
    masks = [[Detection("a", frozenset({1, 2, 3, 4}))]]
    found = [[Detection("a", frozenset({1, 2, 3}), 0.5)]]  # IoU 3/4
    assert get_scorer("mAP@50")(found, masks) == pytest.approx(100.0)
    assert get_scorer("mAP@50")([[]], masks) == 0.0


def _png(path, array):
    Image.fromarray(array.astype(np.uint8)).save(path)
    return path


def test_ms_ssim_and_flicker(tmp_path):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (176, 176, 3))
    a = _png(tmp_path / "a.png", image)
    b = _png(tmp_path / "b.png", np.clip(image + 20, 0, 255))
    assert get_scorer("MS-SSIM")([[a]], [[a]]) == pytest.approx(1.0)
    import torch
    from torchmetrics.functional.image import multiscale_structural_similarity_index_measure

    expected = multiscale_structural_similarity_index_measure(
        torch.from_numpy(np.array(Image.open(b))).permute(2, 0, 1)[None].double(),
        torch.from_numpy(np.array(Image.open(a))).permute(2, 0, 1)[None].double(),
        data_range=255.0,
    )
    assert get_scorer("MS-SSIM")([[b]], [[a]]) == pytest.approx(float(expected))
    small = _png(tmp_path / "s.png", np.zeros((32, 32, 3)))
    with pytest.raises(ValueError, match="at least 176 px"):
        get_scorer("MS-SSIM")([[small]], [[small]])
    # 170 px: above the 161 this guard once said, still too small for five scales
    almost = _png(tmp_path / "almost.png", np.zeros((170, 200, 3)))
    with pytest.raises(ValueError, match=r"almost\.png: MS-SSIM needs images of at least 176 px"):
        get_scorer("MS-SSIM")([[almost]], [[almost]])
    # frames 0, 10, 10: mean |diff| = (10 + 0) / 2 = 5 -> (255 - 5) / 255
    frames = [_png(tmp_path / f"{i}.png", np.full((4, 4, 3), v)) for i, v in enumerate((0, 10, 10))]
    assert get_scorer("L1 distance")([frames], [None]) == pytest.approx(100 * 250 / 255)


def test_frechet_distance():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(4000, 2))
    b = rng.normal(size=(4000, 2)) * 2 + 3
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # the matrix square root checked independently by eigen-decomposition
    w, v = np.linalg.eig(ca @ cb)
    root = (v * np.sqrt(w.astype(complex))) @ np.linalg.inv(v)
    expected = np.sum((mu_a - mu_b) ** 2) + np.trace(ca + cb - 2 * root.real)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)
    # near N(0, I) vs N(3, 4I): |3|^2 * 2 + 2 * (1 + 4 - 2 * 2) = 20
    assert frechet_distance(a, b) == pytest.approx(20.0, rel=0.1)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="two samples"):
        frechet_distance(a[:1], b)


def test_pcc_and_nan_input():
    assert get_scorer("PCC")([[1.0], [2.0], [3.0]], [[2.0], [4.0], [6.5]]) == pytest.approx(
        100 * np.corrcoef([1, 2, 3], [2, 4, 6.5])[0, 1]
    )
    with pytest.raises(ValueError, match="vary"):
        get_scorer("PCC")([[1.0], [1.0]], [[1.0], [2.0]])
    assert math.isnan(get_scorer("MAE")([[math.nan]], [[1.0]]))
