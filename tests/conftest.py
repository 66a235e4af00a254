"""Shared fixtures: the real reference table and a small hand-made one."""

from __future__ import annotations

import pytest

from genbench.reference import ReferenceTable, load_reference_table
from tests.helpers import MINI_ROWS, make_table


@pytest.fixture(scope="session")
def table() -> ReferenceTable:
    return load_reference_table()


@pytest.fixture
def mini() -> ReferenceTable:
    return make_table(MINI_ROWS)
