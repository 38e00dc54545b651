"""Mounting views into the in-memory DOM: fine-grained updates, events, bindings."""

from _support import raises

from lepta import component, flush, signal
from lepta.dom import NodeRef, event_target_value, mount_to, mount_to_body
from lepta.html import button, div, input, li, option, p, select, span, textarea, ul
from lepta.reactive import RwSignal, graph_stats, on_cleanup
from lepta.ssr import InvalidChildError
from lepta.testing import MemoryDOM


@component
def Counter(initial=0, step=1):
    value, set_value = signal(initial)
    return div(
        button("Clear", on_click=lambda ev: set_value(0)),
        button("-%d" % step, on_click=lambda ev: set_value.update(lambda v: v - step)),
        span("Value: ", value, "!"),
        button("+%d" % step, on_click=lambda ev: set_value.update(lambda v: v + step)),
    )


def mounted(view_fn):
    dom = MemoryDOM()
    handle = mount_to_body(view_fn, renderer=dom)
    return dom, handle


def test_the_counter_mounts_and_each_click_updates_exactly_one_text_node():
    dom, handle = mounted(Counter)
    span_el = dom.find("span")
    assert span_el.text == "Value: 0!"
    dom.reset_ops()
    dom.click(dom.find("button", text="+1"))
    flush()
    assert span_el.text == "Value: 1!"
    assert dom.ops == {"set_text": 1}
    dom.click(dom.find("button", text="-1"))
    dom.click(dom.find("button", text="-1"))
    flush()
    assert span_el.text == "Value: -1!"
    dom.click(dom.find("button", text="Clear"))
    flush()
    assert span_el.text == "Value: 0!"
    handle.unmount()


def test_unmount_removes_the_nodes_and_disposes_the_owner():
    cleaned = []

    @component
    def Leaf():
        on_cleanup(lambda: cleaned.append("leaf"))
        count = signal(1)[0]
        return p(count)

    before = graph_stats()["subscriptions"]
    dom, handle = mounted(Leaf)
    assert dom.find("p").text == "1"
    handle.unmount()
    assert dom.find("p") is None
    assert cleaned == ["leaf"]
    assert graph_stats()["subscriptions"] == before


def test_dynamic_attributes_classes_and_styles_touch_only_their_own_part():
    active, set_active = signal(False)
    color, set_color = signal("red")
    title, set_title = signal("a")
    dom, _ = mounted(
        lambda: div(
            "x",
            class_={"base": True, "active": active},
            style={"color": color, "margin": "0"},
            title=title,
        )
    )
    el = dom.find("div")
    assert el.classes == ["base"] and el.attributes["title"] == "a"
    assert el.attributes["style"] == "color: red; margin: 0;"
    dom.reset_ops()
    set_active(True)
    flush()
    assert dom.ops == {"toggle_class": 1} and el.classes == ["base", "active"]
    dom.reset_ops()
    set_color("blue")
    set_title(None)
    flush()
    assert dom.ops == {"set_style": 1, "remove_attribute": 1}
    assert "title" not in el.attributes and "color: blue" in el.attributes["style"]


def test_bubbling_events_are_delegated_and_honour_stop_propagation_and_disabled():
    seen = []
    dom, _ = mounted(
        lambda: div(
            button("inner", on_click=lambda ev: seen.append("inner")),
            button("stopper", on_click=lambda ev: (seen.append("stop"), ev.stop_propagation())),
            button("off", disabled=True, on_click=lambda ev: seen.append("disabled")),
            on_click=lambda ev: seen.append("outer"),
        )
    )
    dom.click(dom.find("button", text="inner"))
    dom.click(dom.find("button", text="stopper"))
    dom.click(dom.find("button", text="off"))
    assert seen == ["inner", "outer", "stop", "outer"]
    assert dom.ops.get("add_listener", 0) == 1  # one delegated listener for every click


