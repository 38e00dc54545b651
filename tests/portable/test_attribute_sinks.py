"""Attributes that run script or HTML, style keys, raw-text elements and NUL.

Event handler attributes (`onclick`...) and `srcdoc` take only values marked safe;
style keys must be CSS property names; xmp, iframe, noembed, noframes and noscript
hold raw text like script and style; NUL is written as the U+FFFD a browser reads.
Each rule is checked on the server (rendered HTML read back as a browser would) and
in the in-memory DOM, mounting and hydrating. The compiled server path is checked in
tests/ssr/test_sinks_compiled.py.
"""

from _html import structure
from _support import Safe, render

from lepta import mount_to_body
from lepta.dom import hydrate_body
from lepta.html import button, div, iframe, link, noscript, p, script, span
from lepta.ssr import UnsafeValueError
from lepta.svg import svg
from lepta.testing import MemoryDOM, strict_hydration
from lepta.view import el


def mounted(view):
    dom = MemoryDOM()
    mount_to_body(lambda: view, renderer=dom)
    return dom


def hydrated(view):
    """The in-memory DOM after loading the server's HTML of `view` and hydrating it;
    a mismatch raises."""
    dom = MemoryDOM()
    dom.load_body(render(view))
    with strict_hydration():
        hydrate_body(lambda: view, renderer=dom)
    return dom


def error_of(fn, *args):
    """The error `fn(*args)` raises refusing a value (None if it raises none)."""
    try:
        fn(*args)
    except (UnsafeValueError, ValueError) as exc:
        return exc
    return None


# --- event handler attributes ---------------------------------------------------------

HANDLER_TEXT = [
    ("onclick keyword", lambda: button("x", onclick="alert(1)")),
    ("onclick in a dict", lambda: div({"onclick": "alert(1)"})),
    ("ONLOAD in a dict", lambda: div({"ONLOAD": "alert(1)"})),
    ("onMouseOver in a dict", lambda: div({"onMouseOver": "alert(1)"})),
    ("svg onload", lambda: svg(onload="alert(1)")),
    ("dynamic text", lambda: div(onclick=lambda: "alert(1)")),
    ("a number", lambda: div(onclick=1)),
    ("True", lambda: div(onclick=True)),
]


def test_event_handler_attributes_refuse_text_on_the_server():
    failures = []
    for label, build in HANDLER_TEXT:
        exc = error_of(render, build())
        if exc is None:
            failures.append(label)
        elif "on_" not in str(exc) or "Markup" not in str(exc):
            failures.append("%s: the message does not say what to do: %s" % (label, exc))
    assert failures == [], failures


def test_event_handler_attributes_refuse_text_in_the_dom():
    failures = [label for label, build in HANDLER_TEXT if error_of(mounted, build()) is None]
    assert failures == [], failures


def test_the_error_names_the_handler_keyword_to_use_instead():
    exc = error_of(render, div({"onClick": "go()"}))
    assert "on_click=handler" in str(exc), str(exc)


def test_an_event_handler_marked_safe_is_written_as_given():
    view = link(rel="preload", href="/a.css", onload=Safe("this.rel='stylesheet'"))
    want = [("link", {"rel": "preload", "href": "/a.css", "onload": "this.rel='stylesheet'"}, [])]
    assert structure(render(view)) == want
    dom = mounted(view)
    assert dom.find("link").attributes["onload"] == "this.rel='stylesheet'"


def test_an_event_handler_attribute_of_none_or_false_writes_nothing():
    assert structure(render(div(onclick=None, onload=False))) == [("div", {}, [])]
    assert mounted(div(onclick=None)).find("div").attributes == {}


def test_hydrating_text_in_an_event_handler_attribute_is_refused_too():
    dom = MemoryDOM()
    dom.load_body('<div onclick="alert(1)"></div>')
    assert error_of(lambda: hydrate_body(lambda: div(onclick="alert(1)"), renderer=dom))


def test_on_keywords_are_still_event_listeners():
    clicks = []
    dom = mounted(button("go", on_click=lambda ev: clicks.append(1)))
    dom.click(dom.find("button"))
    assert clicks == [1]
    assert structure(render(button("go", on_click=lambda ev: None))) == [("button", {}, ["go"])]


# --- srcdoc ------------------------------------------------------------------------


