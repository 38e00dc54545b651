"""Head and meta in memory: what the page's head becomes as components come and go."""

from _support import raises, render

from lepta import component, flush, provide_context, signal
from lepta.dom import mount_to_body
from lepta.html import div, p
from lepta.meta import Body, Head, Html, Link, Meta, Script, Style, Stylesheet, Title
from lepta.meta._document import MemoryDocument
from lepta.ssr import UnsafeValueError
from lepta.testing import MemoryDOM
from lepta.view import PageNonce


def mounted(view_fn, nonce=None):
    """Mount `view_fn` with a Head over an in-memory document; (head, document)."""
    document = MemoryDocument()
    head = Head(document)

    def view():
        provide_context(head)
        if nonce is not None:
            provide_context(PageNonce(nonce))
        return view_fn()

    handle = mount_to_body(view, renderer=MemoryDOM())
    flush()
    return head, document, handle


def test_the_innermost_title_wins_and_formatters_nest_from_the_inside_out():
    @component
    def Page():
        return [Title(formatter="%s · Admin"), Title("Users")]

    head, document, _ = mounted(lambda: div(Title(formatter="%s — My site"), Page()))
    assert document.title == "Users · Admin — My site"
    assert head.title() == "Users · Admin — My site"


def test_a_formatter_may_be_a_function_and_a_title_reactive():
    name, set_name = signal("Ada")
    _, document, _ = mounted(lambda: [Title(formatter=str.upper), Title(name)])
    assert document.title == "ADA"
    set_name("Grace")
    flush()
    assert document.title == "GRACE"


def test_disposing_the_inner_title_brings_back_the_outer_one():
    shown, set_shown = signal(True)
    _, document, _ = mounted(lambda: [Title("Home"), lambda: Title("Inner") if shown() else None])
    assert document.title == "Inner"
    set_shown(False)
    flush()
    assert document.title == "Home"


def test_fifty_pages_one_after_the_other_leave_one_title_and_their_tags_gone():
    page, set_page = signal(0)

    @component
    def Numbered(n):
        return [Title("Page %d" % n), Meta(name="description", content="page %d" % n)]

    head, document, _ = mounted(lambda: lambda: Numbered(n=page()))
    for n in range(1, 51):
        set_page(n)
        flush()
    assert document.title == "Page 50"
    assert len(head.entries) == 2
    assert [dict(t.attrs) for t in document.tags] == [
        {"name": "description", "content": "page 50"}
    ]


def test_one_meta_per_name_or_property_the_innermost_winning():
    @component
    def Page():
        return [
            Meta(name="description", content="inner"),
            Meta(property="og:title", content="Inner"),
        ]

    _, document, _ = mounted(
        lambda: [
            Meta(name="description", content="outer"),
            Meta(property="og:title", content="Outer"),
            Meta(charset="utf-8"),
            Page(),
        ]
    )
    tags = [dict(t.attrs) for t in document.tags]
    assert tags == [
        {"name": "description", "content": "inner"},
        {"property": "og:title", "content": "Inner"},
        {"charset": "utf-8"},
    ]


def test_inline_scripts_and_styles_carry_the_page_nonce():
    _, document, _ = mounted(
        lambda: [Script("start()"), Style("p { color: red }"), Script(src="/a.js")],
        nonce="n0nce",
    )
    script, style, external = [dict(t.attrs) for t in document.tags]
    assert script == {"nonce": "n0nce"} and style == {"nonce": "n0nce"}
    assert external == {"src": "/a.js"}


def test_html_and_body_attributes_merge_and_go_when_their_component_goes():
    shown, set_shown = signal(True)
    _, document, _ = mounted(
        lambda: [
            Html(lang="fr"),
            Body(class_="app"),
            lambda: [Html(class_="dark"), Body(class_="home")] if shown() else None,
        ]
    )
    assert document.html == {"lang": "fr", "class": "dark"}
    assert document.body == {"class": "home"}
    set_shown(False)
    flush()
    assert document.html == {"lang": "fr"} and document.body == {"class": "app"}


def test_a_stylesheet_and_links_are_tags_and_a_script_url_in_a_link_is_blocked():
    _, document, _ = mounted(
        lambda: [Stylesheet("/extra.css"), Link(rel="icon", href="javascript:alert(1)")]
    )
    sheet, icon = [dict(t.attrs) for t in document.tags]
    assert sheet == {"rel": "stylesheet", "href": "/extra.css"}
    assert icon["href"].startswith("about:invalid")


def test_an_event_handler_attribute_is_refused():
    with raises(UnsafeValueError):
        mounted(lambda: Meta(name="x", onload="alert(1)"))


def test_meta_components_render_nothing_in_the_body():
    html = render(div(Title("x"), Meta(name="a", content="b"), p("body")))
    assert html == "<div><p>body</p></div>"
