"""The browser's side of the head: `document.title`, the tags marked
`data-lepta-meta` in `<head>`, and the attributes of `<html>` and `<body>`.

The page's renderer mirrors only the body (the loader numbers no node of the head),
so the head is changed through the document itself, with the DOM's own methods: in
the browser `js.document`, in tests the same few methods over an in-memory DOM
(`_memory.MemoryDocument`). Each call crosses the bridge (20-40 us), and the head
changes rarely: `apply` touches only what differs from what it last applied. At its
first call it adopts the tags the server sent (found by their marker, which holds
their signature), so hydration adds no duplicate and re-runs no script.
"""

from __future__ import annotations

from typing import Any

from ..dom._js import js_module

MARK = "data-lepta-meta"


def browser_document() -> Any:
    """A DocumentSync of the page's document, or None outside a browser page."""
    js = js_module()
    if js is None:
        return None
    document = getattr(js, "document", None)
    if document is None:  # MicroPython or Pyodide in Node
        return None
    return DocumentSync(document)


class DocumentSync:
    """Applies a head to a document (the DOM's API), a few calls per change."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.default = str(document.title)  # the title while no Title gives one
        self.title = self.default
        self.tags: dict[str, Any] | None = None  # signature -> element, once adopted
        self.done: dict[str, dict[str, Any]] = {"html": {}, "body": {}}

    def apply(
        self, title: str | None, tags: list[Any], html: dict[str, Any], body: dict[str, Any]
    ) -> None:
        document = self.document
        if title is None:
            title = self.default
        if title != self.title:
            document.title = title
            self.title = title
        current = self.tags
        if current is None:  # the first time: the server's tags
            current = self.tags = {}
            found = document.head.querySelectorAll("[%s]" % MARK)
            for i in range(found.length):
                element = found.item(i)
                current[str(element.getAttribute(MARK))] = element
        wanted = {}
        for tag in tags:
            wanted[tag.signature] = tag
        for signature in list(current):
            if signature not in wanted:
                current.pop(signature).remove()
        for tag in tags:
            if tag.signature not in current:
                current[tag.signature] = self._create(tag)
        self._attributes("html", document.documentElement, html)
        self._attributes("body", document.body, body)

    def _create(self, tag: Any) -> Any:
        document = self.document
        element = document.createElement(tag.name)
        for name, value in tag.attrs:
            element.setAttribute(name, _text(value))
        if tag.nonce and tag.name in ("script", "style"):
            element.setAttribute("nonce", tag.nonce)
        element.setAttribute(MARK, tag.signature)
        if tag.text:
            element.textContent = tag.text
        document.head.appendChild(element)
        return element

    def _attributes(self, which: str, element: Any, wanted: dict[str, Any]) -> None:
        done = self.done[which]
        for name in list(done):
            if name not in wanted:
                element.removeAttribute(name)
                del done[name]
        for name in wanted:
            value = wanted[name]
            if done.get(name) != value:
                element.setAttribute(name, _text(value))
                done[name] = value


def _text(value: Any) -> str:
    """An attribute's value as setAttribute takes it (True: present, empty)."""
    if value is True:
        return ""
    return value.__html__() if hasattr(value, "__html__") else str(value)
