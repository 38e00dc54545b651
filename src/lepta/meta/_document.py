"""The browser's side of the head: `document.title`, the tags marked
`data-lepta-meta` in `<head>`, and the attributes of `<html>` and `<body>`.

`apply` changes only what differs from what it last applied: at the first call it
adopts the tags the server sent (each marked with its signature), so hydration adds
no duplicate; later calls add and remove tags as routes come and go.
"""

from __future__ import annotations

from typing import Any

MARK = "data-lepta-meta"


def browser_document() -> Any:
    """The page's document adapter, or None outside a browser page."""
    try:
        import js  # type: ignore[import-not-found]
    except ImportError:
        return None
    document = getattr(js, "document", None)
    if document is None:  # MicroPython in Node
        return None
    return BrowserDocument(document)


class BrowserDocument:
    """Applies a head to the live document, through a few calls per change."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.default = str(document.title)  # the app's title, when no Title is alive
        self.title: str | None = None
        self.tags: dict[str, Any] | None = None  # signature -> element
        self.set_attrs: dict[str, dict[str, Any]] = {"html": {}, "body": {}}

    def apply(
        self, title: str | None, tags: list[Any], html: dict[str, Any], body: dict[str, Any]
    ) -> None:
        document = self.document
        if title is None:
            title = self.default
        if title != self.title:
            document.title = title
            self.title = title
        if self.tags is None:  # first time: the server's tags
            self.tags = {}
            found = document.head.querySelectorAll("[%s]" % MARK)
            for i in range(found.length):
                element = found.item(i)
                self.tags[element.getAttribute(MARK)] = element
        wanted = {tag.signature: tag for tag in tags}
        for signature in list(self.tags):
            if signature not in wanted:
                self.tags.pop(signature).remove()
        for signature, tag in wanted.items():
            if signature not in self.tags:
                self.tags[signature] = self._create(tag)
        self._attributes("html", document.documentElement, html)
        self._attributes("body", document.body, body)

    def _create(self, tag: Any) -> Any:
        element = self.document.createElement(tag.name)
        for name, value in tag.attrs:
            element.setAttribute(name, "" if value is True else str(value))
        element.setAttribute(MARK, tag.signature)
        if tag.text:
            element.textContent = tag.text
        self.document.head.appendChild(element)
        return element

    def _attributes(self, which: str, element: Any, wanted: dict[str, Any]) -> None:
        done = self.set_attrs[which]
        for name in list(done):
            if name not in wanted:
                element.removeAttribute(name)
                del done[name]
        for name, value in wanted.items():
            if done.get(name) != value:
                element.setAttribute(name, "" if value is True else str(value))
                done[name] = value


class MemoryDocument:
    """The same, recorded in memory: what a page's head would be (for tests)."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.tags: list[Any] = []
        self.html: dict[str, Any] = {}
        self.body: dict[str, Any] = {}
        self.applied = 0

    def apply(
        self, title: str | None, tags: list[Any], html: dict[str, Any], body: dict[str, Any]
    ) -> None:
        if title is not None:
            self.title = title
        self.tags = list(tags)
        self.html = dict(html)
        self.body = dict(body)
        self.applied += 1
