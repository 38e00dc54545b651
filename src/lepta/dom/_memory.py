"""An in-memory DOM: a document tree, the renderer protocol over it, and an HTML parser.

The mounting and hydration code talks to the DOM only through a small renderer
protocol (create nodes, insert and remove them, set text, attributes, classes, styles
and properties, listen to events). MemoryDOM implements that protocol in pure Python,
so mounting, hydration and events run in tests on CPython and MicroPython alike, and
it counts every protocol operation by kind in `ops`, so a test can assert that an
update touched exactly what it had to:

    dom = MemoryDOM()
    dom.load_body('<button id="b">0</button>')   # a server-rendered page: counts nothing
    button = dom.find("button")
    dom.add_listener(dom.document, "click", on_click)
    dom.click(button)                            # dispatches a bubbling "click"
    assert dom.ops["add_listener"] == 1

It behaves as a browser does where the mount code could tell the difference:
- properties are separate from attributes: `value` and `checked` read the attribute
  until the property is written; a <select>'s value is its selected option's, a
  <textarea>'s defaults to its text; checking a radio unchecks its group;
- events go to the target's listeners, then (if they bubble) to each ancestor up
  to the document, and honour stop_propagation and stop_immediate_propagation;
- the parser reads HTML as a browser would a well-formed page: void elements, raw
  text in script and style, foreign svg/math elements keeping their case, `<!>` as
  an empty comment, character references, the implied end tags of p, li, option
  and table cells, and the <tbody> a browser adds to a table.
Inspection (`parent_of`, `first_child`, ...), `dispatch`, `parse` and the test
conveniences (`click`, `input`, `load_body`, ...) count nothing.

Portable: runs unchanged on CPython and MicroPython (whose dicts do not keep
insertion order: there an element's `attributes` is an ordered dict that compares
equal to a plain dict with the same items).
"""

from __future__ import annotations

from typing import Any, Callable

from ._memory_nodes import (
    _NAMESPACES,
    Comment,
    Document,
    Element,
    Event,
    Node,
    Text,
    _append,
    _clone,
    _detach,
    _detach_children,
    _get_property,
    _is_html,
    _parse_style,
    _position,
    _serialize_style,
    _set_property,
)
from ._memory_parse import (
    _Parser,
)

# ---------------------------------------------------------------------------- the DOM


