"""Language scores equal the benchmark's definitions (x100) on a tree covering every family.

The definitions below are written from SPEC §1 and the benchmark's scorer as documented
(docs/TASKS.md), independently of genbench's code: exact match, token-set F1 with list
lengths, rouge-score's rouge1 with its own tokenizer, nltk sentence BLEU-1 (method 4) on
``word_tokenize`` tokens, corpus CodeBLEU, micro-F1 over ``<p>`` label sets, RMSE.
``word_tokenize`` needs punkt data that cannot be downloaded here; an untrained
``PunktSentenceTokenizer`` splits these single-clause sentences the same way.
"""

import json
import math

import pytest
from codebleu import calc_codebleu
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from rouge_score import rouge_scorer

from genbench.data import discover_tasks
from genbench.runner import RunSettings, TaskRunner
from tests.language_tree import build_language_tree


def _word_tokenize(text):
    return [
        token
        for sentence in PunktSentenceTokenizer().tokenize(text)
        for token in NLTKWordTokenizer().tokenize(sentence)
    ]


def _refs(value):
    return value if isinstance(value, list) else [value]


def bench_acc(preds, refs):
    return sum(
        str(p).strip() in [str(r).strip() for r in _refs(ref)]
        for p, ref in zip(preds, refs, strict=False)
    ) / len(preds)


def bench_f1(preds, refs):
    def one(p, r):
        pt, rt = str(p).strip().split(), str(r).strip().split()
        common = len(set(pt) & set(rt))
        if common == 0:
            return 0.0
        precision, recall = common / len(pt), common / len(rt)
        return 2 * precision * recall / (precision + recall)

    return sum(
        max(one(p, r) for r in _refs(ref)) for p, ref in zip(preds, refs, strict=False)
    ) / len(preds)


def bench_rouge1(preds, refs):
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    return sum(
        max(scorer.score(str(r), str(p))["rouge1"].fmeasure for r in _refs(ref))
        for p, ref in zip(preds, refs, strict=False)
    ) / len(preds)


def bench_bleu1(preds, refs):
    smooth = SmoothingFunction().method4
    total = 0.0
    for p, ref in zip(preds, refs, strict=False):
        hyp = _word_tokenize(str(p))
        total += max(
            sentence_bleu(
                [_word_tokenize(str(r))], hyp, weights=(1, 0, 0, 0), smoothing_function=smooth
            )
            if hyp
            else 0.0
            for r in _refs(ref)
        )
    return total / len(preds)


def bench_codebleu(preds, refs):
    return calc_codebleu(refs, preds, lang="python", weights=(0.25, 0.25, 0.25, 0.25))["codebleu"]


def bench_micro_f1(preds, refs, multi):
    tp = fp = fn = 0
    for p, r in zip(preds, refs, strict=False):
        pred = set(str(p).strip().split("<p>"))
        ref = set(r.lower().split(", ")) if multi else {r.lower()}
        tp, fp, fn = tp + len(pred & ref), fp + len(pred - ref), fn + len(ref - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def bench_rmse(preds, refs):
    return math.sqrt(
        sum((float(p) - float(r)) ** 2 for p, r in zip(preds, refs, strict=False)) / len(preds)
    )


def _reference(kind, item):
    out = item["output"]
    return {
        "MultipleChoiceQA": lambda: out["answer"],
        "OpenQA": lambda: out["answer"],
        "Summarization": lambda: out["summary"],
        "Translation": lambda: out,
        "Story Generation": lambda: out["story"],
        "Dialogue": lambda: out["reference"],
        "Code Generation": lambda: out["response"]["content"],
        "Code Repair": lambda: out["repairCode"],
        "Code Defect Detection": lambda: str(out["target"]),
        "Text to SQL": lambda: out["sql"],
        "Code Explanation": lambda: out["nl"],
        "Proof": lambda: (
            "\n".join(out["proof"]["steps"]) + f"\nConclusion: {out['proof']['conclusion']}"
        ),
        "Mathematical Word Problem Solving": lambda: out["solution"]["final_answer"],
        "Paraphrase Generation": lambda: out["paraphraseSentence"],
        "Grammar Correction": lambda: out["Standard English"],
        "Text Style Transfer": lambda: out["answer"],
        "Table-to-Text Generation": lambda: out["response"]["text"],
        "Time Series": lambda: out["target"],
        "classification": lambda: next(iter(out.values())),
        "ner": lambda: next(iter(out.values())),
    }[kind]()


def bench_score(metric, kind, preds, refs):
    return (
        100
        * {
            "ACC": lambda: bench_acc(preds, refs),
            "F1": lambda: bench_f1(preds, refs),
            "ROUGE-1": lambda: bench_rouge1(preds, refs),
            "BLEU-1": lambda: bench_bleu1(preds, refs),
            "CodeBLEU": lambda: bench_codebleu(preds, refs),
            "Micro-F1": lambda: bench_micro_f1(preds, refs, multi=kind == "ner"),
        }[metric]()
        if metric != "RMSE"
        else bench_rmse(preds, refs)
    )


@pytest.fixture(scope="module")
def scored(tmp_path_factory, table):
    root = tmp_path_factory.mktemp("lang")
    build_language_tree(root, instances=40, seed=3)
    settings = RunSettings(
        "baseline",
        "parity",
        root / "out",
        root,
        steps=frozenset({2}),
        predictions_beside_tasks=True,
    )
    runner = TaskRunner(settings, table, lambda: None)
    return [(task, runner.score(task)) for task in discover_tasks(root, table)]


def test_tree_covers_every_family(scored):
    kinds = {json.loads(t.annotation_path.read_text())["type"] for t, _ in scored}
    assert len(kinds) == 20 and all(r.status == "scored" for _, r in scored)


@pytest.mark.parametrize("index", range(20))
def test_scores_equal_the_benchmark_definitions(scored, index):
    task, result = scored[index]
    annotation = json.loads(task.annotation_path.read_text())
    predictions = {
        p["id"]: p["prediction"] for p in json.loads((task.folder / "prediction.json").read_text())
    }
    refs = [_reference(annotation["type"], item) for item in annotation["data"]]
    preds = [predictions[item["id"]] for item in annotation["data"]]
    expected = bench_score(result.metric, annotation["type"], preds, refs)
    assert result.score == pytest.approx(expected, abs=1e-6), (annotation["type"], result.metric)
    assert result.missing == 0
