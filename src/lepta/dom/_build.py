"""Building views into live DOM nodes, or adopting the server's nodes (hydration).

One `Build` walks a view the way the server renderer does. In create mode it makes
new nodes through the renderer protocol; in hydrate mode it takes the nodes already
in the document, in render order, following the markers of docs/hydration.md, and
creates nothing. Either way every dynamic part (text, attribute, class, style,
property, child range) becomes a render effect bound to exactly its node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..reactive import LeptaError, ReadSignal, RenderEffect, _core, current_scope, untrack
from ..reactive._core import enter_scope, leave_scope
from ..view._component import (
    ComponentCall,
    ComponentError,
    InvalidChildError,
    call_component,
    component_chain,
    invalid_child,
    raise_component_error,
    where,
)
from ..view._control import BoundaryView, KeyedList, PortalView, SuspenseView
from ..view._escape import as_parsed, raw_text
from ..view._marks import COMMENT, DYNAMIC_TEXT, ELEMENT, NOT_TEXT, STATIC_TEXT, TEXT
from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, Element
from ..view._template import TemplateUse
from ..view._values import text_of
from ._attributes import bind_attributes
from ._boundary import Reuse, boundary
from ._keyed import keyed_list
from ._mountable import Mountable, flat, release
from ._suspense import suspense
from ._template import build_template

if TYPE_CHECKING:
    from ._protocol import Renderer




_NO_LEVEL = None  # creating an element does not read its level


class HydrationMismatch(LeptaError):
    """The server's HTML differs from what the client renders for the same view."""


if TYPE_CHECKING:
    _Warning = UserWarning
else:
    try:
        _Warning = UserWarning
    except NameError:  # MicroPython has no warning classes
        _Warning = Exception


class HydrationMismatchWarning(_Warning):
    """The warning a hydration mismatch gives outside the browser (a UserWarning).

    Make it fail a test run: `pytest -W error::lepta.dom.HydrationMismatchWarning`, or
    pytest's `filterwarnings = ["error::lepta.dom.HydrationMismatchWarning"]`; or
    hydrate inside `lepta.testing.strict_hydration()`.
    """


# Inside lepta.testing.strict_hydration(): the mismatches found, to raise, not report.
strict_found: list[HydrationMismatch] | None = None


class Level:
    """The children of one parent being built: new nodes, or a cursor over old ones."""

    __slots__ = ("cursor", "nodes", "parent", "prev", "text")

    def __init__(self, cursor: Any = None, parent: Any = None) -> None:
        self.nodes: list[Any] = []  # what was produced, in order: nodes and Mountables
        self.cursor = cursor  # hydrate mode: the next server node to adopt
        self.parent = parent  # hydrate mode: the node whose children are walked
        self.prev = NOT_TEXT  # what the last child left: for the separators
        self.text: list[str] = []  # static text waiting to become one text node


