"""Text metrics as General-Bench defines them, on the 0-100 scale.

Tokenization needs no downloaded data:

- BLEU: the benchmark tokenizes with ``nltk.word_tokenize``, which needs the trained
  ``punkt_tab`` sentence model. We split sentences with nltk's Punkt algorithm without
  trained parameters (it needs no data) and tokenize each with ``NLTKWordTokenizer``, the
  Treebank rules ``word_tokenize`` applies per sentence. The two differ only after
  abbreviations the trained English model knows ("Mr. Smith", "e.g. this").
- ROUGE: rouge-score's own rules (lower case, runs of letters and digits, Porter stemming
  of words longer than 3), except that letters outside a-z are kept: rouge-score deletes
  them, so Chinese and Japanese text (and accented words) score 0 there. Han, kana and
  other scripts written without spaces become one token per character. For ASCII text the
  tokens are exactly rouge-score's.
- Token-set F1 splits on white space, as the benchmark does.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence, Set
from typing import TYPE_CHECKING, Any

from genbench.metrics._nltk import text_tools
from genbench.metrics._scorers import TaskScore, instance_mean, scorer

if TYPE_CHECKING:
    from rouge_score import rouge_scorer

# nltk and rouge-score are loaded where first used, without nltk's package import, which
# pulls scipy, sklearn and pandas (genbench.metrics._nltk).


def as_references(reference: object) -> list[str]:
    """An instance's reference(s) as a list of strings."""
    if isinstance(reference, list | tuple):
        return [str(r) for r in reference]
    return [str(reference)]


