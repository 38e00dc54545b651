"""The browser backend of the renderer protocol, for MicroPython and Pyodide.

Every call across the bridge between Python and JavaScript costs 20-40 us, against
about 1 us for a DOM call made from JavaScript. So this renderer does not call the
DOM node by node. It keeps a light mirror of the nodes it knows (kind, tag, text,
parent, children) and records what to change as a flat list of operations, which
the loader's JavaScript applies in one call (`commit`) at the end of each event,
effect flush or mount. Nodes are named by integer ids on both sides; no Python
object is handed to JavaScript per node, so there are no proxies to release.

Server-rendered nodes enter the mirror when first needed: one `describe` call
returns a node's whole subtree, numbered in document order on both sides.

Handlers are kept here, by node id; the page's one listener per event type walks
up from the event's target in JavaScript and calls `fire(id, type, event)` for the
nodes that have a handler, so a click costs one call into Python.
"""

from __future__ import annotations

import gc
import json
import sys
from typing import Any, Callable

from ..reactive import _core
from ..view._marks import COMMENT, DOCUMENT, ELEMENT, TEXT
from ..view._template import ATTRIBUTE, CHILD
from ._events import DELEGATED, both

DOCUMENT_ID = 1
BODY_ID = 2

# The operations, as the loader's `apply` reads them: fields separated by U+001F.
#   1 id tag namespace    create an element     10 node name 1|0   toggle a class
#   2 id text             create a text         11 node prop value set a style ("" removes)
#   3 id                  create a comment      12 node name json  set a property
#   4 parent node ref|0   insert (0: append)    13 node html       set innerHTML
#   5 node                remove                14 node type       listen on the node
#   6 parent              remove (and release)  15 node type       stop listening
#                         all children
#   7 node text           set a text            16 node type       has a delegated handler
#   8 node name value     set an attribute      17 node            release node and subtree
#   9 node name           remove an attribute
#  18 node template       keep the detached tree `node` as template number `template`
#  19 template base       clone a template, numbering its nodes from `base` in order
#  20 parent ref|0 ids    insert nodes `ids` (comma separated) together, in order
#  21 template base n (k text)*n   clone a template, and write the texts of its nodes
#                         `k` ("": none written)
TEXT_OP = "\x1f7\x1f%d\x1f%s"  # 7, set a text (its text clean: see `_clean`)
_JSON_TYPES = (str, int, float, bool, type(None))


NO_KIDS: Any = ()  # a node known to have no children (a list is made on the first)
_page: list[Any] = []  # the page's renderer, for Node.js


class _Defaults:
    """What a mirror node holds until told otherwise. MicroPython has no __slots__
    (each attribute set on an instance goes into its own table), so there a node sets
    only what differs from these: making one costs about half as much."""

    __slots__ = ()
    parent: Node | None = None  # UNKNOWN: in a clone, not looked up yet
    kids: list[Node] | None = NO_KIDS  # None: not read from the page yet
    idx = 0  # a hint: the position in the parent's kids
    clone: Clone | None = None  # the clone of a template it is part of


_SLOTS = sys.implementation.name != "micropython"  # where slots must all be set


class Node(_Defaults):
    """The mirror of one DOM node. `js` is the real node (after pending changes)."""

    __slots__ = ("clone", "data", "id", "idx", "kids", "kind", "name", "parent")

    def __init__(self, id: int, kind: int, name: str, data: str) -> None:
        self.id = id
        self.kind = kind
        self.name = name  # an element's tag
        self.data = data  # a text's or comment's content
        if _SLOTS:
            self.parent = None
            self.kids = NO_KIDS
            self.idx = 0
            self.clone = None

    @property
    def js(self) -> Any:
        """The browser's node, with every pending change applied."""
        return _page[0].js_node(self)

    def __getattr__(self, name: str) -> Any:  # node_ref users call el.focus(), ...
        return getattr(_page[0].js_node(self), name)

    def __repr__(self) -> str:
        return "<node %d %s>" % (self.id, self.name or repr(self.data))


