"""Building a template's use: clone its static part, then fill only the holes.

The static part of a template (see lepta.view._template) is built once per renderer
as a prototype, through the usual operations and rules, and handed to the renderer
(`template`); each use is then one `clone` plus the work of its holes: a child's
value goes where its placeholder (an empty text node) is, an attribute is bound on
its element as any attribute is. Renderers without `clone`, hydration, and values
that would change the element's shape take the generic path (`expand`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..reactive import ReadSignal
from ..view._control import BoundaryView, KeyedList, PortalView, SuspenseView
from ..view._escape import as_parsed
from ..view._marks import NOT_TEXT
from ..view._nodes import Element
from ..view._template import CHILD, ELEMENT, TemplateUse
from ._attributes import bind_attribute, bind_classes, static_attribute
from ._boundary import Reuse
from ._events import DELEGATED
from ._mountable import flat, release
from ._parts import CLASS, TEXT, TemplateParts

if TYPE_CHECKING:
    from ..view._template import Shape, Template
    from ._build import Build, Level

# Values that, built, start and end with a node of their own (never with text): a
# child hole next to text may hold them and still be cloned.
_APART = (Element, TemplateUse, KeyedList, PortalView, BoundaryView, SuspenseView, Reuse)


def build_template(b: Build, use: TemplateUse, level: Level) -> bool:
    """Add the nodes of a clone of `use` to `level`; False (nothing done) where the
    generic path must build it (the caller builds `use.expand()` then, in its own
    frame: MicroPython's C stack bounds how deeply a page's views can nest)."""
    t = use.template
    r = b.r
    shape = t.shape or t.described()
    if b.hydrating or shape.generic:
        return False
    if t.renderer is not r:
        if getattr(r, "clone", None) is None:
            return False
        _prepare(t, shape, r)
    outer = b.parts  # (a hole may hold a template use of its own, built in between)
    parts: list[list[Any]] = []
    b.parts = parts
    try:
        nodes = t.plan(b, level, use.values, parts)
    finally:
        b.parts = outer
    if nodes is None:  # (values that would change the element's shape)
        return False
    if parts:
        TemplateParts(b, nodes, parts)
    level.nodes.append(nodes[0])
    level.prev = NOT_TEXT
    return True


def _prepare(t: Template, shape: Shape, r: Any) -> None:
    """Build the template's static part with `r` and hand it over as a prototype."""
    made: list[Any] = []
    for kind, name, parent, namespace, static in shape.nodes:
        if kind == ELEMENT:
            node = r.create_element(name, namespace)
            for key, value in static:
                static_attribute(r, node, key, value)
        else:
            node = r.create_text(name)
        if parent >= 0:
            r.insert_before(made[parent], node, None)
        made.append(node)
    t.handle = r.template(made[0], shape)
    t.plan = _plan(r, shape, t.handle)
    t.renderer = r


