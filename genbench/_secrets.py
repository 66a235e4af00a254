"""Secrets never leave the process: credentials are cut from every spec, name and record.

A model or judge spec may carry a key (``openai:http://user:KEY@host/v1#m``,
``...?api-key=KEY``); everything genbench writes or prints that derives from a spec goes
through :func:`redact` first: prediction files, task results, workbooks, the level JSON,
the run header and error messages. Keys read from the environment (``OPENAI_API_KEY``)
are never put in any of them in the first place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s?#]+@")
_KEY_PARAMS = re.compile(
    r"(?i)([?&;#](?:[a-z0-9_-]*?(?:api[-_]?key|apikey|access[-_]?token|token|secret|password"
    r"|passwd|signature|sig|auth|key|credential)[a-z0-9_-]*)=)[^&#\s]*"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]+")
MASK = "***"


def redact(text: str) -> str:
    """``text`` with URL user info, key-like query parameters and bearer tokens masked."""
    text = _USERINFO.sub(rf"\1{MASK}@", text)
    text = _KEY_PARAMS.sub(rf"\1{MASK}", text)
    return _BEARER.sub(rf"\1 {MASK}", text)


def redact_value(value: Any) -> Any:
    """A JSON-like value with every string in it redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value
