"""Cases where parts of a view change inside other changing parts."""

from lepta import component, flush, mount_to_body, render_to_string, signal
from lepta.dom import hydrate_body
from lepta.html import b, div, i, li, p, script, span, ul
from lepta.testing import MemoryDOM
from lepta.view import ErrorBoundary, For, Show


def mounted(view_fn):
    dom = MemoryDOM()
    handle = mount_to_body(view_fn, renderer=dom)
    return dom, handle


def visible(dom):
    """The body's HTML without the anchors."""
    return dom.body_html().replace("<!---->", "")


def fresh(view_fn):
    dom, _ = mounted(view_fn)
    return visible(dom)


def test_hiding_a_show_removes_what_an_inner_show_put_there_since():
    outer, set_outer = signal(True)
    inner, set_inner = signal(True)
    dom, _ = mounted(lambda: div(Show(Show(span("in"), when=inner, fallback=i("fb")), when=outer)))
    set_inner(False)
    flush()
    set_outer(False)
    flush()
    assert visible(dom) == "<div></div>"


def test_hiding_a_show_removes_rows_added_to_a_list_inside_it():
    items, set_items = signal(["a"])
    shown, set_shown = signal(True)
    dom, _ = mounted(
        lambda: div(Show(ul(For(each=items, key=str, children=li)), when=shown), "end")
    )
    set_items(["a", "b"])
    flush()
    set_shown(False)
    flush()
    assert visible(dom) == "<div>end</div>"


def test_rows_whose_content_changed_move_and_go_whole():
    items, set_items = signal([1, 2, 3])
    flag, set_flag = signal(True)

    def row(x):
        return Show(li(x), when=flag, fallback=li("no", x))

    dom, _ = mounted(lambda: ul(li("static"), For(each=items, key=str, children=row)))
    set_flag(False)
    flush()
    set_items([3, 1])
    flush()
    assert visible(dom) == fresh(lambda: ul(li("static"), li("no", 3), li("no", 1)))
    set_items([4])
    flush()
    assert visible(dom) == fresh(lambda: ul(li("static"), li("no", 4)))


def test_unmount_removes_a_dynamic_root_that_changed():
    value, set_value = signal("text")
    dom, handle = mounted(lambda: lambda: value() if value() == "text" else span("el"))
    set_value("element")
    flush()
    handle.unmount()
    assert dom.body_html() == ""


def test_for_rows_that_are_plain_text_hydrate():
    view = lambda: ul(For(each=["a", "b"], key=str, children=lambda x: x))  # noqa: E731
    dom = MemoryDOM()
    dom.load_body(render_to_string(view))
    dom.reset_ops()
    hydrate_body(view, renderer=dom)
    assert "create_element" not in dom.ops and "create_text" not in dom.ops


def test_an_error_boundary_after_text_and_one_showing_its_fallback_hydrate():
    @component
    def Bad():
        raise ValueError("no")

    for view in (
        lambda: div("a", ErrorBoundary(span("x"), fallback=lambda e: b("bad"))),
        lambda: div("a", ErrorBoundary(Bad(), fallback=lambda e: b("bad"))),
    ):
        dom = MemoryDOM()
        dom.load_body(render_to_string(view))
        dom.reset_ops()
        hydrate_body(view, renderer=dom)
        assert "create_element" not in dom.ops and "create_text" not in dom.ops


def test_empty_strings_crlf_and_scripts_hydrate():
    dyn = signal("d")[0]
    for view in (
        lambda: p(""),
        lambda: p("", dyn),
        lambda: p("a\r\nb"),
        lambda: div(script("var a = '", dyn, "'; // </script>")),
    ):
        dom = MemoryDOM()
        dom.load_body(render_to_string(view))
        dom.reset_ops()
        hydrate_body(view, renderer=dom)
        assert "create_element" not in dom.ops and "create_text" not in dom.ops, view


def test_client_attributes_follow_the_server_rules():
    color, set_color = signal("red")
    for view in (
        lambda: div(style=lambda: {"color": "red"}),
        lambda: div(class_=lambda: ["a", lambda: None]),
    ):
        dom, _ = mounted(view)
        server = render_to_string(view)
        assert visible(dom) == server
    dom, _ = mounted(lambda: div(style={"color": color}))
    set_color(False)
    flush()
    assert visible(dom) in ("<div></div>", '<div style=""></div>')


def test_raw_html_is_inserted_as_html_on_the_client():
    class Safe:
        def __html__(self):
            return "<b>x</b>"

    dom, _ = mounted(lambda: div(Safe()))
    assert dom.find("b").text == "x"


