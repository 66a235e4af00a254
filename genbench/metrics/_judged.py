"""Judged metrics (MOS, GPT-Score, User preference rates, E-Acc) and the LLM judge.

These metrics are human or model judgements. A task that uses one is scored from
externally supplied scores (``--external-scores``, handled by the runner) or by a judge at
an OpenAI-compatible endpoint (``--judge openai:<base_url>#<model>``); with neither it is
skipped with that reason. Nothing stands in for a judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench.metrics._registry import get_metric
from genbench.metrics._scorers import (
    Judge,
    MetricUnavailable,
    Scorer,
    ScoringResources,
    register_scorer_factory,
)
from genbench.models._media import media_parts

JUDGED_METRICS = ("MOS", "GPT-Score", "User preference rates", "E-Acc")


@dataclass(frozen=True)
class JudgedReference:
    """What a judge sees besides the answer: the instance's prompt and its reference."""

    prompt: str
    reference: str = ""

    def __str__(self) -> str:
        return self.reference


def _judged(metric: str) -> Any:
    def make(resources: ScoringResources) -> Scorer:
        judge = resources.judge
        if judge is None:
            raise MetricUnavailable(
                f"metric {metric}: needs externally supplied scores (--external-scores) "
                "or a judge (--judge openai:<base_url>#<model>)"
            )

        def score(predictions: Sequence[Any], references: Sequence[Any]) -> float:
            ratings = []
            for prediction, reference in zip(predictions, references, strict=True):
                ref = (
                    reference
                    if isinstance(reference, JudgedReference)
                    else JudgedReference("", str(reference))
                )
                ratings.append(judge.rate(metric, ref.prompt, ref.reference, str(prediction)))
            return sum(ratings) / len(ratings) if ratings else 0.0

        return score

    return make


for _metric in JUDGED_METRICS:
    register_scorer_factory(_metric, _judged(get_metric(_metric).name))


class JudgeError(OSError):
    """The judge endpoint failed after its retries, or answered without a score."""


class OpenAIJudge:
    """A judge behind an OpenAI-compatible chat-completions endpoint.

    The API key comes from ``OPENAI_API_KEY`` (or the variable named by ``key_env``) and is
    sent only in the request header. A prediction that names an existing file travels as
    media (images, audio). 429 and 5xx answers are retried with exponential backoff.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        key_env: str = "OPENAI_API_KEY",
        timeout: float = 60.0,
        retries: int = 4,
        backoff: float = 1.0,
    ) -> None:
        """Bind the endpoint; nothing is sent until the first rating."""
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.key_env = model, key_env
        self.timeout, self.retries, self.backoff = timeout, retries, backoff

    @classmethod
    def from_spec(cls, spec: str) -> OpenAIJudge:
        """``openai:<base_url>#<model>``."""
        from genbench.models._openai import parse_spec

        try:
            url, model = parse_spec(spec.removeprefix("openai:"))
        except ValueError as error:
            raise ValueError(f"--judge: {error}") from None
        return cls(url, model)

    def messages(
        self, metric: str, prompt: str, reference: str, prediction: str
    ) -> list[dict[str, Any]]:
        """The chat messages of one rating."""
        low, high = get_metric(metric).natural_range
        instruction = (
            f"You are rating an answer for the metric '{metric}'. Reply with one number "
            f"from {low:g} to {high:g} and nothing else."
        )
        text = f"Task prompt:\n{prompt}\n\nReference:\n{reference}\n\nAnswer to rate:\n"
        content: list[dict[str, Any]] = [{"type": "text", "text": text}]
        path = Path(prediction)
        if prediction and len(prediction) < 4096 and path.exists():
            content.extend(media_parts(path))
        else:
            content.append({"type": "text", "text": prediction})
        return [{"role": "system", "content": instruction}, {"role": "user", "content": content}]

    def rate(self, metric: str, prompt: str, reference: str, prediction: str) -> float:
        """The judge's score, clamped to the metric's natural range.

        Raises:
            JudgeError: the endpoint kept failing, or its answer holds no number.
        """
        from genbench.models._openai import OpenAIModelError, chat

        payload = {
            "model": self.model,
            "messages": self.messages(metric, prompt, reference, prediction),
            "temperature": 0,
        }
        try:
            text = chat(self.url, payload, self.key_env, self.timeout, self.retries, self.backoff)
        except OpenAIModelError as error:
            raise JudgeError(f"judge {self.url}: {error}") from None
        return self._number(metric, text)

    def _number(self, metric: str, text: str) -> float:
        match = re.search(r"[-+]?\d+(?:\.\d+)?", text)
        if match is None:
            raise JudgeError(f"judge {self.url}: no number in {text[:80]!r}")
        low, high = get_metric(metric).natural_range
        return min(max(float(match.group()), low), high)


def judge_from_spec(spec: str | None) -> Judge | None:
    """The judge a ``--judge`` option names (None for none)."""
    return OpenAIJudge.from_spec(spec) if spec else None
