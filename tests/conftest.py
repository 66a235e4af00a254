"""Shared fixtures: the real reference table and a small hand-made one."""

from __future__ import annotations

import os

import pytest

from genbench.reference import ReferenceTable, load_reference_table
from tests.helpers import MINI_ROWS, make_table

# No test reaches the Hugging Face Hub: a missing model is a local error at once.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def table() -> ReferenceTable:
    return load_reference_table()


@pytest.fixture
def mini() -> ReferenceTable:
    return make_table(MINI_ROWS)
