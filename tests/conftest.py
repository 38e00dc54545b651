"""Test ordering: the browser tests go last.

Playwright's synchronous API keeps an event loop running on the main thread while
its browser is open, and the async tests elsewhere start loops of their own.
"""


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))