def test_srcdoc_refuses_text_on_the_server_and_in_the_dom():
    for value in ("<script>alert(1)</script>", lambda: "<b>hi</b>", "plain"):
        exc = error_of(render, iframe(srcdoc=value))
        assert exc is not None and "Markup" in str(exc), value
        assert error_of(mounted, iframe(srcdoc=value)) is not None, value
    assert error_of(render, iframe({"SRCDOC": "<b>x</b>"})) is not None


def test_srcdoc_marked_safe_is_written_as_given():
    view = iframe(srcdoc=Safe("<p>trusted &amp; kept</p>"))
    assert structure(render(view)) == [("iframe", {"srcdoc": "<p>trusted & kept</p>"}, [])]
    assert mounted(view).find("iframe").attributes["srcdoc"] == "<p>trusted &amp; kept</p>"


def test_srcdoc_given_as_a_property_refuses_text_too():
    assert error_of(mounted, iframe(prop_srcdoc="<script>alert(1)</script>"))


# --- style keys ------------------------------------------------------------------------

GOOD_STYLE = {
    "color": "red",
    "font-size": "12px",
    "-webkit-transition": "all 1s",
    "--main-color": "#fff",
    "--x_y2": "1",
    "background": "url(data:image/png;base64,AAAA)",
}

BAD_STYLE_KEYS = [
    "color: red; background: url(x); x",
    "color;",
    "a:b",
    "x{",
    "}",
    'x"',
    "x'",
    "<x",
    "font size",
    "",
    "-",
    "--",
    "1x",
    "--a;b",
    "col\x00or",
]


def _declarations(style):
    """The declarations `style=GOOD_STYLE` should give, in its dict's order (which
    MicroPython does not keep for literals)."""
    return " ".join("%s: %s;" % (k, v) for k, v in style.items())


def test_style_keys_that_are_property_names_are_written():
    want = _declarations(GOOD_STYLE)
    assert "--main-color: #fff;" in want and "-webkit-transition: all 1s;" in want
    assert structure(render(div(style=GOOD_STYLE))) == [("div", {"style": want}, [])]
    dom = mounted(div(style=GOOD_STYLE))
    assert dom.find("div").attributes["style"] == want


def test_style_keys_that_are_not_property_names_are_refused_everywhere():
    failures = []
    for key in BAD_STYLE_KEYS:
        view = div(style={key: "1"})
        if error_of(render, view) is None:
            failures.append("server %r" % key)
        if error_of(mounted, view) is None:
            failures.append("dom %r" % key)
        dynamic = div(style={key: lambda: "1"})
        if error_of(mounted, dynamic) is None:
            failures.append("dom, dynamic %r" % key)
    assert failures == [], failures


def test_a_style_string_is_kept_as_given():
    view = div(style="color: red; background: url(data:image/png;base64,AA)")
    assert structure(render(view)) == [
        ("div", {"style": "color: red; background: url(data:image/png;base64,AA)"}, []),
    ]


# --- raw-text elements ----------------------------------------------------------------

RAW_TEXT_TAGS = ("xmp", "iframe", "noembed", "noframes")
RAW_TEXTS = ["a < b", "a &lt; b & c", "<b>not bold</b>", "x > y"]


def test_the_text_of_xmp_iframe_noembed_and_noframes_is_raw_text():
    failures = []
    for tag in RAW_TEXT_TAGS:
        for text in RAW_TEXTS:
            for child in (text, lambda t=text: t):
                html = render(div(el(tag, child), p("after")))
                got = structure(html)
                if got != [("div", {}, [(tag, {}, [text]), ("p", {}, ["after"])])]:
                    failures.append("<%s> %r: %r parses as %r" % (tag, text, html, got))
    assert failures == [], failures


def test_raw_text_elements_cannot_be_closed_by_their_text():
    failures = []
    for tag in RAW_TEXT_TAGS:
        for payload in ("</%s><script>alert(1)</script>", "</%s ><img src=x onerror=alert(1)>"):
            for text in (payload % tag, payload % tag.upper()):
                html = render(div(el(tag, text), p("after")))
                got = structure(html)
                if len(got[0][2]) != 2 or got[0][2][1] != ("p", {}, ["after"]):
                    failures.append("<%s> %r: %r parses as %r" % (tag, text, html, got))
    assert failures == [], failures


