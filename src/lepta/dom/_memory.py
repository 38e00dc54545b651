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

import sys
from typing import Any, Callable

from ..ssr._escape import escape_attr, escape_text
from ..view._nodes import VOID_ELEMENTS

ELEMENT_NODE = 1
TEXT_NODE = 3
COMMENT_NODE = 8
DOCUMENT_NODE = 9

OP_KINDS = (
    "create_element",
    "create_text",
    "create_placeholder",
    "insert",
    "remove",
    "clear",
    "set_text",
    "set_attribute",
    "remove_attribute",
    "toggle_class",
    "set_style",
    "set_property",
    "set_inner_html",
    "add_listener",
    "remove_listener",
)

_NAMESPACES = {
    "": "",
    "html": "",
    "svg": "svg",
    "math": "math",
    "http://www.w3.org/1999/xhtml": "",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1998/Math/MathML": "math",
}

if sys.implementation.name == "micropython":
    from collections import OrderedDict

    def _plain(mapping: Any) -> dict[Any, Any]:
        out = {}
        for key in mapping:
            out[key] = mapping[key]
        return out

    class _Attributes(OrderedDict):  # type: ignore[type-arg]
        """MicroPython's OrderedDict never equals a dict: this one compares by items."""

        def __eq__(self, other: object) -> bool:
            if isinstance(other, dict):
                return _plain(self) == _plain(other)
            return False

        def __ne__(self, other: object) -> bool:
            return not self.__eq__(other)

    def _new_attributes() -> dict[str, str]:
        return _Attributes()

else:

    def _new_attributes() -> dict[str, str]:
        return {}


# ---------------------------------------------------------------------------- nodes


class Node:
    """The base of every node: `parent` (None when detached) and `children` (a list)."""

    kind = 0

    def __init__(self) -> None:
        self.parent: Node | None = None
        self.children: list[Node] = []
        self._listeners: dict[str, list[Callable[[Event], Any]]] | None = None
        self._index = 0  # a hint: this node's position among its parent's children

    @property
    def first_child(self) -> Node | None:
        children = self.children
        if not children:
            return None
        first = children[0]
        first._index = 0
        return first

    @property
    def last_child(self) -> Node | None:
        return self.children[-1] if self.children else None

    @property
    def next_sibling(self) -> Node | None:
        parent = self.parent
        if parent is None:
            return None
        i = _position(self) + 1
        siblings = parent.children
        if i >= len(siblings):
            return None
        sibling = siblings[i]
        sibling._index = i
        return sibling

    @property
    def previous_sibling(self) -> Node | None:
        parent = self.parent
        if parent is None:
            return None
        i = _position(self) - 1
        return parent.children[i] if i >= 0 else None

    @property
    def text(self) -> str:
        """The text content: the data of every descendant text node (no comments)."""
        parts = []
        for node in _descendants(self):
            if isinstance(node, Text):
                parts.append(node.data)
        return "".join(parts)

    def root(self) -> Node:
        """The topmost ancestor (the document when attached)."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def contains(self, other: Node) -> bool:
        """Whether `other` is this node or one of its descendants."""
        node: Node | None = other
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False

    def descendants(self) -> list[Node]:
        """Every node below this one, in document order."""
        return _descendants(self)

    def to_html(self) -> str:
        """This node serialised (an element with its start and end tags)."""
        out: list[str] = []
        _serialize(self, out)
        return "".join(out)

    def inner_html(self) -> str:
        """This node's children serialised."""
        out: list[str] = []
        for child in self.children:
            _serialize(child, out)
        return "".join(out)

    def find(
        self,
        tag: str | None = None,
        id: str | None = None,
        class_: str | None = None,
        text: str | None = None,
    ) -> Element | None:
        """The first descendant element matching every given criterion, or None.

        `class_` may hold several names (all must be present); `text` matches an
        element whose own text content, stripped, equals it (stripped).
        """
        for node in _descendants(self):
            if isinstance(node, Element) and _matches(node, tag, id, class_, text):
                return node
        return None

    def find_all(
        self,
        tag: str | None = None,
        id: str | None = None,
        class_: str | None = None,
        text: str | None = None,
    ) -> list[Element]:
        """Every descendant element matching every given criterion, in document order."""
        found = []
        for node in _descendants(self):
            if isinstance(node, Element) and _matches(node, tag, id, class_, text):
                found.append(node)
        return found


