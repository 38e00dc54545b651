"""Views rendered to HTML: attributes, children, components, markers. Compared parsed."""

from _html import parse, structure
from _support import raises

from lepta import ComponentError, LeptaError, component, render_to_string, signal
from lepta.html import (
    br,
    button,
    div,
    img,
    input,
    label,
    li,
    meta,
    option,
    p,
    script,
    select,
    span,
    style,
    textarea,
    ul,
)
from lepta.mathml import annotation_xml, math, mfrac, mi, mn
from lepta.ssr import InvalidChildError
from lepta.svg import circle, linearGradient, stop, svg
from lepta.view import el


def html(view):
    return render_to_string(lambda: view)


def tree(view):
    return structure(html(view))


# --- attributes ----------------------------------------------------------------------
def test_keyword_attributes_are_renamed_by_the_documented_rules():
    (node,) = tree(label("x", class_="a", for_="b", aria_label="c", data_id=7, http_equiv="d"))
    assert node[1] == {
        "class": "a",
        "for": "b",
        "aria-label": "c",
        "data-id": "7",
        "http-equiv": "d",
    }


def test_a_dict_gives_attributes_whose_names_are_not_identifiers():
    (node,) = tree(div({"x-on:click": "open = true", "@keyup": "k"}, "hi", id="d"))
    assert node == ("div", {"x-on:click": "open = true", "@keyup": "k", "id": "d"}, ["hi"])


def test_true_gives_a_bare_attribute_and_false_or_none_no_attribute():
    (node,) = tree(input(disabled=True, checked=False, value=None, required=True))
    assert node == ("input", {"disabled": "", "required": ""}, [])


def test_numbers_are_attribute_text():
    (node,) = tree(input(maxlength=5, step=0.5))
    assert node[1] == {"maxlength": "5", "step": "0.5"}


def test_class_takes_a_string_a_list_or_a_dict_of_flags():
    active = signal(True)[0]
    cases = [
        ("a b", "a b"),
        (["a", None, "", "b"], "a b"),
        ({"on": True, "off": False, "live": active, "dead": lambda: False}, "on live"),
        (lambda: "dyn", "dyn"),
    ]
    for value, expected in cases:
        (node,) = tree(div(class_=value))
        assert node[1] == {"class": expected}, (value, node)
    assert tree(div(class_={"off": False})) == [("div", {}, [])]


def test_style_takes_a_string_or_a_dict_where_none_drops_a_property():
    (node,) = tree(div(style={"color": "red", "margin": None, "width": lambda: "3px"}))
    assert node[1] == {"style": "color: red; width: 3px;"}
    (node,) = tree(div(style="color: blue"))
    assert node[1] == {"style": "color: blue"}


def test_dom_only_keywords_render_what_the_browser_sees_first():
    name = signal("Ada")[0]
    agree = signal(True)[0]
    (node,) = tree(
        input(
            bind_value=name,
            on_input=lambda ev: None,
            prop_indeterminate=True,
            node_ref=object(),
        )
    )
    assert node == ("input", {"value": "Ada"}, [])
    (node,) = tree(input(type="checkbox", bind_checked=agree))
    assert node[1] == {"type": "checkbox", "checked": ""}
    (node,) = tree(textarea(bind_value=name))
    assert node == ("textarea", {}, ["Ada"])
    empty = signal(None)[0]
    assert tree(input(bind_value=empty)) == [("input", {"value": ""}, [])]
    assert tree(textarea(bind_value=empty)) == [("textarea", {}, [])]


