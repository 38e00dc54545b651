"""The browser renderer's bookkeeping, with the page played by the in-memory DOM.

`BrowserRenderer` keeps a mirror of the page's nodes and sends its changes as a list
of operations. `PageBridge` below applies those operations to a `MemoryDOM` the way
the loader's JavaScript applies them to the real DOM, so these tests check that the
mirror and the page stay identical through building, hydration, keyed updates and
releases. (The real JavaScript runs in the end-to-end tests, in Chromium.)
"""

import json

from lepta import For, component, flush, render_to_string, signal
from lepta.dom import hydrate_body, mount_to_body
from lepta.dom._browser import BrowserRenderer
from lepta.html import button, div, li, p, span, ul
from lepta.reactive import Owner, graph_stats
from lepta.testing import MemoryDOM

NAMESPACES = {"": "", "svg": "svg", "math": "math"}


def text(field):
    """A field as the loader reads it (JSON when marked)."""
    return json.loads(field[1:]) if field[:1] == "\x1e" else field


class PageBridge:
    """The loader's `leptaBridge`, over a MemoryDOM."""

    def __init__(self, dom):
        self.dom = dom
        self.nodes = {1: dom.document, 2: dom.body}
        self.ids = {}  # id(node) -> lepta id
        self.with_handlers = set()
        self.applied = 0  # calls of apply: each is one call across the bridge
        self.templates = {}
        self.asked_handled = 0
        self.together = 0  # insertions of many nodes in one operation
        self.counts = {}  # operation number -> how many were applied

    def remember(self, id, node):
        self.nodes[id] = node
        self.ids[self.key(node)] = id

    def key(self, node):
        return id(node)

    def apply(self, ops_text):
        self.applied += 1
        f = [text(x) for x in ops_text.split("\x1f")]
        d = self.dom
        freed = []
        i = 1
        while i < len(f):
            op = int(f[i])
            self.counts[op] = self.counts.get(op, 0) + 1
            n = self.nodes.get(int(f[i + 1])) if op > 3 else None
            if op == 1:
                self.remember(int(f[i + 1]), d.create_element(f[i + 2], f[i + 3]))
                i += 4
            elif op == 2:
                self.remember(int(f[i + 1]), d.create_text(f[i + 2]))
                i += 3
            elif op == 3:
                self.remember(int(f[i + 1]), d.create_placeholder())
                i += 2
            elif op == 4:
                ref = self.nodes[int(f[i + 3])] if f[i + 3] != "0" else None
                d.insert_before(n, self.nodes[int(f[i + 2])], ref)
                i += 4
            elif op == 20:
                self.together += 1
                ref = self.nodes[int(f[i + 2])] if f[i + 2] != "0" else None
                for id in f[i + 3].split(","):
                    d.insert_before(n, self.nodes[int(id)], ref)
                i += 4
            elif op == 5:
                d.remove(n)
                i += 2
            elif op == 6:  # the children go for good: released
                child = d.first_child(n)
                while child is not None:
                    self.release(child, freed)
                    child = d.next_sibling(child)
                d.clear(n)
                i += 2
            elif op == 7:
                d.set_text(n, f[i + 2])
                i += 3
            elif op == 8:
                d.set_attribute(n, f[i + 2], f[i + 3])
                i += 4
            elif op == 9:
                d.remove_attribute(n, f[i + 2])
                i += 3
            elif op == 10:
                d.toggle_class(n, f[i + 2], f[i + 3] == "1")
                i += 4
            elif op == 11:
                d.set_style(n, f[i + 2], f[i + 3] or None)
                i += 4
            elif op == 12:
                d.set_property(n, f[i + 2], json.loads(f[i + 3]))
                i += 4
            elif op == 13:
                d.set_inner_html(n, f[i + 2])
                i += 3
            elif op in (14, 16):
                self.with_handlers.add(int(f[i + 1]))
                i += 3
            elif op == 15:
                i += 3
            elif op == 17:
                if n is not None:
                    self.release(n, freed)
                i += 2
            elif op == 18:
                self.release(n, freed)
                events = [e.split(" ") for e in f[i + 3].split(",")] if f[i + 3] else []
                self.templates[f[i + 2]] = (n, events)
                i += 4
            elif op in (19, 21):
                prototype, events = self.templates[f[i + 1]]
                base = int(f[i + 2])
                made = d.clone(prototype)
                for k, node in enumerate(made):  # numbered in document order
                    self.remember(base + k, node)
                for k, _ in events:  # marked for their delegated handlers
                    self.with_handlers.add(base + int(k))
                i += 3
                if op == 21:  # and its texts: how many, then node and text ("": none)
                    end = i + 1 + 2 * int(f[i])
                    for at in range(i + 1, end, 2):
                        if f[at + 1]:
                            d.set_text(made[int(f[at])], f[at + 1])
                    i = end
            else:
                raise AssertionError("unknown operation %r" % op)
        return str(len(freed)) if freed else ""

    def handled(self):
        self.asked_handled += 1
        return json.dumps(sorted(self.with_handlers))

    def release(self, node, freed):
        id = self.ids.pop(self.key(node), None)
        if id is not None:
            del self.nodes[id]
            if id in self.with_handlers:
                self.with_handlers.discard(id)
                freed.append(id)
        child = self.dom.first_child(node) if self.dom.node_kind(node) == 1 else None
        while child is not None:
            self.release(child, freed)
            child = self.dom.next_sibling(child)

    def describe(self, id, next):
        out = []
        d = self.dom

        def walk(parent):
            nonlocal next
            child = d.first_child(parent)
            while child is not None:
                self.remember(next, child)
                next += 1
                kind = d.node_kind(child)
                if kind == 1:
                    count = 0
                    c = d.first_child(child)
                    while c is not None:
                        count += 1
                        c = d.next_sibling(c)
                    out.extend((1, d.tag_of(child).lower(), count))
                    walk(child)
                else:
                    out.extend((kind, d.text_of(child), 0))
                child = d.next_sibling(child)

        walk(self.nodes[id])
        return json.dumps(out)

    def node(self, id):
        return self.nodes[id]

    def schedule(self):
        pass


