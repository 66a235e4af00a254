"""Reading the three fields of a samples file that the bootstrap needs: id, score, stats.

A full result has 325,800 records with prompts, answers and media paths; decoding each
line whole (``json.loads``) takes longer than all the bootstrap draws. The runner writes
every record with ``json.dumps`` in one key order (genbench/runner/_run.py: ``id``,
``prompt`` ..., ``score``, ``stats``, ``missing`` ...), and a JSON text cannot hold an
unescaped ``"score": `` inside a string, so the last ``"score": `` before the last
``"stats": `` of a line is the record's own key when the two values sit next to each
other, followed by ``"missing"``. Only those values are decoded; a file with a line of
any other shape is decoded whole, so the result is always ``json.loads``'s (tested).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from genbench.runner import read_samples

_DECODER = json.JSONDecoder()
_ID, _SCORE, _STATS, _NEXT = '{"id": ', '"score": ', '"stats": ', ', "missing": '


def _fields(line: str) -> tuple[Any, Any, Any] | None:
    """(id, score, stats) read in place, or None when the line has another layout."""
    if not line.startswith(_ID):
        return None
    stats_at = line.rfind(_STATS)
    score_at = line.rfind(_SCORE, 0, stats_at)
    if stats_at < 0 or score_at < 0:
        return None
    try:
        identifier, _ = _DECODER.raw_decode(line, len(_ID))
        score, end = _DECODER.raw_decode(line, score_at + len(_SCORE))
        if end + 2 != stats_at or line[end:stats_at] != ", ":
            return None
        stats, end = _DECODER.raw_decode(line, stats_at + len(_STATS))
    except json.JSONDecodeError:
        return None
    if not line.startswith(_NEXT, end):
        return None
    return identifier, score, stats


def read_instance_fields(path: Path) -> list[dict[str, Any]]:
    """Each record's ``id``, ``score`` and ``stats`` (as ``read_samples`` would give them);
    a file with a line of another layout is read whole by ``read_samples``.

    Raises:
        ValueError: a line that is not a JSON object; the message names the file and line.
    """
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            found = _fields(line)
            if found is None:
                return [
                    {"id": r.get("id"), "score": r.get("score"), "stats": r.get("stats")}
                    for r in read_samples(path)
                ]
            records.append({"id": found[0], "score": found[1], "stats": found[2]})
    return records