def test_non_bubbling_events_attach_to_their_element():
    seen = []
    dom, _ = mounted(lambda: input(on_focus=lambda ev: seen.append(ev.type)))
    from lepta.testing import Event

    dom.dispatch(dom.find("input"), Event("focus", bubbles=False))
    assert seen == ["focus"]


def test_bind_value_keeps_a_signal_and_an_input_in_sync_both_ways():
    name = RwSignal("Ada")
    dom, _ = mounted(lambda: div(input(bind_value=name), p(name)))
    field = dom.find("input")
    assert field.value == "Ada"
    dom.input(field, "Grace")
    flush()
    assert name() == "Grace" and dom.find("p").text == "Grace"
    name.set("Hedy")
    flush()
    assert field.value == "Hedy"


def test_bind_value_works_for_textarea_and_select_and_bind_checked_for_checkboxes():
    text = RwSignal("notes")
    choice = RwSignal("b")
    agree = RwSignal(False)
    dom, _ = mounted(
        lambda: div(
            textarea(bind_value=text),
            select(option("A", value="a"), option("B", value="b"), bind_value=choice),
            input(type="checkbox", bind_checked=agree),
        )
    )
    assert dom.find("textarea").value == "notes"
    assert dom.find("select").value == "b"
    dom.change(dom.find("select"), value="a")
    dom.change(dom.find("input"), checked=True)
    dom.input(dom.find("textarea"), "more")
    flush()
    assert (choice(), agree(), text()) == ("a", True, "more")
    agree.set(False)
    flush()
    assert dom.find("input").checked is False


def test_event_target_value_reads_the_input_and_node_ref_gives_the_element():
    seen = []
    ref = NodeRef()
    dom, _ = mounted(
        lambda: input(node_ref=ref, on_input=lambda ev: seen.append(event_target_value(ev)))
    )
    assert ref() is dom.find("input")
    dom.input(dom.find("input"), "typed")
    assert seen == ["typed"]


def test_a_dynamic_child_switches_between_text_and_views():
    mode, set_mode = signal("text")

    def content():
        if mode() == "text":
            return "plain"
        if mode() == "list":
            return ul(li("a"), li("b"))
        return None

    dom, _ = mounted(lambda: div("before ", content, " after"))
    el = dom.find("div")
    assert el.text == "before plain after"
    set_mode("list")
    flush()
    assert [x.text for x in dom.find_all("li")] == ["a", "b"]
    set_mode("none")
    flush()
    assert el.text == "before  after" and dom.find("ul") is None
    set_mode("text")
    flush()
    assert el.text == "before plain after"


def test_an_invalid_child_raises_a_type_error_naming_the_component():
    class Opaque:
        pass

    @component
    def Bad():
        return div(Opaque())

    with raises(InvalidChildError, "Bad"):
        mounted(Bad)


def test_mount_to_appends_to_a_given_parent():
    dom = MemoryDOM()
    host = dom.create_element("section")
    dom.insert_before(dom.body, host, None)
    mount_to(host, lambda: p("inside"), renderer=dom)
    assert host.children[0].text == "inside"


def test_a_binding_and_a_handler_for_the_same_event_both_run():
    done = RwSignal(False)
    changes = []
    dom, _ = mounted(
        lambda: input(type="checkbox", bind_checked=done, on_change=lambda ev: changes.append(1))
    )
    box = dom.find("input")
    dom.change(box, checked=True)
    flush()
    assert done.get() is True  # the binding
    assert changes == [1]  # and the handler


def test_in_the_browser_a_binding_and_a_handler_for_the_same_event_both_run():
    from lepta.dom._browser import BrowserRenderer

    class Bridge:
        def apply(self, ops):
            return ""

        def schedule(self):
            pass

    r = BrowserRenderer(Bridge())
    node = r.create_element("input")
    calls = []
    r.delegate(node, "change", lambda ev: calls.append("binding"))
    r.delegate(node, "change", lambda ev: calls.append("handler"))
    r.fire(node.id, "change", None)
    assert calls == ["binding", "handler"]