class Build:
    """Builds views with renderer `r`; `hydrating` adopts existing nodes instead."""

    def __init__(self, r: Renderer, hydrating: bool = False) -> None:
        self.r = r
        self.hydrating = hydrating
        self.parts: list[list[Any]] = []  # of the template use being filled
        self.fill_text = getattr(r, "fill_text", None)  # (see `_parts`; looked up once)

    # --- children ------------------------------------------------------------------
    def children(self, view: Any, level: Level) -> None:
        """Add the nodes of `view` to `level`."""
        t = type(view)
        if t is TemplateUse:
            if build_template(self, view, level):
                return
            view = view.expand()  # the generic path, in this frame
            t = type(view)
        if t is str:
            self.static_text(view, level)
        elif t is int or t is float:
            self.static_text(str(view), level)
        elif t is Element:
            self.flush_text(level)
            level.nodes.append(self.element(view, level))
            level.prev = NOT_TEXT
        elif t is list or t is tuple:
            for child in view:
                self.children(child, level)
        elif view is None or t is bool:
            pass
        elif t is ComponentCall:
            self.component(view, level)
        elif t is KeyedList:
            self.flush_text(level)
            keyed_list(self, view, level)
        elif t is PortalView:
            self.flush_text(level)
            self.portal(view)
        elif t is BoundaryView:
            self.flush_text(level)
            boundary(self, view, level)
        elif t is SuspenseView:
            self.flush_text(level)
            suspense(self, view, level)
        elif t is Reuse:
            self.flush_text(level)
            level.nodes.extend(view.items)
            level.prev = NOT_TEXT
        elif hasattr(view, "__html__"):
            self.flush_text(level)
            self.raw(view.__html__(), level)
        elif callable(view):
            self.flush_text(level)
            self.dynamic(view, level)
        elif hasattr(view, "__next__"):
            for child in view:
                self.children(child, level)
        else:
            raise invalid_child(view)

    def build(self, view: Any, level: Level | None = None) -> Level:
        """Build `view` whole into `level` (a new one by default), its text included."""
        if level is None:
            level = Level()
        self.children(view, level)
        self.flush_text(level)
        return level

    def append(self, view: Any, parent: Any) -> list[Any]:
        """Build `view` anew, append its nodes to `parent`, and return what was built."""
        level = Level()
        if type(view) is tuple:  # an element's children: one nested call fewer
            for child in view:
                self.children(child, level)
        else:
            self.children(view, level)
        self.flush_text(level)
        items = level.nodes
        for node in flat(items):
            self.r.insert_before(parent, node, None)
        return items

    def static_text(self, text: str, level: Level) -> None:
        """Static text: merged with the static text next to it into one node."""
        if not text:
            return  # no node, on either side
        if level.prev == DYNAMIC_TEXT and not level.text:
            self.separator(level)
        level.text.append(as_parsed(text))
        level.prev = STATIC_TEXT

    def flush_text(self, level: Level) -> None:
        """Turn the waiting static text into its node (or adopt the server's)."""
        if not level.text:
            return
        text = "".join(level.text)
        level.text = []
        if self.hydrating:
            node = self.take(level, TEXT, text)
        else:
            node = self.r.create_text(text)
        level.nodes.append(node)

    def separator(self, level: Level) -> None:
        """Hydrating: skip the `<!>` the server put between two texts."""
        self.flush_text(level)
        if self.hydrating:
            self.take(level, COMMENT, None)

    def take(self, level: Level, kind: int, text: str | None, tag: str | None = None) -> Any:
        """Adopt the server node at the cursor, checking it is what the view expects."""
        r = self.r
        node = level.cursor
        found = "nothing" if node is None else describe(r, node)
        ok = node is not None and r.node_kind(node) == kind
        if ok and tag is not None:
            ok = r.tag_of(node).lower() == tag.lower()
        if ok and text is not None and kind == TEXT:
            ok = r.text_of(node) == text
        if not ok:
            expected = {ELEMENT: "<%s>" % tag, TEXT: "text %r" % text, COMMENT: "a marker <!>"}
            hint = (
                "Render the same view with the same data on both sides (for example, do "
                "not read the time or random numbers while rendering)."
            )
            if found in ("<tbody>", "<thead>", "<tfoot>") or tag in ("tr", "td", "th"):
                hint = "Browsers add <tbody> around table rows: write tbody(...) yourself."
            raise HydrationMismatch(
                "the server's HTML does not match the view%s: expected %s, found %s. %s"
                % (where(), expected[kind], found, hint)
            )
        level.cursor = r.next_sibling(node)
        return node

    # --- elements ------------------------------------------------------------------
    def element(self, e: Element, level: Level | None) -> Any:
        r = self.r
        if level is not None and self.hydrating:
            node = self.take(level, ELEMENT, None, e.tag)
        else:
            node = r.create_element(e.tag, e.namespace)
        attrs = e.attrs
        void = e.namespace == "" and e.tag in VOID_ELEMENTS
        if e.namespace == "" and e.tag in RAW_TEXT_ELEMENTS:
            self.raw_text_element(node, e)
        elif e.children and not void and not (attrs and "inner_html" in attrs):
            if self.hydrating:
                self.hydrate_children(node, e)
            elif not self.append_static(e.children, node):
                self.append(e.children, node)
        if attrs:  # after the children: a <select>'s value needs its options
            bind_attributes(self, node, e)
        return node

    def append_static(self, children: tuple[Any, ...], node: Any) -> bool:
        """The common case, made cheap: children that are only elements and static
        text go straight in. False (nothing done) if any child is something else."""
        for child in children:
            t = type(child)
            if t is not Element and t is not str and t is not int:
                return False
        r = self.r
        text = ""
        for child in children:
            t = type(child)
            if t is Element:
                if text:
                    r.insert_before(node, r.create_text(text), None)
                    text = ""
                r.insert_before(node, self.element(child, _NO_LEVEL), None)
            else:  # adjacent texts make one node, as on the server
                text += as_parsed(child) if t is str else str(child)
        if text:
            r.insert_before(node, r.create_text(text), None)
        return True

    def raw_text_element(self, node: Any, e: Element) -> None:
        """<script> and <style>: their children are one text node (as the server wrote it)."""
        r = self.r
        hydrating = self.hydrating
        text_node: list[Any] = []

        def run() -> None:
            text = raw_text("".join(text_of(c) for c in e.children))
            if text_node:
                if r.text_of(text_node[0]) != text:
                    r.set_text(text_node[0], text)
                return
            child = r.first_child(node) if hydrating else None
            if child is not None and r.node_kind(child) == TEXT and r.text_of(child) == text:
                text_node.append(child)
            elif hydrating and (child is not None or text):
                found = "nothing" if child is None else describe(r, child)
                raise HydrationMismatch(
                    "the server's HTML does not match the view%s: expected <%s> text %r, "
                    "found %s" % (where(), e.tag, text, found)
                )
            else:
                text_node.append(r.create_text(text))
                r.insert_before(node, text_node[0], None)

        RenderEffect(run)

    def hydrate_children(self, node: Any, e: Element) -> None:
        """Adopt an element's children; if they do not match, report it once and
        rebuild this element's content on the client (the page keeps working)."""
        r = self.r
        scope = current_scope()
        owned_mark = len(scope._owned or ()) if scope is not None else 0
        cleanup_mark = len(scope._cleanups or ()) if scope is not None else 0
        try:
            # Each child built from here, not through build(): two fewer nested calls
            # per level of elements, and MicroPython's C stack bounds how deep a page
            # can nest.
            inside = Level(r.first_child(node), node)
            for child in e.children:
                self.children(child, inside)
            self.flush_text(inside)
            if inside.cursor is not None:
                raise HydrationMismatch(
                    "the server's HTML has more inside <%s> than the view%s: %s is left over"
                    % (e.tag, where(), describe(r, inside.cursor))
                )
        except HydrationMismatch as mismatch:
            report_mismatch(mismatch)
            if scope is not None:  # undo what the attempt created
                _unwind(scope, owned_mark, cleanup_mark)
            r.clear(node)
            Build(r).append(e.children, node)

    # --- components ----------------------------------------------------------------
    def component(self, call: ComponentCall, level: Level) -> None:
        """Run the component once, untracked, under its own owner, and build its view."""
        if call._parent is not None:  # the same call placed twice: each use its own owner
            call = ComponentCall(call.component, call.props, call.children)
        parent = current_scope()
        call._parent = parent
        _core.own(parent, call)  # attached first, so a failed hydration can dispose it
        token = enter_scope(call)
        try:
            self.children(call_component(call, call.component.fn), level)
        except (ComponentError, InvalidChildError, HydrationMismatch, HydrationMismatchWarning):
            raise  # (the warning, when made an error: it is about the page, not this component)
        except Exception as exc:
            raise_component_error(exc, component_chain(call))
        finally:
            leave_scope(token)

    # --- dynamic children ----------------------------------------------------------
    def dynamic(self, fn: Callable[[], Any], level: Level) -> None:
        """A callable child: a text node kept up to date, or a range of nodes."""
        Range(self, fn, level)

    def dynamic_hole(self, fn: Callable[[], Any], nodes: Any, k: int) -> None:
        """A callable in the child hole of a template's clone `nodes`, whose placeholder
        is `nodes[k]` (see _template)."""
        HoleRange(self, fn, nodes, k)

    def raw(self, html: str, level: Level) -> None:
        """Raw HTML: its nodes, then an anchor (hydrating: skip to the anchor)."""
        r = self.r
        if level.prev != NOT_TEXT:
            self.separator(level)
        if self.hydrating:
            while level.cursor is not None and not is_marker(r, level.cursor):
                level.nodes.append(level.cursor)
                level.cursor = r.next_sibling(level.cursor)
            level.nodes.append(self.take(level, COMMENT, None))
        else:
            holder = r.create_element("div", "")
            r.set_inner_html(holder, "%s" % html)
            child = r.first_child(holder)
            while child is not None:
                following = r.next_sibling(child)
                level.nodes.append(child)
                child = following
            level.nodes.append(r.create_placeholder())
        level.prev = NOT_TEXT

    def portal(self, v: PortalView) -> None:
        """Portal content is built fresh (the server rendered none) into its target."""
        r = self.r
        target = v.mount if v.mount is not None else r.body
        items = Build(r).append(v.children, target)

        def remove() -> None:
            nodes = flat(items)
            for node in nodes:
                r.remove(node)
            release(r, nodes)

        from ..reactive import on_cleanup

        on_cleanup(remove)