def test_a_boundary_child_that_fails_at_once_shows_its_content_after_recovering():
    ok, set_ok = signal(False)

    def text():
        if not ok():
            raise ValueError("not yet")
        return "ok"

    dom, _ = mounted(lambda: div(ErrorBoundary(span(text), fallback=lambda e: b("bad"))))
    assert dom.find("b").text == "bad"
    set_ok(True)
    flush()
    assert dom.find("span").text == "ok"


def test_content_that_changes_while_the_fallback_shows_comes_back_updated():
    value, set_value = signal(1)
    items, set_items = signal([1])

    def checked():
        if value() < 0:
            raise ValueError("negative")
        return p(value())

    dom, _ = mounted(
        lambda: div(
            ErrorBoundary(
                checked, ul(For(each=items, key=str, children=li)), fallback=lambda e: b("bad")
            )
        )
    )
    set_value(-1)
    flush()
    set_items([1, 2])
    flush()
    assert dom.find("b").text == "bad"
    set_value(5)
    flush()
    assert visible(dom) == "<div><p>5</p><ul><li>1</li><li>2</li></ul></div>"


def test_removing_the_failing_row_brings_the_boundary_back():
    items, set_items = signal([1, 2, 3])

    def row(x):
        def text():
            if x == 2:
                raise ValueError("row 2")
            return str(x)

        return li(text)

    dom, _ = mounted(
        lambda: div(
            ErrorBoundary(ul(For(each=items, key=str, children=row)), fallback=lambda e: b("err"))
        )
    )
    assert dom.find("b").text == "err"
    set_items([1, 3])
    flush()
    assert [el.text for el in dom.find_all("li")] == ["1", "3"]


def test_one_component_call_placed_twice_gets_two_owners():
    n, set_n = signal(0)

    @component
    def Badge():
        return span(lambda: "n=%d" % n())

    shared = Badge()
    items, set_items = signal([1, 2])
    dom, _ = mounted(lambda: ul(For(each=items, key=str, children=lambda x: li(shared))))
    set_items([2])
    flush()
    set_n(5)
    flush()
    assert [el.text for el in dom.find_all("span")] == ["n=5"]


def test_a_boundary_the_server_rendered_as_its_fallback_hydrates_as_such():
    def risky():
        raise ValueError("server data missing")

    view = lambda: div(ErrorBoundary(span(risky), fallback=lambda e: b("fallback")))  # noqa: E731
    html = render_to_string(view)
    assert "lepta-fallback" in html
    dom = MemoryDOM()
    dom.load_body(html)
    dom.reset_ops()
    hydrate_body(view, renderer=dom)
    assert "create_element" not in dom.ops and "create_text" not in dom.ops
    assert dom.find("b").text == "fallback"


def test_a_class_entry_that_starts_off_costs_nothing_on_a_new_element():
    on, set_on = signal(False)
    dom = MemoryDOM()
    mount_to_body(lambda: div(class_={"danger": on}), renderer=dom)
    assert "toggle_class" not in dom.ops
    set_on(True)
    flush()
    assert dom.ops["toggle_class"] == 1 and dom.find("div").attributes["class"] == "danger"


def test_keyed_rows_that_render_nothing_keep_the_others_in_order():
    items, set_items = signal([1, 2, 4, 3, 5, 6])
    row = lambda x: None if x % 3 == 0 else li(str(x))  # noqa: E731
    dom = MemoryDOM()
    mount_to_body(lambda: ul(For(each=items, key=lambda x: x, children=row)), renderer=dom)
    # The first: rows move in front of a row with no nodes that is followed by others.
    orders = ([2, 4, 1, 3, 5, 6], [6, 2, 3, 4, 5, 1], [1, 3, 2, 6, 5, 4], [4, 5, 6, 1, 2, 3])
    for order in orders + ([3, 6, 1],):
        set_items(order)
        flush()
        assert [n.text for n in dom.find_all("li")] == [str(x) for x in order if x % 3]


def test_a_range_asked_to_show_the_parts_it_shows_touches_nothing():
    from lepta.dom._boundary import Reuse
    from lepta.dom._build import Build

    dom = MemoryDOM()
    kept = Build(dom).build(p("kept")).nodes
    n, set_n = signal(0)

    def same_parts():
        n()  # re-runs on n, with the same answer
        return Reuse(kept)

    mount_to_body(lambda: div(same_parts), renderer=dom)
    dom.reset_ops()
    set_n(1)
    flush()
    assert dom.ops == {} and dom.find("p").text == "kept"