class Clone:
    """The nodes of one clone of a template, made in the mirror only when needed.

    A row of a list may have ten nodes of which Python touches three (a text, an
    element with a handler): only those get mirror nodes at first (`made`, indexed
    in document order), others when a parent or children are looked up (from the
    template's shape).
    """

    __slots__ = ("base", "made", "template")

    def __init__(self, template: Any, base: int) -> None:
        self.template = template  # (number, shape, children of each node)
        self.base = base
        # k: its mirror node, or (a str) the text written to it before one was made
        self.made: dict[int, Any] = {}

    def __getitem__(self, k: int) -> Node:
        """The mirror node of the clone's node `k` (in document order)."""
        node = self.made.get(k)
        if node is None or type(node) is str:
            kind, name, parent, _, _ = self.template[1].nodes[k]
            if kind == ELEMENT:
                node = Node(self.base + k, ELEMENT, name, "")
                if self.template[2][k]:
                    node.kids = None  # listed from the shape when needed
            else:
                node = Node(self.base + k, kind, "", name if node is None else node)
            if parent >= 0:
                node.parent = UNKNOWN
            elif not _SLOTS:  # (the root: made with room for where it will go)
                node.parent = None
                node.idx = 0
            node.clone = self
            self.made[k] = node
        return node


    def kids(self, node: Node) -> list[Node]:
        kids = []
        for i, k in enumerate(self.template[2][node.id - self.base]):
            kid = self[k]
            kid.parent = node
            kid.idx = i
            kids.append(kid)
        return kids

    def parent(self, node: Node) -> Node:
        """The parent of `node` (which has one in the shape), its children listed."""
        k = node.id - self.base
        parent = self[self.template[1].nodes[k][2]]
        if parent.kids is None:
            parent.kids = self.kids(parent)
        return parent


UNKNOWN = Node(0, ELEMENT, "", "")  # the parent of a clone's node not looked up yet


class FillerCode:
    """The code a template's filler writes out for the browser (see `filler_code`):
    names it uses, the lines that make the clone (`start`) and make sure it was sent
    (`end`), and the lines that write a text, a signal's text and a delegated handler,
    and that surround a call to a hole's own filler (`generic`).

    A clone's texts are kept in variables (`t3` for node 3) while its holes are
    filled, and sent with the clone (operation 21: template, base, count, then node and
    text for each text hole, "" for one not written there). A hole's own filler may
    add operations on the clone's nodes, and may run code that reads the page (which
    sends the operations so far): the clone is sent before any such call, with the
    texts known by then (those after it go as any text), and the operations list and
    handler table are looked up again after it."""

    def __init__(self, handle: Any) -> None:
        number, shape, _ = handle
        holes = [k for kind, k, _, _ in shape.holes if kind == CHILD]  # (the text holes)
        op = "\x1f21\x1f%d\x1f%%d\x1f%d" % (number, len(holes))
        op += "".join("\x1f%d\x1f%%s" % k for k in holes)
        self.names = {"clean": _clean, "Clone": Clone, "CLONE_OP": op}
        self.start = [
            "    r = b.r",
            "    base = r.next_id",
            "    r.next_id = base + %d" % len(shape.nodes),
            "    nodes = Clone(handle, base)",
            "    made = nodes.made",
            "    op = r.ops.append",
            "    handlers = r.handlers",
        ]
        self.end: list[str] = []
        self.send: list[str] = []
        if not holes:
            self.start.append("    op(CLONE_OP % base)")
            return
        names = ["t%d" % k for k in holes]
        texts = ", ".join(names)
        self.start += ["    %s = ''" % " = ".join(names), "    sent = False"]
        self.send = [
            "if not sent:",
            "    sent = True",
            "    op(CLONE_OP %% (base, %s))" % texts,
        ]
        self.end = ["    if not sent:", "        r.ops.append(CLONE_OP %% (base, %s))" % texts]

    def text(self, k: int, indent: int) -> list[str]:
        """Text `v` (not empty) for node `k`: kept for the clone's operation, unless
        the clone was sent or the node made already (then set as any node's text)."""
        pad = " " * indent
        return [
            pad + "if sent or %d in made:" % k,
            pad + "    fill_text(nodes, %d, v)" % k,
            pad + "else:",
            pad + "    made[%d] = v" % k,
            pad + "    t%d = clean(v) if v < '\\x1f' or '\\x1f' in v else v" % k,
        ]

    def signal_text(self, k: int, indent: int) -> list[str]:
        """Signal `v`'s text now for node `k`, kept as `text` does; the part (see
        TemplateParts) starts from it, so its first run writes nothing."""
        pad = " " * indent
        return [
            pad + "s = None if sent or %d in made else v.get_untracked()" % k,
            pad + "if type(s) is str and s:",
            pad + "    if '\\0' in s:",
            pad + "        s = s.replace('\\0', '\\ufffd')",
            pad + "    made[%d] = s" % k,
            pad + "    t%d = clean(s) if s < '\\x1f' or '\\x1f' in s else s" % k,
            pad + "    parts.append([TEXT, %d, v, s])" % k,
            pad + "else:",
            pad + "    parts.append([TEXT, %d, v, ''])" % k,
        ]

    def handler(self, k: int, event_type: str, value: str) -> list[str]:
        """Handler `value` (code) for a delegated event of node `k`."""
        return [
            "    if base + %d in handlers:" % k,
            "        handle_at(nodes, %d, %r, %s)" % (k, event_type, value),
            "    else:",
            "        handlers[base + %d] = {%r: %s}" % (k, event_type, value),
        ]

    def generic(self, call: str) -> list[str]:
        """The line `call` (a hole's own filler, at its indent), with the clone sent
        before it and the renderer's list and table looked up again after it."""
        pad = call[: len(call) - len(call.lstrip())]
        lines = [pad + line for line in self.send]
        lines += [call, pad + "op = r.ops.append", pad + "handlers = r.handlers"]
        return lines


