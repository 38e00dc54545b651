"""Templates in the DOM renderer: one clone per use, and the generic path wherever a
clone could not give what the builder calls give (see lepta.view._template)."""

from lepta import flush, render_to_string, signal
from lepta.dom import hydrate_body, mount_to_body
from lepta.html import b, div, p, span
from lepta.testing import MemoryDOM, strict_hydration
from lepta.view._template import Template, TemplateUse

GREETING = Template(lambda h0, h1: p("Hello ", h0, "!", b(h1), class_="greeting"), 2)
BOX = Template(lambda h0: div(h0, "text"), 1)


def mounted(view):
    dom = MemoryDOM()
    mount_to_body(view, renderer=dom)
    return dom


def test_a_use_is_one_clone_once_the_template_is_built():
    dom = mounted(lambda: [TemplateUse(GREETING, (span("a"), "x")) for _ in range(3)])
    assert dom.ops["template"] == 1 and dom.ops["clone"] == 3
    assert dom.body_html() == '<p class="greeting">Hello <span>a</span>!<b>x</b></p>' * 3


def test_text_next_to_text_is_built_as_written_into_one_text_node():
    dom = mounted(lambda: TemplateUse(GREETING, ("Ada", "x")))
    assert dom.ops.get("clone", 0) == 0
    assert [type(n).__name__ for n in dom.find("p").children] == ["Text", "Element"]
    assert dom.find("p").children[0].data == "Hello Ada!"


def test_a_signal_next_to_text_is_cloned_and_updates_its_own_node():
    name, set_name = signal("Ada")
    dom = mounted(lambda: TemplateUse(GREETING, (name, "x")))
    assert dom.ops["clone"] == 1
    dom.reset_ops()
    set_name("Grace")
    flush()
    assert dom.find("p").text == "Hello Grace!x"
    assert dom.ops == {"set_text": 1}


def test_a_dict_given_first_is_the_elements_attributes():
    dom = mounted(lambda: TemplateUse(BOX, ({"id": "box"},)))
    assert dom.body_html() == '<div id="box">text</div>'


def test_nothing_and_empty_text_leave_no_node():
    for value in (None, False, ""):
        dom = mounted(lambda value=value: TemplateUse(BOX, (value,)))
        assert [n.data for n in dom.find("div").children] == ["text"]


def test_a_dynamic_child_turns_from_text_into_elements_and_back():
    rich, set_rich = signal(False)
    view = lambda: TemplateUse(BOX, (lambda: span("rich") if rich() else "plain",))  # noqa: E731
    dom = mounted(view)
    assert dom.body_html() == "<div>plaintext</div>"
    set_rich(True)
    flush()
    assert dom.body_html() == "<div><span>rich</span><!---->text</div>"
    set_rich(False)
    flush()
    assert dom.body_html() == "<div>plain<!---->text</div>"
    expanded = mounted(lambda: BOX.expand((lambda: span("rich") if rich() else "plain",)))
    set_rich(True)
    flush()
    set_rich(False)
    flush()
    assert expanded.body_html() == dom.body_html()


def test_hydration_adopts_the_servers_nodes_creating_nothing():
    html = render_to_string(lambda: GREETING.expand((span("a"), "x")))
    dom = MemoryDOM()
    dom.load_body(html)
    with strict_hydration():
        hydrate_body(lambda: TemplateUse(GREETING, (span("a"), "x")), renderer=dom)
    assert not [kind for kind in dom.ops if kind.startswith("create") or kind == "clone"]


ROW = Template(lambda h0, h1: p(b(h0), class_=h1), 2)


def test_a_uses_text_and_class_parts_are_one_effect_and_each_writes_only_its_change():
    from lepta import Owner, Selector, graph_stats

    label, set_label = signal("first")
    selected, set_selected = signal(None)
    is_selected = Selector(selected)
    is_selected(0)  # (the selector follows its source from the first question on)
    before = graph_stats()
    owner = Owner()
    with owner:
        dom = mounted(lambda: TemplateUse(ROW, (label, {"on": lambda: is_selected(1)})))
    assert graph_stats()["effects"] == before["effects"] + 1
    assert dom.body_html() == "<p><b>first</b></p>"
    dom.reset_ops()
    set_label("second")
    flush()
    assert dom.ops == {"set_text": 1}
    set_selected(1)
    flush()
    assert dom.ops == {"set_text": 1, "toggle_class": 1}
    assert dom.body_html() == '<p class="on"><b>second</b></p>'
    set_selected(2)
    set_label("third")
    flush()
    assert dom.body_html() == '<p class=""><b>third</b></p>'
    owner.dispose()
    assert graph_stats()["effects"] == before["effects"]
    assert graph_stats()["subscriptions"] == before["subscriptions"]


def test_a_signal_part_that_comes_to_hold_a_view_keeps_it_while_the_other_parts_change():
    from lepta import Owner, component, graph_stats

    runs = []

    @component
    def Badge(text: str):
        runs.append(text)
        return span(text)

    label, set_label = signal("plain")
    on, set_on = signal(False)
    before = graph_stats()
    owner = Owner()
    with owner:
        dom = mounted(lambda: TemplateUse(ROW, (label, {"on": on})))
    set_label(Badge(text="new"))
    flush()
    assert dom.body_html() == "<p><b><span>new</span><!----></b></p>" and runs == ["new"]
    set_on(True)
    flush()
    assert runs == ["new"]  # the view stays: it belongs to the hole, not to the parts
    assert dom.find("span").text == "new" and dom.find("p").attributes["class"] == "on"
    set_label("text again")
    flush()
    assert dom.find("b").text == "text again" and not dom.find_all("span")
    owner.dispose()
    assert graph_stats()["effects"] == before["effects"]
    assert graph_stats()["subscriptions"] == before["subscriptions"]
