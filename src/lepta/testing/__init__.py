"""Helpers for testing Lepta apps without a browser.

    from lepta.testing import MemoryDOM
    from lepta.dom import mount_to_body

    dom = MemoryDOM()
    mount_to_body(Counter, renderer=dom)
    dom.click(dom.find("button", text="+1"))
    flush()
    assert dom.find("span").text == "Value: 1!"

`strict_hydration()` makes a hydration mismatch fail the test (see its docstring).
"""

from __future__ import annotations

from typing import Any

from ..dom import _build
from ..dom._memory import MemoryDOM
from ..dom._memory_nodes import Comment, Document, Element, Event, Text

__all__ = ["Comment", "Document", "Element", "Event", "MemoryDOM", "Text", "strict_hydration"]


class strict_hydration:  # (a class named as what it is used for: `with strict_hydration():`)
    """Inside this block, `hydrate` raises `HydrationMismatch` where the server's HTML
    does not match the view, instead of warning and rebuilding that part.

        dom = MemoryDOM()
        dom.load_body(render_to_string(App))
        with strict_hydration():
            hydrate_body(App, renderer=dom)    # raises on the first mismatch

    (Or fail on the warning, anywhere: `pytest -W error::lepta.dom.HydrationMismatchWarning`.)
    """

    __slots__ = ("saved",)

    def __enter__(self) -> strict_hydration:
        self.saved = _build.strict_found
        _build.strict_found = []
        return self

    def __exit__(self, *exc: Any) -> None:
        _build.strict_found = self.saved
