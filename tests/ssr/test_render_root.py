"""What a render's root provides, now that a render meeting nothing reactive makes
it cheaply: the keys and async data of resources, the root owner and its disposal."""

import asyncio

from lepta import Owner, Resource, component, on_cleanup, render_to_string, signal
from lepta.html import div, p
from lepta.reactive import _suspense, use_context
from lepta.reactive._owner import server_owner
from lepta.ssr._render import _collected


def test_a_resource_created_while_rendering_gets_its_key_and_the_render_s_data():
    seen = {}

    async def load(_):
        return 1

    @component
    def Page():
        first = Resource(lambda: 1, load)
        second = Resource(lambda: 1, load)
        seen["data"] = _suspense.data
        seen["keys"] = (first._key, second._key)
        seen["loading"] = dict(_suspense.data.loading)
        seen["resources"] = (first, second)
        return p("page")

    assert render_to_string(Page) == "<p>page</p>"
    assert seen["keys"] == ("0", "1")
    assert seen["loading"] == {"0": seen["resources"][0], "1": seen["resources"][1]}
    assert seen["data"].collect is True and seen["data"].production is False


def test_each_render_gets_its_own_async_data_and_keys():
    datas = []

    async def load(_):
        return 1

    @component
    def Page():
        Resource(lambda: 1, load)
        datas.append(_suspense.data)
        return p(_suspense.scope.resources)

    assert render_to_string(Page) == "<p>1</p>"
    assert render_to_string(Page) == "<p>1</p>"
    assert datas[0] is not datas[1]
    assert list(datas[0].loading) == ["0"] and list(datas[1].loading) == ["0"]
    assert datas[0].loading["0"] is not datas[1].loading["0"]
    assert _suspense.data is None and _suspense.scope is None


def test_the_data_of_a_render_to_string_makes_its_tables_when_used():
    data = _collected()
    assert data.outcomes == {} and data.loading == {} and data.private == set()
    assert data.outcomes is data.outcomes  # made once, then kept
    data.private.add("3")
    assert data.private == {"3"}
    assert data.record("0", False, ValueError("no")) == (False, data.outcomes["0"][1])
    assert data.has_errors()
    other = _collected()
    assert other.outcomes == {} and other.private == set() and not other.has_errors()
    try:
        data.missing  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_cleanups_registered_during_a_render_run_once_it_is_done():
    ran = []

    @component
    def Inner():
        on_cleanup(lambda: ran.append("inner"))
        return p("x")

    def view():
        on_cleanup(lambda: ran.append("root"))  # on the render's root owner itself
        return div(Inner())

    assert render_to_string(view) == "<div><p>x</p></div>"
    assert ran == ["inner", "root"]


def test_a_render_that_creates_a_signal_disposes_it_with_its_root():
    owners = []

    @component
    def Page():
        value, _ = signal(3)
        owners.append(Owner())  # a child owner of the component
        return p(value)

    assert render_to_string(Page) == "<p>3</p>"
    assert owners[0].disposed


def test_a_root_owner_that_owns_nothing_is_disposed_all_the_same():
    root = Owner()
    root.dispose()
    assert root.disposed
    try:
        with root:
            pass
    except Exception as exc:
        assert "disposed" in str(exc)
    else:
        raise AssertionError("a disposed owner must not be entered")


def test_a_server_owner_is_a_server_owner_under_the_owner_current_now():
    outer = Owner()
    with outer:
        inner = server_owner()
    assert inner.parent is outer and inner._server and not outer._server
    assert not inner.disposed
    outer.dispose()
    assert inner.disposed
    alone = server_owner()
    assert alone.parent is None and alone._server
    alone.dispose()
    assert alone.disposed


def test_a_render_inside_an_owner_hangs_its_root_there_until_done():
    outer = Owner()
    with outer:
        assert render_to_string(lambda: p("in")) == "<p>in</p>"
    assert not outer._owned  # the render's root went away with the render
    outer.dispose()


def test_context_provided_above_a_render_is_seen_inside_it():
    class Theme:
        name = "dark"

    from lepta.reactive import provide_context

    outer = Owner()
    with outer:
        provide_context(Theme())

        @component
        def Page():
            return p(use_context(Theme).name)

        assert render_to_string(Page) == "<p>dark</p>"
    outer.dispose()


def test_a_component_with_props_and_children_at_the_root_gets_both():
    @component
    def Box(title, children=(), tone="plain"):
        return div(p(title), children, class_=tone)

    assert render_to_string(lambda: Box(p("a"), p("b"), title="T")) == (
        '<div class="plain"><p>T</p><p>a</p><p>b</p></div>'
    )
    assert render_to_string(lambda: Box(title="T", tone="loud")) == (
        '<div class="loud"><p>T</p></div>'
    )


def test_an_async_resource_render_still_shows_its_suspense_fallback():
    from lepta import Suspense

    async def load(_):
        await asyncio.sleep(0)
        return "data"

    @component
    def Page():
        r = Resource(lambda: 1, load)
        return Suspense(fallback=p("wait"), children=lambda: p(r.get()))

    html = render_to_string(Page)
    assert "<p>wait</p>" in html and "data" not in html


def test_a_render_started_again_as_written_disposes_both_roots():
    from . import components as c

    c.DictFirst.compiled = None  # compiled afresh by this render
    ran = []

    def view():
        on_cleanup(lambda: ran.append("root"))
        return c.DictFirst(extra={"title": "t"}, label="L")  # a dict: attributes

    assert render_to_string(view) == (
        '<div><p title="t">text</p><span class="l">L</span></div>'
    )
    assert not c.DictFirst.direct  # it met the dict compiled, and rendered as written
    assert ran == ["root", "root"]  # the first attempt's root, then the second's
    c.DictFirst.compiled = None