def _plan(r: Any, shape: Shape, handle: Any) -> Any:
    """The function `(build, level, values, parts)` that makes a clone of the template
    (`handle`) and fills each of its holes with `values` (a signal's text or a
    one-toggle class goes into `parts`, see TemplateParts); the clone's nodes, or None
    (nothing done) when `values` would change the element's shape (a dict given first
    is attributes, not a child; a text value next to text would join it). Made once
    per template and renderer.

    It is generated: one statement per hole, so a row of a list fills its holes
    without a loop or a call per hole. The common cases are written out, where the
    renderer fills a hole by index without making its node (the browser's mirror makes
    a node only when one is needed later): a child's text, a number or a signal's
    text (`fill_text(nodes, k, text)`), and a delegated event the renderer's template
    marks on each clone (`handle_at(nodes, k, event, handler)`); the browser writes out
    its own code for them, and sends a clone's texts with the clone, in one operation
    (see BrowserRenderer's `filler_code`). Any other value goes to the hole's own
    filler (`_filler`), as it would anywhere."""
    fill_text = getattr(r, "fill_text", None)
    marked = getattr(r, "handle_at", None)
    scope: dict[str, Any] = {"fill_text": fill_text, "handle_at": marked, "ReadSignal": ReadSignal}
    scope["TEXT"] = TEXT
    scope["CLASS"] = CLASS
    scope["fill"] = _fill
    # A renderer may write out its own clone, texts and handler writes (see
    # BrowserRenderer's `filler_code`): fewer calls and operations per row of a list.
    code = getattr(r, "filler_code", None)
    own = code(handle) if code is not None else None
    generic = own.generic if own is not None else lambda call: [call]
    if own is not None:
        scope.update(own.names)
    scope["APART"] = _APART
    scope["handle"] = handle
    lines = ["def plan(b, level, values, parts):"]
    for i in shape.first:
        lines.append("    if type(values[%d]) is dict: return None" % i)
    for i in shape.shared:
        lines += [
            "    v = values[%d]" % i,
            "    if not (isinstance(v, APART) or (callable(v) and not hasattr(v, '__html__'))):",
            "        return None",
        ]
    lines += ["    if level.text:", "        b.flush_text(level)"]
    if own is not None:
        lines += own.start
    else:
        scope["clone"] = r.clone
        lines.append("    nodes = clone(handle)")
    holes: list[str] = []
    for n, (kind, k, key, i) in enumerate(shape.holes):
        if kind == CHILD and fill_text is not None:
            text = own.text(k, 8) if own is not None else ["        fill_text(nodes, %d, v)" % k]
            holes += [
                "    v = values[%d]" % i,
                "    t = type(v)",
                "    if t is str and v:",
                "        if '\\0' in v:",
                "            v = v.replace('\\0', '\\ufffd')",
            ]
            holes += text
            holes += ["    elif t is int:", "        v = str(v)"]
            holes += text
            holes.append("    elif t is ReadSignal:")
            if own is not None:  # (its text now, from the signal: the part follows it)
                holes += own.signal_text(k, 8)
            else:
                holes.append("        parts.append([TEXT, %d, v, ''])" % k)
            holes.append("    else:")
            holes += generic("        fill(b, nodes, %d, v, fill_text)" % k)
        elif kind != CHILD and marked is not None and key[:3] == "on_" and key[3:] in DELEGATED:
            if own is not None:
                holes += own.handler(k, key[3:], "values[%d]" % i)
            else:
                holes.append("    handle_at(nodes, %d, %r, values[%d])" % (k, key[3:], i))
        else:
            scope["fill%d" % n] = _filler(r, shape, kind, k, key)
            if key == "class_":  # one toggle (a row's "selected"): a part, written out
                holes += [
                    "    v = values[%d]" % i,
                    "    on = None",
                    "    if type(v) is dict and len(v) == 1:",
                    "        for name in v:",
                    "            on = v[name]",
                    "    if callable(on):",
                    "        parts.append([CLASS, %d, on, False, name])" % k,
                    "    else:",
                ]
                holes += generic("        fill%d(b, nodes, %d, v)" % (n, k))
            else:
                holes += generic("    fill%d(b, nodes, %d, values[%d])" % (n, k, i))
    if own is not None and own.end:  # (whatever happens to the holes, the clone goes out)
        lines.append("    try:")
        lines += ["    " + line for line in holes]
        lines.append("    finally:")
        lines += ["    " + line for line in own.end]
    else:
        lines += holes
    lines.append("    return nodes")
    exec("\n".join(lines), scope)
    return scope["plan"]


def _filler(r: Any, shape: Shape, kind: int, k: int, key: str) -> Any:
    """The function `(build, nodes, k, value)` that fills the hole on `nodes[k]` of a
    clone, chosen once: the same work as for any child or attribute, with the dispatch
    on the key done here (the cases `_plan` does not write out)."""
    if kind == CHILD:
        return _fill
    event = key[3:]
    if key[:3] == "on_" and event in DELEGATED:
        delegate = getattr(r, "delegate", None)
        if delegate is not None:
            return lambda b, nodes, k, value: delegate(nodes[k], event, value)
    tag = shape.nodes[k][1]
    if key == "class_":

        def fill_class(b: Build, nodes: Any, k: int, value: Any) -> None:
            if type(value) is dict:  # toggles: straight to them (`_plan` takes one
                bind_classes(b, nodes[k], value)  # toggled by a function as a part)
            else:
                bind_attribute(b, nodes[k], tag, key, value)

        return fill_class
    return lambda b, nodes, k, value: bind_attribute(b, nodes[k], tag, key, value)


def _fill(b: Build, nodes: Any, k: int, value: Any, fill_text: Any = None) -> None:
    """Put a child hole's value where its placeholder, `nodes[k]`, is (as a child
    would be built)."""
    r = b.r
    t = type(value)
    if t is str or t is int or t is float:
        text = as_parsed(value) if t is str else str(value)
        if not text:  # empty text makes no node
            _drop(r, nodes[k])
        elif fill_text is not None:
            fill_text(nodes, k, text)
        else:
            r.set_text(nodes[k], text)
    elif t is ReadSignal:  # its text: a part (see TemplateParts)
        b.parts.append([TEXT, k, value, ""])
    elif callable(value) and not hasattr(value, "__html__"):  # (no other view is callable)
        b.dynamic_hole(value, nodes, k)
    elif value is None or t is bool:
        _drop(r, nodes[k])
    else:
        put(b, b.build(value).nodes, nodes[k])


def put(b: Build, items: list[Any], placeholder: Any) -> None:
    """Insert `items` where `placeholder` is, and remove it."""
    r = b.r
    parent = r.parent_of(placeholder)
    for node in flat(items):
        r.insert_before(parent, node, placeholder)
    _drop(r, placeholder)


def _drop(r: Any, placeholder: Any) -> None:
    """Remove a placeholder for good (the browser forgets its node)."""
    r.remove(placeholder)
    release(r, [placeholder])

