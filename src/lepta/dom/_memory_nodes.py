"""The nodes of the in-memory DOM (see _memory): tree, events, properties, styles."""

from __future__ import annotations

import sys
from typing import Any, Callable

from ..view._escape import escape_attr, escape_text
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS

ELEMENT_NODE = 1
TEXT_NODE = 3
COMMENT_NODE = 8
DOCUMENT_NODE = 9

OP_KINDS = (
    "create_element",
    "create_text",
    "create_placeholder",
    "template",
    "clone",
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


def _clone(node: Node, out: list[Node]) -> Node:
    """A deep copy of `node` (attributes and data, not properties or listeners); every
    copied node is added to `out` in document order."""
    if isinstance(node, Element):
        copy: Node = Element(node.tag, node.namespace, node.attributes)
    elif isinstance(node, Text):
        copy = Text(node.data)
    else:
        copy = Comment(getattr(node, "data", ""))
    out.append(copy)
    for child in node.children:
        _append(copy, _clone(child, out))
    return copy


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
_RAW_SERIALIZED = RAW_TEXT_ELEMENTS
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