class BrowserRenderer:
    """The renderer protocol over the page's DOM, through the loader's bridge."""

    def __init__(self, bridge: Any) -> None:
        self.bridge = bridge
        self.ops: list[Any] = []
        self.next_id = BODY_ID + 1
        self.handlers: dict[int, dict[str, Callable[[Any], Any]]] = {}
        self.forgotten = 0  # nodes with handlers the page let go since then
        # Ask for memory to be collected once the page is idle, or once it has painted
        # the change (see GC_THRESHOLD and COLLECT_AT_ONCE).
        self.collect_later = getattr(bridge, "collectLater", None)
        self.after_paint = getattr(bridge, "collectSoon", None)  # (calls `collect`)
        self.released: list[Any] = []  # what to free after the paint (see `let_go`)
        self.after_the_paint: list[Callable[[], None]] = []  # see `when_painted`
        self.document = Node(DOCUMENT_ID, DOCUMENT, "#document", "")
        self.body = Node(BODY_ID, ELEMENT, "body", "")
        self.body.kids = None
        self.pending_flush: Callable[[], None] | None = None
        self.templates = 0
        _page[:] = [self]

    def let_go(self, things: Any, much: bool = False) -> None:
        """`things` (the rows a list let go) are no longer needed; `much`: many.

        Where memory is counted by references (Pyodide), freeing thousands of objects
        costs as much as the change that let them go: they are kept until the page has
        painted the change, then freed (`collect`). On MicroPython letting go costs
        nothing, but memory is collected between events: after `much`, it is collected
        as soon as the page has painted the change (without the loader, once the
        event is over: there `gc.collect()` inside an event only asks for it)."""
        if _MICROPYTHON:
            if much:
                if self.after_paint is not None:
                    self.after_paint()
                else:
                    _collect()
        elif self.after_paint is not None:
            self.released.append(things)
            if len(self.released) == 1:
                self.after_paint()

    def when_painted(self, work: Callable[[], None]) -> None:
        """Run `work` once the page has painted the change being made (at once
        without the loader): what a change leaves to tidy up, such as dropping the
        subscriptions of a thousand rows' effects, need not delay what it shows."""
        if self.after_paint is None:
            work()
            return
        self.after_the_paint.append(work)
        if len(self.after_the_paint) == 1:  # (asked once: `collect` runs them all)
            self.after_paint()

    def collect(self) -> None:
        """Called by the page once it has painted a change, or has been idle: run
        what was left for then, free what was let go, collect memory."""
        work = self.after_the_paint
        if work:
            self.after_the_paint = []
            for each in work:
                try:
                    each()
                except BaseException as exc:
                    report(exc, "tidying up after a change")
        self.released = []
        _collect()

    # --- sending the changes --------------------------------------------------------
    def commit(self) -> None:
        """Apply the recorded operations to the page, in one call."""
        if not self.ops:
            return
        ops = self.ops
        self.ops = []
        released = self.bridge.apply("".join(ops))
        if self.collect_later is not None:
            self.collect_later()
        if released:  # how many nodes with handlers the page let go
            self.forgotten += int(released)
            handlers = self.handlers
            if 2 * self.forgotten > len(handlers):
                # Their handlers stay here until they are most of the table (a list
                # cleared, most rows replaced): then only those of the nodes the page
                # still knows are kept, at the cost of the live ones, where dropping
                # each id as it went cost a search per id (and with MicroPython's
                # dicts, which reuse the place of a removed key only when they grow,
                # slowed every new key). So a list's rows go with no work per handler.
                live = json.loads(self.bridge.handled())
                self.handlers = {id: handlers[id] for id in live if id in handlers}
                self.forgotten = 0
                self.let_go(handlers)  # (the old table, with the handlers of the rows)

    def js_node(self, node: Node) -> Any:
        self.commit()
        return self.bridge.node(node.id)

    # --- creating nodes -------------------------------------------------------------
    def create_element(self, tag: str, namespace: str = "") -> Node:
        id = self.next_id
        self.next_id = id + 1
        self.ops.append("\x1f1\x1f%d\x1f%s\x1f%s" % (id, tag, namespace))
        return Node(id, ELEMENT, tag, "")

    def create_text(self, text: str) -> Node:
        id = self.next_id
        self.next_id = id + 1
        self.ops.append("\x1f2\x1f%d\x1f%s" % (id, _clean(text)))
        return Node(id, TEXT, "", text)

    def create_placeholder(self) -> Node:
        id = self.next_id
        self.next_id = id + 1
        self.ops.append("\x1f3\x1f%d" % id)
        return Node(id, COMMENT, "", "")

    # --- templates (see dom._template) -------------------------------------------
    def template(self, root: Node, shape: Any) -> Any:
        """Keep the detached tree `root` as a template (the page forgets its nodes).
        The page is told which of its nodes take a delegated handler (`k type`, comma
        separated), and marks them on each clone: no operation per handler (see
        `handle_at`)."""
        self.templates += 1
        number = self.templates
        events = ",".join(
            "%d %s" % (k, key[3:])
            for kind, k, key, _ in shape.holes
            if kind == ATTRIBUTE and key[:3] == "on_" and key[3:] in DELEGATED
        )
        self.ops.append("\x1f18\x1f%d\x1f%d\x1f%s" % (root.id, number, events))
        children: list[list[int]] = [[] for _ in shape.nodes]
        for k, entry in enumerate(shape.nodes):
            if entry[2] >= 0:
                children[entry[2]].append(k)
        return (number, shape, children)

    def clone(self, template: Any) -> Clone:
        """A copy of a template, its nodes numbered in document order from a new id;
        `clone[k]` is the mirror node of its node `k`, made when first asked for."""
        base = self.next_id
        self.next_id = base + len(template[1].nodes)
        self.ops.append("\x1f19\x1f%d\x1f%d" % (template[0], base))
        return Clone(template, base)

    def fill_text(self, clone: Clone, k: int, text: str) -> None:
        """Write the text of a clone's (empty) text node `k`, making no mirror node."""
        made = clone.made
        node = made.get(k)
        if node is not None and type(node) is not str:
            self.set_text(node, text)
            return
        made[k] = text  # (the node's text, should it be made later)
        if text < "\x1f" or "\x1f" in text or "\x00" in text:  # (see `_clean`)
            text = _clean(text)
        self.ops.append(TEXT_OP % (clone.base + k, text))

    def filler_code(self, handle: Any) -> FillerCode:
        """What a template's generated filler (`dom._template._plan`) writes out for a
        new clone of `handle` in place of calls to `clone`, `fill_text` and
        `handle_at`: the same work, with fewer calls and operations per row of a
        list. The clone's texts go out with it, in one operation (21) written once
        its holes are filled."""
        return FillerCode(handle)

    def handle_at(self, clone: Clone, k: int, event_type: str, handler: Any) -> None:
        """The handler of a delegated event on a clone's node `k`, which the page
        marked as it cloned the template (see `template`)."""
        id = clone.base + k
        if id in self.handlers:
            self._handler_of(id, event_type, handler)
        else:  # (a new clone's node: the common case, written out)
            self.handlers[id] = {event_type: handler}

    # --- the tree -------------------------------------------------------------------
    def insert_before(self, parent: Node, node: Node, ref: Node | None = None) -> None:
        old = node.parent
        if old is UNKNOWN:
            old = node.clone.parent(node)  # type: ignore[union-attr]
        if old is not None:
            kids = old.kids
            if kids:
                del kids[_index(kids, node)]
        kids = parent.kids
        if not kids:
            kids = self._kids(parent)
        if ref is None:
            node.idx = len(kids)
            kids.append(node)
            self.ops.append("\x1f4\x1f%d\x1f%d\x1f0" % (parent.id, node.id))
        else:
            i = _index(kids, ref)
            kids.insert(i, node)
            node.idx = i
            ref.idx = i + 1
            self.ops.append("\x1f4\x1f%d\x1f%d\x1f%d" % (parent.id, node.id, ref.id))
        node.parent = parent

    def insert_all(self, parent: Node, nodes: list[Node], ref: Node | None = None) -> None:
        """Insert new `nodes` (none in the tree yet), in order, before `ref`: one
        operation, which the page does with one insertion (new rows of a list)."""
        if any(node.parent is not None for node in nodes):  # (some to move: one by one)
            for node in nodes:
                self.insert_before(parent, node, ref)
            return
        kids = parent.kids
        if not kids:
            kids = self._kids(parent)
        i = len(kids) if ref is None else _index(kids, ref)
        kids[i:i] = nodes
        for node in nodes:
            node.parent = parent
            node.idx = i
            i += 1
        if ref is not None:
            ref.idx = i
        self.ops.append(
            "\x1f20\x1f%d\x1f%d\x1f%s"
            % (parent.id, 0 if ref is None else ref.id, ",".join([str(n.id) for n in nodes]))
        )

    def remove(self, node: Node) -> None:
        parent = node.parent
        if parent is UNKNOWN:
            parent = node.clone.parent(node)  # type: ignore[union-attr]
        if parent is not None:
            kids = parent.kids
            if kids:
                del kids[_index(kids, node)]
            node.parent = None
        self.ops.append("\x1f5\x1f%d" % node.id)

    def clear(self, parent: Node) -> None:
        if parent.kids:
            for kid in parent.kids:
                kid.parent = None
        parent.kids = NO_KIDS
        self.ops.append("\x1f6\x1f%d" % parent.id)

    def release(self, nodes: list[Node]) -> None:
        """These nodes (and what is inside them) are gone for good: let both sides
        forget them, so long-running pages do not grow."""
        add = self.ops.append
        for node in nodes:
            add("\x1f17\x1f%d" % node.id)

    # --- walking --------------------------------------------------------------------
    def parent_of(self, node: Node) -> Node | None:
        parent = node.parent
        if parent is UNKNOWN:
            parent = node.clone.parent(node)  # type: ignore[union-attr]
        return parent

    def first_child(self, node: Node) -> Node | None:
        kids = node.kids
        if kids is None:
            kids = self._kids(node)
        if not kids:
            return None
        first = kids[0]
        first.idx = 0
        return first

    def next_sibling(self, node: Node) -> Node | None:
        parent = node.parent
        if parent is UNKNOWN:
            parent = node.clone.parent(node)  # type: ignore[union-attr]
        if parent is None or not parent.kids:
            return None
        kids = parent.kids
        i = _index(kids, node) + 1
        if i >= len(kids):
            return None
        following = kids[i]
        following.idx = i
        return following

    def node_kind(self, node: Node) -> int:
        return node.kind

    def tag_of(self, element: Node) -> str:
        return element.name

    def text_of(self, node: Node) -> str:
        return node.data

    def _kids(self, node: Node) -> list[Node]:
        """`node`'s children, as a list that may grow (read from the page if unknown)."""
        kids = node.kids
        if kids is None:
            clone = node.clone
            kids = node.kids = self._describe(node) if clone is None else clone.kids(node)
        elif kids is NO_KIDS:
            kids = node.kids = []
        return kids

    def _describe(self, node: Node) -> list[Node]:
        """Read `node`'s subtree from the page: [kind, tag-or-text, child count] per
        node in document order; the page numbers them from `next_id` the same way."""
        self.commit()
        flat = json.loads(self.bridge.describe(node.id, self.next_id))
        top: list[Node] = []
        stack: list[Any] = [[node, top, -1]]  # parent, its kids, how many still to come
        i = 0
        n = len(flat)
        while i < n:
            kind = flat[i]
            text = flat[i + 1]
            count = flat[i + 2]
            i += 3
            frame = stack[-1]
            id = self.next_id
            self.next_id = id + 1
            if kind == ELEMENT:
                child = Node(id, ELEMENT, text, "")
            else:
                child = Node(id, kind, "", text)
            child.parent = frame[0]
            child.idx = len(frame[1])
            frame[1].append(child)
            frame[2] -= 1
            if kind == ELEMENT and count:
                child.kids = []
                stack.append([child, child.kids, count])
            while len(stack) > 1 and stack[-1][2] == 0:
                stack.pop()
        return top

    # --- content --------------------------------------------------------------------
    def set_text(self, node: Node, text: str) -> None:
        node.data = text
        self.ops.append(TEXT_OP % (node.id, _clean(text)))

    def set_attribute(self, element: Node, name: str, value: str) -> None:
        self.ops.append("\x1f8\x1f%d\x1f%s\x1f%s" % (element.id, name, _clean(value)))

    def remove_attribute(self, element: Node, name: str) -> None:
        self.ops.append("\x1f9\x1f%d\x1f%s" % (element.id, name))

    def toggle_class(self, element: Node, name: str, on: bool) -> None:
        self.ops.append("\x1f10\x1f%d\x1f%s\x1f%d" % (element.id, _clean(name), 1 if on else 0))

    def set_style(self, element: Node, prop: str, value: str | None) -> None:
        self.ops.append("\x1f11\x1f%d\x1f%s\x1f%s" % (element.id, prop, _clean(value or "")))

    def set_property(self, element: Node, name: str, value: Any) -> None:
        if isinstance(value, _JSON_TYPES):
            value = _clean(json.dumps(value))
            self.ops.append("\x1f12\x1f%d\x1f%s\x1f%s" % (element.id, name, value))
        else:  # a Python object: handed over directly
            setattr(self.js_node(element), name, value)

    def get_property(self, element: Node, name: str) -> Any:
        return getattr(self.js_node(element), name)

    def set_inner_html(self, element: Node, html: str) -> None:
        self.clear(element)
        element.kids = None  # the browser parses it: read it back when needed
        self.ops.append("\x1f13\x1f%d\x1f%s" % (element.id, _clean(html)))

    # --- events ---------------------------------------------------------------------
    def delegate(self, node: Node, event_type: str, handler: Callable[[Any], Any]) -> None:
        """`handler` for a bubbling event: the page's one listener for the type finds it."""
        self._handler(node, event_type, handler)
        self.ops.append("\x1f16\x1f%d\x1f%s" % (node.id, event_type))

    def add_listener(self, target: Node, event_type: str, handler: Callable[[Any], Any]) -> None:
        self._handler(target, event_type, handler)
        self.ops.append("\x1f14\x1f%d\x1f%s" % (target.id, event_type))

    def remove_listener(
        self, target: Node, event_type: str, handler: Callable[[Any], Any]
    ) -> None:
        types = self.handlers.get(target.id)
        if types is not None and types.get(event_type) is handler:
            del types[event_type]
            self.ops.append("\x1f15\x1f%d\x1f%s" % (target.id, event_type))

    def _handler(self, node: Node, event_type: str, handler: Callable[[Any], Any]) -> None:
        self._handler_of(node.id, event_type, handler)

    def _handler_of(self, id: int, event_type: str, handler: Callable[[Any], Any]) -> None:
        types = self.handlers.get(id)
        if types is None:
            self.handlers[id] = {event_type: handler}
        else:  # a second handler for the type (a binding and on_...): both run
            types[event_type] = both(types.get(event_type), handler)

    def fire(self, id: int, event_type: str, event: Any) -> None:
        """Called by the page for an event on node `id`; effects flush before it returns."""
        with CollectorPaused(self):
            types = self.handlers.get(id)
            handler = types.get(event_type) if types is not None else None
            if handler is not None:
                try:
                    handler(event)
                except BaseException as exc:  # the page keeps working; the console shows it
                    report(exc, "a %s handler" % event_type)
                try:
                    _core.flush()
                except BaseException as exc:
                    report(exc, "an effect")
            self.commit()

    # --- effects --------------------------------------------------------------------
    def schedule(self, callback: Callable[[], None]) -> bool:
        """The scheduler: effects flush on a microtask (MicroPython's asyncio is slow)."""
        self.pending_flush = callback
        self.bridge.schedule()
        return True

    def run_scheduled(self) -> None:
        with CollectorPaused(self):
            callback = self.pending_flush
            self.pending_flush = None
            if callback is not None:
                try:
                    callback()
                except BaseException as exc:
                    report(exc, "an effect")
            self.commit()


