"""Lets pytest run the portable tests: async tests run on a fresh event loop."""

import asyncio
import inspect

import _support
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        asyncio.run(pyfuncitem.obj())
        return True
    return None


@pytest.fixture(autouse=True)
def _no_pending_effects():
    yield
    _support.after_test()
