"""Parsing helpers shared by families: option letters, numbers, label sets."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Sequence

from genbench.data import Instance

LETTERS = string.ascii_uppercase
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def lettered(options: Sequence[str]) -> list[str]:
    """``["cat", "dog"]`` -> ``["A. cat", "B. dog"]``; options already lettered stay."""
    out = []
    for letter, option in zip(LETTERS, options, strict=False):
        text = str(option).strip()
        already = re.match(rf"^\(?{letter}[\.\):]\s", text)
        out.append(text if already else f"{letter}. {text}")
    return out


def parse_choice(raw: str, options: Sequence[str]) -> str | None:
    """The option a free-text answer names: its letter (``B``, ``(B)``, ``B.``), or its text.

    Returns the letter, or None when the answer names no option unambiguously.
    """
    text = raw.strip()
    letters = LETTERS[: len(options)]
    named_letters = set(re.findall(rf"\b([{letters}])\b", text))
    match = re.match(rf"^\(?([{letters}])(?:[\.\):]|\s|$)", text)
    if match:
        return match.group(1) if named_letters <= {match.group(1)} else None
    bodies = [
        re.sub(rf"^\(?{re.escape(letter)}[\.\):]\s*", "", str(option)).strip().casefold()
        for letter, option in zip(letters, options, strict=False)
    ]
    named = [
        letter
        for letter, body in zip(letters, bodies, strict=True)
        if body and body == text.casefold()
    ]
    if len(named) == 1:
        return named[0]
    return named_letters.pop() if len(named_letters) == 1 else None


def parse_choices(raw: str, options: Sequence[str]) -> frozenset[str]:
    """Every option an answer names: an answer made only of option letters (``A, C``,
    ``(B) and (D)``) names each; any other answer names the one option
    :func:`parse_choice` finds. Empty when it names none.
    """
    letters = LETTERS[: len(options)]
    tokens = [t for t in re.split(r"[\s,;/&]+|\band\b", raw.strip()) if t]
    marks = [re.fullmatch(rf"\(?([{letters}])[\.\):]?", t) for t in tokens]
    if tokens and all(marks):
        return frozenset(m.group(1) for m in marks if m)
    one = parse_choice(raw, options)
    return frozenset({one}) if one else frozenset()


def parse_numbers(raw: str) -> list[float]:
    """Every number in a text, in order."""
    return [float(x) for x in _NUMBER.findall(raw)]


_FENCE = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.DOTALL)


def strip_code_fence(raw: str) -> str:
    """The code of an answer: the first fenced block's body if there is one, else the text."""
    match = _FENCE.search(raw)
    return (match.group(1) if match else raw).strip("\n")


def option_letter(answer: object, options: Sequence[object]) -> str | None:
    """A reference answer as its option letter: a letter stays, an option's text (or
    ``B. text``) maps; None when the answer is none of the options.
    """
    text = str(answer).strip()
    if len(text) == 1 and text.upper() in LETTERS[: len(options)]:
        return text.upper()
    return parse_choice(text, [str(o) for o in options])


def reference_letters(
    instance: Instance, answers: Sequence[object], options: Sequence[object], field: str
) -> list[str]:
    """Each reference answer as its option letter.

    Raises:
        AnnotationError: an answer that is none of the instance's options (no prediction
            could match it); the message names the file, the instance and the field.
    """
    letters = []
    for answer in answers:
        letter = option_letter(answer, options)
        if letter is None:
            raise instance.error(
                f"answer {answer!r} is not one of its {len(options)} options", field
            )
        letters.append(letter)
    return letters


_CHOICE_LINE = re.compile(r"^\s*\(?([A-Z])[\.\):]\s+(.+?)\s*$", re.MULTILINE)


def options_in_text(text: str) -> list[str]:
    """Choices written as lines ``A. cat`` / ``(B) dog`` in a question, in order from A;
    empty unless there are two or more.
    """
    options: list[str] = []
    for letter, body in _CHOICE_LINE.findall(text):
        if letter != LETTERS[len(options)]:
            break
        options.append(f"{letter}. {body}")
    return options if len(options) >= 2 else []


#: Fields that make a prompt, in the order they are shown.
PROMPT_FIELDS = ("context", "text", "question", "prompt")


def prompt_text(instance: Instance, fields: Sequence[str] = PROMPT_FIELDS) -> str:
    """The text a model is shown: the instance's context, text, question and prompt
    (those present, each once), one per line.
    """
    parts: list[str] = []
    for name in fields:
        value = instance.find(name, default=None)
        if value is None or value == "" or value == []:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if text not in parts:
            parts.append(text)
    return "\n".join(parts)
