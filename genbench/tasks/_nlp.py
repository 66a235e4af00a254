"""Language task families (docs/TASKS.md): prompts, references and answer parsing.

Each family reads the fields the benchmark's scorer reads, at the instance's top level or
under ``input``. The prompts are written out in docs/TASKS.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench.data import AnnotationError, Instance, TaskSpec
from genbench.metrics import CodeReference, label_set
from genbench.models import Request
from genbench.tasks._family import (
    Parsed,
    TaskFamily,
    make_request,
    parse_leading_numbers,
    reference_numbers,
    register_family,
)
from genbench.tasks._parsing import (
    LETTERS,
    lettered,
    parse_choice,
    parse_choices,
    prompt_text,
    reference_letters,
    strip_code_fence,
)


def _first_output_value(instance: Instance) -> Any:
    output = instance.output
    if isinstance(output, dict):
        if not output:
            raise AnnotationError(instance.source, "empty", instance.id, "output")
        return next(iter(output.values()))
    if output is None:
        raise AnnotationError(instance.source, "missing", instance.id, "output")
    return output


def _text(value: Any) -> str:
    """A field's value as prompt text: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _answers(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


#: Metrics over label sets: a multiple-choice task scored by one of these takes the set
#: of letters its answer names.
_SET_METRICS = {"Micro-F1", "F1"}


class MultipleChoiceQA(TaskFamily):
    """A question with lettered options; the answer is a letter (or, where the table
    scores the task by micro-F1, a set of letters). Metric: exact-match ACC.
    """

    name, default_metric = "MultipleChoiceQA", "ACC"

    def _options(self, instance: Instance) -> list[Any]:
        options = instance.find("options")
        if not isinstance(options, list) or not options:
            raise AnnotationError(
                instance.source, "not a non-empty list", instance.id, "input.options"
            )
        return options

    def _sets(self, task: TaskSpec) -> bool:
        return task.reference is not None and task.reference.metric.name in _SET_METRICS

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """Context, question, lettered options, and an instruction to answer with letters."""
        options = self._options(instance)
        lines = "\n".join(lettered(options))
        what = "the letters of every right option" if self._sets(task) else "the option's letter"
        prompt = f"{prompt_text(instance)}\n{lines}\nAnswer with {what} only."
        return make_request(task, instance, prompt, tuple(LETTERS[: len(options)]))

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The answer letter(s) (``output.answer``: a letter, an option's text, or a list
        of them); a set of letters for set metrics.
        """
        answer = instance.find("output.answer")
        answers = answer if isinstance(answer, list) else [answer]
        letters = reference_letters(instance, answers, self._options(instance), "output.answer")
        return frozenset(letters) if self._sets(task) else letters

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The letter (or the set of letters) the answer names; an unparsable answer is wrong."""
        options = [str(o) for o in self._options(instance)]
        if self._sets(task):
            if raw is None:
                return Parsed(frozenset(), ok=False)
            chosen = parse_choices(raw, options)
            return Parsed(chosen, ok=bool(chosen))
        if raw is None:
            return Parsed("", ok=False)
        choice = parse_choice(raw, options)
        return Parsed(choice or raw.strip(), ok=choice is not None)


Builder = Callable[[Instance], Any]


class TextFamily(TaskFamily):
    """A family whose answer is text: a prompt from fields, a reference from fields.

    The answer is stripped; ``code`` families also take the body of a fenced code block.
    """

    def __init__(
        self,
        name: str,
        metric: str,
        prompt: Builder,
        reference: Builder,
        code: bool = False,
    ) -> None:
        """A family named ``name`` whose default metric is ``metric``."""
        self.name, self.default_metric = name, metric
        self._prompt, self._reference, self._code = prompt, reference, code

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The family's prompt for the instance."""
        return make_request(task, instance, self._prompt(instance))

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The reference answer(s) the family reads."""
        return self._reference(instance)

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The answer text, stripped (fenced code unwrapped); missing is the empty answer."""
        if raw is None:
            return Parsed("", ok=False)
        return Parsed(strip_code_fence(raw).strip() if self._code else raw.strip())


def _open_qa_prompt(instance: Instance) -> str:
    parts = []
    context = instance.find("context", default=None)
    if context:
        parts.append(f"Context: {_text(context)}")
    table = instance.find("table", default=None)
    if table:
        parts.append(f"Table: {_text(table)}")
    parts.append(f"Question: {_text(instance.find('question'))}")
    parts.append("Answer briefly.")
    return "\n".join(parts)


def _summarization_prompt(instance: Instance) -> str:
    documents = instance.find("document", "document_list")
    if isinstance(documents, list):
        documents = "\n\n".join(_text(d) for d in documents)
    return f"{documents}\n\nSummarize the text above."


def _summary(instance: Instance) -> list[str]:
    summary = instance.find("output.summary", "output.highlights")
    return [" ".join(summary)] if isinstance(summary, list) else [str(summary)]