class CollectorPaused:
    """`with CollectorPaused(renderer):` around a turn of the page's (an event, the
    effects it made due): on CPython (Pyodide), the cycle collector waits until the
    turn is over; then it runs again between turns, the page collects once idle, and
    at once if the turns since the last collection made COLLECT_AT_ONCE new objects.
    (MicroPython's browser build collects between turns only anyway.)"""

    __slots__ = ("paused", "renderer")

    def __init__(self, renderer: BrowserRenderer) -> None:
        self.renderer = renderer
        self.paused = False

    def __enter__(self) -> None:
        if not _MICROPYTHON and gc.isenabled():
            gc.disable()
            self.paused = True

    def __exit__(self, *exc: Any) -> None:
        if not self.paused:
            return
        gc.enable()
        if gc.get_count()[0] > COLLECT_AT_ONCE:
            gc.collect()
        elif self.renderer.collect_later is not None:
            self.renderer.collect_later()


def flush_page() -> None:
    """Run the effects a change outside an event made due, and apply their DOM
    operations now (for callbacks from the page such as a history navigation)."""
    if not _page:
        return
    try:
        _core.flush()
    except BaseException as exc:
        report(exc, "an effect")
    _page[0].commit()


def _clean(text: str) -> str:
    """Text for the operations string, whose fields are separated by U+001F (NUL would
    cut MicroPython's strings short): a text holding either goes as JSON, marked with
    U+001E (as does one that starts with that mark). Callers on hot paths call it
    only for a text that holds U+001F or NUL, or sorts before U+001F (one comparison:
    it starts with a control character, such as U+001E, or is empty)."""
    if "\x1f" in text or "\x00" in text or text[:1] == "\x1e":
        return "\x1e" + json.dumps(text)
    return text


