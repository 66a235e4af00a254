"""CodeBLEU through the ``codebleu`` package, in the language of the task's code.

The benchmark scores every task as Python and turns any error into 0. Here each task is
scored in its own language (from the instance's ``language`` field), and a language whose
grammar is not installed is an error that says so, not a score of 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from genbench.metrics._scorers import scorer

#: Spellings of the languages codebleu parses, folded to its names.
_LANGUAGES = {
    "python": "python",
    "python3": "python",
    "py": "python",
    "java": "java",
    "javascript": "javascript",
    "js": "javascript",
    "c": "c",
    "cpp": "cpp",
    "c++": "cpp",
    "go": "go",
    "golang": "go",
    "php": "php",
    "ruby": "ruby",
    "rust": "rust",
    "csharp": "c_sharp",
    "c#": "c_sharp",
    "c_sharp": "c_sharp",
}


@dataclass(frozen=True)
class CodeReference:
    """Reference code and the language it is written in."""

    code: str
    language: str = "python"

    def __str__(self) -> str:
        return self.code


def codebleu_language(name: str) -> str:
    """Codebleu's name of a programming language.

    Raises:
        ValueError: the language is not one codebleu parses.
    """
    key = re.sub(r"\s+", "", name).casefold()
    if key not in _LANGUAGES:
        raise ValueError(f"CodeBLEU cannot parse language {name!r}")
    return _LANGUAGES[key]


@scorer("CodeBLEU")
def codebleu(predictions: Sequence[str], references: Sequence[object]) -> float:
    """Corpus CodeBLEU (n-gram, weighted n-gram, syntax, data flow; 1/4 each), percent.

    References are :class:`CodeReference` (or plain strings, taken as Python).

    Raises:
        ValueError: the task mixes languages, or its grammar is not installed.
    """
    from codebleu import calc_codebleu

    if not predictions:
        return 0.0
    refs = [r if isinstance(r, CodeReference) else CodeReference(str(r)) for r in references]
    languages = {codebleu_language(r.language) for r in refs}
    if len(languages) != 1:
        raise ValueError(f"CodeBLEU over several languages at once: {sorted(languages)}")
    language = languages.pop()
    try:
        result = calc_codebleu(
            [r.code for r in refs],
            [str(p) for p in predictions],
            lang=language,
            weights=(0.25, 0.25, 0.25, 0.25),
        )
    except ImportError as error:
        raise ValueError(
            f"CodeBLEU for {language} needs its tree-sitter grammar: {error}"
        ) from None
    return 100.0 * float(result["codebleu"])
