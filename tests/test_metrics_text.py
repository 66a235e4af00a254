"""Text metrics against reference libraries and hand-computed values, edge cases included."""

import math
import random

import pytest
from codebleu import calc_codebleu
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu
from rouge_score import tokenizers

from genbench.metrics import CodeReference, get_scorer
from genbench.metrics._text import (
    RougeTokenizer,
    bleu1_tokens,
    treebank_tokens,
    wer_tokens,
    word_error_rate,
)

ASCII_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
TREEBANK_ALPHABET = [
    *list("abcXYZ09 .,;:!?'\"()[]{}<>-_/$%&@#`\t\n"),
    "can",
    "not",
    "gonna",
    "wanna",
    "gotta",
    "Lemme",
    "gimme",
    "CANNOT",
    "'t",
    "'ll",
    "n't",
    "''",
    "``",
    "...",
    "--",
    "é",
    "中",
    ". ]",
]


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXT)
def test_rouge_tokens_equal_rouge_score_on_ascii(text):
    assert RougeTokenizer().tokenize(text) == tokenizers.DefaultTokenizer(True).tokenize(text)


def test_rouge_scores_chinese_and_accents():
    rouge1 = get_scorer("ROUGE-1")
    # 我 爱 北 京 vs 我 爱 上 海: 2 of 4 characters shared -> F = 0.5
    assert rouge1(["我爱北京"], ["我爱上海"]) == pytest.approx(50.0)
    assert rouge1(["café noir"], ["café noir"]) == pytest.approx(100.0)
    assert rouge1([""], ["something"]) == 0.0
    assert rouge1([], []) == 0.0


def test_rouge_l_lcs():
    # reference "a b c d", prediction "a c d": LCS 3 -> P 1, R 3/4 -> F 6/7
    assert get_scorer("ROUGE-L")(["a c d"], ["a b c d"]) == pytest.approx(100 * 6 / 7)


def test_treebank_tokens_equal_nltk_on_random_texts():
    tokenizer = NLTKWordTokenizer()
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(TREEBANK_ALPHABET) for _ in range(rng.randint(0, 30)))
        assert treebank_tokens(text) == tokenizer.tokenize(text), repr(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=12),
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=1, max_size=12),
)
def test_bleu1_equals_nltk(hypothesis, reference):
    expected = sentence_bleu(
        [reference],
        hypothesis,
        weights=(1, 0, 0, 0),
        smoothing_function=SmoothingFunction().method4,
    )
    assert bleu1_tokens(hypothesis, reference) == pytest.approx(float(expected), abs=1e-12)


def test_bleu1_sentence_mean_and_best_reference():
    bleu = get_scorer("BLEU-1")
    # 3 of 3 unigrams, hypothesis 3 vs reference 6 tokens: BP = exp(1 - 6/3)
    assert bleu(["the cat sat"], [["x y", "the cat sat on the mat"]]) == pytest.approx(
        100 * math.exp(-1)
    )
    assert bleu(["the cat sat", ""], ["the cat sat", "x"]) == pytest.approx(50.0)


@pytest.mark.filterwarnings("ignore:\\nThe hypothesis contains 0 counts")
def test_corpus_bleu_matches_nltk():
    preds = ["a cat sits on the mat", "the dog runs fast", "hello"]
    refs = ["a cat on the mat", "a dog runs", "hello there friend"]
    expected = corpus_bleu(
        [[r.split()] for r in refs], [p.split() for p in preds], weights=(1, 0, 0, 0)
    )
    assert get_scorer("BLEU-1", "corpus")(preds, refs) == pytest.approx(100 * expected, abs=1e-6)
    # BLEU@4 with every n-gram order present: nltk and the COCO code agree
    four = ["a b c d e f", "a b c d x y"]
    truth = ["a b c d e f g", "a b c d x y"]
    expected4 = corpus_bleu([[r.split()] for r in truth], [p.split() for p in four])
    assert get_scorer("BLEU@4")(four, truth) == pytest.approx(100 * expected4, abs=1e-4)


def test_cider_two_images():
    # Each caption equals its reference; 1- and 2-grams occur in one of two documents:
    # cosine 1 for n = 1, 2 and no 3-, 4-grams: CIDEr-D = 10 * (1 + 1 + 0 + 0) / 4 = 5.
    assert get_scorer("CIDEr")(["a b", "c d"], ["a b", "c d"]) == pytest.approx(500.0)
    assert get_scorer("CIDEr")([], []) == 0.0


def test_anls():
    anls = get_scorer("ANLS")
    # "abd" vs "abc": distance 1/3 -> 2/3; "xyz" vs "abc": distance 1 -> 0
    assert anls(["ABD", "xyz"], [["abc"], ["abc"]]) == pytest.approx(100 * (2 / 3) / 2)
    # a distance of exactly 0.5 is not below the threshold
    assert anls(["ab"], ["ax"]) == 0.0
    assert anls([" Hello "], [["x", "hello"]]) == 100.0


def test_em1_and_macro_accuracy():
    assert get_scorer("EM@1")(["The Chair.", "a table"], [["chair"], ["desk"]]) == 50.0
    # per-class accuracy: a 1/2, b 1/1 -> 75
    assert get_scorer("Macro-Acc")(["a", "b", "b"], [["a"], ["a"], ["b"]]) == pytest.approx(75.0)
    assert get_scorer("Macro-Acc")(["zzz"], [["a"]]) == 0.0


def test_accuracy_contains_variant():
    contains = get_scorer("ACC", "contains")
    assert contains(["It is a Red car", "blue"], [["red"], ["green"]]) == 50.0


def test_label_f1_variant():
    # sets {a, b} vs {a, c}: tp 1, fp 1, fn 1 -> F1 = 2/4
    assert get_scorer("F1 Score", "labels")([frozenset("ab")], [frozenset("ac")]) == 50.0


def test_codebleu_matches_the_library_and_languages():
    refs = ["def f(a):\n    return a + 1", "def g(x):\n    y = x * 2\n    return y"]
    preds = ["def f(b):\n    return b + 1", "def g(x):\n    return x"]
    expected = calc_codebleu(refs, preds, lang="python")["codebleu"]
    assert get_scorer("CodeBLEU")(preds, refs) == pytest.approx(100 * expected)
    java = [CodeReference("class A { int f(int a) { return a + 1; } }", "Java")]
    expected_java = calc_codebleu(
        [java[0].code], ["class A { int f(int b) { return b; } }"], "java"
    )
    assert get_scorer("CodeBLEU")(["class A { int f(int b) { return b; } }"], java) == (
        pytest.approx(100 * expected_java["codebleu"])
    )
    with pytest.raises(ValueError, match="cannot parse language 'Cobol'"):
        get_scorer("CodeBLEU")(["x"], [CodeReference("x", "Cobol")])
    with pytest.raises(ValueError, match="several languages"):
        get_scorer("CodeBLEU")(["x", "y"], [CodeReference("x"), CodeReference("y", "go")])


def test_word_error_rate():
    assert wer_tokens("Hello, World!") == "hello world"
    assert wer_tokens("我爱北京") == "我 爱 北 京"
    # one substitution ("down"/"up") and one deletion ("day") in 6 reference words
    assert word_error_rate(["the cat sat down", "good"], ["the cat sat up", "good day"]) == (
        pytest.approx(100 * 2 / 6)
    )
    assert word_error_rate(["x"], [""]) == 0.0
