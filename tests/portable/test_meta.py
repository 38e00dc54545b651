"""Head and meta in an in-memory document: what the page's head becomes as components
come and go, through the same code that keeps the browser's `document.head`."""

from _deferred import Calls, settle
from _support import raises, render

from lepta import Resource, Suspense, component, flush, provide_context, signal
from lepta.dom import hydrate_body, mount_to_body
from lepta.html import div, p
from lepta.meta import Body, Head, Html, Link, Meta, Script, Style, Stylesheet, Title
from lepta.meta._render import title_html
from lepta.ssr import UnsafeValueError, render_to_string
from lepta.testing import MemoryDOM, strict_hydration
from lepta.view import PageNonce

BLOCKED = "about:invalid#lepta-blocked-url"


def mounted(view_fn, nonce=None, dom=None):
    """Mount `view_fn` with a Head kept over an in-memory document; (dom, head, handle)."""
    dom = dom or MemoryDOM()
    head = Head(dom)

    def view():
        provide_context(head)
        if nonce is not None:
            provide_context(PageNonce(nonce))
        return view_fn()

    handle = mount_to_body(view, renderer=dom)
    flush()
    return dom, head, handle


def titles(dom):
    return [" ".join(t.text.split()) for t in dom.find_all("title")]


def head_tags(dom):
    """(tag, attributes without the marker) of each marked element in <head>."""
    found = []
    for child in dom.head.children:
        attributes = getattr(child, "attributes", None)
        if attributes is not None and "data-lepta-meta" in attributes:
            attrs = {name: attributes[name] for name in attributes if name != "data-lepta-meta"}
            found.append((child.tag, attrs))
    return found


def server_page(view_fn, nonce=None):
    """The page the server would send for `view_fn` and what its Head gave (read at
    the end of the render pass, as the server reads it after the first pass)."""
    head = Head()
    seen = {}

    @component
    def ReadHead():
        seen["html"] = head.html_attrs()
        seen["head"] = title_html(head, "App") + head.tags_html(nonce)
        seen["body"] = head.body_attrs()
        seen["tags"] = head.tags_html(nonce)

    def view():
        provide_context(head)
        if nonce is not None:
            provide_context(PageNonce(nonce))
        return [view_fn(), ReadHead()]

    body = render_to_string(view)
    page = (
        '<!DOCTYPE html><html%s><head><meta charset="utf-8">%s</head><body%s>%s</body></html>'
        % (seen["html"], seen["head"], seen["body"], body)
    )
    return page, seen


# --- the title -------------------------------------------------------------------------
def test_the_innermost_title_wins_and_formatters_nest_from_the_inside_out():
    @component
    def Page():
        return [Title(formatter="%s · Admin"), Title("Users")]

    dom, head, _ = mounted(lambda: div(Title(formatter="%s — My site"), Page()))
    assert titles(dom) == ["Users · Admin — My site"]
    assert head.title() == "Users · Admin — My site"


def test_a_formatter_may_be_a_function_and_a_title_reactive():
    name, set_name = signal("Ada")
    dom, _, _ = mounted(lambda: [Title(formatter=str.upper), Title(name)])
    assert titles(dom) == ["ADA"]
    set_name("Grace")
    flush()
    assert titles(dom) == ["GRACE"]


def test_a_title_whose_text_is_none_leaves_the_outer_title_showing():
    name, set_name = signal(None)
    dom, _, _ = mounted(lambda: [Title("Contacts"), Title(name)])
    assert titles(dom) == ["Contacts"]
    set_name("Ada")
    flush()
    assert titles(dom) == ["Ada"]


def test_disposing_the_inner_title_brings_back_the_outer_one():
    shown, set_shown = signal(True)
    dom, _, _ = mounted(lambda: [Title("Home"), lambda: Title("Inner") if shown() else None])
    assert titles(dom) == ["Inner"]
    set_shown(False)
    flush()
    assert titles(dom) == ["Home"]


def test_disposing_the_only_title_brings_back_the_title_the_page_had():
    dom = MemoryDOM()
    dom.load("<html><head><title>My app</title></head><body></body></html>")
    shown, set_shown = signal(True)
    mounted(lambda: lambda: Title("Inner") if shown() else None, dom=dom)
    assert titles(dom) == ["Inner"]
    set_shown(False)
    flush()
    assert titles(dom) == ["My app"]


