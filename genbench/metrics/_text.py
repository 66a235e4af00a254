"""Text metrics as General-Bench defines them, on the 0-100 scale.

Tokenization: ``nltk``'s ``NLTKWordTokenizer`` (the Treebank rules behind ``word_tokenize``)
needs no downloaded data, unlike ``word_tokenize`` itself (punkt). Token-set F1 splits on
white space, as the benchmark does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence, Set

from nltk.tokenize import NLTKWordTokenizer
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from rouge_score import rouge_scorer

from genbench.metrics._scorers import scorer


def _as_refs(reference: object) -> list[str]:
    if isinstance(reference, list | tuple):
        return [str(r) for r in reference]
    return [str(reference)]


@scorer("ACC")
def accuracy(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Exact match after stripping, against any of an instance's references (percent)."""
    if not predictions:
        return 0.0
    hits = sum(
        p.strip() in {r.strip() for r in _as_refs(ref)}
        for p, ref in zip(predictions, references, strict=True)
    )
    return 100.0 * hits / len(predictions)


def token_set_f1(prediction: str, reference: str) -> float:
    """F1 of the sets of white-space tokens (0-1); both empty is a match."""
    pred, ref = set(prediction.split()), set(reference.split())
    if not pred and not ref:
        return 1.0
    common = len(pred & ref)
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


@scorer("F1")
def f1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of the best token-set F1 against the references (percent)."""
    if not predictions:
        return 0.0
    return (
        100.0
        * sum(
            max(token_set_f1(p, r) for r in _as_refs(ref))
            for p, ref in zip(predictions, references, strict=True)
        )
        / len(predictions)
    )


@functools.cache
def _rouge1() -> rouge_scorer.RougeScorer:
    scorer: rouge_scorer.RougeScorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    return scorer


@scorer("ROUGE-1")
def rouge1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of the best ROUGE-1 F-measure, with Porter stemming (percent)."""
    if not predictions:
        return 0.0
    scores = (
        max(float(_rouge1().score(r, p)["rouge1"].fmeasure) for r in _as_refs(ref))
        for p, ref in zip(predictions, references, strict=True)
    )
    return 100.0 * sum(scores) / len(predictions)


_TOKENIZER = NLTKWordTokenizer()


def tokenize(text: str) -> list[str]:
    """Treebank word tokens, without downloaded data."""
    return list(_TOKENIZER.tokenize(text))


@scorer("BLEU-1")
def bleu1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of sentence BLEU-1 (method-4 smoothing), best reference (percent)."""
    if not predictions:
        return 0.0
    smooth = SmoothingFunction().method4
    total = 0.0
    for prediction, reference in zip(predictions, references, strict=True):
        hypothesis = tokenize(prediction)
        if not hypothesis:
            continue
        total += max(
            sentence_bleu(
                [tokenize(r)], hypothesis, weights=(1, 0, 0, 0), smoothing_function=smooth
            )
            for r in _as_refs(reference)
        )
    return 100.0 * total / len(predictions)


@scorer("Micro-F1")
def micro_f1(predictions: Sequence[Set[str]], references: Sequence[Set[str]]) -> float:
    """Micro F1 over label sets: global true/false positives and negatives (percent).

    With no label anywhere (every set empty) there is nothing to get wrong: 100.
    """
    tp = fp = fn = 0
    for pred, ref in zip(predictions, references, strict=True):
        tp += len(pred & ref)
        fp += len(pred - ref)
        fn += len(ref - pred)
    if tp + fp + fn == 0:
        return 100.0 if predictions else 0.0
    return 100.0 * 2 * tp / (2 * tp + fp + fn)
