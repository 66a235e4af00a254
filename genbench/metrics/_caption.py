"""Captioning and VQA metrics: corpus BLEU, BLEU@4, CIDEr, ANLS, EM@1, Macro-Acc, CodeBLEU.

Corpus BLEU and CIDEr come from pycocoevalcap (the COCO caption evaluation code the
benchmark's video scorer uses), on white-space tokens as the benchmark gives them (its
Java PTB tokenizer is not used). ANLS uses rapidfuzz's Levenshtein distance; balanced
accuracy is scikit-learn's.
"""

from __future__ import annotations

import re
import string
import warnings
from collections.abc import Sequence
from typing import Any

from genbench.metrics._scorers import TaskScore, instance_mean, scorer
from genbench.metrics._text import as_references


def _coco_inputs(
    predictions: Sequence[str], references: Sequence[object]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    gts = {i: [" ".join(r.split()) for r in as_references(ref)] for i, ref in enumerate(references)}
    res = {i: [" ".join(str(p).split())] for i, p in enumerate(predictions)}
    return gts, res


def _corpus_bleu(predictions: Sequence[str], references: Sequence[object], n: int) -> float:
    """Corpus BLEU-n (pycocoevalcap), percent, with each instance's statistics.

    The scorer is pycocoevalcap's ``BleuScorer`` fed as its ``Bleu.compute_score`` feeds
    it ("closest" reference length); the statistics are what it sums per instance: the
    hypothesis length, the closest reference length, and per order k the k-grams guessed
    and the clipped matches (reduced by ``coco_bleu``).
    """
    from pycocoevalcap.bleu.bleu_scorer import BleuScorer

    if not predictions:
        return 0.0
    gts, res = _coco_inputs(predictions, references)
    bleu = BleuScorer(n=n)
    for key in gts:
        bleu += (res[key][0], gts[key])
    scores, _ = bleu.compute_score(option="closest", verbose=0)
    stats: dict[str, list[float]] = {"testlen": [], "reflen": []}
    for cooked in bleu.ctest:
        testlen = cooked["testlen"]
        stats["testlen"].append(testlen)
        stats["reflen"].append(min((abs(r - testlen), r) for r in cooked["reflen"])[1])
        for k in range(1, n + 1):
            stats.setdefault(f"guess_{k}", []).append(cooked["guess"][k - 1])
            stats.setdefault(f"correct_{k}", []).append(cooked["correct"][k - 1])
    return TaskScore(100.0 * float(scores[n - 1]), stats=stats, reducer="coco_bleu")


@scorer("BLEU-1", "corpus")
def corpus_bleu1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Corpus BLEU-1 over every instance (the video-QA form), percent."""
    return _corpus_bleu(predictions, references, 1)


@scorer("BLEU@4")
def corpus_bleu4(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Corpus 4-gram BLEU (COCO caption evaluation), percent."""
    return _corpus_bleu(predictions, references, 4)


@scorer("CIDEr")
def cider(predictions: Sequence[str], references: Sequence[object]) -> float:
    """CIDEr-D over the task's instances (IDF from the task's references), times 100."""
    from pycocoevalcap.cider.cider import Cider

    if not predictions:
        return 0.0
    gts, res = _coco_inputs(predictions, references)
    score, _ = Cider().compute_score(gts, res)
    return 100.0 * float(score)


#: ANLS threshold: a normalized edit distance at or above it scores 0.
ANLS_THRESHOLD = 0.5


def anls_one(prediction: str, references: Sequence[str]) -> float:
    """Best normalized Levenshtein similarity (0-1) over the references, after lower-casing
    and stripping; similarities below 1 - ANLS_THRESHOLD count 0.
    """
    from rapidfuzz.distance import Levenshtein

    pred = " ".join(prediction.casefold().split())
    best = 0.0
    for reference in references:
        distance = Levenshtein.normalized_distance(pred, " ".join(reference.casefold().split()))
        best = max(best, 1.0 - distance if distance < ANLS_THRESHOLD else 0.0)
    return best


@scorer("ANLS")
def anls(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Average normalized Levenshtein similarity (threshold 0.5), percent."""
    return instance_mean(
        lambda p, ref: anls_one(str(p), as_references(ref)),
        predictions,
        references,
        scale=100.0,
    )


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD/ScanQA answer normalization: lower case, no punctuation or articles."""
    return " ".join(_ARTICLES.sub(" ", text.casefold().translate(_PUNCTUATION)).split())


@scorer("EM@1")
def exact_match_top1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Share of top-1 answers equal to a reference after answer normalization, percent."""
    return instance_mean(
        lambda p, ref: float(
            normalize_answer(str(p)) in {normalize_answer(r) for r in as_references(ref)}
        ),
        predictions,
        references,
        scale=100.0,
    )


@scorer("Macro-Acc")
def macro_accuracy(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """Mean over the reference classes of the per-class accuracy (recall), percent."""
    from sklearn.metrics import balanced_accuracy_score

    if not predictions:
        return 0.0
    truth = [str(as_references(r)[0]) for r in references]
    guesses = [str(p) for p in predictions]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "y_pred contains classes not in y_true"
        value = 100.0 * float(balanced_accuracy_score(truth, guesses))
    # each instance counts once for its reference class, and a hit where it is right
    stats = {}
    for label in sorted(set(truth)):
        stats[f"count:{label}"] = [float(t == label) for t in truth]
        stats[f"hits:{label}"] = [
            float(t == label == g) for t, g in zip(truth, guesses, strict=True)
        ]
    return TaskScore(value, stats=stats, reducer="macro_recall")
