"""ARIA roles and accessible names of in-memory elements, as a screen reader meets them.

Queries by role and name find elements the way a user does ("the button named
Save"), not by tag or class, so a test keeps passing when the markup changes and
fails when the page stops being usable. This module is a readable subset of the
browser's rules (HTML-AAM for implicit roles, accname 1.2 for names), enough for
the elements an app's tests click and read:

- a `role="..."` attribute wins (its first token); otherwise the tag (and for
  <input> its type, for <a> an href, ...) gives the implicit role, or none;
- the name comes, first found, from aria-labelledby, aria-label, the element's own
  labelling (<label for> or a wrapping <label>, alt, <legend>, <caption>, a
  button's value), its text content (for roles named by content: button, link,
  heading, cell, checkbox, ...), then title and placeholder. Whitespace is
  collapsed.

Portable: runs on CPython and MicroPython (no `re`, no dataclasses).
"""

from __future__ import annotations

from typing import Any

from ..dom._memory_nodes import Element, Node, Text

# Implicit roles that depend on the tag alone.
TAG_ROLES = {
    "article": "article",
    "aside": "complementary",
    "blockquote": "blockquote",
    "button": "button",
    "caption": "caption",
    "code": "code",
    "datalist": "listbox",
    "dd": "definition",
    "del": "deletion",
    "details": "group",
    "dfn": "term",
    "dialog": "dialog",
    "dt": "term",
    "em": "emphasis",
    "fieldset": "group",
    "figure": "figure",
    "form": "form",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "hr": "separator",
    "ins": "insertion",
    "li": "listitem",
    "main": "main",
    "menu": "list",
    "meter": "meter",
    "nav": "navigation",
    "ol": "list",
    "optgroup": "group",
    "option": "option",
    "output": "status",
    "p": "paragraph",
    "progress": "progressbar",
    "search": "search",
    "strong": "strong",
    "table": "table",
    "tbody": "rowgroup",
    "textarea": "textbox",
    "tfoot": "rowgroup",
    "thead": "rowgroup",
    "time": "time",
    "tr": "row",
    "td": "cell",
    "ul": "list",
}

# <input type=...>: an unknown type is a text field, as in a browser; these have no role.
INPUT_ROLES = {
    "button": "button",
    "checkbox": "checkbox",
    "image": "button",
    "number": "spinbutton",
    "radio": "radio",
    "range": "slider",
    "reset": "button",
    "search": "searchbox",
    "submit": "button",
}
INPUTS_WITHOUT_ROLE = (
    "color", "date", "datetime-local", "file", "hidden", "month", "password", "time", "week",
)
TEXT_INPUTS = ("", "text", "email", "tel", "url", "search")

# Roles whose name comes from their content when nothing names them otherwise.
NAMED_BY_CONTENT = set(
    "button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox "
    "menuitemradio option radio row rowheader switch tab tooltip treeitem".split()
)

# Elements a <label> can label.
LABELABLE = ("button", "input", "meter", "output", "progress", "select", "textarea")

# Content of these is not shown: never part of a name, a text match or a role query.
UNRENDERED = ("head", "script", "style", "template", "noscript")

# Their text is set apart from what surrounds it (a browser adds a space).
BLOCKS = set(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)

# Landmarks that make <header> / <footer> inside them plain sections.
SECTIONING = ("article", "aside", "main", "nav", "section")


def normalize(text: str) -> str:
    """`text` with runs of whitespace made one space, stripped."""
    return " ".join(text.split())


def input_type(el: Element) -> str:
    return el.attributes.get("type", "").lower()


def role_of(el: Element) -> str | None:
    """The element's role: its explicit `role` attribute, else the implicit one (or None)."""
    explicit = el.attributes.get("role", "").split()
    if explicit:
        return explicit[0]
    return implicit_role(el)


