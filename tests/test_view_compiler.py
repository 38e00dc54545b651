"""Views compiled into templates for the browser (lepta.build.views): what compiles,
what stays as written, and that compiled views build the same DOM as written."""

import textwrap
import types

import pytest
from _html import structure
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lepta import flush, render_to_string, signal
from lepta.build.views import compile_views
from lepta.dom import hydrate_body, mount_to_body
from lepta.testing import MemoryDOM, strict_hydration

VIEWS = '''
from lepta import For, component, signal
from lepta.html import a, button, div, input, li, p, span, td, tr, ul
from lepta import html as h
import lepta.svg as svg

def row(item, pick):
    return tr(td(item["id"], class_="id"), td(a(item["label"], on_click=pick)), class_="row")

def aliased(text, cls):
    return h.div(h.span(text, title=text), "static ", h.b("bold"), class_=cls)

def mixed(count, name):
    return p({"data-x": name}, "Hello ", name, "! You have ", count, " messages.", id="m")

def drawing(size):
    return svg.svg(svg.circle(r=size, cx="5"), view_box="0 0 10 10")

def lists(items):
    return ul([li(x, class_="item") for x in items], id="list")

def options(checked, value):
    return div(input(type="checkbox", checked=checked, value=value), None, True, -3, 2.5)

def first_dict(attrs):
    return div(attrs, "text")

@component
def Counter(start=0):
    value, set_value = signal(start)
    return div(button("+1", on_click=lambda ev: set_value(value() + 1)), span("Value: ", value))
'''


def load(source, compiled, name="views_under_test"):
    if compiled:
        source = compile_views(source, name + ".py")
    module = types.ModuleType(name)
    exec(compile(source, name + ".py", "exec"), module.__dict__)
    return module


def both(view_name, *args):
    """The body HTML of the view mounted as written and compiled, and the compiled DOM."""
    out = []
    for compiled in (False, True):
        module = load(VIEWS, compiled)
        dom = MemoryDOM()
        mount_to_body(lambda m=module: getattr(m, view_name)(*args), renderer=dom)
        out.append(dom)
    return out


def test_builder_calls_in_functions_become_template_uses_and_lines_stay_where_they_were():
    out = compile_views(VIEWS, "views.py")
    assert out.count("__lepta_use(") == 9  # one per outermost call, and the li in lists()
    assert len(out.split("\n")) == len(VIEWS.split("\n"))
    for line_in, line_out in zip(VIEWS.split("\n"), out.split("\n"), strict=True):
        if line_in.startswith("def ") or line_in.startswith("@"):
            assert line_out == line_in  # every definition keeps its line


def test_the_build_compiles_a_module_when_the_parser_faults_once(request):
    # (`lepta dev` builds in a thread while it serves: its parses can meet the server's)
    expected = compile_views(VIEWS, "views.py")
    faults = request.getfixturevalue("parser_faulting_once")
    assert compile_views(VIEWS, "views.py") == expected
    assert faults == [VIEWS]


def test_every_import_style_is_recognised():
    out = compile_views(VIEWS, "views.py")
    body = out.split("def aliased", 1)[1].split("def mixed", 1)[0]
    assert "__lepta_use(" in body and "h.div(" not in body  # through a module alias
    body = out.split("def drawing", 1)[1].split("def lists", 1)[0]
    assert "__lepta_use(" in body  # import lepta.svg as svg


@pytest.mark.parametrize(
    "source",
    [
        "from lepta.html import div\ndef v(div):\n    return div('x')\n",  # a parameter
        "from lepta.html import div\ndef v():\n    div = str\n    return div('x')\n",  # a local
        "from lepta.html import div\ndiv = str\ndef v():\n    return div('x')\n",  # rebound
        "from lepta.html import div\ndef v(a):\n    return div(*a)\n",  # *args
        "from lepta.html import div\ndef v(a):\n    return div(**a)\n",  # **attrs
        "from lepta.html import div\ndef v(k):\n    return div({k: 1})\n",  # unknown key
        "from lepta.html import div\nTOP = div('x')\n",  # module level: runs once
        "def v():\n    return div('x')\n",  # not imported from lepta
    ],
)
def test_calls_whose_builder_or_arguments_are_not_certain_stay_as_written(source):
    assert compile_views(source, "v.py") == source