@scorer("ACC")
def accuracy(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Exact match after stripping, against any of an instance's references (percent)."""
    return instance_mean(
        lambda p, ref: float(str(p).strip() in {r.strip() for r in as_references(ref)}),
        predictions,
        references,
        scale=100.0,
    )


@scorer("ACC", "contains")
def accuracy_contains(predictions: Sequence[str], references: Sequence[object]) -> float:
    """A hit when a reference occurs in the answer, ignoring case (the video-QA rule)."""
    return instance_mean(
        lambda p, ref: float(
            any(r.strip().casefold() in str(p).casefold() for r in as_references(ref))
        ),
        predictions,
        references,
        scale=100.0,
    )


def token_set_f1(prediction: str, reference: str) -> float:
    """The benchmark's token-set F1 (0-1) over white-space tokens.

    The overlap counts distinct shared tokens; precision and recall divide it by the token
    counts of the prediction and the reference (repeats included). No overlap scores 0,
    two empty texts included.
    """
    pred, ref = prediction.split(), reference.split()
    common = len(set(pred) & set(ref))
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


@scorer("F1")
def f1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of the best token-set F1 against the references (percent)."""
    return instance_mean(
        lambda p, ref: max(token_set_f1(str(p), r) for r in as_references(ref)),
        predictions,
        references,
        scale=100.0,
    )


_SPACELESS = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u0e00-\u0e7f"
)
_ROUGE_TOKEN = re.compile(rf"[{_SPACELESS}]|[^\W_{_SPACELESS}]+")


class RougeTokenizer:
    """rouge-score's tokenizer, keeping non-ASCII letters (see the module docstring).

    It has rouge-score's ``Tokenizer`` interface (one ``tokenize`` method), which is all
    ``RougeScorer`` calls; it is not a subclass so that rouge-score loads only when used.
    """

    def __init__(self) -> None:
        """Porter stemming as rouge-score's ``use_stemmer=True``, memoized per word."""
        stemmer = text_tools().porter_stemmer()
        self._stem = functools.lru_cache(maxsize=1 << 16)(stemmer.stem)

    def tokenize(self, text: str) -> list[str]:
        """Lower-cased tokens; ASCII words longer than 3 characters are stemmed."""
        return [
            self._stem(token) if len(token) > 3 and token.isascii() else token
            for token in _ROUGE_TOKEN.findall(str(text).lower())
        ]


@functools.cache
def _rouge(kind: str) -> rouge_scorer.RougeScorer:
    scorer_: rouge_scorer.RougeScorer = text_tools().rouge_scorer(
        [kind], tokenizer=RougeTokenizer()
    )
    return scorer_


def _rouge_mean(kind: str, predictions: Sequence[str], references: Sequence[object]) -> float:
    rouge = _rouge(kind)
    return instance_mean(
        lambda p, ref: max(
            float(rouge.score(r, str(p))[kind].fmeasure) for r in as_references(ref)
        ),
        predictions,
        references,
        scale=100.0,
    )


@scorer("ROUGE-1")
def rouge1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of the best ROUGE-1 F-measure, with Porter stemming (percent)."""
    return _rouge_mean("rouge1", predictions, references)


@scorer("ROUGE-L")
def rouge_l(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of the best ROUGE-L F-measure, with Porter stemming (percent)."""
    return _rouge_mean("rougeL", predictions, references)


@functools.cache
def _treebank() -> Any:
    return text_tools().word_tokenizer()


@functools.cache
def _sentences() -> Any:
    return text_tools().sentence_tokenizer()


_ONLY_CLOSERS = re.compile(r"""[\]\)}>"'\s]*""")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
#: The only letters-and-digits words the Treebank rules split ("gonna" -> "gon na").
_SPLIT_WORDS = frozenset({"cannot", "gimme", "gonna", "gotta", "lemme", "wanna"})


@functools.lru_cache(maxsize=1 << 18)
def _treebank_piece(chunk: str, left: bool, right: bool) -> tuple[str, ...]:
    """The Treebank tokens of one space-separated chunk, in the context of a word before
    (``left``) and after (``right``) it, given by a placeholder word that is then dropped.
    """
    tokens = _treebank().tokenize(("x " if left else "") + chunk + (" x" if right else ""))
    return tuple(tokens[1 if left else 0 : len(tokens) - 1 if right else len(tokens)])


def treebank_tokens(text: str) -> list[str]:
    """``NLTKWordTokenizer().tokenize(text)``, memoized per space-separated chunk.

    Written by hand for speed: the Treebank rules are about 30 regular-expression passes
    over the whole text (0.15 ms a sentence). They look across a space only for what a
    neighbouring placeholder word reproduces, except a sentence-final period followed by
    closing brackets or quotes alone, which takes the plain path. Words recur, so most
    chunks hit the cache. tests/test_metrics_text.py checks equality on random texts.
    """
    chunks = text.rstrip().split(" ")
    if len(chunks) > 1 and _ONLY_CLOSERS.fullmatch(chunks[-1]):
        return list(_treebank().tokenize(text))
    last = len(chunks) - 1
    tokens: list[str] = []
    for index, chunk in enumerate(chunks):
        if index < last and _PLAIN_WORD.fullmatch(chunk) and chunk.lower() not in _SPLIT_WORDS:
            tokens.append(chunk)  # no rule touches a plain word before a space
        else:
            tokens.extend(_treebank_piece(chunk, index > 0, index < last))
    return tokens


def word_tokens(text: str) -> list[str]:
    """Treebank word tokens of each sentence, like ``nltk.word_tokenize`` without its data."""
    return [
        token
        for sentence in _sentences().tokenize(str(text))
        for token in treebank_tokens(sentence)
    ]


def bleu1_tokens(hypothesis: Sequence[str], reference: Sequence[str]) -> float:
    """The value of nltk's ``sentence_bleu([reference], hypothesis, weights=(1, 0, 0, 0),
    smoothing_function=method4)``, computed directly (0-1).

    Written out because nltk's general n-gram code costs about 0.4 ms a sentence (Fraction
    arithmetic over four n-gram orders) and BLEU-1 scoring is most of a language run. With
    unigram weights nltk's value is the brevity penalty times exp(log p1), where p1 is the
    clipped unigram precision: the zero-weight orders add exactly 0 to the log sum, and no
    unigram match returns 0 before smoothing. tests/test_metrics_text.py checks equality
    with nltk on random sentences.
    """
    if not hypothesis:
        return 0.0
    reference_counts = Counter(reference)
    matches = sum(min(n, reference_counts[w]) for w, n in Counter(hypothesis).items())
    if matches == 0:
        return 0.0
    c, r = len(hypothesis), len(reference)
    penalty = 1.0 if c > r else math.exp(1 - r / c)
    return penalty * math.exp(math.fsum([math.log(matches / c)]))


def sentence_bleu1(prediction: str, references: Sequence[str]) -> float:
    """Best sentence BLEU-1 (0-1, method-4 smoothing) of one answer over its references."""
    hypothesis = word_tokens(prediction)
    return max(bleu1_tokens(hypothesis, word_tokens(r)) for r in references)


@scorer("BLEU-1")
def bleu1(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Mean over instances of sentence BLEU-1 (method-4 smoothing), best reference (percent)."""
    return instance_mean(
        lambda p, ref: sentence_bleu1(str(p), as_references(ref)),
        predictions,
        references,
        scale=100.0,
    )


def label_set(value: object, separators: Sequence[str] = ("<p>",)) -> frozenset[str]:
    """A label set: split on the separators, stripped, case-folded.

    An empty answer is the one empty label, as the benchmark scores it: answering nothing
    where the reference has no label is a hit, and a false positive elsewhere.
    """
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    for separator in separators:
        items = [part for item in items for part in item.split(separator)]
    labels = frozenset(item.strip().casefold() for item in items)
    return labels - {""} or frozenset({""})


@scorer("Micro-F1")
def micro_f1(predictions: Sequence[Set[str]], references: Sequence[Set[str]]) -> float:
    """Micro F1 over label sets: global true and false positives and negatives (percent).

    A missing prediction is the empty set (its reference labels are false negatives). No
    true positive at all scores 0. Each instance's counts ride along as statistics,
    reduced by ``micro_f1`` (genbench/metrics/_reducers.py).
    """
    counts = [
        (len(pred & ref), len(pred - ref), len(ref - pred))
        for pred, ref in zip(predictions, references, strict=True)
    ]
    stats = {name: [c[i] for c in counts] for i, name in enumerate(("tp", "fp", "fn"))}
    tp, fp, fn = (sum(stats[name]) for name in ("tp", "fp", "fn"))
    value = 100.0 * 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return TaskScore(value, stats=stats, reducer="micro_f1")


@scorer("F1", "labels")
def label_f1(predictions: Sequence[Set[str]], references: Sequence[Set[str]]) -> float:
    """Entity- or label-level F1: micro F1 over label sets (percent)."""
    return micro_f1(predictions, references)


_WER_PUNCTUATION = re.compile(r"[^\w\s']|_")


def wer_tokens(text: str) -> str:
    """Text normalized for WER: lower case, punctuation removed, one token per character in
    scripts written without spaces (so Chinese is scored by characters).
    """
    cleaned = _WER_PUNCTUATION.sub(" ", str(text).casefold())
    return " ".join(_ROUGE_TOKEN.findall(cleaned.replace("'", "")))


def word_error_rate(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Corpus word error rate (jiwer) over normalized transcripts, in percent.

    An empty reference has no words to get wrong and is left out.
    """
    import jiwer

    pairs = [
        (wer_tokens(as_references(ref)[0]), wer_tokens(str(pred)))
        for pred, ref in zip(predictions, references, strict=True)
    ]
    pairs = [(r, p) for r, p in pairs if r]
    if not pairs:
        return 0.0
    return 100.0 * float(jiwer.wer([r for r, _ in pairs], [p for _, p in pairs]))
