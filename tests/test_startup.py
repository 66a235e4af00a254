"""Start-up stays light: the entry points import no heavy library until it is used."""

import json
import subprocess
import sys

import pytest

HEAVY = (
    "nltk",
    "scipy",
    "sklearn",
    "torch",
    "torchmetrics",
    "transformers",
    "pycocotools",
    "pycocoevalcap",
    "codebleu",
    "openpyxl",
    "pandas",
    "rouge_score",
    "jiwer",
    "PIL",
)

PROBE = """
import json, sys
import {modules}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_after(*modules: str) -> set[str]:
    code = PROBE.format(modules=", ".join(modules))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize(
    "entry",
    [
        "genbench.cli",
        "genbench.level",
        "genbench.reference",
        "genbench.plugin",
        "genbench.runner",
        "genbench.metrics",
    ],
)
def test_entry_point_leaves_heavy_modules_unimported(entry):
    assert loaded_after(entry) & set(HEAVY) == set()


def test_the_probe_sees_a_heavy_import():
    # the check above can fail: importing a scorer's library shows up in sys.modules
    assert "nltk" in loaded_after("genbench.metrics", "nltk")