def test_holes_are_evaluated_in_the_order_they_were_written():
    source = textwrap.dedent(
        """
        from lepta.html import div, span
        seen = []
        def note(x):
            seen.append(x)
            return x
        def v():
            return div(note("a"), span(note("b"), title=note("c")), note("d"), id=note("e"))
        """
    )
    module = load(source, compiled=True, name="order")
    module.v()
    assert module.seen == ["a", "b", "c", "d", "e"]


def test_a_hole_that_raises_names_its_own_line():
    source = textwrap.dedent(
        """\
        from lepta.html import div, span
        def v(x):
            return div(
                span(
                    1 / x,
                )
            )
        """
    )
    module = load(source, compiled=True, name="raising")
    with pytest.raises(ZeroDivisionError) as info:
        module.v(0)
    assert info.traceback[-1].lineno + 1 == 5


@pytest.mark.parametrize(
    "view, args",
    [
        ("row", ({"id": 7, "label": "seven"}, lambda ev: None)),
        ("aliased", ("a < b & c", "big")),
        ("mixed", (3, "Ada")),  # text holes next to text: built as written
        ("mixed", (signal(3)[0], signal("Ada")[0])),  # dynamic holes next to text: cloned
        ("drawing", (4,)),
        ("lists", (["x", "y"],)),
        ("lists", ([],)),
        ("options", (True, "v")),
        ("options", (None, "")),
        ("first_dict", ({"class": "given"},)),  # a dict first: the element's attributes
        ("first_dict", ("a child",)),
        ("Counter", ()),
    ],
)
def test_compiled_views_build_the_dom_the_written_ones_build(view, args):
    written, compiled = both(view, *args)
    assert structure(compiled.body.inner_html()) == structure(written.body.inner_html())


def test_a_compiled_row_is_one_clone_and_its_holes():
    module = load(VIEWS, compiled=True)
    dom = MemoryDOM()
    mount_to_body(lambda: module.row({"id": 8, "label": "x"}, lambda ev: None), renderer=dom)
    dom.reset_ops()
    mount_to_body(lambda: module.row({"id": 9, "label": "y"}, lambda ev: None), renderer=dom)
    # the template exists: one clone, two texts, one handler, one insert into the body
    assert dom.ops == {"clone": 1, "set_text": 2, "set_property": 1, "insert": 1}


def test_a_compiled_counter_updates_one_text_node_per_click():
    module = load(VIEWS, compiled=True)
    dom = MemoryDOM()
    mount_to_body(module.Counter, renderer=dom)
    dom.reset_ops()
    dom.click(dom.find("button"))
    flush()
    assert dom.find("span").text == "Value: 1"
    assert dom.ops == {"set_text": 1}


def test_compiled_views_hydrate_the_servers_html_creating_nothing():
    written = load(VIEWS, compiled=False)
    compiled = load(VIEWS, compiled=True)
    html = render_to_string(lambda: written.row({"id": 1, "label": "one"}, lambda ev: None))
    dom = MemoryDOM()
    dom.load_body(html)
    dom.reset_ops()
    with strict_hydration():
        hydrate_body(lambda: compiled.row({"id": 1, "label": "one"}, lambda ev: None), renderer=dom)
    assert not [kind for kind in dom.ops if kind.startswith("create") or kind == "clone"]


# Text with what escaping must get right: markup and entity characters, quotes, CR
# and other controls, NUL, non-BMP characters, URLs with schemes to block.
pieces = st.one_of(
    st.sampled_from(list("&<>\"'=/;:\r\n\t\x00\x01\x7f \U0001f600") + ["&amp;", "&#13;"]),
    st.characters(),
)
tricky = st.lists(pieces, max_size=12).map("".join)


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tricky, cls=tricky, label=tricky, number=st.integers() | st.floats(allow_nan=False))
def test_compiled_and_written_views_build_the_same_dom_for_any_value(text, cls, label, number):
    for view, args in [
        ("aliased", (text, cls)),
        ("row", ({"id": number, "label": label}, None)),
        ("options", (text, label)),
    ]:
        written, compiled = both(view, *args)
        assert structure(compiled.body.inner_html()) == structure(written.body.inner_html())
