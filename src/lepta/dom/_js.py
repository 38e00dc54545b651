"""The `js` module of a browser runtime (MicroPython's or Pyodide's), found once."""

from __future__ import annotations

from typing import Any

_found: list[Any] = []


def js_module() -> Any:
    """`js` in a browser runtime, else None. The answer is kept: on the server a
    failed import is not remembered by Python, and looking for `js` again on every
    render walks the whole import path each time."""
    if not _found:
        try:
            import js  # type: ignore[import-not-found]
        except ImportError:
            js = None
        _found.append(js)
    return _found[0]