def implicit_role(el: Element) -> str | None:
    """The role HTML gives the element by its tag and attributes (None: a generic one)."""
    if el.namespace != "":
        return "img" if el.tag == "svg" and el.attributes.get("aria-label") else None
    tag = el.tag
    role = TAG_ROLES.get(tag)
    if role is not None:
        return role
    attributes = el.attributes
    if tag in ("a", "area"):
        return "link" if "href" in attributes else None
    if tag == "img":
        return "presentation" if attributes.get("alt") == "" else "img"
    if tag == "input":
        kind = input_type(el)
        if kind in INPUTS_WITHOUT_ROLE:
            return None
        if kind in TEXT_INPUTS and "list" in attributes:
            return "combobox"
        return INPUT_ROLES.get(kind, "textbox")
    if tag == "select":
        size = attributes.get("size", "")
        if "multiple" in attributes or (size.isdigit() and int(size) > 1):
            return "listbox"
        return "combobox"
    if tag == "th":
        return "rowheader" if attributes.get("scope") == "row" else "columnheader"
    if tag in ("header", "footer"):
        node = el.parent
        while isinstance(node, Element):
            if node.tag in SECTIONING:
                return None
            node = node.parent
        return "banner" if tag == "header" else "contentinfo"
    if tag == "section":
        return "region" if "aria-label" in attributes or "aria-labelledby" in attributes else None
    return None


def heading_level(el: Element) -> int | None:
    """A heading's level: aria-level, else the n of <hn>, else 2 (ARIA's default)."""
    level = el.attributes.get("aria-level", "")
    if level.isdigit():
        return int(level)
    if len(el.tag) == 2 and el.tag[0] == "h" and el.tag[1] in "123456":
        return int(el.tag[1])
    return 2 if role_of(el) == "heading" else None


def is_hidden(el: Element) -> bool:
    """Whether the element is out of the accessibility tree: it or an ancestor is
    `hidden`, aria-hidden="true", display: none, visibility: hidden, or unrendered."""
    node: Node | None = el
    while isinstance(node, Element):
        if _hides_itself(node):
            return True
        node = node.parent
    return False


def _hides_itself(el: Element) -> bool:
    attributes = el.attributes
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    if el.namespace == "" and el.tag in UNRENDERED:
        return True
    if el.namespace == "" and el.tag == "input" and input_type(el) == "hidden":
        return True
    if "style" in attributes:
        styles = el.styles
        if styles.get("display") == "none" or styles.get("visibility") == "hidden":
            return True
    return False


def element_by_id(root: Node, id: str) -> Element | None:
    for node in root.descendants():
        if isinstance(node, Element) and node.attributes.get("id") == id:
            return node
    return None


def is_labelable(el: Element) -> bool:
    return (
        el.namespace == ""
        and el.tag in LABELABLE
        and not (el.tag == "input" and input_type(el) == "hidden")
    )


def labelled_control(label: Element) -> Element | None:
    """The control a <label> labels: the element its `for` names, else the first
    labelable element inside it."""
    target = label.attributes.get("for")
    if target is not None:
        found = element_by_id(label.root(), target)
        return found if found is not None and is_labelable(found) else None
    for node in label.descendants():
        if isinstance(node, Element) and is_labelable(node):
            return node
    return None


def labels_of(el: Element) -> list[Element]:
    """The <label> elements that label `el`, in document order."""
    if not is_labelable(el):
        return []
    found = []
    for node in el.root().descendants():
        if (
            isinstance(node, Element)
            and node.namespace == ""
            and node.tag == "label"
            and labelled_control(node) is el
        ):
            found.append(node)
    return found


def label_text(label: Element) -> str:
    """What a <label> says (the control inside it left out), normalised."""
    return normalize(_content(label, set(), labelled_control(label)))


def labelledby_text(el: Element) -> str:
    """The text of the elements `aria-labelledby` names, joined, normalised ("" if none)."""
    ids = el.attributes.get("aria-labelledby", "").split()
    if not ids:
        return ""
    root = el.root()
    parts = []
    for id in ids:
        ref = element_by_id(root, id)
        if ref is not None:
            parts.append(_name(ref, set(), True, None))
    return normalize(" ".join(parts))


