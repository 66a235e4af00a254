"""Language task families (SPEC §1's table): prompts, references and answer parsing.

The prompts are written out in docs/TASKS.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from genbench.data import AnnotationError, Instance, TaskSpec
from genbench.models import Request
from genbench.tasks._family import (
    Parsed,
    TaskFamily,
    make_request,
    parse_leading_numbers,
    reference_numbers,
    register_family,
)
from genbench.tasks._parsing import LETTERS, label_set, lettered, parse_choice


def _first_output_value(instance: Instance) -> Any:
    output = instance.output
    if isinstance(output, dict):
        if not output:
            raise AnnotationError(instance.source, "empty", instance.id, "output")
        return next(iter(output.values()))
    if output is None:
        raise AnnotationError(instance.source, "missing", instance.id, "output")
    return output


class MultipleChoiceQA(TaskFamily):
    """A question with lettered options; the answer is a letter. Metric: exact-match ACC."""

    name, default_metric = "MultipleChoiceQA", "ACC"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """Question, lettered options, and an instruction to answer with the letter."""
        options = instance.find("options")
        if not isinstance(options, list) or not options:
            raise AnnotationError(
                instance.source, "not a non-empty list", instance.id, "input.options"
            )
        lines = "\n".join(lettered(options))
        prompt = f"{instance.find('question')}\n{lines}\nAnswer with the option's letter only."
        return make_request(task, instance, prompt, tuple(LETTERS[: len(options)]))

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The answer letter (``output.answer``)."""
        return str(instance.find("output.answer")).strip()

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The letter the answer names; an unparsable answer is wrong."""
        if raw is None:
            return Parsed("", ok=False)
        choice = parse_choice(raw, instance.find("options"))
        return Parsed(choice or raw.strip(), ok=choice is not None)


class OpenQA(TaskFamily):
    """A free-form question, with optional context or table. Metric: token-set F1."""

    name, default_metric = "OpenQA", "F1"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """Context (and table) first, then the question; a short answer is asked for."""
        parts = []
        context = instance.find("context", default=None)
        if context:
            parts.append(f"Context: {context}")
        table = instance.find("table", default=None)
        if table:
            parts.append(f"Table: {json.dumps(table, ensure_ascii=False)}")
        parts.append(f"Question: {instance.find('question')}")
        parts.append("Answer briefly.")
        return make_request(task, instance, "\n".join(parts))

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """Every acceptable answer (``output.answer``, a string or a list)."""
        answer = instance.find("output.answer")
        return [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The answer text, stripped; missing is the empty answer."""
        return Parsed((raw or "").strip(), ok=raw is not None)


class Summarization(TaskFamily):
    """Summarize a document (or several). Metric: ROUGE-1."""

    name, default_metric = "Summarization", "ROUGE-1"

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The document(s), then the instruction."""
        documents = instance.find("document", "document_list")
        if isinstance(documents, list):
            documents = "\n\n".join(str(d) for d in documents)
        return make_request(task, instance, f"{documents}\n\nSummarize the text above.")

    def reference(self, task: TaskSpec, instance: Instance) -> Any:
        """The summary (``output.summary`` or ``output.highlights``)."""
        summary = instance.find("output.summary", "output.highlights")
        return [" ".join(summary)] if isinstance(summary, list) else [str(summary)]

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The summary text, stripped; missing is the empty summary."""
        return Parsed((raw or "").strip(), ok=raw is not None)


_PLACEHOLDER = re.compile(r"<<<(\w+)>>>")


class PromptLabels(TaskFamily):
    """Prompt-template tasks scored by micro-F1 over label sets.

    ``input.prompt`` has ``<<<field>>>`` placeholders filled from ``input``; the reference
    is the first value of ``output``: one label for classification, a ``", "``-separated
    set for ner, extraction and the like.
    """

    default_metric = "Micro-F1"

    def __init__(self, name: str, multi_label: bool) -> None:
        """``multi_label``: the answer is a ``", "``-separated set rather than one label."""
        self.name, self.multi_label = name, multi_label

    def request(self, task: TaskSpec, instance: Instance, output_path: Path | None) -> Request:
        """The prompt with its placeholders filled; the candidate labels where given."""
        template = str(instance.find("prompt"))

        def fill(match: re.Match[str]) -> str:
            return str(instance.find(f"input.{match.group(1)}", match.group(1)))

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
        if self.multi_label:
            return label_set(value)
        return label_set([value])

    def parse(self, task: TaskSpec, instance: Instance, raw: str | None, base: Path) -> Parsed:
        """The answer's label set, lower-cased; missing is the empty set."""
        if raw is None:
            return Parsed(set(), ok=False)
        return Parsed(label_set(raw) if self.multi_label else label_set([raw]))


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


register_family(MultipleChoiceQA(), "MultipleChoiceQA")
register_family(OpenQA(), "OpenQA")
register_family(Summarization(), "Summarization")
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
