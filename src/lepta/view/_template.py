"""Views compiled into templates: the static part of a view, made once and cloned.

When `lepta build` prepares an app's modules for the browser (see
`lepta.build.views`), each builder call it can read, such as

    tr(td(row.id, class_="col-md-1"), td(a(row.label, on_click=pick)), class_="row")

becomes the use of a template: a function of its holes (the parts that are not
constants), defined once per module, and the tuple of the holes' values,

    __lepta_t1 = Template(lambda h0, h1, h2: tr(td(h0, class_="col-md-1"),
                                               td(a(h1, on_click=h2)), class_="row"), 3)
    ...
    return TemplateUse(__lepta_t1, (row.id, row.label, pick))

The holes are evaluated where the call was, in the same order. The DOM renderer
builds the static part once per page (`describe` below), clones it for each use and
fills only the holes; anything it cannot do so (hydration, a value that would change
the element's shape) it does with the builder calls themselves (`expand`), so the
result is always what the builder calls make.
"""

from __future__ import annotations

from typing import Any, Callable

from ._attrs import is_special
from ._escape import as_parsed
from ._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Element

# What a hole is (the first field of each entry of `Shape.holes`).
CHILD = 0  # a child: its value is built where the placeholder text node is
ATTRIBUTE = 1  # an attribute (or event, property, binding): bound on its element

# Kinds of the nodes of a shape (as the DOM's nodeType).
ELEMENT = 1
TEXT = 3


class Hole:
    """Stands for a hole's value while the template's view is described."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class Template:
    """A view with holes: `fn(*values)` is the view itself (the builder calls)."""

    __slots__ = ("fn", "handle", "plan", "renderer", "shape", "size")

    def __init__(self, fn: Callable[..., Any], size: int) -> None:
        self.fn = fn
        self.size = size
        self.shape: Shape | None = None  # described on first use
        self.renderer: Any = None  # the renderer `handle` belongs to
        self.handle: Any = None  # that renderer's prototype of the static part
        self.plan: Any = None  # how that renderer fills each hole (see lepta.dom)

    def expand(self, values: tuple[Any, ...]) -> Any:
        """The view the template stands for, with these values: the generic path."""
        return self.fn(*values)

    def described(self) -> Shape:
        shape = self.shape
        if shape is None:
            shape = self.shape = describe(self.fn(*[Hole(i) for i in range(self.size)]))
        return shape

    def __repr__(self) -> str:
        return "<template of %d holes>" % self.size


class TemplateUse:
    """One use of a template: what a compiled builder call returns (a view)."""

    __slots__ = ("template", "values")

    def __init__(self, template: Template, values: tuple[Any, ...]) -> None:
        self.template = template
        self.values = values

    def expand(self) -> Any:
        return self.template.fn(*self.values)


class Shape:
    """The static part of a template, as the DOM renderer builds it.

    `nodes` lists its nodes in document order, each `(kind, tag or text, parent
    index, namespace, static attributes)`; a child hole is an empty text node (its
    placeholder). `holes` lists `(CHILD or ATTRIBUTE, node index, attribute key, hole
    index)` in the order the generic renderer binds them (an element's children
    before its attributes). `shared` holds the child holes next to text or to another
    hole: a text value there would join its neighbour's text node in the generic
    path, so such a use goes that way. `first` holds the holes given as a builder's
    first argument: a dict there is the element's attributes. `generic`: the
    template is never cloned (a raw-text element, inner_html, ... inside it).
    """

    __slots__ = ("first", "generic", "holes", "nodes", "shared")

    def __init__(self) -> None:
        self.nodes: list[tuple[int, str, int, str, list[tuple[str, Any]]]] = []
        self.holes: list[tuple[int, int, str, int]] = []
        self.shared: list[int] = []
        self.first: list[int] = []
        self.generic = False


def describe(view: Any) -> Shape:
    """The shape of `view`, a template's element built with Hole values."""
    shape = Shape()
    if type(view) is not Element:
        shape.generic = True
        return shape
    _element(view, -1, shape)
    return shape


def _element(e: Element, parent: int, shape: Shape) -> None:
    index = len(shape.nodes)
    static: list[tuple[str, Any]] = []
    attribute_holes: list[tuple[int, int, str, int]] = []
    for key in e.attrs:
        value = e.attrs[key]
        if type(value) is Hole:
            attribute_holes.append((ATTRIBUTE, index, key, value.index))
        elif is_special(key):
            shape.generic = True  # (build-time compilation makes these holes)
        else:
            static.append((key, value))
    shape.nodes.append((ELEMENT, e.tag, parent, e.namespace, static))
    tag = e.tag.lower() if e.namespace == "" else ""
    if tag in RAW_TEXT_ELEMENTS or tag in VOID_ELEMENTS or "inner_html" in e.attrs:
        shape.generic = True  # rare: the generic path has the rules for these
        return
    children = e.children
    if children and type(children[0]) is Hole:
        shape.first.append(children[0].index)
    # Children as the generic renderer makes them: adjacent static texts are one node,
    # empty text and None/True/False none.
    kinds = []  # per child: "t" static text, "h" hole, "e" element, "" nothing
    for child in children:
        t = type(child)
        if t is str:
            kinds.append("t" if child else "")
        elif t is int or t is float:
            kinds.append("t")
        elif t is Hole:
            kinds.append("h")
        elif t is Element:
            kinds.append("e")
        elif child is None or t is bool:
            kinds.append("")
        else:
            shape.generic = True
            return
    text: list[str] = []
    previous = ""
    for i, child in enumerate(children):
        kind = kinds[i]
        if kind == "t":
            text.append(as_parsed(child) if type(child) is str else str(child))
        elif kind != "":
            if text:
                shape.nodes.append((TEXT, "".join(text), index, "", []))
                text = []
            if kind == "h":
                following = _next_kind(kinds, i)
                if previous in ("t", "h") or following in ("t", "h"):
                    shape.shared.append(child.index)
                shape.holes.append((CHILD, len(shape.nodes), "", child.index))
                shape.nodes.append((TEXT, "", index, "", []))
            else:
                _element(child, index, shape)
        if kind != "":
            previous = kind
    if text:
        shape.nodes.append((TEXT, "".join(text), index, "", []))
    shape.holes.extend(attribute_holes)


def _next_kind(kinds: list[str], i: int) -> str:
    for kind in kinds[i + 1 :]:
        if kind != "":
            return kind
    return ""