class Range(RenderEffect, Mountable):
    """A dynamic child: a render effect that keeps its nodes in step with `fn()`.

    A text value is one text node, updated in place. Any other value is a range of
    nodes followed by an anchor comment, replaced as a whole when the value changes;
    what the previous content created (components, effects) is disposed first, since
    it belongs to this effect's previous run.
    """

    __slots__ = ("anchor", "build", "fn", "items", "kept", "place", "text_node")

    def __init__(
        self, build: Build, fn: Callable[[], Any], level: Any, follows: Any = None
    ) -> None:
        self.build = build
        self.fn = fn
        self.items: list[Any] = []  # the content: nodes and Mountables
        self.text_node: Any = None
        self.anchor: Any = None
        self.kept = False  # the content is a boundary's, kept while hidden: not released
        self.place = level  # where the first value goes (None once it went)
        RenderEffect.__init__(self, None, follows)  # (the range is its own effect: `_fn`)

    def run(self) -> None:
        place = self.place
        try:
            value = self.fn()
        except Exception:
            if place is not None:  # failing at once (an ErrorBoundary above hears of it):
                self.place = None
                self.first(None, place)  # take its place, empty, for later
            raise
        if place is not None:
            self.place = None
            self.first(value, place)
        else:
            self.update(value)

    _fn = run

    def flatten(self, out: list[Any]) -> None:
        out.extend(flat(self.items))
        if self.anchor is not None:
            out.append(self.anchor)

    def first(self, value: Any, level: Level) -> None:
        b = self.build
        t = type(value)
        if t is str or t is int or t is float:
            text = as_parsed(value) if t is str else str(value)
            if level.prev != NOT_TEXT:
                b.separator(level)
            if b.hydrating:
                r = b.r
                node = level.cursor
                if node is not None and r.node_kind(node) == TEXT:
                    if r.text_of(node) != text:
                        b.take(level, TEXT, text)  # raises the mismatch
                    level.cursor = r.next_sibling(node)
                else:  # the server rendered an empty text as nothing: add its node
                    if text:
                        b.take(level, TEXT, text)  # raises the mismatch
                    node = r.create_text(text)
                    r.insert_before(level.parent, node, level.cursor)
            else:
                node = b.r.create_text(text)
            self.text_node = node
            self.items = [node]
            level.nodes.append(self)
            level.prev = DYNAMIC_TEXT
            return
        if level.prev != NOT_TEXT:
            b.separator(level)
        level.prev = NOT_TEXT
        self.kept = type(value) is Reuse
        inner = untrack(lambda: b.build(value, Level(level.cursor, level.parent)))
        level.cursor = inner.cursor
        if b.hydrating:
            self.anchor = b.take(level, COMMENT, None)
        else:
            self.anchor = b.r.create_placeholder()
        self.items = inner.nodes
        level.nodes.append(self)
        level.prev = NOT_TEXT

    def update(self, value: Any) -> None:
        r = self.build.r
        t = type(value)
        if t is str or t is int or t is float:
            text = as_parsed(value) if t is str else str(value)
            if self.text_node is not None:
                if r.text_of(self.text_node) != text:
                    r.set_text(self.text_node, text)
                return
            node = r.create_text(text)
            self.replace([node])
            self.text_node = node
            self.kept = False
            return
        if type(value) is Reuse and value.items == self.items:
            return  # already showing exactly these
        self.replace(untrack(lambda: Build(r).build(value)).nodes)
        self.text_node = None
        self.kept = type(value) is Reuse

    def replace(self, new: list[Any]) -> None:
        """Put `new` where the current content is, and remove that."""
        r = self.build.r
        old = flat(self.items)
        before = old[0] if old else self.anchor
        if before is None:
            return
        parent = r.parent_of(before)
        if parent is None:  # detached (kept by an ErrorBoundary): nodes come back later
            if self.anchor is None:
                self.anchor = r.create_placeholder()
            self.items = new
            return
        if self.anchor is None:  # a text turning into a view needs its anchor now
            self.anchor = r.create_placeholder()
            r.insert_before(parent, self.anchor, before)
            before = self.anchor
        for node in flat(new):
            r.insert_before(parent, node, before)
        for node in old:
            r.remove(node)
        if not self.kept:
            release(r, old)
        self.items = new