def _translation_prompt(instance: Instance) -> str:
    source, target = instance.find("in"), instance.find("out")
    return (
        f"Translate the following text from {source} to {target}. "
        f"Answer with the translation only.\n\n{_text(instance.find('input'))}"
    )


def _translation(instance: Instance) -> list[str]:
    output = instance.output
    if isinstance(output, str):
        return [output]
    return _answers(instance.find("output.translation"))


def _dialogue_prompt(instance: Instance) -> str:
    turns = instance.find("dialog")
    if not isinstance(turns, list):
        raise AnnotationError(instance.source, "not a list of turns", instance.id, "dialog")
    lines = []
    for turn in turns:
        if isinstance(turn, dict):
            speaker = turn.get("speaker") or turn.get("role")
            text = turn.get("text") or turn.get("utterance") or turn.get("content") or ""
            lines.append(f"{speaker}: {text}" if speaker else str(text))
        else:
            lines.append(str(turn))
    return "\n".join(lines) + "\n\nWrite the next turn of this dialogue. Answer with it only."


def _code_language(instance: Instance) -> str:
    return str(instance.find("language", "lang", default="python"))


def _code_generation_prompt(instance: Instance) -> str:
    parts = [f"Write {_code_language(instance)} code for this goal: {_text(instance.find('goal'))}"]
    context = instance.find("context", default=[])
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            parts.append(f"{item.get('type', 'context')}:\n{_text(item.get('content', ''))}")
        else:
            parts.append(_text(item))
    parts.append("Answer with the code only.")
    return "\n\n".join(parts)


def _code_generation(instance: Instance) -> CodeReference:
    return CodeReference(str(instance.find("output.response.content")), _code_language(instance))


def _code_repair_prompt(instance: Instance) -> str:
    return (
        f"{_text(instance.find('prompt'))}\n\n{_text(instance.find('sourceCode'))}\n\n"
        "Answer with the repaired code only."
    )


def _code_repair(instance: Instance) -> CodeReference:
    return CodeReference(str(instance.find("output.repairCode")), _code_language(instance))


def _defect_prompt(instance: Instance) -> str:
    target = instance.find("output.target", default=None)
    choices = "True or False" if isinstance(target, bool) else "1 (defective) or 0 (not)"
    return (
        f"{_text(instance.find('func'))}\n\nDoes this function contain a defect? "
        f"Answer with {choices} only."
    )


def _sql_prompt(instance: Instance) -> str:
    return (
        f"{_text(instance.find('context'))}\n\nQuestion: {_text(instance.find('question'))}\n"
        "Answer with the SQL query only."
    )


def _proof(instance: Instance) -> list[str]:
    steps = instance.find("output.proof.steps")
    if not isinstance(steps, list):
        raise AnnotationError(instance.source, "not a list", instance.id, "output.proof.steps")
    conclusion = instance.find("output.proof.conclusion", default="")
    return ["\n".join(str(s) for s in steps) + f"\nConclusion: {conclusion}"]


def _math_prompt(instance: Instance) -> str:
    text = instance.find("input.problem.text", "problem.text")
    constraints = instance.find("input.problem.constraints", "problem.constraints", default=None)
    extra = f"\nConstraints: {_text(constraints)}" if constraints else ""
    return f"{_text(text)}{extra}\nAnswer with the final answer only."


def _table_prompt(instance: Instance) -> str:
    tables = instance.find("table")
    blocks = []
    for table in tables if isinstance(tables, list) else [tables]:
        if isinstance(table, dict):
            rows = [table.get("header", []), *table.get("rows", [])]
            blocks.append("\n".join(" | ".join(str(c) for c in row) for row in rows))
        else:
            blocks.append(_text(table))
    return "\n\n".join(blocks) + "\n\nDescribe the table above in text."


def _field(*names: str) -> Builder:
    return lambda instance: _answers(instance.find(*names))


def _prompt(template: str, **fields: str) -> Builder:
    """A prompt from a template whose ``{name}`` slots take the named fields."""
    return lambda instance: template.format(
        **{slot: _text(instance.find(field)) for slot, field in fields.items()}
    )


_PLACEHOLDER = re.compile(r"<<<(\w+)>>>")


class PromptLabels(TaskFamily):
    """Prompt-template tasks scored by micro-F1 over label sets.

    ``input.prompt`` has ``<<<field>>>`` placeholders filled from ``input``; the reference
    is the first value of ``output``: one label for classification, a ``", "``-separated
    set for ner, extraction and the like. Answers separate labels with ``<p>`` (the
    benchmark's form) or, for sets, with ``", "`` as the references do.
    """

    default_metric = "Micro-F1"

    def __init__(self, name: str, multi_label: bool) -> None:
        """``multi_label``: the answer is a set of labels rather than one label."""
        self.name, self.multi_label = name, multi_label

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt with its placeholders filled; the candidate labels where given."""
        template = str(instance.find("prompt"))

        def fill(match: re.Match[str]) -> str:
            return _text(instance.find(f"input.{match.group(1)}", match.group(1)))

        options = instance.find("options", "labels", default=())
        return make_request(
            task,
            instance,
            _PLACEHOLDER.sub(fill, template),
            tuple(str(o) for o in options) if isinstance(options, list) else (),
        )

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The label set of the first value of ``output``, lower-cased."""
        value = _first_output_value(instance)
        return label_set(value, (", ",) if self.multi_label else ())

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The answer's label set, lower-cased; missing is the empty set."""
        if raw is None:
            return Parsed(frozenset(), ok=False)
        return Parsed(label_set(raw, ("<p>", ", ") if self.multi_label else ("<p>",)))


