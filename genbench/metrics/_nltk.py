"""nltk's Porter stemmer, Treebank word tokenizer and Punkt sentence splitter, and
rouge-score, without running nltk's package import.

Any ``import nltk.<module>`` first runs ``nltk/__init__.py``, which imports nearly all of
nltk: collocations (scipy.stats), the scikit-learn classifier wrapper (sklearn, pandas),
corpora, parsers. That costs 2.6 s on the project's machine kind, in every process that
scores text: the test process, each xdist worker, each ``--score-workers`` process; a
fifth of scoring 50 language tasks. genbench needs three pure-Python modules of nltk
(``nltk.stem.porter``, ``nltk.tokenize.destructive``, ``nltk.tokenize.punkt``), which
import only small helpers of their own package, and rouge-score, which imports nltk.

:func:`text_tools` loads those modules beneath bare parent packages (``nltk``,
``nltk.stem``, ``nltk.tokenize``: their folders without their ``__init__`` code), then
puts ``sys.modules`` back as it was: the modules live on in genbench's hands only, and an
``import nltk`` anywhere else in the process gets the real, complete package. They are
nltk's and rouge-score's own code, so their results are the libraries' (tests compare).
Where nltk or rouge-score is already imported, or nltk's layout has changed so that this
fails, the ordinary imports are used: slower, the same results. No library offers this;
it is written here for the start-up cost alone.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import threading
import types
from dataclasses import dataclass
from typing import Any

#: The packages whose ``__init__`` is skipped, parents first.
_BARE_PACKAGES = ("nltk", "nltk.stem", "nltk.tokenize")
#: The families of modules whose entries are taken back out of ``sys.modules``.
_FAMILIES = ("nltk", "rouge_score")

_LOCK = threading.Lock()


@dataclass(frozen=True)
class TextTools:
    """The classes genbench's text metrics use.

    Attributes:
        porter_stemmer: ``nltk.stem.porter.PorterStemmer``.
        word_tokenizer: ``nltk.tokenize.destructive.NLTKWordTokenizer`` (Treebank rules).
        sentence_tokenizer: ``nltk.tokenize.punkt.PunktSentenceTokenizer``.
        rouge_scorer: ``rouge_score.rouge_scorer.RougeScorer``.
        light: whether nltk's package import was skipped.
    """

    porter_stemmer: Any
    word_tokenizer: Any
    sentence_tokenizer: Any
    rouge_scorer: Any
    light: bool


def _ordinary() -> TextTools:
    from nltk.stem.porter import PorterStemmer
    from nltk.tokenize.destructive import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from rouge_score.rouge_scorer import RougeScorer

    return TextTools(PorterStemmer, NLTKWordTokenizer, PunktSentenceTokenizer, RougeScorer, False)


def _bare_package(name: str) -> types.ModuleType:
    """A package module with ``name``'s folder as its path, its ``__init__`` not run."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an installed package")
    package = types.ModuleType(name)
    package.__path__ = list(spec.submodule_search_locations)
    package.__package__ = name
    package.__spec__ = spec
    return package


def _light() -> TextTools:
    """The modules loaded beneath bare packages; ``sys.modules`` restored afterwards."""
    before = set(sys.modules)
    try:
        for name in _BARE_PACKAGES:
            package = _bare_package(name)
            sys.modules[name] = package
            parent, _, child = name.rpartition(".")
            if parent:
                setattr(sys.modules[parent], child, package)
        porter = importlib.import_module("nltk.stem.porter")
        # rouge-score: ``from nltk.stem import porter``
        setattr(sys.modules["nltk.stem"], "porter", porter)  # noqa: B010
        destructive = importlib.import_module("nltk.tokenize.destructive")
        punkt = importlib.import_module("nltk.tokenize.punkt")
        rouge = importlib.import_module("rouge_score.rouge_scorer")
        return TextTools(
            porter.PorterStemmer,
            destructive.NLTKWordTokenizer,
            punkt.PunktSentenceTokenizer,
            rouge.RougeScorer,
            True,
        )
    finally:
        for name in set(sys.modules) - before:
            if name.split(".")[0] in _FAMILIES:
                del sys.modules[name]


@functools.cache
def text_tools() -> TextTools:
    """The text metrics' classes from nltk and rouge-score, loaded once per process."""
    with _LOCK:
        if any(family in sys.modules for family in _FAMILIES):
            return _ordinary()  # already paid for: the ordinary modules
        try:
            return _light()
        except (ImportError, AttributeError):
            return _ordinary()