class HoleRange(Range):
    """A dynamic child in a template (see _template): it starts where its placeholder,
    an empty text node of the clone, is; a text value takes that node over.

    While the value stays text, a renderer with `fill_text` writes it by the node's
    place in the clone, so the browser's mirror need not make the node: `at` keeps
    `(nodes, k)` until a node is needed (the value turns into a view, or the range is
    flattened).
    """

    __slots__ = ("at", "text")

    def __init__(self, build: Build, fn: Callable[[], Any], nodes: Any, k: int) -> None:
        self.at: Any = None
        self.text = ""
        r = build.r
        if type(fn) is ReadSignal and getattr(r, "fill_text", None) is not None:
            value = fn.get_untracked()
            t = type(value)
            if t is str or t is int or t is float:
                # A plain signal holding text (a row's label): written now, and the
                # effect follows the signal without a tracked first run.
                text = as_parsed(value) if t is str else str(value)
                if text:
                    r.fill_text(nodes, k, text)  # type: ignore[attr-defined]
                self.text = text
                self.at = (nodes, k)
                Range.__init__(self, build, fn, None, fn)  # its first value went in
                return
        Range.__init__(self, build, fn, (nodes, k))

    def first(self, value: Any, place: Any) -> None:
        b = self.build
        r = b.r
        nodes, k = place
        t = type(value)
        if t is str or t is int or t is float:
            text = as_parsed(value) if t is str else str(value)
            fill_text = getattr(r, "fill_text", None)
            if fill_text is not None:
                if text:
                    fill_text(nodes, k, text)
                self.text = text
                self.at = place
                return
            placeholder = nodes[k]
            if text:
                r.set_text(placeholder, text)
            self.text_node = placeholder
            self.items = [placeholder]
            return
        from ._template import put

        self.kept = t is Reuse
        inner = untrack(lambda: b.build(value))
        self.anchor = r.create_placeholder()
        self.items = inner.nodes
        put(b, inner.nodes + [self.anchor], nodes[k])

    def run(self) -> None:
        at = self.at
        if at is None:
            Range.run(self)
            return
        value = self.fn()
        t = type(value)
        if t is str or t is int or t is float:
            text = as_parsed(value) if t is str else str(value)
            if text != self.text:
                self.text = text
                self.build.r.fill_text(at[0], at[1], text)  # type: ignore[attr-defined]
            return
        self._materialize()
        self.update(value)

    _fn = run

    def _materialize(self) -> None:
        """Make (and keep) the node of the text written by position."""
        nodes, k = self.at
        self.at = None
        node = nodes[k]
        self.text_node = node
        self.items = [node]

    def flatten(self, out: list[Any]) -> None:
        if self.at is not None:
            self._materialize()
        Range.flatten(self, out)


