"""Task families: requests, references and answer parsing; a registry users can extend."""

from genbench.tasks import _multimodal, _nlp  # noqa: F401  (registers the built-in families)
from genbench.tasks._family import (
    Parsed,
    Resolver,
    TaskFamily,
    UnknownFamilyError,
    family_key,
    register_family,
    register_resolver,
    resolve_family,
)
from genbench.tasks._multimodal import MediaOutput, TextAnswer, multimodal_family, output_kind
from genbench.tasks._nlp import MultipleChoiceQA, PromptLabels, TextFamily, TimeSeries

__all__ = [
    "MediaOutput",
    "MultipleChoiceQA",
    "Parsed",
    "PromptLabels",
    "Resolver",
    "TaskFamily",
    "TextAnswer",
    "TextFamily",
    "TimeSeries",
    "UnknownFamilyError",
    "family_key",
    "multimodal_family",
    "output_kind",
    "register_family",
    "register_resolver",
    "resolve_family",
]
