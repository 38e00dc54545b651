"""Async tests run on a fresh event loop each; the browser tests go last.

Playwright's synchronous API keeps an event loop running on the main thread while
its browser is open, and the async tests elsewhere start loops of their own.
"""

import ast
import asyncio
import inspect

import pytest

# An async test that waits for something that never comes fails after this long
# instead of hanging the suite (a bound on a hang, not a speed limit).
ASYNC_TEST_TIMEOUT = 60


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        test = pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names})
        asyncio.run(asyncio.wait_for(test, ASYNC_TEST_TIMEOUT))
        return True
    return None


@pytest.fixture
def parser_faulting_once(monkeypatch):
    """`ast.parse` raising SystemError on its first call, as CPython's parser may when
    another parse runs inside it (a finalizer, a second thread); the sources it
    refused, a list."""
    real_parse = ast.parse
    faults = []

    def faulting_parse(source, *args, **kwargs):
        if not faults:
            faults.append(source)
            raise SystemError("AST constructor recursion depth mismatch (before=135, after=156)")
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", faulting_parse)
    return faults