def _index(kids: list[Node], node: Node) -> int:
    """Where `node` is in `kids`: its hint if still right, or one off (a node inserted
    or removed before it, as when two rows trade places), else a search."""
    i = node.idx
    n = len(kids)
    if i < n and kids[i] is node:
        return i
    if i + 1 < n and kids[i + 1] is node:
        i += 1
    elif 0 < i <= n and kids[i - 1] is node:
        i -= 1
    else:
        i = kids.index(node)
    node.idx = i
    return i


def report(exc: BaseException, where: str) -> None:
    """Show a Python exception, with its traceback, in the browser console."""
    text = format_exception(exc)
    try:
        import js  # type: ignore[import-not-found]

        js.console.error("lepta: %s raised an exception:\n%s" % (where, text))
    except ImportError:
        print(text)


def format_exception(exc: BaseException) -> str:
    try:
        import traceback

        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except (ImportError, AttributeError):  # MicroPython
        import io
        import sys

        out = io.StringIO()
        sys.print_exception(exc, out)  # type: ignore[attr-defined]
        return out.getvalue()


def boot(entry: str) -> Any:
    """Start an app in the page: `entry` is "module:Component". The loader calls this
    once the runtime and the bundle are in place; it hydrates the server's HTML, with
    the page's Location as context and the resources' outcomes the server sent."""
    import json

    import js

    from ..reactive import provide_context, set_scheduler
    from ..view import Location, PageNonce
    from ._mount import hydrate_body, set_renderer

    _collect_less_often()
    module_name, _, name = entry.partition(":")
    bridge = js.leptaBridge
    r = BrowserRenderer(bridge)
    bridge.connect(_persistent(r.fire), _persistent(r.run_scheduled), _persistent(r.collect))
    set_renderer(r)
    set_scheduler(r.schedule)
    module = __import__(module_name, None, None, [name])
    root = getattr(module, name)
    path, query, sent, nonce = json.loads(bridge.page())
    data: dict[str, Any] = {}
    for part in sent:
        data.update(part)
    location = Location(path, query)

    def view() -> Any:
        provide_context(location)
        if nonce is not None:
            provide_context(PageNonce(nonce))
        return root()

    handle = hydrate_body(view, data=data)
    r.commit()
    return handle


