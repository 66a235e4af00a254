"""The text metrics load nltk's modules without nltk's package import
(genbench.metrics._nltk), with the libraries' own results, and leave the process's
modules as they were.
"""

from __future__ import annotations

import json
import subprocess
import sys

from nltk.stem.porter import PorterStemmer
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer
from rouge_score import rouge_scorer

TEXTS = [
    "He said, \"don't go\" -- then left. Mr. Smith (the host) wasn't there!",
    "The cats were running quickly through 3.5 gardens; generalization matters.",
    "Il était une fois... un café à Paris. 東京は大きい。",
]

PROBE = """
import json, sys
from genbench.metrics import _text
from genbench.metrics._nltk import text_tools
texts = json.loads(sys.argv[1])
tools = text_tools()
rouge = tools.rouge_scorer(["rouge1", "rougeL"], use_stemmer=True)
found = {
    "light": tools.light,
    "heavy": sorted(m for m in ("scipy", "sklearn", "pandas") if m in sys.modules),
    "left": sorted(m for m in sys.modules if m.split(".")[0] in ("nltk", "rouge_score")),
    "words": [tools.word_tokenizer().tokenize(t) for t in texts],
    "sentences": [tools.sentence_tokenizer().tokenize(t) for t in texts],
    "stems": [tools.porter_stemmer().stem(w) for t in texts for w in t.split()],
    "rouge": [rouge.score(texts[0], t)["rougeL"].fmeasure for t in texts],
    "bleu1": _text.bleu1(texts, texts[::-1]),
}
import nltk  # the real package, complete, for anyone else in the process
found["after"] = [callable(nltk.word_tokenize), nltk.stem.porter.PorterStemmer.__name__]
print(json.dumps(found))
"""


def test_light_loading_gives_the_libraries_results_and_leaves_nltk_whole():
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(TEXTS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out)
    assert found["light"] is True
    assert found["heavy"] == []  # nltk's package import would have loaded all three
    assert found["left"] == []  # sys.modules as it was
    assert found["words"] == [NLTKWordTokenizer().tokenize(t) for t in TEXTS]
    assert found["sentences"] == [PunktSentenceTokenizer().tokenize(t) for t in TEXTS]
    stemmer = PorterStemmer()
    assert found["stems"] == [stemmer.stem(w) for t in TEXTS for w in t.split()]
    rouge = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    assert found["rouge"] == [rouge.score(TEXTS[0], t)["rougeL"].fmeasure for t in TEXTS]
    from genbench.metrics import _text

    assert found["bleu1"] == _text.bleu1(TEXTS, TEXTS[::-1])
    assert found["after"] == [True, "PorterStemmer"]


def test_an_already_imported_nltk_is_used_as_it_is():
    from genbench.metrics._nltk import text_tools

    tools = text_tools()  # this process imported nltk above
    assert tools.light is False
    assert tools.porter_stemmer is PorterStemmer
    assert tools.word_tokenizer is NLTKWordTokenizer
