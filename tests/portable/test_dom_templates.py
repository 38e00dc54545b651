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