class TimeSeries(TaskFamily):
    """Forecast the next value(s) of ``input.data``. Metric: RMSE."""

    name, default_metric = "Time Series", "RMSE"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The series and an instruction to answer with numbers only."""
        data = instance.find("data")
        if not isinstance(data, list):
            raise AnnotationError(
                instance.source, "not a list of numbers", instance.id, "input.data"
            )
        series = ", ".join(str(x) for x in data)
        return make_request(
            task,
            instance,
            f"Time series: {series}\nPredict the next value(s). Answer with numbers only.",
        )

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """``output.target`` as a list of floats."""
        return reference_numbers(instance, instance.find("output.target"), "output.target")

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The first numbers of the answer, one per target value; absent ones count as 0."""
        return parse_leading_numbers(raw, len(self.reference(task, instance)))


_ONLY = "Answer with the {} only.\n\n"

register_family(MultipleChoiceQA(), "MultipleChoiceQA")
register_family(TextFamily("OpenQA", "F1", _open_qa_prompt, _field("output.answer")), "OpenQA")
register_family(
    TextFamily("Summarization", "ROUGE-1", _summarization_prompt, _summary), "Summarization"
)
register_family(
    TextFamily("Translation", "ROUGE-1", _translation_prompt, _translation), "Translation"
)
register_family(
    TextFamily(
        "Story Generation",
        "BLEU-1",
        _prompt("{prompt}\n\nWrite a story for the prompt above.", prompt="prompt"),
        _field("output.story"),
    ),
    "Story Generation",
)
register_family(
    TextFamily(
        "Dialogue", "BLEU-1", _dialogue_prompt, _field("output.response", "output.reference")
    ),
    "Dialogue",
)
register_family(
    TextFamily("Code Generation", "CodeBLEU", _code_generation_prompt, _code_generation, code=True),
    "Code Generation",
)
register_family(
    TextFamily("Code Repair", "CodeBLEU", _code_repair_prompt, _code_repair, code=True),
    "Code Repair",
)
register_family(
    TextFamily(
        "Code Defect Detection",
        "ACC",
        _defect_prompt,
        lambda instance: [str(instance.find("output.target"))],
    ),
    "Code Defect Detection",
)
register_family(
    TextFamily("Text to SQL", "ACC", _sql_prompt, _field("output.sql"), code=True),
    "Text to SQL",
)
register_family(
    TextFamily(
        "Code Explanation",
        "BLEU-1",
        _prompt("{code}\n\nExplain what this code does.", code="code"),
        _field("output.nl"),
    ),
    "Code Explanation",
)
register_family(
    TextFamily(
        "Proof",
        "BLEU-1",
        _prompt(
            "Prove the following statement. Give the proof steps, then the conclusion.\n\n"
            "{statement}",
            statement="statement",
        ),
        _proof,
    ),
    "Proof",
)
register_family(
    TextFamily(
        "Mathematical Word Problem Solving",
        "ACC",
        _math_prompt,
        _field("output.solution.final_answer"),
    ),
    "Mathematical Word Problem Solving",
)
register_family(
    TextFamily(
        "Paraphrase Generation",
        "BLEU-1",
        _prompt(
            "Paraphrase the following sentence. " + _ONLY.format("paraphrase") + "{sentence}",
            sentence="originalSentence",
        ),
        _field("output.paraphraseSentence"),
    ),
    "Paraphrase Generation",
)
register_family(
    TextFamily(
        "Grammar Correction",
        "BLEU-1",
        _prompt(
            "Correct the grammar of this sentence (error type: {error}). "
            + _ONLY.format("corrected sentence")
            + "{sentence}",
            error="Error Type",
            sentence="Ungrammatical Statement",
        ),
        _field("output.Standard English"),
    ),
    "Grammar Correction",
)
register_family(
    TextFamily(
        "Text Style Transfer",
        "BLEU-1",
        _prompt(
            "Rewrite the following text in this style: {style}. "
            + _ONLY.format("rewritten text")
            + "{text}",
            style="style",
            text="text",
        ),
        _field("output.answer"),
    ),
    "Text Style Transfer",
)
register_family(
    TextFamily("Table-to-Text Generation", "BLEU-1", _table_prompt, _field("output.response.text")),
    "Table-to-Text Generation",
)
register_family(PromptLabels("classification", False), "classification", "multiple choice")
register_family(
    PromptLabels("label sets", True),
    "multi label classification",
    "ner",
    "extraction",
    "relation extraction",
    "event detection",
    "parsing",
)
register_family(TimeSeries(), "Time Series")