def accessible_name(el: Element) -> str:
    """The element's accessible name (see this module's docstring), normalised."""
    return normalize(_name(el, set(), False, None))


# ---------------------------------------------------------------------------- naming


def _name(el: Element, visited: set[Any], traversing: bool, skip: Element | None) -> str:
    """`el`'s name; `traversing` while collecting the name of an ancestor or of an
    aria-labelledby reference (then its content counts whatever its role)."""
    if el in visited:
        return ""
    visited.add(el)
    attributes = el.attributes
    if not traversing:
        ids = attributes.get("aria-labelledby", "").split()
        if ids:
            root = el.root()
            parts = []
            for id in ids:
                ref = element_by_id(root, id)
                if ref is not None:
                    parts.append(_name(ref, visited, True, None))
            text = " ".join(parts)
            if text.strip():
                return text
    label = attributes.get("aria-label", "")
    if label.strip():
        return label
    role = role_of(el)
    if traversing:
        embedded = _embedded_value(el, role)
        if embedded is not None:
            return embedded
    own = _native_name(el, visited)
    if own.strip():
        return own
    if traversing or role in NAMED_BY_CONTENT:
        text = _content(el, visited, skip)
        if text.strip():
            return text
    if not traversing:
        for attribute in ("title", "placeholder"):
            value = attributes.get(attribute, "")
            if value.strip() and (attribute == "title" or el.tag in ("input", "textarea")):
                return value
    return ""


def _native_name(el: Element, visited: set[Any]) -> str:
    """The name HTML itself gives: labels, alt, a button's value, legend, caption."""
    if el.namespace != "":
        return ""
    tag = el.tag
    attributes = el.attributes
    if tag == "input":
        kind = input_type(el)
        if kind in ("button", "submit", "reset"):
            value = attributes.get("value")
            if value is not None:
                return value
            return {"submit": "Submit", "reset": "Reset"}.get(kind, "")
        if kind == "image":
            return attributes.get("alt", "") or attributes.get("value", "") or "Submit"
    if tag in ("img", "area"):
        return attributes.get("alt", "")
    if is_labelable(el):
        labels = labels_of(el)
        if labels:
            return " ".join([_content(label, visited, el) for label in labels])
    caption_tag = {"fieldset": "legend", "table": "caption", "figure": "figcaption"}.get(tag)
    if caption_tag is not None:
        for child in el.children:
            if isinstance(child, Element) and child.tag == caption_tag:
                return _content(child, visited, None)
    return ""


def _embedded_value(el: Element, role: str | None) -> str | None:
    """Inside a name, a control counts as its value (a select as its chosen option)."""
    if el.namespace != "":
        return None
    if role in ("textbox", "searchbox") and el.tag in ("input", "textarea"):
        return str(el.value)
    if role in ("combobox", "listbox") and el.tag == "select":
        chosen = []
        for node in el.descendants():
            if isinstance(node, Element) and node.tag == "option" and node.selected:
                chosen.append(normalize(node.text))
        return " ".join(chosen)
    if role in ("spinbutton", "slider") and el.tag == "input":
        return str(el.value)
    return None


def _content(el: Element, visited: set[Any], skip: Element | None) -> str:
    """The text of `el`'s subtree as a name reads it: hidden parts left out, each
    element as its own name (an image as its alt, a field as its value), `skip` out."""
    parts = []
    for child in el.children:
        if isinstance(child, Text):
            parts.append(child.data)
        elif isinstance(child, Element):
            if child is skip or _hides_itself(child):
                continue
            text = _name(child, visited, True, skip)
            if child.namespace == "" and child.tag in BLOCKS:
                text = " " + text + " "
            parts.append(text)
    return "".join(parts)
