"""The few DOM methods `DocumentSync` calls on `js.document`, over an in-memory DOM.

So tests run the browser's own code path against `lepta.testing.MemoryDOM`: its
changes go through the renderer protocol (and are counted in `dom.ops`), and the
head can be inspected as a tree. `document.title` behaves as a browser's: reading
gives the text of the head's first `<title>`, writing changes that element's text,
making one if there is none. (Left out of the browser bundle, as the in-memory DOM.)
"""

from __future__ import annotations

from typing import Any


class MemoryDocument:
    """`title`, `head`, `documentElement`, `body` and `createElement` of a document."""

    def __init__(self, dom: Any) -> None:
        self.dom = dom

    @property
    def head(self) -> MemoryElement:
        return MemoryElement(self.dom, self.dom.head)

    @property
    def documentElement(self) -> MemoryElement:
        return MemoryElement(self.dom, self.dom.document.document_element)

    @property
    def body(self) -> MemoryElement:
        return MemoryElement(self.dom, self.dom.body)

    @property
    def title(self) -> str:
        element = self._title_element()
        return "" if element is None else " ".join(element.text.split())

    @title.setter
    def title(self, text: str) -> None:
        dom = self.dom
        element = self._title_element()
        if element is None:
            element = dom.create_element("title")
            dom.insert_before(dom.head, element)
        MemoryElement(dom, element).textContent = text

    def createElement(self, tag: str) -> MemoryElement:
        return MemoryElement(self.dom, self.dom.create_element(tag))

    def _title_element(self) -> Any:
        for child in self.dom.head.children:
            if getattr(child, "tag", None) == "title":
                return child
        return None


class MemoryElement:
    """An element's attribute methods, `textContent`, `appendChild`, `remove` and
    `querySelectorAll("[name]")` (the form the head's code uses)."""

    def __init__(self, dom: Any, node: Any) -> None:
        self.dom = dom
        self.node = node

    def getAttribute(self, name: str) -> Any:
        return self.node.attributes.get(name)

    def setAttribute(self, name: str, value: str) -> None:
        self.dom.set_attribute(self.node, name, value)

    def removeAttribute(self, name: str) -> None:
        self.dom.remove_attribute(self.node, name)

    @property
    def textContent(self) -> str:
        return str(self.node.text)

    @textContent.setter
    def textContent(self, text: str) -> None:
        dom = self.dom
        dom.clear(self.node)
        if text:
            dom.insert_before(self.node, dom.create_text(text))

    def appendChild(self, child: MemoryElement) -> None:
        self.dom.insert_before(self.node, child.node)

    def remove(self) -> None:
        self.dom.remove(self.node)

    def querySelectorAll(self, selector: str) -> NodeList:
        name = selector[1:-1]  # "[name]": the elements that have the attribute
        found = []
        stack = list(reversed(self.node.children))
        while stack:
            node = stack.pop()
            attributes = getattr(node, "attributes", None)
            if attributes is None:
                continue
            if name in attributes:
                found.append(MemoryElement(self.dom, node))
            stack.extend(reversed(node.children))
        return NodeList(found)


class NodeList:
    """A static NodeList: `length` and `item(i)`."""

    def __init__(self, items: list[MemoryElement]) -> None:
        self.items = items
        self.length = len(items)

    def item(self, i: int) -> MemoryElement:
        return self.items[i]
