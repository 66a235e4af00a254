"""Corpus metrics from per-instance statistics: the reducer of the sums is the scorer's
value, on the whole task and on resamples (the scorer itself run on the resample).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from genbench.metrics import Box, get_reducer, get_scorer, label_set
from genbench.reference import ReferenceRow
from genbench.stats import resample_indices
from tests.stats_helpers import task_of

ROW = ReferenceRow("NLP", 1, "T", "T", "ACC", 50.0)


def check(scorer, predictions, references, draws=6, seed=0, sort=False):
    """reducer(sums) == scorer on all instances and on ``draws`` resamples."""
    value = scorer(predictions, references)
    n = len(references)
    task = task_of(ROW, value, n)
    assert task.resampled, task.note
    assert task.recomputed() == pytest.approx(float(value), rel=1e-12, abs=1e-12)
    indices = resample_indices(np.random.default_rng(seed), n, draws)
    scores = task.draws(indices)
    for b, row in enumerate(indices):
        take = np.sort(row) if sort else row
        expected = scorer([predictions[i] for i in take], [references[i] for i in take])
        assert scores[b] == pytest.approx(float(expected), rel=1e-9, abs=1e-9)
    return task


def test_micro_f1_and_label_f1():
    rng = np.random.default_rng(3)
    labels = list("abcdef")
    preds = [set(rng.choice(labels, rng.integers(0, 3))) for _ in range(25)]
    refs = [set(rng.choice(labels, rng.integers(1, 3))) for _ in range(25)]
    task = check(get_scorer("Micro-F1"), preds, refs)
    assert task.kind == "stats" and task.reducer == "micro_f1"
    check(get_scorer("F1", "labels"), [label_set(list(p) or "") for p in preds], refs)


def test_micro_f1_reducer_is_exact():
    sums = {"tp": np.array([3.0, 0.0]), "fp": np.array([2.0, 1.0]), "fn": np.array([1.0, 4.0])}
    assert list(get_reducer("micro_f1")(sums)) == [100.0 * 2 * 3 / (6 + 2 + 1), 0.0]


@pytest.mark.parametrize("metric", [("BLEU-1", "corpus"), ("BLEU@4", "")])
def test_corpus_bleu(metric):
    rng = np.random.default_rng(4)
    words = ["a", "b", "c", "d", "e", "f", "g", "h", "the", "cat", "dog", "sat", "on", "mat"]

    def sentence():
        return " ".join(rng.choice(words, rng.integers(1, 12)))

    preds = [sentence() for _ in range(20)]
    refs = [[sentence() for _ in range(rng.integers(1, 3))] for _ in range(20)]
    task = check(get_scorer(*metric), preds, refs)
    assert task.reducer == "coco_bleu"
    # short hypotheses: the brevity penalty applies
    check(get_scorer(*metric), ["a", "b c"], ["a b c d e f", "b c d e"], draws=3)


@pytest.mark.parametrize("metric", ["MAE", "MSE", "RMSE"])
def test_pooled_errors(metric):
    rng = np.random.default_rng(5)
    preds = [list(rng.normal(size=rng.integers(1, 4))) for _ in range(15)]
    refs = [list(np.asarray(p) + rng.normal(size=len(p))) for p in preds]
    task = check(get_scorer(metric), preds, refs)
    assert task.reducer == f"pooled_{metric.lower()}"


def test_pooled_errors_that_pair_across_instances_are_held_fixed():
    value = get_scorer("RMSE")([[1.0, 2.0], []], [[1.0], [3.0]])
    assert not task_of(ROW, value, 2).resampled


def test_recall_at_50():
    rng = np.random.default_rng(6)
    truth, preds = [], []
    for _ in range(12):
        boxes = [Box(x, x, x + 10, x + 10) for x in rng.uniform(0, 50, rng.integers(1, 4))]
        truth.append(boxes)
        preds.append([Box(b.x1 + rng.normal(), b.y1, b.x2, b.y2, score=0.5) for b in boxes[:1]])
    assert check(get_scorer("R@50"), preds, truth).reducer == "recall"


def test_miou_and_macro_accuracy():
    rng = np.random.default_rng(7)
    refs = [rng.integers(0, 4, (6, 6)) for _ in range(10)]
    preds = [np.where(rng.random((6, 6)) < 0.7, r, rng.integers(0, 5, (6, 6))) for r in refs]
    assert check(get_scorer("mIoU"), preds, refs).reducer == "miou"
    guesses = [str(x) for x in rng.integers(0, 3, 30)]
    truth = [[str(x)] for x in rng.integers(0, 3, 30)]
    assert check(get_scorer("Macro-Acc"), guesses, truth).reducer == "macro_recall"


def test_per_image_generation_metrics(tmp_path):
    rng = np.random.default_rng(8)

    def png(name, array):
        path = tmp_path / name
        Image.fromarray(np.clip(array, 0, 255).astype(np.uint8)).save(path)
        return path

    refs = [
        [png(f"r{i}_{k}.png", rng.integers(0, 256, (8, 8, 3))) for k in range(i % 2 + 2)]
        for i in range(5)
    ]
    preds = [
        [
            png(f"p{i}_{k}.png", np.asarray(Image.open(r)) + rng.integers(-9, 9, (8, 8, 3)))
            for k, r in enumerate(frames)
        ]
        for i, frames in enumerate(refs)
    ]
    assert check(get_scorer("PSNR"), preds, refs).kind == "mean"
    assert check(get_scorer("L1 distance"), preds, [None] * 5).kind == "mean"


def test_ms_ssim_pools_frames(tmp_path, monkeypatch):
    # the pooling over frames is under test, not torchmetrics: a cheap stand-in similarity
    import torchmetrics.functional.image as image_metrics

    monkeypatch.setattr(
        image_metrics,
        "multiscale_structural_similarity_index_measure",
        lambda a, b, data_range: 1.0 - (a - b).abs().mean() / data_range,
    )
    rng = np.random.default_rng(9)
    frames = []
    for i in range(3):
        image = rng.integers(0, 256, (176, 176, 3)).astype(np.uint8)
        path = tmp_path / f"{i}.png"
        Image.fromarray(image).save(path)
        frames.append(path)
    refs = [[frames[0]], [frames[1], frames[2]]]
    preds = [[frames[1]], [frames[2], frames[2]]]
    assert check(get_scorer("MS-SSIM"), preds, refs, draws=3).reducer == "pooled_mean"


def test_coco_bleu_reducer_formula():
    # one order: (correct + tiny) / (guess + small), brevity exp(1 - reflen/testlen)
    sums = {
        "testlen": np.array([4.0]),
        "reflen": np.array([8.0]),
        "guess_1": np.array([4.0]),
        "correct_1": np.array([2.0]),
    }
    ratio = (4 + 1e-15) / (8 + 1e-9)
    expected = 100 * (2 + 1e-15) / (4 + 1e-9) * math.exp(1 - 1 / ratio)
    assert get_reducer("coco_bleu")(sums)[0] == pytest.approx(expected, rel=1e-14)