def _unwind(scope: Any, owned_mark: int, cleanup_mark: int) -> None:
    """Dispose what was added to `scope` after the marks (a failed hydration attempt)."""
    owned = scope._owned
    if owned is not None and len(owned) > owned_mark:
        extra = owned[owned_mark:]
        del owned[owned_mark:]
        for item in reversed(extra):
            item._dispose(False)
    cleanups = scope._cleanups
    if cleanups is not None and len(cleanups) > cleanup_mark:
        extra = cleanups[cleanup_mark:]
        del cleanups[cleanup_mark:]
        for fn in reversed(extra):
            fn()


def report_mismatch(mismatch: HydrationMismatch) -> None:
    """Tell the developer, once per mismatch: `console.warn` in the browser, a
    HydrationMismatchWarning elsewhere. The message names the components, outermost
    first, around the place where the HTML and the view differ."""
    if strict_found is not None:
        strict_found.append(mismatch)
        return
    from ._console import warn

    warn(str(mismatch), HydrationMismatchWarning)


def is_marker(r: Renderer, node: Any) -> bool:
    return bool(r.node_kind(node) == COMMENT and r.text_of(node) == "")


def describe(r: Renderer, node: Any) -> str:
    kind = r.node_kind(node)
    if kind == ELEMENT:
        return "<%s>" % r.tag_of(node)
    if kind == TEXT:
        return "text %r" % r.text_of(node)
    if kind == COMMENT:
        return "a comment <!--%s-->" % r.text_of(node)
    return "a node of kind %d" % kind
