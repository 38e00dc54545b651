"""Helpers for testing Lepta apps without a browser.

    from lepta.testing import MemoryDOM
    from lepta.dom import mount_to_body

    dom = MemoryDOM()
    mount_to_body(Counter, renderer=dom)
    dom.click(dom.find("button", text="+1"))
    flush()
    assert dom.find("span").text == "Value: 1!"
"""

from ..dom._memory import MemoryDOM
from ..dom._memory_nodes import Comment, Document, Element, Event, Text

__all__ = ["Comment", "Document", "Element", "Event", "MemoryDOM", "Text"]
