"""Messages for the developer: in the browser, its console; elsewhere, Python's warnings
(which a test suite can turn into failures) and logging.

The browser runtimes would show `warnings.warn` and `print` as plain console logs (or
not at all: MicroPython has no `warnings`), so there the console is called directly.
"""

from __future__ import annotations

from typing import Any

from ._js import js_module


def warn(text: str, category: Any) -> None:
    """`console.warn` in the browser; `warnings.warn(text, category)` elsewhere."""
    console = _console()
    if console is not None:
        console.warn("lepta: " + text)
        return
    try:
        import warnings
    except ImportError:
        print("lepta: warning:", text)
        return
    warnings.warn(text, category, stacklevel=4)


def error(text: str) -> None:
    """`console.error` in the browser; the "lepta" logger elsewhere."""
    console = _console()
    if console is not None:
        console.error("lepta: " + text)
        return
    try:
        import logging
    except ImportError:
        print("lepta: error:", text)
        return
    logging.getLogger("lepta").error(text)


def _console() -> Any:
    js = js_module()
    return js.console if js is not None else None