def page():
    dom = MemoryDOM()
    bridge = PageBridge(dom)
    return dom, bridge, BrowserRenderer(bridge)


def mirror_html(r, node):
    """The mirror's idea of the page, in the same form as MemoryDOM.html()."""
    out = []
    for kid in r._kids(node):
        if kid.kind == 3:
            out.append(("text", kid.data))
        elif kid.kind == 8:
            out.append(("comment", kid.data))
        else:
            out.append((kid.name, mirror_html(r, kid)))
    return out


def page_html(dom, node):
    out = []
    child = dom.first_child(node)
    while child is not None:
        kind = dom.node_kind(child)
        if kind == 3:
            out.append(("text", dom.text_of(child)))
        elif kind == 8:
            out.append(("comment", dom.text_of(child)))
        else:
            out.append((dom.tag_of(child).lower(), page_html(dom, child)))
        child = dom.next_sibling(child)
    return out


def assert_in_step(dom, r):
    r.commit()
    assert mirror_html(r, r.body) == page_html(dom, dom.body)


def keyed_app(items):
    return lambda: ul(For(each=items, key=lambda x: x, children=lambda x: li(str(x))))


def clickable_list(count):
    """A keyed list of `count` rows, each a button recording its row when clicked:
    (set_items, clicked, dom, bridge, renderer)."""
    items, set_items = signal(list(range(count)))
    clicked = []
    dom, bridge, r = page()
    row = lambda x: li(button(str(x), on_click=lambda ev: clicked.append(x)))  # noqa: E731
    mount_to_body(lambda: ul(For(each=items, key=lambda x: x, children=row)), renderer=r)
    r.commit()
    return set_items, clicked, dom, bridge, r


def test_a_mounted_view_reaches_the_page_in_one_call():
    dom, bridge, r = page()
    r.first_child(r.body)  # the page's body is read once, when first needed
    mount_to_body(lambda: div(span("a"), span("b", class_="x")), renderer=r)
    r.commit()
    assert bridge.applied == 1
    assert dom.body_html() == '<div><span>a</span><span class="x">b</span></div>'
    assert_in_step(dom, r)


