"""Reading id, score and stats in place gives what decoding the whole line gives."""

from __future__ import annotations

import json

import pytest

from genbench.metrics import Box
from genbench.runner import read_samples, write_samples
from genbench.runner._samples import jsonable
from genbench.stats._records import read_instance_fields

TRICKY = 'a "score": 1, "stats": {"tp": 9}, "missing": true \\" ünï 字 \n'


def record(i, score=None, stats=None, **extra):
    box = jsonable([Box(0, 0, 5, 5, "cat", 0.3)])  # a nested "score" key
    return {
        "id": str(i),
        "prompt": TRICKY * (len(str(i)) % 3),
        "prediction": TRICKY,
        "parsed": box,
        "reference": {"score": 5, "stats": {"x": 1}},
        "score": score,
        "stats": stats,
        "missing": False,
        "parse_failure": False,
        "media": {"inputs": ['/x/"stats": 1.jpg'], "prediction": [], "reference": []},
        **extra,
    }


@pytest.mark.parametrize(
    "records",
    [
        [record(i, score=float(i) / 3) for i in range(5)],
        [record(i, stats={"tp": i, "fp": 1, "fn": 0}) for i in range(3)],
        [record(0, stats={"box": {"gt": 2, "scores": [1.0], "tp": [[1]], "ignored": [[0]]}})],
        [record(0, score=1.0, prompt_sha256="ab")],
        [{"stats": {"tp": 1}, "id": "reordered", "score": None, "missing": False}],
        [{"id": 7, "score": 2.5, "stats": None, "missing": False}],
        [record('say "hi"', score=1.0), record("back\\slash", score=2.0)],
        [record(0, score={"score": 1, "stats": 2}, stats=[1, {"missing": 3}])],
    ],
)
def test_fields_equal_a_full_decode(tmp_path, records):
    path = tmp_path / "s.jsonl"
    write_samples(path, records)
    expected = [
        {"id": r["id"], "score": r["score"], "stats": r["stats"]} for r in read_samples(path)
    ]
    assert read_instance_fields(path) == expected


def test_a_bad_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(record(0, score=1.0)) + "\n[1, 2]\n")
    with pytest.raises(ValueError, match=r"s.jsonl:2: not a JSON object"):
        read_instance_fields(path)
