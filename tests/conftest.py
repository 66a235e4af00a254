"""Shared fixtures: the real reference table and a small hand-made one."""

from __future__ import annotations

import importlib
import os

import pytest

from genbench.reference import ReferenceTable, load_reference_table
from tests.helpers import MINI_ROWS, make_table

# No test reaches the Hugging Face Hub: a missing model is a local error at once.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# genbench imports scoring libraries on first use. pytester's in-process runs forget the
# modules first imported inside them, and C extensions such as numpy.fft cannot be loaded
# twice in one process: import them once here, outside any such run.
for _module in (
    "numpy.fft",
    "scipy.stats",
    "scipy.signal",
    "PIL.Image",
    "sklearn.metrics",
    "pycocotools.mask",
    "nltk",
    "torch",
):
    importlib.import_module(_module)


@pytest.fixture(scope="session")
def table() -> ReferenceTable:
    return load_reference_table()


@pytest.fixture
def mini() -> ReferenceTable:
    return make_table(MINI_ROWS)