class Text(Node):
    """A text node: its `data`."""

    kind = TEXT_NODE

    def __init__(self, data: str) -> None:
        Node.__init__(self)
        self.data = data

    @property
    def text(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return "Text(%r)" % self.data


class Comment(Node):
    """A comment node: its `data` ("" for a placeholder anchor)."""

    kind = COMMENT_NODE

    def __init__(self, data: str = "") -> None:
        Node.__init__(self)
        self.data = data

    @property
    def text(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "Comment(%r)" % self.data


class Element(Node):
    """An element: `tag`, `namespace` ("" HTML, "svg", "math"), `attributes`, `children`.

    DOM properties (value, checked, ...) live apart from the attributes; `value`,
    `checked`, `selected` and `disabled` read and write them here as in a browser
    (writing through these Python properties counts no operation).
    """

    kind = ELEMENT_NODE

    def __init__(
        self, tag: str, namespace: str = "", attributes: dict[str, str] | None = None
    ) -> None:
        Node.__init__(self)
        self.tag = tag
        self.namespace = namespace
        self.attributes = _new_attributes()
        if attributes:
            for name in attributes:
                self.attributes[name] = attributes[name]
        self._props: dict[str, Any] = {}

    def __repr__(self) -> str:
        out = ["<" + self.tag]
        for name in self.attributes:
            out.append(' %s="%s"' % (name, escape_attr(self.attributes[name])))
        out.append(">")
        return "".join(out)

    def get_attribute(self, name: str) -> str | None:
        return self.attributes.get(name)

    def has_attribute(self, name: str) -> bool:
        return name in self.attributes

    @property
    def id(self) -> str:
        return self.attributes.get("id", "")

    @property
    def classes(self) -> list[str]:
        """The class names of the class attribute, in order."""
        return self.attributes.get("class", "").split()

    @property
    def styles(self) -> dict[str, str]:
        """The declarations of the style attribute: {"color": "red"}."""
        out = {}
        for name, value in _parse_style(self.attributes.get("style", "")):
            out[name] = value
        return out

    @property
    def value(self) -> Any:
        return _get_property(self, "value")

    @value.setter
    def value(self, value: Any) -> None:
        _set_property(self, "value", value)

    @property
    def checked(self) -> bool:
        return bool(_get_property(self, "checked"))

    @checked.setter
    def checked(self, value: bool) -> None:
        _set_property(self, "checked", value)

    @property
    def selected(self) -> bool:
        return bool(_get_property(self, "selected"))

    @selected.setter
    def selected(self, value: bool) -> None:
        _set_property(self, "selected", value)

    @property
    def disabled(self) -> bool:
        return bool(_get_property(self, "disabled"))

    @disabled.setter
    def disabled(self, value: bool) -> None:
        _set_property(self, "disabled", value)


class Document(Node):
    """The top node: `document_element` (<html>), `head` and `body`."""

    kind = DOCUMENT_NODE

    def __init__(self) -> None:
        Node.__init__(self)
        self.document_element = Element("html")
        self.head = Element("head")
        self.body = Element("body")
        _append(self, self.document_element)
        _append(self.document_element, self.head)
        _append(self.document_element, self.body)

    def __repr__(self) -> str:
        return "<#document>"


class Event:
    """A DOM event. Extra keyword fields become attributes: Event("keydown", key="Enter")."""

    def __init__(self, type: str, bubbles: bool = True, **fields: Any) -> None:
        self.type = type
        self.bubbles = bubbles
        self.target: Any = None  # the Node the event was dispatched to
        self.current_target: Any = None  # the Node whose listeners run now
        self.default_prevented = False
        self.propagation_stopped = False
        self.immediate_propagation_stopped = False
        for name in fields:
            setattr(self, name, fields[name])

    def stop_propagation(self) -> None:
        """Finish the listeners of the current node, then stop."""
        self.propagation_stopped = True

    def stop_immediate_propagation(self) -> None:
        """Stop now: not even the current node's remaining listeners run."""
        self.propagation_stopped = True
        self.immediate_propagation_stopped = True

    def prevent_default(self) -> None:
        self.default_prevented = True

    def __repr__(self) -> str:
        return "Event(%r)" % self.type


# ---------------------------------------------------------------------------- tree helpers


def _position(node: Node) -> int:
    """The index of `node` among its parent's children (checking the cached hint first)."""
    parent = node.parent
    if parent is None:
        raise ValueError("%r has no parent" % (node,))
    siblings = parent.children
    i = node._index
    if i < len(siblings) and siblings[i] is node:
        return i
    i = 0
    for sibling in siblings:
        if sibling is node:
            node._index = i
            return i
        i += 1
    raise ValueError("%r is not among its parent's children" % (node,))


def _append(parent: Node, node: Node) -> None:
    node.parent = parent
    node._index = len(parent.children)
    parent.children.append(node)


def _detach(node: Node) -> None:
    parent = node.parent
    if parent is not None:
        del parent.children[_position(node)]
        node.parent = None


def _detach_children(parent: Node) -> None:
    for child in parent.children:
        child.parent = None
    del parent.children[:]


def _descendants(node: Node) -> list[Node]:
    out = []
    stack = []
    children = node.children
    i = len(children) - 1
    while i >= 0:
        stack.append(children[i])
        i -= 1
    while stack:
        current = stack.pop()
        out.append(current)
        children = current.children
        i = len(children) - 1
        while i >= 0:
            stack.append(children[i])
            i -= 1
    return out


def _matches(
    el: Element, tag: str | None, id: str | None, class_: str | None, text: str | None
) -> bool:
    if tag is not None and el.tag != tag and not (el.namespace == "" and el.tag == tag.lower()):
        return False
    if id is not None and el.attributes.get("id") != id:
        return False
    if class_ is not None:
        classes = el.classes
        for name in class_.split():
            if name not in classes:
                return False
    return text is None or el.text.strip() == text.strip()


def _is_html(node: Node, tags: Any) -> bool:
    return isinstance(node, Element) and node.namespace == "" and node.tag in tags


# ---------------------------------------------------------------------------- serialising

# Text inside these is written as is (as a browser serialises it).
_RAW_SERIALIZED = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript")
_NEWLINE_DROPPED = ("pre", "textarea", "listing")


def _serialize(node: Node, out: list[str]) -> None:
    if isinstance(node, Text):
        parent = node.parent
        if parent is not None and _is_html(parent, _RAW_SERIALIZED):
            out.append(node.data)
        else:
            out.append(escape_text(node.data))
    elif isinstance(node, Comment):
        out.append("<!--" + node.data + "-->")
    elif isinstance(node, Element):
        tag = node.tag
        out.append("<" + tag)
        attributes = node.attributes
        for name in attributes:
            out.append(' %s="%s"' % (name, escape_attr(attributes[name])))
        out.append(">")
        html = node.namespace == ""
        if html and tag in VOID_ELEMENTS:
            return
        children = node.children
        if html and tag in _NEWLINE_DROPPED and children:
            first = children[0]
            if isinstance(first, Text) and first.data.startswith("\n"):
                out.append("\n")  # the parser drops one newline after the start tag
        for child in children:
            _serialize(child, out)
        out.append("</" + tag + ">")
    else:
        for child in node.children:
            _serialize(child, out)


# ---------------------------------------------------------------------------- properties

# Boolean properties that reflect the presence of an attribute until written.
_BOOLEAN_PROPERTIES = {
    "checked": "checked",
    "selected": "selected",
    "disabled": "disabled",
    "hidden": "hidden",
    "multiple": "multiple",
    "required": "required",
    "readOnly": "readonly",
    "open": "open",
    "autofocus": "autofocus",
}
_NO_SELECTION = "#no-selection"  # the options of a select whose value matched none of them


def _input_type(el: Element) -> str:
    return el.attributes.get("type", "").lower()


def _options(select: Element) -> list[Element]:
    found = []
    for node in _descendants(select):
        if isinstance(node, Element) and node.namespace == "" and node.tag == "option":
            found.append(node)
    return found


def _select_of(option: Element) -> Element | None:
    parent = option.parent
    if parent is not None and _is_html(parent, ("optgroup",)):
        parent = parent.parent
    if isinstance(parent, Element) and _is_html(parent, ("select",)):
        return parent
    return None


def _selectedness(option: Element) -> bool:
    if "selected" in option._props:
        return bool(option._props["selected"])
    return "selected" in option.attributes


def _selected_option(select: Element) -> Element | None:
    """The option a select shows: the last selected one (the first if `multiple`), else
    the first enabled option, unless its value was set to match none (and its options
    have not changed since, as when a browser inserts an option)."""
    options = _options(select)
    multiple = "multiple" in select.attributes
    chosen = None
    for option in options:
        if _selectedness(option):
            chosen = option
            if multiple:
                break
    if chosen is None and not multiple and select._props.get(_NO_SELECTION) != options:
        for option in options:
            if not _get_property(option, "disabled"):
                return option
    return chosen


def _form_owner(el: Element) -> Node | None:
    node = el.parent
    while node is not None:
        if _is_html(node, ("form",)):
            return node
        node = node.parent
    return None


def _radio_group(el: Element) -> list[Element]:
    """The other radios sharing `el`'s name in its form (or, outside forms, its tree)."""
    name = el.attributes.get("name")
    if not name:
        return []
    form = _form_owner(el)
    scope = form if form is not None else el.root()
    group = []
    for node in [scope] + _descendants(scope):
        if (
            node is not el
            and isinstance(node, Element)
            and _is_html(node, ("input",))
            and _input_type(node) == "radio"
            and node.attributes.get("name") == name
            and _form_owner(node) is form
        ):
            group.append(node)
    return group


def _get_property(el: Element, name: str) -> Any:
    props = el._props
    tag = el.tag if el.namespace == "" else ""
    if name == "value":
        if tag == "select":
            option = _selected_option(el)
            return "" if option is None else _get_property(option, "value")
        if "value" in props:
            return props["value"]
        if tag == "textarea":
            return el.text
        value = el.attributes.get("value")
        if value is not None:
            return value
        if tag == "option":
            return " ".join(el.text.split())
        if tag == "input" and _input_type(el) in ("checkbox", "radio"):
            return "on"
        return ""
    if tag == "select" and name == "selectedIndex":
        option = _selected_option(el)
        return -1 if option is None else _options(el).index(option)
    if tag == "option" and name == "selected":
        select = _select_of(el)
        if select is not None and "multiple" not in select.attributes:
            return _selected_option(select) is el
    if name in props:
        return props[name]
    attribute = _BOOLEAN_PROPERTIES.get(name)
    if attribute is not None:
        return attribute in el.attributes
    if name == "className":
        return el.attributes.get("class", "")
    if name == "textContent":
        return el.text
    if name == "innerHTML":
        return el.inner_html()
    return el.attributes.get(name)


def _set_property(el: Element, name: str, value: Any) -> None:
    tag = el.tag if el.namespace == "" else ""
    if tag == "select" and name in ("value", "selectedIndex"):
        options = _options(el)
        chosen = None
        if name == "value":
            wanted = "" if value is None else str(value)
            for option in options:
                if _get_property(option, "value") == wanted:
                    chosen = option
                    break
        elif 0 <= int(value) < len(options):
            chosen = options[int(value)]
        for option in options:
            option._props["selected"] = option is chosen
        # Selecting nothing lasts until the options change (then the first is selected).
        el._props[_NO_SELECTION] = options if chosen is None else None
        return
    if name == "value":
        value = "" if value is None else str(value)
    elif name in _BOOLEAN_PROPERTIES:
        value = bool(value)
    el._props[name] = value
    if value is not True:
        return
    if name == "checked" and tag == "input" and _input_type(el) == "radio":
        for other in _radio_group(el):
            other._props["checked"] = False
    elif name == "selected" and tag == "option":
        select = _select_of(el)
        if select is not None:
            select._props[_NO_SELECTION] = None
            if "multiple" not in select.attributes:
                for option in _options(select):
                    if option is not el:
                        option._props["selected"] = False


# ---------------------------------------------------------------------------- styles


def _parse_style(css: str) -> list[list[str]]:
    declarations: list[list[str]] = []
    for part in css.split(";"):
        colon = part.find(":")
        if colon < 0:
            continue
        name = part[:colon].strip()
        if not name:
            continue
        value = part[colon + 1 :].strip()
        for declaration in declarations:
            if declaration[0] == name:
                declaration[1] = value
                break
        else:
            declarations.append([name, value])
    return declarations


def _serialize_style(declarations: list[list[str]]) -> str:
    return " ".join(["%s: %s;" % (d[0], d[1]) for d in declarations])


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


# ---------------------------------------------------------------------------- parsing

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_ALNUM = _LETTERS + _DIGITS
_SPACE = " \t\n\f"

_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript")
_RCDATA = ("textarea", "title")

# Start tags that close an open <p> (in button scope).
_CLOSES_P = set(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt listing search".split()
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SCOPE = ("applet", "caption", "html", "table", "td", "th", "marquee", "object", "template")
_BUTTON_SCOPE = _SCOPE + ("button",)
_TABLE_SECTIONS = ("tbody", "thead", "tfoot")

# Character references: the names decoded (code points), and those a browser also
# decodes without the final ';'.
_ENTITIES = {
    "amp": 38, "AMP": 38, "lt": 60, "LT": 60, "gt": 62, "GT": 62, "quot": 34, "QUOT": 34,
    "apos": 39, "nbsp": 160, "copy": 169, "COPY": 169, "reg": 174, "REG": 174,
    "trade": 8482, "hellip": 8230, "mdash": 8212, "ndash": 8211, "lsquo": 8216,
    "rsquo": 8217, "ldquo": 8220, "rdquo": 8221, "laquo": 171, "raquo": 187, "middot": 183,
    "times": 215, "divide": 247, "deg": 176, "plusmn": 177, "euro": 8364, "bull": 8226,
    "para": 182, "sect": 167, "cent": 162, "pound": 163, "yen": 165, "shy": 173,
    "zwj": 8205, "zwnj": 8204, "ensp": 8194, "emsp": 8195, "thinsp": 8201, "larr": 8592,
    "rarr": 8594, "uarr": 8593, "darr": 8595, "harr": 8596, "hearts": 9829, "check": 10003,
    "colon": 58, "Tab": 9, "NewLine": 10, "excl": 33, "num": 35, "dollar": 36,
    "percnt": 37, "lpar": 40, "rpar": 41, "ast": 42, "plus": 43, "comma": 44,
    "period": 46, "sol": 47, "semi": 59, "equals": 61, "quest": 63, "commat": 64,
    "lsqb": 91, "bsol": 92, "rsqb": 93, "lowbar": 95, "grave": 96, "lcub": 123,
    "verbar": 124, "rcub": 125,
}  # fmt: skip
_LEGACY = ("nbsp", "quot", "QUOT", "copy", "COPY", "amp", "AMP", "reg", "REG", "lt", "LT",
           "gt", "GT")  # fmt: skip
# Numeric references to C1 controls mean the windows-1252 character.
_WINDOWS_1252 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}  # fmt: skip


def _code_point(code: int) -> str:
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(_WINDOWS_1252.get(code, code))


def _reference(s: str, amp: int, attribute: bool) -> tuple[str, int]:
    """The character reference at `s[amp] == "&"`: (its text, the index after it)."""
    n = len(s)
    j = amp + 1
    if j < n and s[j] == "#":
        j += 1
        hexadecimal = j < n and s[j] in "xX"
        if hexadecimal:
            j += 1
        digits = _HEX if hexadecimal else _DIGITS
        k = j
        while k < n and s[k] in digits:
            k += 1
        if k == j:
            return "&", amp + 1
        code = int(s[j:k], 16 if hexadecimal else 10)
        if k < n and s[k] == ";":
            k += 1
        return _code_point(code), k
    k = j
    while k < n and s[k] in _ALNUM:
        k += 1
    name = s[j:k]
    if k < n and s[k] == ";" and name in _ENTITIES:
        return chr(_ENTITIES[name]), k + 1
    for legacy in _LEGACY:
        if name.startswith(legacy):
            end = j + len(legacy)
            if attribute and end < n and (s[end] in _ALNUM or s[end] == "="):
                break
            return chr(_ENTITIES[legacy]), end
    return "&", amp + 1


def _decode(s: str, attribute: bool = False) -> str:
    """`s` with its character references decoded."""
    if "&" not in s:
        return s
    out = []
    i = 0
    while True:
        amp = s.find("&", i)
        if amp < 0:
            out.append(s[i:])
            return "".join(out)
        out.append(s[i:amp])
        text, i = _reference(s, amp, attribute)
        out.append(text)


def _child_namespace(parent: Element | None, tag: str) -> str:
    """The namespace of a `tag` element (lowercased name) created inside `parent`."""
    ns = ""
    if parent is not None:
        ns = parent.namespace
        if ns == "svg" and parent.tag in ("foreignObject", "desc", "title"):
            ns = ""
        elif ns == "math" and parent.tag in ("mi", "mo", "mn", "ms", "mtext"):
            ns = ""
    if tag == "svg" and ns != "svg":
        return "svg"
    if tag == "math" and ns == "":
        return "math"
    return ns


class _Parser:
    """Reads HTML into detached nodes, forgiving as a browser is (never raises)."""

    def __init__(self, src: str, context: Element | None) -> None:
        if "\r" in src:
            src = src.replace("\r\n", "\n").replace("\r", "\n")
        self.src = src
        self.pos = 0
        self.context = context
        self.roots: list[Node] = []
        self.stack: list[Element] = []

    def run(self) -> list[Node]:
        src = self.src
        n = len(src)
        context = self.context
        if context is not None and _is_html(context, _RAW_TEXT + _RCDATA):
            if src:  # the inner HTML of a <style> or <textarea> is its text
                self.roots.append(Text(src if context.tag in _RAW_TEXT else _decode(src)))
            return self.roots
        while self.pos < n:
            lt = src.find("<", self.pos)
            if lt < 0:
                self.text(_decode(src[self.pos :]))
                break
            if lt > self.pos:
                self.text(_decode(src[self.pos : lt]))
            self.pos = lt
            self.markup()
        return self.roots

    # -- building

    def current(self) -> Element | None:
        return self.stack[-1] if self.stack else self.context

    def append(self, node: Node) -> None:
        if self.stack:
            _append(self.stack[-1], node)
        else:
            self.roots.append(node)

    def push(self, tag: str) -> Element:
        el = Element(tag)
        self.append(el)
        self.stack.append(el)
        return el

    def text(self, data: str) -> None:
        container = self.stack[-1].children if self.stack else self.roots
        if (
            not container
            and self.stack
            and _is_html(self.stack[-1], ("pre", "listing"))
            and data.startswith("\n")
        ):
            data = data[1:]  # the newline right after <pre> is not content
        if not data:
            return
        last = container[-1] if container else None
        if isinstance(last, Text):
            last.data += data
        else:
            self.append(Text(data))

    def close_in_scope(self, names: Any, stops: Any) -> None:
        """Close the innermost open element named in `names`, unless a `stops` element
        (or a foreign one) comes first."""
        stack = self.stack
        k = len(stack) - 1
        while k >= 0:
            el = stack[k]
            if el.namespace != "" or el.tag in stops:
                return
            if el.tag in names:
                del stack[k:]
                return
            k -= 1

    def close_implied(self, tag: str) -> None:
        """Close what a `tag` start tag ends implicitly (an open <p>, the previous <li>...)."""
        if tag in _CLOSES_P:
            self.close_in_scope(("p",), _BUTTON_SCOPE)
        top = self.stack[-1] if self.stack else None
        if tag == "li":
            self.close_in_scope(("li",), _SCOPE + ("ul", "ol", "menu"))
        elif tag in ("dd", "dt"):
            self.close_in_scope(("dd", "dt"), _SCOPE + ("dl",))
        elif tag in _HEADINGS:
            if top is not None and _is_html(top, _HEADINGS):
                self.stack.pop()
        elif tag in ("option", "optgroup"):
            if top is not None and _is_html(top, ("option",)):
                self.stack.pop()
                top = self.stack[-1] if self.stack else None
            if tag == "optgroup" and top is not None and _is_html(top, ("optgroup",)):
                self.stack.pop()
        elif tag in _TABLE_SECTIONS:
            self.close_in_scope(_TABLE_SECTIONS, ("table", "template", "html"))
        elif tag == "tr":
            self.close_in_scope(("tr",), ("table", "template", "html") + _TABLE_SECTIONS)
        elif tag in ("td", "th"):
            self.close_in_scope(("td", "th"), ("table", "template", "html", "tr"))
        elif tag == "a":
            self.close_in_scope(("a",), _SCOPE)
        top = self.stack[-1] if self.stack else None
        if top is not None and _is_html(top, ("colgroup",)) and tag != "col":
            self.stack.pop()

    def add_table_parts(self, tag: str) -> None:
        """Open the <tbody>, <tr> or <colgroup> a browser adds around table content."""
        parent = self.current()
        if parent is None or parent.namespace != "":
            return
        where = parent.tag
        if tag == "col" and where == "table":
            self.push("colgroup")
        elif tag == "tr" and where == "table":
            self.push("tbody")
        elif tag in ("td", "th"):
            if where == "table":
                self.push("tbody")
                where = "tbody"
            if where in _TABLE_SECTIONS:
                self.push("tr")

    # -- tokens

    def markup(self) -> None:
        src = self.src
        i = self.pos
        n = len(src)
        following = src[i + 1] if i + 1 < n else ""
        if following == "!":
            if src.startswith("<!--", i):
                self.comment()
            elif src[i + 2 : i + 9].lower() == "doctype":
                end = src.find(">", i)
                self.pos = n if end < 0 else end + 1
            else:
                self.bogus_comment(i + 2)  # `<!>` is an empty comment
        elif following == "?":
            self.bogus_comment(i + 1)
        elif following == "/":
            after = src[i + 2] if i + 2 < n else ""
            if after and after in _LETTERS:
                self.end_tag()
            elif after == ">":
                self.pos = i + 3
            elif after == "":
                self.text("</")
                self.pos = n
            else:
                self.bogus_comment(i + 2)
        elif following and following in _LETTERS:
            self.start_tag()
        else:
            self.text("<")
            self.pos = i + 1

    def comment(self) -> None:
        src = self.src
        i = self.pos + 4
        if src.startswith(">", i):
            data, self.pos = "", i + 1
        elif src.startswith("->", i):
            data, self.pos = "", i + 2
        else:
            end = src.find("-->", i)
            if end < 0:
                data, self.pos = src[i:], len(src)
            else:
                data, self.pos = src[i:end], end + 3
        self.append(Comment(data))

    def bogus_comment(self, start: int) -> None:
        src = self.src
        end = src.find(">", start)
        if end < 0:
            end = len(src)
        self.append(Comment(src[start:end]))
        self.pos = end + 1

    def end_tag(self) -> None:
        src = self.src
        n = len(src)
        i = self.pos + 2
        j = i
        while j < n and src[j] not in _SPACE + "/>":
            j += 1
        name = src[i:j].lower()
        end = src.find(">", j)
        self.pos = n if end < 0 else end + 1
        stack = self.stack
        k = len(stack) - 1
        while k >= 0:
            if stack[k].tag.lower() == name:
                del stack[k:]
                return
            k -= 1
        if name == "br":  # a browser reads </br> as <br>
            self.append(Element("br"))
        elif name == "p":  # and a stray </p> as <p></p>
            self.append(Element("p"))

    def start_tag(self) -> None:
        src = self.src
        n = len(src)
        j = self.pos + 1
        while j < n and src[j] not in _SPACE + "/>":
            j += 1
        written = src[self.pos + 1 : j]
        attributes: list[tuple[str, str]] = []
        self_closing = False
        while j < n:
            c = src[j]
            if c in _SPACE:
                j += 1
                continue
            if c == ">":
                j += 1
                break
            if c == "/":
                j += 1
                if j < n and src[j] == ">":
                    self_closing = True
                    j += 1
                    break
                continue
            k = j + 1  # the first character of a name may be '='
            while k < n and src[k] not in _SPACE + "/>=":
                k += 1
            name = src[j:k]
            j = k
            while j < n and src[j] in _SPACE:
                j += 1
            value = ""
            if j < n and src[j] == "=":
                j += 1
                while j < n and src[j] in _SPACE:
                    j += 1
                if j < n and src[j] in "\"'":
                    end = src.find(src[j], j + 1)
                    if end < 0:
                        end = n
                    value = _decode(src[j + 1 : end], True)
                    j = end + 1
                else:
                    k = j
                    while k < n and src[k] not in _SPACE + ">":
                        k += 1
                    value = _decode(src[j:k], True)
                    j = k
            attributes.append((name, value))
        self.pos = j
        lower = written.lower()
        ns = _child_namespace(self.current(), lower)
        if ns == "":
            self.close_implied(lower)
            self.add_table_parts(lower)
            tag = lower
        else:
            tag = lower if lower in ("svg", "math") else written
        el = Element(tag, ns)
        for name, value in attributes:
            key = name.lower() if ns == "" else name
            if key not in el.attributes:
                el.attributes[key] = value
        self.append(el)
        if ns != "":
            if not self_closing:
                self.stack.append(el)
        elif tag in _RAW_TEXT or tag in _RCDATA:
            self.raw_text(el)
        elif tag not in VOID_ELEMENTS:
            self.stack.append(el)

    def raw_text(self, el: Element) -> None:
        """The text of a script, style, textarea... up to its end tag."""
        src = self.src
        n = len(src)
        tag = el.tag
        start = end = self.pos
        after = n
        while True:
            end = src.find("</", end)
            if end < 0:
                end = n
                break
            k = end + 2 + len(tag)
            if src[end + 2 : k].lower() == tag and (k >= n or src[k] in _SPACE + "/>"):
                close = src.find(">", k)
                after = n if close < 0 else close + 1
                break
            end += 2
        data = src[start:end]
        if tag in _RCDATA:
            data = _decode(data)
            if tag == "textarea" and data.startswith("\n"):
                data = data[1:]
        if data:
            _append(el, Text(data))
        self.pos = after