def test_a_hostile_title_stays_text():
    hostile = "</title><script>alert(1)</script>"
    dom, head, _ = mounted(lambda: Title(hostile))
    assert titles(dom) == [hostile]
    assert dom.find_all("script") == []
    assert title_html(head, "App") == (
        "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"
    )


# --- tags ------------------------------------------------------------------------------
def test_one_meta_per_name_or_property_the_innermost_winning():
    @component
    def Page():
        return [
            Meta(name="description", content="inner"),
            Meta(property="og:title", content="Inner"),
        ]

    dom, _, _ = mounted(
        lambda: [
            Meta(name="description", content="outer"),
            Meta(property="og:title", content="Outer"),
            Meta(charset="utf-8"),
            Page(),
        ]
    )
    assert head_tags(dom) == [
        ("meta", {"name": "description", "content": "inner"}),
        ("meta", {"property": "og:title", "content": "Inner"}),
        ("meta", {"charset": "utf-8"}),
    ]


def test_a_reactive_meta_content_replaces_its_tag():
    text, set_text = signal("first")
    dom, _, _ = mounted(lambda: Meta(name="description", content=text))
    set_text("second")
    flush()
    assert head_tags(dom) == [("meta", {"name": "description", "content": "second"})]


def test_inline_scripts_and_styles_carry_the_page_nonce():
    dom, head, _ = mounted(
        lambda: [Script("start()"), Style("p { color: red }"), Stylesheet("/a.css")],
        nonce="n0nce",
    )
    assert head_tags(dom) == [
        ("script", {"nonce": "n0nce"}),
        ("style", {"nonce": "n0nce"}),
        ("link", {"rel": "stylesheet", "href": "/a.css"}),
    ]
    assert [t.text for t in dom.head.children[:2]] == ["start()", "p { color: red }"]
    html = head.tags_html("n0nce")
    assert '<script nonce="n0nce" data-lepta-meta=' in html
    assert '<style nonce="n0nce" data-lepta-meta=' in html
    assert 'rel="stylesheet" href="/a.css" data-lepta-meta=' in html


def test_inline_code_cannot_end_its_element_on_the_server():
    _, seen = server_page(lambda: [Script("x = '</script><script>alert(1)'")])
    assert seen["tags"].count("</script>") == 1
    assert "x = '<\\/script><script>alert(1)'</script>" in seen["tags"]


def test_a_script_url_in_a_link_is_neutralised_as_in_any_url_attribute():
    dom, head, _ = mounted(
        lambda: [Stylesheet("/extra.css"), Link(rel="icon", href="javascript:alert(1)")]
    )
    assert head_tags(dom) == [
        ("link", {"rel": "stylesheet", "href": "/extra.css"}),
        ("link", {"rel": "icon", "href": BLOCKED}),
    ]
    assert "javascript:" not in head.tags_html()


def test_a_refresh_to_a_script_url_loses_its_content():
    dom, _, _ = mounted(lambda: Meta(http_equiv="refresh", content="0; url=javascript:alert(1)"))
    assert head_tags(dom) == [("meta", {"http-equiv": "refresh"})]


def test_an_event_handler_attribute_is_refused():
    with raises(UnsafeValueError, "onload"):
        mounted(lambda: Meta(name="x", onload="alert(1)"))


def test_hostile_attribute_values_stay_inside_their_quotes():
    _, seen = server_page(lambda: Meta(name="x", content='"><script>alert(1)</script>'))
    assert 'content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in seen["tags"]


# --- html and body ---------------------------------------------------------------------
def test_html_and_body_attributes_merge_and_go_when_their_component_goes():
    shown, set_shown = signal(True)
    dom, head, _ = mounted(
        lambda: [
            Html(lang="fr"),
            Body(class_="app"),
            lambda: [Html(class_="dark"), Body(class_="home")] if shown() else None,
        ]
    )
    root = dom.document.document_element
    assert root.attributes == {"lang": "fr", "class": "dark"}
    assert dom.body.attributes == {"class": "home"}
    assert sorted(head.html_attrs().split()) == ['class="dark"', 'lang="fr"']
    set_shown(False)
    flush()
    assert root.attributes == {"lang": "fr"} and dom.body.attributes == {"class": "app"}
    assert head.body_attrs() == ' class="app"'