# MicroPython's WebAssembly build collects garbage only between events (when control
# returns to JavaScript), and asks for a collection once 16 KB were allocated. Each
# collection marks every live object: with a page's state live (a list of a thousand
# rows) that takes milliseconds, and a click that allocates a little more than 16 KB
# (a list of a thousand keys) would pay it every time, before the page shows its
# change. Instead, after an event that changed the page, the loader asks for a
# collection once the page has been idle for a moment (`collectLater`), off the
# interaction; an event that allocates more than GC_THRESHOLD still ends with one,
# which bounds the garbage waiting. What is dropped without allocating (a long list
# cleared) does not count towards it: the renderer asks for a collection as soon as
# the page has painted that change (`let_go`: not inside the interaction, where
# it cost a cleared list 2 ms), so that the next event reuses that memory instead of
# growing the heap.
GC_THRESHOLD = 8 * 1024 * 1024
_MICROPYTHON = sys.implementation.name == "micropython"


# On Pyodide (CPython) the cycle collector runs whenever enough new objects are
# about: building rows set it off again and again, and its full passes go over every
# object the page holds. Creating 10,000 rows took 479 to 519 ms of script with it,
# 274 to 340 ms with it paused (Chromium, medians of 6, two rounds). So it is paused
# while the page's events and effects run, and the page collects once idle after
# each (`collectLater`), as on MicroPython; an event (or a run of events) that left
# more than COLLECT_AT_ONCE new objects collects at once (see `CollectorPaused`).
# Between events it runs as usual, for whatever else the app does.
COLLECT_AT_ONCE = 1_000_000


def _collect() -> None:
    gc.collect()


def _collect_less_often() -> None:
    threshold = getattr(gc, "threshold", None)  # MicroPython's (CPython has its own rules)
    if threshold is not None:
        threshold(GC_THRESHOLD)


def _persistent(fn: Callable[..., Any]) -> Any:
    """`fn` as JavaScript may keep and call later (Pyodide frees plain proxies)."""
    try:
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]
    except ImportError:  # MicroPython keeps what it hands to JavaScript
        return fn
    return create_proxy(fn)