class _GetSet:
    """A bindable object that is not callable: read with get(), as the browser does."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value

    def set(self, value):
        self.value = value


def test_a_bound_object_is_read_with_get_on_the_server_as_in_the_browser():
    assert tree(input(type="checkbox", bind_checked=_GetSet(False))) == [
        ("input", {"type": "checkbox"}, [])
    ]
    assert tree(input(bind_value=_GetSet("Ada"))) == [("input", {"value": "Ada"}, [])]


def test_inner_html_is_inserted_unescaped():
    (node,) = tree(div(inner_html="<b>bold</b>"))
    assert node == ("div", {}, [("b", {}, ["bold"])])


def test_a_dynamic_attribute_is_read_once():
    reads = []

    def title():
        reads.append(1)
        return "t"

    assert tree(div(title=title)) == [("div", {"title": "t"}, [])]
    assert reads == [1]


# --- children ------------------------------------------------------------------------
def test_text_and_numbers_are_children_and_none_true_false_render_nothing():
    assert tree(p("a", 1, 2.5, None, True, False, "b")) == [("p", {}, ["a12.5b"])]


def test_lists_tuples_and_generators_are_fragments():
    view = ul([li("a"), (li("b"), li("c"))], (li(x) for x in "de"))
    assert tree(view) == [("ul", {}, [("li", {}, [x]) for x in "abcde"])]


def test_objects_with_html_are_inserted_raw():
    class Safe:
        def __html__(self):
            return "<i>raw</i>"

    assert tree(p("a", Safe(), "b")) == [("p", {}, ["a", ("i", {}, ["raw"]), "b"])]


def test_an_unrenderable_child_is_a_type_error_naming_the_component_and_value():
    class Opaque:
        pass

    @component
    def Broken():
        return div(Opaque())

    @component
    def Outer():
        return div(Broken())

    with raises(InvalidChildError, "Outer > Broken") as caught:
        render_to_string(Outer)
    assert isinstance(caught.value, LeptaError)  # (and a TypeError on CPython)
    assert "Opaque" in str(caught.value)


def test_void_elements_have_no_end_tag_and_refuse_children():
    out = html(div(br(), img(src="/a.png", alt=""), meta(charset="utf-8")))
    assert "</br>" not in out and "</img>" not in out
    assert structure(out) == [
        (
            "div",
            {},
            [
                ("br", {}, []),
                ("img", {"src": "/a.png", "alt": ""}, []),
                ("meta", {"charset": "utf-8"}, []),
            ],
        )
    ]
    with raises(InvalidChildError, "<br> cannot have children"):
        html(br("x"))


def test_script_and_style_content_is_raw_but_cannot_close_the_element():
    out = html(div(script("if (a < b && c) {}"), style("a > b { color: red }")))
    parsed = parse(out)
    assert parsed[0][2][0] == ("script", {}, ["if (a < b && c) {}"])
    assert parsed[0][2][1] == ("style", {}, ["a > b { color: red }"])
    payload = lambda: "</script><script>alert(1)</script>"  # noqa: E731
    (node,) = parse(html(div(script("var s = '", payload, "';"))))
    assert [child[0] for child in node[2]] == ["script"]


def test_svg_and_mathml_keep_their_names_case():
    out = html(
        svg(
            linearGradient(stop(offset="0"), id="g", gradientUnits="userSpaceOnUse"),
            circle(cx=5, cy=5, r=4, stroke_width=2),
            viewBox="0 0 10 10",
        )
    )
    assert "<linearGradient" in out and 'viewBox="0 0 10 10"' in out
    assert 'gradientUnits="userSpaceOnUse"' in out and 'stroke-width="2"' in out
    out = html(math(mfrac(mi("x"), mn(2)), annotation_xml("a")))
    assert structure(out) == [
        (
            "math",
            {},
            [("mfrac", {}, [("mi", {}, ["x"]), ("mn", {}, ["2"])]), ("annotation-xml", {}, ["a"])],
        )
    ]


def test_custom_elements_use_el_and_bad_names_are_refused():
    assert tree(el("my-widget", "hi", size=3)) == [("my-widget", {"size": "3"}, ["hi"])]
    with raises(ValueError, "not a valid element name"):
        el("x onclick=alert(1)")


# --- components ----------------------------------------------------------------------
@component
def Counter(initial=0, step=1):
    value, set_value = signal(initial)
    return div(
        button("Clear", on_click=lambda ev: set_value(0)),
        button("-%d" % step, on_click=lambda ev: set_value.update(lambda v: v - step)),
        span("Value: ", value, "!"),
        button("+%d" % step, on_click=lambda ev: set_value.update(lambda v: v + step)),
    )


def test_the_counter_renders_value_zero():
    (node,) = structure(render_to_string(Counter))
    assert node == (
        "div",
        {},
        [
            ("button", {}, ["Clear"]),
            ("button", {}, ["-1"]),
            ("span", {}, ["Value: 0!"]),
            ("button", {}, ["+1"]),
        ],
    )


def test_props_are_keyword_arguments_with_defaults():
    (node,) = structure(render_to_string(lambda: Counter(initial=3, step=2)))
    assert node[2][2] == ("span", {}, ["Value: 3!"])
    assert node[2][3] == ("button", {}, ["+2"])


@component
def Card(title, children=()):
    return div(p(title, class_="title"), div(children, class_="body"), class_="card")


def test_positional_children_of_a_component_arrive_as_the_children_prop():
    view = Card(span("one"), span("two"), title="T")
    assert tree(view) == [
        (
            "div",
            {"class": "card"},
            [
                ("p", {"class": "title"}, ["T"]),
                ("div", {"class": "body"}, [("span", {}, ["one"]), ("span", {}, ["two"])]),
            ],
        )
    ]


def test_a_component_runs_once_per_use_and_only_when_rendered():
    runs = []

    @component
    def Leaf(n):
        runs.append(n)
        return li(n)

    view = ul(Leaf(n=1), Leaf(n=2))
    assert runs == []
    assert tree(view) == [("ul", {}, [("li", {}, ["1"]), ("li", {}, ["2"])])]
    assert runs == [1, 2]


def test_children_are_built_inside_the_component_that_renders_them():
    from lepta.reactive import provide_context, use_context

    class Theme:
        def __init__(self, name):
            self.name = name

    @component
    def Themed(children=()):
        provide_context(Theme("dark"))
        return div(children)

    @component
    def ThemeName():
        return span(use_context(Theme).name)

    @component
    def Sibling():
        return span(str(use_context(Theme)))

    view = div(Themed(ThemeName()), Sibling())
    assert tree(view) == [
        ("div", {}, [("div", {}, [("span", {}, ["dark"])]), ("span", {}, ["None"])])
    ]


def test_an_exception_inside_names_the_component_chain():
    @component
    def TodoItem(item):
        return li(item["title"])

    @component
    def TodoList(items):
        return ul([TodoItem(item=i) for i in items])

    @component
    def App():
        return div(TodoList(items=[{"title": "ok"}, {}]))

    with raises(ComponentError, "App > TodoList > TodoItem") as caught:
        render_to_string(App)
    assert isinstance(caught.value.error, KeyError)
    assert caught.value.chain == ["App", "TodoList", "TodoItem"]


def test_effects_do_not_run_and_dynamic_values_are_read_once_while_rendering():
    from lepta.reactive import Effect

    effects = []
    reads = []

    @component
    def Live():
        count, _ = signal(5)
        Effect(lambda: effects.append(count()))

        def text():
            reads.append(1)
            return count()

        return p(text)

    assert tree(Live()) == [("p", {}, ["5"])]
    assert effects == [] and reads == [1]


# --- hydration markers ---------------------------------------------------------------
def test_dynamic_text_next_to_text_is_set_apart_by_separators():
    value = signal(0)[0]
    assert html(span("Value: ", value, "!")) == "<span>Value: <!>0<!>!</span>"
    assert html(span(value)) == "<span>0</span>"
    assert html(span(value, value)) == "<span>0<!>0</span>"
    assert html(span("a", "b")) == "<span>ab</span>"


def test_a_dynamic_view_is_followed_by_an_anchor():
    shown = signal(True)[0]
    out = html(div("a", lambda: p("x") if shown() else None, "b"))
    assert out == "<div>a<!><p>x</p><!>b</div>"
    assert html(div(lambda: None)) == "<div><!></div>"
    assert html(div(lambda: [li(1), li(2)])) == "<div><li>1</li><li>2</li><!></div>"


def test_static_structure_carries_no_markers():
    out = html(div(p("a"), ul([li(x) for x in "ab"]), select(option("o", value="o"))))
    assert "<!" not in out