# --- coming and going ------------------------------------------------------------------
def test_fifty_pages_one_after_the_other_leave_one_title_and_their_tags_gone():
    page, set_page = signal(0)

    @component
    def Numbered(n):
        return [
            Title("Page %d" % n),
            Meta(name="description", content="page %d" % n),
            Link(rel="canonical", href="/%d" % n),
        ]

    dom, head, _ = mounted(lambda: [Title(formatter="%s — Site"), lambda: Numbered(n=page())])
    for n in range(1, 51):
        set_page(n)
        flush()
    assert titles(dom) == ["Page 50 — Site"]
    assert len(head.entries) == 4
    assert head_tags(dom) == [
        ("meta", {"name": "description", "content": "page 50"}),
        ("link", {"rel": "canonical", "href": "/50"}),
    ]


def test_a_tag_both_pages_ask_for_stays_when_one_page_follows_the_other():
    page, set_page = signal("a")

    @component
    def Page(name):
        return [Title(name), Script(src="/widget.js")]

    dom, _, _ = mounted(lambda: lambda: Page(name=page()))
    widget = dom.find("script")
    dom.reset_ops()
    set_page("b")
    flush()
    assert titles(dom) == ["b"] and dom.find("script") is widget  # not run a second time
    assert "create_element" not in dom.ops and "remove" not in dom.ops


def test_unmounting_the_app_takes_its_tags_away():
    dom, _, handle = mounted(lambda: [Title("x"), Meta(name="a", content="b")])
    handle.unmount()
    flush()
    assert head_tags(dom) == [] and titles(dom) == [""]


def test_meta_components_render_nothing_in_the_body():
    html = render(div(Title("x"), Meta(name="a", content="b"), p("body")))
    assert html == "<div><p>body</p></div>"


# --- hydration -------------------------------------------------------------------------
@component
def Site():
    return [
        Html(lang="fr"),
        Title(formatter="%s — Site"),
        Meta(name="description", content="A site"),
        Script("start()"),
        div(Title("Home"), Stylesheet("/home.css"), p("Hello")),
    ]


def test_hydration_adopts_the_server_tags_without_adding_or_running_any():
    page, _ = server_page(Site, nonce="n0nce")
    dom = MemoryDOM()
    dom.load(page)
    before = list(dom.head.children)
    head = Head(dom)
    dom.reset_ops()

    def view():
        provide_context(head)
        provide_context(PageNonce("n0nce"))
        return Site()

    with strict_hydration():
        hydrate_body(view, renderer=dom)
    flush()
    assert dom.head.children == before  # the same nodes: nothing made, nothing removed
    assert titles(dom) == ["Home — Site"]
    assert dom.ops == {"set_attribute": 1}  # lang on <html>, written again: as cheap as reading it
    assert dom.html(dom.body) == "<body><div><p>Hello</p></div></body>"


def test_a_server_tag_the_browser_does_not_ask_for_goes_and_a_changed_one_is_replaced():
    page, _ = server_page(lambda: [Meta(name="description", content="old"), Meta(name="gone")])
    dom = MemoryDOM()
    dom.load(page)
    mounted(lambda: Meta(name="description", content="new"), dom=dom)
    assert head_tags(dom) == [("meta", {"name": "description", "content": "new"})]


async def test_meta_inside_a_suspense_applies_when_its_data_arrives():
    fetch = Calls()

    @component
    def Contact():
        name = Resource(1, fetch)
        return Suspense(
            [Title(name), Meta(name="description", content=name), p(name)],
            fallback=p("..."),
        )

    dom, _, _ = mounted(lambda: [Title("Contacts"), Contact()])
    await settle()
    flush()
    assert titles(dom) == ["Contacts"]
    fetch.resolve(0, "Ada")
    await settle()
    flush()
    assert titles(dom) == ["Ada"]
    assert head_tags(dom) == [("meta", {"name": "description", "content": "Ada"})]
