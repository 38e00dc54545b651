"""Lets pytest run the portable tests (async ones: see tests/conftest.py)."""

import _support
import pytest


@pytest.fixture(autouse=True)
def _no_pending_effects():
    yield
    _support.after_test()