class MemoryDOM:
    """An in-memory DOM: a Document plus the renderer protocol over it, counting operations.

    `document` > <html> > (<head>, `body`) exists from the start. `ops` counts each
    protocol operation by kind (one of OP_KINDS); a kind not done yet is absent, so
    `dom.ops == {"set_text": 1}` says that exactly one text changed.
    """

    def __init__(self) -> None:
        self.document = Document()
        self.head = self.document.head
        self.body = self.document.body
        self.ops: dict[str, int] = {}
        self.reset_ops()

    def reset_ops(self) -> None:
        """Forget the operations counted so far."""
        self.ops.clear()

    def _count(self, kind: str) -> None:
        self.ops[kind] = self.ops.get(kind, 0) + 1

    # -- creation

    def create_element(self, tag: str, namespace: str = "") -> Element:
        ns = _NAMESPACES.get(namespace)
        if ns is None:
            raise ValueError("unknown namespace %r: use '', 'svg' or 'math'" % namespace)
        self._count("create_element")
        return Element(tag.lower() if ns == "" else tag, ns)

    def create_text(self, text: str) -> Text:
        _check_str(text, "create_text")
        self._count("create_text")
        return Text(text)

    def create_placeholder(self) -> Comment:
        self._count("create_placeholder")
        return Comment("")

    def template(self, root: Node, shape: Any) -> Node:
        """Keep the detached tree `root` as a prototype to clone (see dom._template)."""
        self._count("template")
        return root

    def clone(self, prototype: Node) -> list[Node]:
        """A deep copy of a prototype: its nodes in document order, the root first."""
        self._count("clone")
        nodes: list[Node] = []
        _clone(prototype, nodes)
        return nodes

    # -- tree

    def insert_before(self, parent: Node, node: Node, ref: Node | None = None) -> None:
        """Insert `node` into `parent` before `ref` (at the end if None), moving it if
        it is already in a tree."""
        if not isinstance(parent, (Element, Document)):
            raise ValueError(
                "cannot insert into %r: only elements and documents have children" % (parent,)
            )
        if isinstance(node, Document):
            raise ValueError("a document cannot be inserted")
        if node.contains(parent):
            raise ValueError(
                "cannot insert %r into itself or its own descendant %r" % (node, parent)
            )
        if ref is not None and ref.parent is not parent:
            raise ValueError("the reference node %r is not a child of %r" % (ref, parent))
        if ref is node:
            ref = node.next_sibling
        self._count("insert")
        _detach(node)
        node.parent = parent
        if ref is None:
            node._index = len(parent.children)
            parent.children.append(node)
        else:
            i = _position(ref)
            node._index = i
            parent.children.insert(i, node)

    def remove(self, node: Node) -> None:
        """Detach `node` from its parent (counted only when it had one)."""
        if node.parent is None:
            return
        self._count("remove")
        _detach(node)

    def clear(self, parent: Node) -> None:
        """Remove every child of `parent` in one operation (as `textContent = ""`)."""
        self._count("clear")
        _detach_children(parent)

    def parent_of(self, node: Node) -> Node | None:
        return node.parent

    def first_child(self, node: Node) -> Node | None:
        return node.first_child

    def next_sibling(self, node: Node) -> Node | None:
        return node.next_sibling

    def node_kind(self, node: Node) -> int:
        """The DOM nodeType: 1 element, 3 text, 8 comment, 9 document."""
        return node.kind

    def tag_of(self, element: Node) -> str:
        """An element's tag as created ("#text", "#comment", "#document" for others)."""
        if isinstance(element, Element):
            return element.tag
        if isinstance(element, Text):
            return "#text"
        if isinstance(element, Comment):
            return "#comment"
        return "#document"

    def text_of(self, node: Node) -> str:
        """The data of a text or comment node (the text content of others)."""
        if isinstance(node, (Text, Comment)):
            return node.data
        return node.text

    # -- content

    def set_text(self, node: Node, text: str) -> None:
        """Set the data of a text or comment node (an element's children become `text`)."""
        _check_str(text, "set_text")
        self._count("set_text")
        if isinstance(node, (Text, Comment)):
            node.data = text
            return
        _detach_children(node)
        if text:
            _append(node, Text(text))

    def set_attribute(self, element: Element, name: str, value: str) -> None:
        _check_str(value, "set_attribute")
        self._count("set_attribute")
        element.attributes[name.lower() if element.namespace == "" else name] = value

    def remove_attribute(self, element: Element, name: str) -> None:
        self._count("remove_attribute")
        element.attributes.pop(name.lower() if element.namespace == "" else name, None)

    def toggle_class(self, element: Element, name: str, on: bool) -> None:
        """Add or remove one class name, keeping the class attribute in sync."""
        self._count("toggle_class")
        attributes = element.attributes
        classes: list[str] = []
        for existing in attributes.get("class", "").split():
            if existing not in classes:
                classes.append(existing)
        if on and name not in classes:
            classes.append(name)
        elif not on and name in classes:
            classes.remove(name)
        else:
            return  # nothing changes: the attribute is left as it is
        attributes["class"] = " ".join(classes)

    def set_style(self, element: Element, prop: str, value: str | None) -> None:
        """Set one style property (None or "" removes it), keeping the style attribute
        in sync: "color: red; width: 3px;"."""
        self._count("set_style")
        attributes = element.attributes
        if not prop.startswith("--"):
            prop = prop.lower()
        if "style" not in attributes and not value:
            return
        declarations = _parse_style(attributes.get("style", ""))
        for i in range(len(declarations)):
            if declarations[i][0] == prop:
                if value:
                    declarations[i][1] = value
                else:
                    del declarations[i]
                break
        else:
            if value:
                declarations.append([prop, value])
        attributes["style"] = _serialize_style(declarations)

    def set_property(self, element: Node, name: str, value: Any) -> None:
        """Write a DOM property (value, checked, selectedIndex, ...), apart from attributes."""
        self._count("set_property")
        if isinstance(element, Element):
            _set_property(element, name, value)
        elif isinstance(element, (Text, Comment)) and name in ("data", "nodeValue", "textContent"):
            element.data = str(value)
        else:
            raise TypeError("cannot set property %r of %r" % (name, element))

    def get_property(self, element: Node, name: str) -> Any:
        """Read a DOM property as a browser would (None for an unknown, unset one)."""
        if isinstance(element, Element):
            return _get_property(element, name)
        if isinstance(element, (Text, Comment)) and name in ("data", "nodeValue", "textContent"):
            return element.data
        return None

    def set_inner_html(self, element: Element, html: str) -> None:
        """Replace the children of `element` with `html` parsed in its context."""
        self._count("set_inner_html")
        nodes = _Parser(html, element).run()
        _detach_children(element)
        for node in nodes:
            _append(element, node)

    # -- events

    def add_listener(self, target: Node, event_type: str, handler: Callable[[Event], Any]) -> None:
        """Call `handler(event)` for events of `event_type` reaching `target` (a handler
        already listening for that type is not added twice, as in a browser)."""
        self._count("add_listener")
        listeners = target._listeners
        if listeners is None:
            listeners = target._listeners = {}
        handlers = listeners.get(event_type)
        if handlers is None:
            listeners[event_type] = [handler]
        elif handler not in handlers:
            handlers.append(handler)

    def remove_listener(
        self, target: Node, event_type: str, handler: Callable[[Event], Any]
    ) -> None:
        self._count("remove_listener")
        listeners = target._listeners
        if listeners is None:
            return
        handlers = listeners.get(event_type)
        if handlers is not None and handler in handlers:
            handlers.remove(handler)
            if not handlers:
                del listeners[event_type]

    def listeners(self, target: Node, event_type: str | None = None) -> list[Any]:
        """The handlers listening on `target` (for one event type, or all of them)."""
        listeners = target._listeners
        if listeners is None:
            return []
        if event_type is not None:
            return list(listeners.get(event_type, []))
        out: list[Any] = []
        for kind in listeners:
            out.extend(listeners[kind])
        return out

    def dispatch(self, target: Node, event: Event) -> bool:
        """Fire `event` at `target`, then (if it bubbles) at each ancestor up to the
        document. Returns False if a listener prevented the default action."""
        path = [target]
        if event.bubbles:
            node = target.parent
            while node is not None:
                path.append(node)
                node = node.parent
        event.target = target
        for node in path:
            event.current_target = node
            listeners = node._listeners
            handlers = listeners.get(event.type) if listeners is not None else None
            if handlers:
                for handler in list(handlers):
                    if handler not in handlers:
                        continue  # removed by an earlier listener of this dispatch
                    handler(event)
                    if event.immediate_propagation_stopped:
                        break
            if event.propagation_stopped:
                break
        event.current_target = None
        return not event.default_prevented

    # -- conveniences for tests (they count nothing)

    def click(self, target: Node) -> bool:
        """Dispatch a bubbling "click" at `target`."""
        return self.dispatch(target, Event("click"))

    def input(self, target: Node, value: str) -> bool:
        """Type into `target`: set its value property, then dispatch "input"."""
        if isinstance(target, Element):
            _set_property(target, "value", value)
        return self.dispatch(target, Event("input"))

    def change(self, target: Node, value: Any = None, checked: bool | None = None) -> bool:
        """Set the value and/or checked property if given, then dispatch "change".
        Checking a radio unchecks the others of its group."""
        if isinstance(target, Element):
            if value is not None:
                _set_property(target, "value", value)
            if checked is not None:
                _set_property(target, "checked", checked)
        return self.dispatch(target, Event("change"))

    def parse(self, html: str, context: Element | None = None) -> list[Node]:
        """Parse `html` into new detached nodes (as children of `context`, if given:
        inside an <svg>, elements are svg ones). Counts nothing."""
        return _Parser(html, context).run()

    def load_body(self, html: str) -> list[Node]:
        """Replace the children of <body> with `html` parsed (a server-rendered page's
        body). Counts nothing. Returns the new children."""
        nodes = _Parser(html, self.body).run()
        _detach_children(self.body)
        for node in nodes:
            _append(self.body, node)
        return nodes

    def load(self, html: str) -> None:
        """Replace the whole document with a page, `<!DOCTYPE html><html>...</html>`
        (content outside <html> goes into <body>). Counts nothing."""
        nodes = _Parser(html, None).run()
        root = None
        for node in nodes:
            if _is_html(node, ("html",)):
                root = node
                break
        if not isinstance(root, Element):
            root = Element("html")
            content = nodes
        else:
            content = []
        head = body = None
        for child in root.children:
            if _is_html(child, ("head",)) and head is None:
                head = child
            elif _is_html(child, ("body",)) and body is None:
                body = child
        if not isinstance(head, Element):
            head = Element("head")
            root.children.insert(0, head)
            head.parent = root
        if not isinstance(body, Element):
            body = Element("body")
            _append(root, body)
        for node in content:
            _append(body, node)
        _detach_children(self.document)
        _detach(root)
        _append(self.document, root)
        self.document.document_element = root
        self.document.head = self.head = head
        self.document.body = self.body = body

    # -- reading

    def html(self, node: Node | None = None) -> str:
        """`node` (by default the whole document) serialised."""
        return (self.document if node is None else node).to_html()

    def body_html(self) -> str:
        """The children of <body> serialised."""
        return self.body.inner_html()

    def find(
        self,
        tag: str | None = None,
        id: str | None = None,
        class_: str | None = None,
        text: str | None = None,
    ) -> Element | None:
        """The first element of the document matching (see Node.find)."""
        return self.document.find(tag, id, class_, text)

    def find_all(
        self,
        tag: str | None = None,
        id: str | None = None,
        class_: str | None = None,
        text: str | None = None,
    ) -> list[Element]:
        return self.document.find_all(tag, id, class_, text)


def _check_str(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise TypeError("%s takes a str, not %s (%r)" % (where, type(value).__name__, value))


