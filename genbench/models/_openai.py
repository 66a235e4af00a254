"""``openai:<base_url>#<model>``: any OpenAI-compatible chat-completions server (vLLM,
SGLang, hosted APIs).

A batch of requests is sent concurrently (at most ``concurrency`` in flight) with httpx's
async client. Images and video frames travel as base64 data URLs, audio as
``input_audio``. 429 and 5xx answers and timeouts are retried with exponential backoff;
other errors fail at once with the server's message. The API key is read from the
environment (``OPENAI_API_KEY`` unless ``api_key_env`` names another variable), sent only
in the request header and never recorded.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from typing import Any

from genbench._secrets import redact
from genbench.models._media import audio_part, image_part, sample_frames
from genbench.models._protocol import ModelError, ModelSpecError, Request


class OpenAIModelError(ModelError):
    """A request that failed after its retries; the message names the instance."""


class OpenAIModel:
    """A chat model behind an OpenAI-compatible endpoint (see the module docstring)."""

    inputs = frozenset({"image", "video", "audio"})
    outputs = frozenset({"text"})

    def __init__(
        self,
        base_url: str,
        model: str,
        concurrency: int = 16,
        timeout: float = 120.0,
        retries: int = 5,
        backoff: float = 1.0,
        max_new_tokens: int = 256,
        max_frames: int = 8,
        api_key_env: str = "OPENAI_API_KEY",
    ) -> None:
        """Bind the endpoint; nothing is sent before the first batch."""
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.name, self.model = model.rsplit("/", 1)[-1], model
        self.concurrency, self.timeout = concurrency, timeout
        self.retries, self.backoff = retries, backoff
        self.max_new_tokens, self.max_frames = max_new_tokens, max_frames
        self.api_key_env = api_key_env
        self.settings: Mapping[str, object] = {
            "model": redact(f"openai:{base_url}#{model}"),
            "max_tokens": max_new_tokens,
            "temperature": 0,
            "max_frames": max_frames,
        }

    def payload(self, request: Request) -> dict[str, Any]:
        """The chat-completions body of one request (media first, then the prompt)."""
        content: list[dict[str, Any]] = [image_part(p) for p in request.images]
        content += [image_part(p) for p in sample_frames(request.video_frames, self.max_frames)]
        if request.audio is not None:
            content.append(audio_part(request.audio))
        content.append({"type": "text", "text": request.prompt})
        return {
            "model": self.model,
            "messages": [{"role": "user", "content": content}],
            "max_tokens": self.max_new_tokens,
            "temperature": 0,
        }

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """The answers to a batch, in order, sent concurrently."""
        return asyncio.run(self._all(requests))

    async def _all(self, requests: Sequence[Request]) -> list[str]:
        import httpx

        limit = asyncio.Semaphore(self.concurrency)
        headers = auth_headers(self.api_key_env)
        async with httpx.AsyncClient(timeout=self.timeout, headers=headers) as client:

            async def one(request: Request) -> str:
                async with limit:
                    return await self._send(client, request)

            return list(await asyncio.gather(*(one(r) for r in requests)))

    async def _send(self, client: Any, request: Request) -> str:
        try:
            return await post_chat(
                client, self.url, self.payload(request), self.retries, self.backoff
            )
        except OpenAIModelError as error:
            raise OpenAIModelError(
                redact(f"{self.url}: instance {request.id!r} of {request.task!r}: {error}")
            ) from None


async def post_chat(
    client: Any, url: str, body: Mapping[str, Any], retries: int, backoff: float
) -> str:
    """POST a chat-completions body; the answer's text.

    429 and 5xx answers, timeouts and connection errors are retried after
    ``backoff * 2**attempt`` seconds, ``retries`` times; any other status fails at once.

    Raises:
        OpenAIModelError: the last problem (status and the server's message, or the error).
    """
    import httpx

    problem = ""
    for attempt in range(retries + 1):
        try:
            response = await client.post(url, json=body)
        except httpx.TimeoutException:
            problem = "no answer before the timeout"
        except httpx.HTTPError as error:  # its message may hold the URL: redacted below
            problem = f"{type(error).__name__}: {error}"
        else:
            if response.status_code == 200:
                try:
                    return _answer(response.json())
                except ValueError:
                    problem = f"HTTP 200 but not JSON: {response.text[:200]!r}"
            else:
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code != 429 and response.status_code < 500:
                    break
        if attempt < retries:
            await asyncio.sleep(backoff * 2**attempt)
    raise OpenAIModelError(redact(problem))


def auth_headers(key_env: str) -> dict[str, str]:
    """The Authorization header from the environment variable ``key_env`` (if set)."""
    key = os.environ.get(key_env)
    return {"Authorization": f"Bearer {key}"} if key else {}


def chat(
    url: str,
    body: Mapping[str, Any],
    key_env: str = "OPENAI_API_KEY",
    timeout: float = 60.0,
    retries: int = 4,
    backoff: float = 1.0,
) -> str:
    """One chat-completions call, synchronously, with :func:`post_chat`'s retries."""
    import httpx

    async def once() -> str:
        async with httpx.AsyncClient(timeout=timeout, headers=auth_headers(key_env)) as client:
            return await post_chat(client, url, body, retries, backoff)

    return asyncio.run(once())


def _answer(body: Any) -> str:
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise OpenAIModelError(f"unexpected answer shape: {str(body)[:200]}") from None
    return str(content or "").strip()


def parse_spec(rest: str) -> tuple[str, str]:
    """``<base_url>#<model>`` into its two parts.

    Raises:
        ValueError: no ``#model``, or no http(s) URL.
    """
    if "#" not in rest or not rest.startswith(("http://", "https://")):
        raise ValueError(f"openai:{rest}: expected openai:<base_url>#<model>")
    url, model = rest.rsplit("#", 1)
    return url, model


def load_openai(rest: str, settings: Mapping[str, Any]) -> OpenAIModel:
    """The ``openai:`` scheme's loader."""
    try:
        url, model = parse_spec(rest)
    except ValueError as error:
        raise ModelSpecError(str(error)) from None
    keys = ("concurrency", "timeout", "retries", "max_new_tokens", "max_frames")
    return OpenAIModel(url, model, **{k: settings[k] for k in keys if settings.get(k) is not None})
