"""A General-Bench-format language tree with prediction files: one task per SPEC §1 family.

Used by the parity test (scores against the benchmark's definitions) and by
perf/nlp_scoring_speed.py (50 tasks of 1000 instances). Texts are single sentences drawn
from a small vocabulary, so predictions overlap their references partly; answers are
right, wrong or partly right at random, seeded.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORDS = [
    "the",
    "a",
    "cat",
    "dog",
    "runs",
    "jumps",
    "quickly",
    "slowly",
    "over",
    "under",
    "river",
    "bridge",
    "city",
    "garden",
    "happy",
    "small",
    "large",
    "green",
    "blue",
    "walks",
    "sees",
    "finds",
    "old",
    "young",
    "bright",
    "dark",
    "house",
    "tree",
]
CODE = [
    "def add(a, b):\n    return a + b",
    "def area(r):\n    pi = 3.14\n    return pi * r * r",
    "def first(xs):\n    for x in xs:\n        return x\n    return None",
    "def count(xs, y):\n    n = 0\n    for x in xs:\n"
    "        if x == y:\n            n += 1\n    return n",
]
Maker = Callable[[random.Random, int], tuple[dict[str, Any], str]]


def sentence(rng: random.Random, n: int | None = None) -> str:
    """A sentence of ``n`` (or 4 to 12) vocabulary words, ending with a period."""
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(4, 12))]
    return " ".join(words).capitalize() + "."


def variant(rng: random.Random, text: str) -> str:
    """The text itself, a partly changed copy, or an unrelated sentence."""
    roll = rng.random()
    if roll < 0.25:
        return text
    if roll < 0.8:
        words = text.rstrip(".").split()
        for _ in range(max(1, len(words) // 3)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        return " ".join(words) + "."
    return sentence(rng)


def _mcqa(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    answer = rng.choice("ABCD")
    instance = {
        "input": {"question": sentence(rng), "options": [sentence(rng, 3) for _ in range(4)]},
        "output": {"answer": answer},
    }
    return instance, answer if rng.random() < 0.5 else rng.choice("ABCD")


def _open_qa(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    answer = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    pred = answer if rng.random() < 0.3 else " ".join(rng.choice(WORDS) for _ in range(3))
    return {"input": {"question": sentence(rng)}, "output": {"answer": [answer]}}, pred


def _text_pair(
    input_fields: Callable[[random.Random], dict[str, Any]],
    output: Callable[[str], Any],
) -> Maker:
    def make(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
        reference = sentence(rng)
        return {**input_fields(rng), "output": output(reference)}, variant(rng, reference)

    return make


def _code(field: str, repair: bool) -> Maker:
    def make(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
        reference = rng.choice(CODE)
        pred = rng.choice(CODE) if rng.random() < 0.5 else reference.replace("x", "item")
        if repair:
            instance = {
                "input": {"prompt": "Fix the bug.", "sourceCode": reference.replace("+", "-")},
                "output": {field: reference},
            }
        else:
            instance = {
                "language": "python",
                "goal": sentence(rng),
                "context": [{"type": "signature", "content": reference.splitlines()[0]}],
                "output": {"response": {"content": reference}},
            }
        return instance, pred

    return make


def _defect(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    target = rng.randint(0, 1)
    return {"func": rng.choice(CODE), "output": {"target": target}}, str(rng.randint(0, 1))


def _proof(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    steps = [sentence(rng) for _ in range(2)]
    conclusion = sentence(rng, 4)
    reference = "\n".join(steps) + f"\nConclusion: {conclusion}"
    instance = {
        "statement": sentence(rng),
        "output": {"proof": {"steps": steps, "conclusion": conclusion}},
    }
    return instance, variant(
        rng, reference.replace("\n", " ").rstrip(".")
    ) if rng.random() < 0.7 else reference


def _math(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    answer = str(rng.randint(1, 20))
    instance = {
        "problem": {"text": sentence(rng), "constraints": "integers"},
        "output": {"solution": {"final_answer": answer}},
    }
    return instance, answer if rng.random() < 0.4 else str(rng.randint(1, 20))


def _table(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    reference = sentence(rng)
    instance = {
        "input": {"table": [{"header": ["name", "age"], "rows": [["ann", "3"], ["bo", "5"]]}]},
        "output": {"response": {"text": reference}},
    }
    return instance, variant(rng, reference)


def _time_series(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    data = [round(rng.uniform(0, 10), 2) for _ in range(8)]
    target = round(rng.uniform(0, 10), 2)
    pred = f"{round(target + rng.uniform(-3, 3), 2)}"
    return {"input": {"data": data}, "output": {"target": target}}, pred


LABELS = ["positive", "negative", "neutral"]


def _classification(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    label = rng.choice(LABELS)
    instance = {
        "input": {"prompt": "Classify: <<<raw_text>>>", "raw_text": sentence(rng)},
        "output": {"label": label.capitalize()},
    }
    return instance, label if rng.random() < 0.5 else rng.choice(LABELS)


def _ner(rng: random.Random, i: int) -> tuple[dict[str, Any], str]:
    names = rng.sample(["ada", "bob", "cy", "dee", "eve", "fay"], rng.randint(1, 3))
    guess = [n for n in names if rng.random() < 0.7] + (["zed"] if rng.random() < 0.3 else [])
    instance = {
        "input": {"prompt": "Names in: <<<raw_text>>>", "raw_text": sentence(rng)},
        "output": {"entities": ", ".join(names)},
    }
    return instance, "<p>".join(guess)


#: (task name in the reference table, type, instance maker)
FAMILIES: list[tuple[str, str, Maker]] = [
    ("Commonsense Reasoning", "MultipleChoiceQA", _mcqa),
    ("TriviaQA", "OpenQA", _open_qa),
    (
        "Abstractive Summarization",
        "Summarization",
        _text_pair(lambda r: {"document": sentence(r) * 3}, lambda s: {"summary": s}),
    ),
    (
        "English-French Translation",
        "Translation",
        _text_pair(lambda r: {"in": "English", "out": "French", "input": sentence(r)}, str),
    ),
    (
        "Story Generation",
        "Story Generation",
        _text_pair(lambda r: {"input": {"prompt": sentence(r)}}, lambda s: {"story": s}),
    ),
    (
        "Multi-Turn Daily Dialogue Generation",
        "Dialogue",
        _text_pair(lambda r: {"dialog": [sentence(r), sentence(r)]}, lambda s: {"reference": s}),
    ),
    ("Code Generation", "Code Generation", _code("content", repair=False)),
    ("Code Repair", "Code Repair", _code("repairCode", repair=True)),
    ("Code Defect Detection", "Code Defect Detection", _defect),
    (
        "Text-to-SQL Generation",
        "Text to SQL",
        _text_pair(
            lambda r: {"input": {"context": "CREATE TABLE t (a int)", "question": sentence(r)}},
            lambda s: {"sql": s},
        ),
    ),
    (
        "Code Explanation",
        "Code Explanation",
        _text_pair(lambda r: {"code": r.choice(CODE)}, lambda s: {"nl": s}),
    ),
    ("Mathematical Proof Generation", "Proof", _proof),
    ("Mathematical Word Problem Solving", "Mathematical Word Problem Solving", _math),
    (
        "Paraphrase Generation",
        "Paraphrase Generation",
        _text_pair(
            lambda r: {"input": {"originalSentence": sentence(r)}},
            lambda s: {"paraphraseSentence": s},
        ),
    ),
    (
        "Grammar Correction",
        "Grammar Correction",
        _text_pair(
            lambda r: {"input": {"Error Type": "verb", "Ungrammatical Statement": sentence(r)}},
            lambda s: {"Standard English": s},
        ),
    ),
    (
        "Text Style Transfer",
        "Text Style Transfer",
        _text_pair(
            lambda r: {"input": {"text": sentence(r), "style": "formal"}},
            lambda s: {"answer": s},
        ),
    ),
    ("Table-to-Text Generation", "Table-to-Text Generation", _table),
    ("Time Series", "Time Series", _time_series),
    ("Spam Detection", "classification", _classification),
    ("Bias Detection", "ner", _ner),
]


def build_language_tree(
    root: Path, instances: int = 8, seed: int = 0, tasks: int | None = None
) -> list[Path]:
    """Write ``nlp/<task>/annotation.json`` and ``prediction.json`` under ``root``.

    With ``tasks`` greater than the number of families, families repeat under numbered
    folders (their task names repeat too: scoring does not care). Returns the folders.
    """
    rng = random.Random(seed)
    count = tasks or len(FAMILIES)
    folders = []
    for index in range(count):
        name, kind, make = FAMILIES[index % len(FAMILIES)]
        folder = root / "nlp" / f"{name.replace(' ', '-')}-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        data, predictions = [], []
        for i in range(instances):
            instance, prediction = make(rng, i)
            data.append({"id": str(i), **instance})
            predictions.append({"id": str(i), "prediction": prediction})
        (folder / "annotation.json").write_text(
            json.dumps({"task": name, "type": kind, "data": data}), encoding="utf-8"
        )
        (folder / "prediction.json").write_text(json.dumps(predictions), encoding="utf-8")
        folders.append(folder)
    return folders