def test_keyed_list_edits_keep_the_mirror_and_the_page_identical():
    items, set_items = signal(list(range(20)))
    dom, _, r = page()
    mount_to_body(keyed_app(items), renderer=r)
    assert_in_step(dom, r)
    seed = 7
    current = list(range(20))
    for step in range(60):
        seed = (seed * 1103515245 + 12345) % 2147483648
        choice = seed % 5
        if choice == 0 and current:  # remove one
            del current[seed % len(current)]
        elif choice == 1:  # insert one
            current.insert(seed % (len(current) + 1), 100 + step)
        elif choice == 2 and len(current) > 2:  # swap two
            a, b = seed % len(current), (seed // 7) % len(current)
            current[a], current[b] = current[b], current[a]
        elif choice == 3:
            current.reverse()
        else:
            current = current[len(current) // 3 :] + current[: len(current) // 3]
        set_items(list(current))
        flush()
        assert_in_step(dom, r)
        assert [li.text for li in dom.find_all("li")] == [str(x) for x in current]


def test_hydration_adopts_the_page_and_a_click_sends_one_text_change():
    @component
    def Counter():
        value, set_value = signal(0)
        return div(button("+1", on_click=lambda ev: set_value(value() + 1)), span(value))

    dom, _, r = page()
    dom.load_body(render_to_string(Counter))
    hydrate_body(Counter, renderer=r)
    r.commit()
    assert_in_step(dom, r)
    plus = r.first_child(r.first_child(r.body))
    text_node = dom.find("span").children[0]
    r.ops = []
    r.fire(plus.id, "click", None)
    assert dom.find("span").text == "1"
    assert dom.find("span").children[0] is text_node  # the server's node, updated
    assert_in_step(dom, r)


def test_rows_that_go_are_forgotten_on_both_sides_with_their_handlers():
    set_items, _, dom, bridge, r = clickable_list(10)
    known = len(bridge.nodes)
    assert len(r.handlers) == 10
    set_items([0, 1])
    flush()
    r.commit()
    assert len(r.handlers) == 2
    assert len(bridge.nodes) == known - 8 * 3  # li, button, text per row
    set_items([])
    flush()
    r.commit()
    assert r.handlers == {}
    assert_in_step(dom, r)


def test_handlers_of_rows_that_go_are_dropped_in_one_pass_once_they_are_most_of_the_table():
    set_items, clicked, dom, bridge, r = clickable_list(10)
    for gone in range(1, 6):  # one row at a time: half the table, kept as it is
        set_items(list(range(gone, 10)))
        flush()
        r.commit()
        assert bridge.asked_handled == 0 and len(r.handlers) == 10
    set_items(list(range(6, 10)))  # the sixth: most of the table went, in one pass
    flush()
    r.commit()
    assert bridge.asked_handled == 1 and len(r.handlers) == 4
    for id in sorted(r.handlers):
        r.fire(id, "click", None)
    assert clicked == [6, 7, 8, 9]
    assert_in_step(dom, r)


def test_new_rows_go_in_together_at_the_end_in_the_middle_and_at_the_start():
    items, set_items = signal([3, 6])
    dom, bridge, r = page()
    mount_to_body(keyed_app(items), renderer=r)
    r.commit()
    for each in ([3, 6, 7, 8], [3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]):
        bridge.together = 0
        set_items(each)
        flush()
        assert_in_step(dom, r)
        assert [li_.children[0].text for li_ in dom.find_all("li")] == [str(x) for x in each]
        assert bridge.together == 1  # the new rows, in one operation


def test_texts_holding_the_separators_arrive_whole():
    tricky = "a\x1fb\x00c\x1ed"
    dom, _, r = page()
    mount_to_body(lambda: div(span(tricky, title=tricky)), renderer=r)
    r.commit()
    # (NUL becomes U+FFFD, as the HTML parser would read the server's page)
    assert dom.find("span").text == tricky.replace("\x00", "\ufffd")
    assert dom.find("span").attributes["title"] == tricky.replace("\x00", "\ufffd")


def test_rows_cloned_from_a_template_keep_the_mirror_and_the_page_in_step():
    from lepta.view._template import Template, TemplateUse

    row = Template(
        lambda h0, h1, h2: li(span(h0, class_="id"), " ", button(h1, on_click=h2), class_="row"),
        3,
    )
    items, set_items = signal([1, 2, 3])
    label, set_label = signal("text")
    clicked = []

    def view(x):
        # a label that turns from text into elements and back (a range in the clone)
        shown = lambda: label() if x != 2 else [span(label()), "!"]  # noqa: E731
        return TemplateUse(row, (x, shown, lambda ev: clicked.append(x)))

    dom, _, r = page()
    mount_to_body(lambda: ul(For(each=items, key=lambda x: x, children=view)), renderer=r)
    assert_in_step(dom, r)
    assert dom.find_all("li")[1].children[2].text == "text!"
    set_label("other")
    flush()
    assert_in_step(dom, r)
    r.fire(sorted(r.handlers)[0], "click", None)
    assert clicked == [1]
    set_items([3, 1])
    flush()
    assert_in_step(dom, r)
    assert [li_.children[0].text for li_ in dom.find_all("li")] == ["3", "1"]
    set_items([])
    flush()
    r.commit()
    assert r.handlers == {}  # released with their rows
    assert_in_step(dom, r)


def test_a_new_clones_texts_go_out_with_it_in_one_operation():
    from lepta.view._template import Template, TemplateUse

    row = Template(lambda h0, h1: li(span(h0), " ", span(h1)), 2)
    labels = [signal("label %d" % i) for i in range(3)]

    def view(i):  # a number and a signal's text
        return TemplateUse(row, (i, labels[i][0]))

    dom, bridge, r = page()
    mount_to_body(lambda: ul(For(each=[0, 1, 2], key=lambda i: i, children=view)), renderer=r)
    assert_in_step(dom, r)
    assert [li_.text for li_ in dom.find_all("li")] == ["0 label 0", "1 label 1", "2 label 2"]
    assert bridge.counts[21] == 3  # a clone with its texts, per row
    assert 7 not in bridge.counts and 19 not in bridge.counts  # no text set apart
    labels[1][1]("changed")
    flush()
    assert_in_step(dom, r)
    assert dom.find_all("li")[1].text == "1 changed"
    assert bridge.counts[7] == 1  # a later change: that text alone


def test_a_hole_whose_code_reads_the_page_finds_the_clone_there_and_loses_nothing():
    from lepta.view._template import Template, TemplateUse

    row = Template(lambda h0, h1, h2, h3: li(span(h0), span(h1), button(h2, on_click=h3)), 4)
    dom, _, r = page()
    clicked = []

    def reads_the_page():  # as reading an element's property does: what is pending goes
        r.commit()
        return "middle"

    def view(i):
        return TemplateUse(row, ("before", reads_the_page, "after", lambda ev: clicked.append(i)))

    mount_to_body(lambda: ul(For(each=[1, 2], key=lambda i: i, children=view)), renderer=r)
    assert_in_step(dom, r)
    assert [li_.text for li_ in dom.find_all("li")] == ["beforemiddleafter"] * 2
    r.fire(sorted(r.handlers)[-1], "click", None)
    assert clicked == [2]


def test_every_kind_of_hole_value_fills_a_clone_as_the_builder_calls_would():
    from lepta.view._template import Template, TemplateUse

    row = Template(
        lambda h0, h1, h2, h3: li(span(h0), p(h1, class_=h2, on_click=h3), class_="row"), 4
    )
    label, set_label = signal("signal")
    on, set_on = signal(True)
    clicked = []
    values = ["a\x00b", "", 7, 2.5, None, False, label, span("view"), lambda: label() + "!"]
    values.append("a\x1fb")  # the separator of the page's operations, in a text
    values.append("\x1e1")  # the mark of a text sent as JSON, starting a text
    values.append(signal("\x1e2")[0])  # ... a signal's

    def uses():
        return [
            TemplateUse(row, (v, v, {"on": on}, lambda ev, v=v: clicked.append(v)))
            for v in values
        ]

    def built(view):
        dom, _, r = page()
        mount_to_body(lambda: ul(view()), renderer=r)
        assert_in_step(dom, r)
        return dom, r

    dom, r = built(uses)
    generic, _ = built(lambda: [use.template.expand(use.values) for use in uses()])
    assert dom.body.to_html() == generic.body.to_html()
    assert dom.find_all("p")[0].text == "a\ufffdb" and dom.find_all("p")[-3].text == "a\x1fb"
    assert [p_.text for p_ in dom.find_all("p")[-2:]] == ["\x1e1", "\x1e2"]
    set_label("changed")
    set_on(False)
    flush()
    assert_in_step(dom, r)
    assert [el.text for el in dom.find_all("p")][6:9] == ["changed", "view", "changed!"]
    assert all("on" not in el.attributes.get("class", "") for el in dom.find_all("p"))
    r.fire(sorted(r.handlers)[2], "click", None)
    assert clicked == [values[2]]


def test_a_text_hole_written_by_its_place_in_the_clone_can_become_elements_and_text_again():
    from lepta.view._template import Template, TemplateUse

    row = Template(lambda h0: li(h0, class_="row"), 1)
    shown, set_shown = signal("plain")
    runs = []

    def content():
        runs.append(shown())
        value = shown()
        return [span(value), "!"] if value == "view" else value

    dom, _, r = page()
    mount_to_body(lambda: ul(TemplateUse(row, (content,))), renderer=r)
    assert_in_step(dom, r)
    assert dom.find_all("li")[0].text == "plain"
    for value, want in (("next", "next"), ("view", "view!"), ("text", "text"), ("", "")):
        set_shown(value)
        flush()
        r.commit()
        assert_in_step(dom, r)
        assert dom.find_all("li")[0].text == want
    assert runs == ["plain", "next", "view", "text", ""]


def test_a_signal_in_a_text_hole_follows_text_and_views_and_leaves_nothing_behind():
    from lepta.view._template import Template, TemplateUse

    row = Template(lambda h0: li(h0, class_="row"), 1)
    label, set_label = signal("first")
    before = graph_stats()
    dom, _, r = page()
    owner = Owner()
    with owner:
        mount_to_body(lambda: ul(TemplateUse(row, (label,))), renderer=r)
    assert_in_step(dom, r)
    assert dom.find_all("li")[0].text == "first"
    assert graph_stats()["subscriptions"] == before["subscriptions"] + 1
    for value, want in (("second", "second"), (7, "7"), ([span("x"), "!"], "x!"), ("", "")):
        set_label(value)
        flush()
        r.commit()
        assert_in_step(dom, r)
        assert dom.find_all("li")[0].text == want
    owner.dispose()
    assert graph_stats()["subscriptions"] == before["subscriptions"]
    assert graph_stats()["effects"] == before["effects"]


def test_in_micropython_the_page_collects_after_a_megabyte_and_cpython_is_left_alone():
    import gc

    from lepta.dom._browser import GC_THRESHOLD, _collect_less_often

    threshold = getattr(gc, "threshold", None)
    if threshold is None:  # CPython (Pyodide): its collector has rules of its own
        before = gc.get_threshold()
        _collect_less_often()
        assert gc.get_threshold() == before
        return
    before = threshold()
    try:
        _collect_less_often()
        assert threshold() == GC_THRESHOLD
    finally:
        threshold(before)


def test_rows_a_list_let_go_are_freed_once_the_page_painted_the_change():
    import sys

    from lepta.dom._keyed import MANY_ROWS

    class PaintBridge(PageBridge):
        asked = 0

        def collectSoon(self):  # the loader's name: after the next paint
            self.asked += 1

    micropython = sys.implementation.name == "micropython"
    items, set_items = signal(list(range(MANY_ROWS + 2)))
    dom = MemoryDOM()
    bridge = PaintBridge(dom)
    r = BrowserRenderer(bridge)
    mount_to_body(keyed_app(items), renderer=r)
    r.commit()
    set_items(list(range(MANY_ROWS)))  # two rows go
    flush()
    r.commit()
    set_items([])  # and then the rest
    flush()
    r.commit()
    if micropython:  # nothing to keep (no reference counts): memory is collected
        assert bridge.asked == 1 and r.released == []
    else:  # kept (freeing them costs as much as the change), asked for once
        assert bridge.asked == 1
        assert [len(rows) for rows in r.released] == [2, MANY_ROWS]
    r.collect()  # the page painted the change
    assert r.released == []
    assert dom.find_all("li") == []
    assert_in_step(dom, r)


def test_effects_of_many_rows_gone_stop_at_once_and_unsubscribe_once_the_page_painted():
    from lepta.dom._keyed import MANY_ROWS

    class PaintBridge(PageBridge):
        asked = 0

        def collectSoon(self):  # the loader's name: after the next paint
            self.asked += 1

    label, set_label = signal("a")
    items, set_items = signal(list(range(MANY_ROWS)))
    runs = []

    def row(x):
        def text():
            runs.append(x)
            return label()

        return li(text)  # one effect per row, reading `label`

    dom = MemoryDOM()
    bridge = PaintBridge(dom)
    r = BrowserRenderer(bridge)
    mount_to_body(lambda: ul(For(each=items, key=lambda x: x, children=row)), renderer=r)
    r.commit()
    shown = graph_stats()
    assert len(runs) == MANY_ROWS
    set_items([])
    flush()
    r.commit()
    gone = graph_stats()
    assert gone["effects"] == shown["effects"] - MANY_ROWS  # disposed with the change
    assert gone["subscriptions"] == shown["subscriptions"]  # still listed on `label`
    assert bridge.asked >= 1  # the renderer asked to hear of the paint
    set_label("b")  # a write that reaches them before the paint: none runs
    flush()
    r.commit()
    assert len(runs) == MANY_ROWS
    assert dom.find_all("li") == []
    r.collect()  # the page painted the change
    painted = graph_stats()
    assert painted["subscriptions"] == shown["subscriptions"] - MANY_ROWS
    assert painted["effects"] == gone["effects"]
    assert_in_step(dom, r)


def test_without_a_page_to_paint_the_effects_of_many_rows_gone_unsubscribe_at_once():
    from lepta.dom._keyed import MANY_ROWS

    label, _ = signal("a")
    items, set_items = signal(list(range(MANY_ROWS)))
    dom, _, r = page()  # (no `collectSoon`: nothing tells the renderer of a paint)
    mount_to_body(
        lambda: ul(For(each=items, key=lambda x: x, children=lambda x: li(lambda: label()))),
        renderer=r,
    )
    r.commit()
    shown = graph_stats()
    set_items([])
    flush()
    r.commit()
    assert dom.find_all("li") == []
    assert graph_stats()["subscriptions"] == shown["subscriptions"] - MANY_ROWS
    assert graph_stats()["effects"] == shown["effects"] - MANY_ROWS


def test_a_list_losing_many_rows_asks_the_renderer_once_to_collect_memory():
    from lepta.dom._keyed import MANY_ROWS

    class Counting(MemoryDOM):
        asked = 0

        def let_go(self, rows, much):
            self.asked += much

    items, set_items = signal(list(range(MANY_ROWS + 50)))
    dom = Counting()
    mount_to_body(keyed_app(items), renderer=dom)
    set_items(list(range(MANY_ROWS)))  # fewer than MANY_ROWS went
    flush()
    assert dom.asked == 0
    set_items([])
    flush()
    assert dom.asked == 1 and dom.find_all("li") == []


def test_after_many_rows_went_the_handler_table_is_made_anew_and_keeps_the_rest():
    # (MicroPython's dicts slow down after many removals until made anew)
    set_items, clicked, dom, _, r = clickable_list(400)
    first = r.handlers
    set_items([7])
    flush()
    r.commit()
    assert r.handlers is not first and r.forgotten == 0
    (kept,) = r.handlers
    r.fire(kept, "click", None)
    set_items([7, 1000])
    flush()
    r.commit()
    r.fire(max(r.handlers), "click", None)
    assert clicked == [7, 1000]
    assert_in_step(dom, r)


class IdleBridge(PageBridge):
    """A page that counts its `collectLater` calls (the loader's name)."""

    asked = 0

    def collectLater(self):
        self.asked += 1


def test_each_change_to_the_page_asks_for_a_collection_once_idle():
    dom = MemoryDOM()
    bridge = IdleBridge(dom)
    r = BrowserRenderer(bridge)
    count, set_count = signal(0)
    mount_to_body(lambda: p(lambda: str(count())), renderer=r)
    r.commit()
    asked = bridge.asked
    assert asked >= 1  # the page was built
    r.commit()  # nothing to send: nothing to collect
    assert bridge.asked == asked
    set_count(1)
    flush()
    r.commit()
    assert bridge.asked == asked + 1
    assert dom.find("p").text == "1"


def test_on_cpython_the_cycle_collector_waits_while_an_event_runs():
    import gc
    import sys

    from lepta.dom import _browser

    if sys.implementation.name == "micropython":  # (it collects between events only)
        return
    dom = MemoryDOM()
    bridge = IdleBridge(dom)
    r = BrowserRenderer(bridge)
    during = []

    def make_garbage(ev):
        during.append(gc.isenabled())
        for _ in range(2000):
            loop = []
            loop.append(loop)  # a cycle: only the collector frees it

    mount_to_body(lambda: button("go", on_click=make_garbage), renderer=r)
    r.commit()
    click = next(iter(r.handlers))
    asked = bridge.asked
    r.fire(click, "click", None)
    assert during == [False] and gc.isenabled()
    assert bridge.asked == asked + 1  # no change to the page: still collected once idle
    limit = _browser.COLLECT_AT_ONCE
    _browser.COLLECT_AT_ONCE = 1000
    try:
        r.fire(click, "click", None)  # more new objects than that: collected at once
    finally:
        _browser.COLLECT_AT_ONCE = limit
    assert gc.isenabled() and gc.get_count()[0] < 1000
    assert bridge.asked == asked + 1