def test_raw_text_elements_hydrate_without_a_mismatch():
    for tag in RAW_TEXT_TAGS + ("noscript",):
        # (text given, text the browser reads): only an end tag changes, on both sides.
        cases = [("a b", "a b"), ("a < b", "a < b"), ("&lt;", "&lt;"), ("</b>", "</b>")]
        cases.append(("</%s>" % tag.upper(), "<\\/%s>" % tag.upper()))
        for text, read in cases:
            if tag == "noscript" and ("<" in text or "&" in text):
                text = Safe(text)  # see the noscript tests below
            dom = hydrated(div(el(tag, text), span("after")))
            assert dom.find(tag).text == read, (tag, text)
            assert dom.find("span").text == "after"


def test_hydrating_xmp_reads_the_same_text_as_the_server_wrote():
    dom = hydrated(div(el("xmp", "a < b && c")))
    assert dom.find("xmp").text == "a < b && c"


def test_an_uppercase_tag_given_to_el_is_a_raw_text_element_too():
    assert structure(render(el("XMP", "a < b"))) == [("xmp", {}, ["a < b"])]


def test_noscript_takes_text_that_reads_the_same_with_and_without_scripting():
    dom = MemoryDOM()  # the in-memory DOM reads noscript as a browser with scripting on
    dom.load_body(render(div(noscript("Please turn on JavaScript."), span("after"))))
    assert dom.find("noscript").text == "Please turn on JavaScript."
    assert dom.find("span").text == "after"
    dom.load_body(render(noscript(Safe("<p>Please <b>turn on</b> JavaScript.</p>"))))
    assert dom.find("noscript").text == "<p>Please <b>turn on</b> JavaScript.</p>"


def test_noscript_refuses_text_that_a_browser_without_scripting_would_read_as_html():
    for text in ('<meta http-equiv="refresh" content="0;url=/x">', "a &amp; b", "a < b"):
        exc = error_of(render, noscript(text))
        assert exc is not None and "Markup" in str(exc), text


def test_plaintext_is_refused_it_could_never_be_closed():
    for tag in ("plaintext", "PLAINTEXT", "PlainText"):
        exc = error_of(el, tag, "x")
        assert exc is not None and "<pre>" in str(exc), tag


def test_the_in_memory_dom_reads_plaintext_to_the_end_as_a_browser_does():
    dom = MemoryDOM()
    dom.load_body("<div><plaintext>a </plaintext> <b>c")
    assert dom.find("plaintext").text == "a </plaintext> <b>c"


# --- NUL ----------------------------------------------------------------------------


def test_nul_in_text_is_written_as_the_replacement_character_a_browser_reads():
    for child in ("a\x00b", lambda: "a\x00b"):
        assert structure(render(p(child))) == [("p", {}, ["a\ufffdb"])]
    assert structure(render(p(title="a\x00b"))) == [("p", {"title": "a\ufffdb"}, [])]
    assert structure(render(script("x\x00y"))) == [("script", {}, ["x\ufffdy"])]


def test_the_in_memory_dom_reads_nul_as_a_browser_does():
    dom = MemoryDOM()
    dom.load_body('<p title="a\x00b">c\x00d<span>&#0;</span></p><xmp>e\x00f</xmp>')
    assert dom.find("p").attributes["title"] == "a\ufffdb"
    assert dom.find("p").children[0].data == "cd"  # dropped in HTML text
    assert dom.find("span").text == "\ufffd"
    assert dom.find("xmp").text == "e\ufffdf"
    dom.load_body("<svg><text>g\x00h</text></svg>")
    assert dom.find("text").text == "g\ufffdh"


def test_nul_in_raw_text_hydrates_without_a_mismatch():
    dom = hydrated(div(el("xmp", "a\x00b"), script("c\x00d")))
    assert dom.find("xmp").text == "a\ufffdb"
    assert dom.find("script").text == "c\ufffdd"


def test_nul_in_text_hydrates_without_a_mismatch_and_mounts_as_a_browser_reads_it():
    view = lambda: div(p("a\x00b"), p("x", lambda: "c\x00d"))  # noqa: E731
    dom = hydrated(view())
    assert [node.text for node in dom.find_all("p")] == ["a\ufffdb", "xc\ufffdd"]
    fresh = mounted(view())
    assert [node.text for node in fresh.find_all("p")] == ["a\ufffdb", "xc\ufffdd"]
