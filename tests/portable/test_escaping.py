"""Escaping in server rendering, table-driven and checked through the test parser.

Every rendered document is parsed back (tests/portable/_html.py, which reads HTML as
a browser's tokenizer does) and compared as a tree: a value that escapes badly shows
up as an extra element, a missing text, or an unparsable document.
"""

from _html import elements, parse, structure
from _support import Safe, render

from lepta import render_to_string
from lepta.html import div, p, pre, script, span, style, textarea, title
from lepta.view import el


def const(value):
    """A dynamic value: a callable returning `value`."""
    return lambda: value


def _report(failures, what):
    if failures:
        raise AssertionError("%d %s:\n  %s" % (len(failures), what, "\n  ".join(failures)))


def _static_and_dynamic(value):
    """The value as given and as a dynamic (callable) value."""
    return ((value, ""), (const(value), " (dynamic)"))


# --- text -----------------------------------------------------------------------

TEXTS = [
    "plain",
    "a & b",
    "a < b > c",
    "<",
    ">",
    "&",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p><p>injected",
    "<!-- not a comment -->",
    "<!>",
    "&amp;",
    "&lt;b&gt;",
    "&#60;script&#62;",
    "&#x3C;",
    "&nbsp;",
    "&ampx",
    "\"double\" and 'single'",
    "]]> <![CDATA[x]]>",
    "<?php echo 1; ?>",
    "</",
    "a\nb\tc",
    "caf\xe9 \u2713 \U0001f600",
    "\xa0non-breaking",
]


def test_text_children_are_escaped():
    failures = []
    for value in TEXTS:
        for child, how in _static_and_dynamic(value):
            try:
                html = render(p(child))
                got = structure(html)
            except Exception as exc:
                failures.append("%r%s: %r" % (value, how, exc))
                continue
            if got != [("p", {}, [value])]:
                failures.append("%r%s: %r parses as %r" % (value, how, html, got))
    _report(failures, "text children not round-tripped")


def test_text_between_other_texts_is_escaped():
    failures = []
    for value in TEXTS:
        view = div("[", const(value), "|", value, span(value), const(value), "]")
        html = render(view)
        expected = [("div", {}, ["[" + value + "|" + value, ("span", {}, [value]), value + "]"])]
        got = structure(html)
        if got != expected:
            failures.append("%r: %r parses as %r" % (value, html, got))
    _report(failures, "texts mixed with dynamic texts not round-tripped")


def test_text_at_the_top_level_is_escaped():
    for value in TEXTS:
        assert structure(render(value)) == [value], value
        assert structure(render([value, const(value)])) == [value + value], value


# --- attributes -----------------------------------------------------------------

ATTRIBUTE_VALUES = [
    "plain",
    "",
    "a & b",
    '"',
    "'",
    "<",
    ">",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '"><script>alert(1)</script>',
    "x onfocus=alert(1) autofocus",
    "/><img src=x onerror=alert(1)>",
    "&quot;",
    "&amp;",
    "&#34;",
    "&ampx",
    "&amp=1",
    "=",
    "`backtick`",
    "a b\tc\nd",
    "caf\xe9 \u2713",
]


def test_attribute_values_are_escaped():
    failures = []
    for value in ATTRIBUTE_VALUES:
        for attr, how in _static_and_dynamic(value):
            for view, name in (
                (div(title=attr), "title"),
                (div(data_note=attr), "data-note"),
                (div({"aria-label": attr}), "aria-label"),
            ):
                try:
                    html = render(view)
                    got = structure(html)
                except Exception as exc:
                    failures.append("%s=%r%s: %r" % (name, value, how, exc))
                    continue
                if got != [("div", {name: value}, [])]:
                    failures.append("%s=%r%s: %r parses as %r" % (name, value, how, html, got))
    _report(failures, "attribute values not round-tripped")


def test_attribute_values_escape_quote_and_angle_brackets():
    # The policy `& " < >` itself: no raw quote or angle bracket inside the value.
    html = render(div(title='<a href="x">&</a>'))
    assert html.count("<") == 2 and html.count(">") == 2, html
    assert html.count('"') == 2, html
    assert structure(html) == [("div", {"title": '<a href="x">&</a>'}, [])]


def test_attribute_names_and_tags_cannot_inject_markup():
    # Names come from dict keys and el() tags; a name that is not a name must be
    # refused (any exception) rather than written into the tag.
    views = [
        lambda: div({'x"><script>alert(1)</script': "1"}),
        lambda: div({"x onmouseover=alert(1)": "1"}),
        lambda: div({"x/onload=alert(1)": "1"}),
        lambda: div({"x>": "1"}),
        lambda: el("img src=x onerror=alert(1)"),
        lambda: el("x><script>alert(1)</script"),
        lambda: el("my-widget onclick=alert(1)"),
    ]
    failures = []
    for build in views:
        try:
            html = render_to_string(build)
        except Exception:
            continue
        try:
            tree = parse(html)
        except ValueError as exc:
            failures.append("%r is malformed: %s" % (html, exc))
            continue
        attrs = [k for e in _all_elements(tree) for k in e[1]]
        if (
            elements(tree, "script")
            or elements(tree, "img")
            or [k for k in attrs if k.startswith("on")]
        ):
            failures.append("%r injects markup: %r" % (html, tree))
    _report(failures, "names written into the markup")


def _all_elements(nodes):
    found = []
    for node in nodes:
        if type(node) is tuple and len(node) == 3:
            found.append(node)
            found.extend(_all_elements(node[2]))
    return found


# --- <script> and <style> -----------------------------------------------------

SCRIPT_PAYLOADS = [
    "</script><script>alert(1)</script>",
    "</SCRIPT><script>alert(1)</script>",
    "</ScRiPt ><img src=x onerror=alert(1)>",
    "</script/><svg onload=alert(1)>",
    "</script\t>alert(1)",
    "</script\n>alert(1)",
    "<!--<script>alert(1)</script>",
    "<!--<script>alert(1)",
    "<!-- alert(1)",
    "<!--><script>alert(1)</script>",
    "alert(1)//--></script><p>x</p>",
    "</style></script><script>alert(1)</script>",
]

STYLE_PAYLOADS = [
    "</style><script>alert(1)</script>",
    "</STYLE><img src=x onerror=alert(1)>",
    "</style ><svg onload=alert(1)>",
    "</style/>alert(1)",
    "<!--</style><script>alert(1)</script>-->",
    "</script></style><script>alert(1)</script>",
]


def _raw_text_element_is_closed(builder, tag, payload, child):
    """Problems with `<div><tag>payload</tag><p>after</p></div>`, or None."""
    html = render(div(builder("x = 1;", child), p("after")))
    try:
        got = structure(html)
    except ValueError as exc:
        return "%r is not a document a browser reads as written: %s" % (html, exc)
    if len(got) != 1 or got[0][0] != "div" or len(got[0][2]) != 2:
        return "%r parses as %r" % (html, got)
    inner, after = got[0][2]
    if after != ("p", {}, ["after"]) or inner[0] != tag or len(inner[2]) != 1:
        return "%r parses as %r" % (html, got)
    text = inner[2][0]
    if ("</" + tag) in text.lower():
        return "the text %r can end the element" % text
    if "alert(1)" not in text or not text.startswith("x = 1;"):
        return "the payload is lost: %r" % text
    if len(elements(got, "script")) != (1 if tag == "script" else 0):
        return "an extra <script> in %r" % (got,)
    return None


def test_script_text_can_never_close_the_element():
    failures = []
    for payload in SCRIPT_PAYLOADS:
        for child, how in _static_and_dynamic(payload):
            problem = _raw_text_element_is_closed(script, "script", payload, child)
            if problem:
                failures.append("%r%s: %s" % (payload, how, problem))
    _report(failures, "script payloads escaping their element")


def test_style_text_can_never_close_the_element():
    failures = []
    for payload in STYLE_PAYLOADS:
        for child, how in _static_and_dynamic(payload):
            problem = _raw_text_element_is_closed(style, "style", payload, child)
            if problem:
                failures.append("%r%s: %s" % (payload, how, problem))
    _report(failures, "style payloads escaping their element")


def test_the_brief_example_leaves_exactly_one_script():
    tree = parse(render(script(lambda: "</script><script>alert(1)</script>")))
    assert len(tree) == 1 and tree[0][0] == "script", tree
    assert len(tree[0][2]) == 1 and "alert(1)" in tree[0][2][0], tree
    assert "</script" not in tree[0][2][0].lower(), tree


def test_harmless_script_and_style_text_is_kept_verbatim():
    # Raw text elements are not HTML-escaped: `a < b && c` must reach the JS engine.
    cases = [
        (script, "script", "if (a < b && c > d) { x = '&amp;' + \"<b>\"; }"),
        (script, "script", "var s = 'it\\'s'; // <p> &lt;"),
        (style, "style", "a > b::after { content: '&'; } /* <b> */"),
    ]
    for builder, tag, code in cases:
        for child, how in _static_and_dynamic(code):
            assert structure(render(builder(child))) == [(tag, {}, [code])], code + how


# --- <textarea> and <title> -------------------------------------------------------

RCDATA_PAYLOADS = [
    "plain",
    "a & b < c > d",
    "&amp; &lt; &#60;",
    "<b>not bold</b>",
    "</textarea><script>alert(1)</script>",
    "</TEXTAREA ><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</title/><svg onload=alert(1)>",
    "<!--</textarea>-->",
]


def test_textarea_and_title_contents_are_escaped():
    failures = []
    for builder, tag in ((textarea, "textarea"), (title, "title")):
        for payload in RCDATA_PAYLOADS:
            for child, how in _static_and_dynamic(payload):
                html = render(div(builder(child), p("after")))
                try:
                    got = structure(html)
                except ValueError as exc:
                    failures.append(
                        "<%s> %r%s: %r is malformed: %s" % (tag, payload, how, html, exc)
                    )
                    continue
                if got != [("div", {}, [(tag, {}, [payload]), ("p", {}, ["after"])])]:
                    failures.append("<%s> %r%s: %r parses as %r" % (tag, payload, how, html, got))
    _report(failures, "textarea/title contents not round-tripped")


def test_leading_newline_in_pre_and_textarea_survives():
    # A browser drops the newline right after <pre>/<textarea>: a renderer must
    # write an extra one when the content starts with a newline.
    failures = []
    for builder, tag in ((textarea, "textarea"), (pre, "pre")):
        for value in ("\nfirst line lost?", "\n\ntwo", "\n"):
            for child, how in _static_and_dynamic(value):
                html = render(builder(child))
                got = structure(html)
                if got != [(tag, {}, [value])]:
                    failures.append("<%s> %r%s: %r parses as %r" % (tag, value, how, html, got))
    _report(failures, "leading newlines lost")


# --- marked-safe HTML ----------------------------------------------------------------

SAFE_CASES = [
    ("<b>bold</b>", [("b", {}, ["bold"])]),
    ("a<br>b", ["a", ("br", {}, []), "b"]),
    ("&lt;b&gt; &amp;", ["<b> &"]),
    ("<span class=\"x\" title='&quot;'>s</span>", [("span", {"class": "x", "title": '"'}, ["s"])]),
    ("<!-- kept -->", []),
    ("", []),
]


def test_objects_with_html_are_inserted_raw():
    failures = []
    for markup, children in SAFE_CASES:
        for child, how in _static_and_dynamic(Safe(markup)):
            html = render(p(child))
            got = structure(html)
            if got != [("p", {}, children)]:
                failures.append("Safe(%r)%s: %r parses as %r" % (markup, how, html, got))
        # Between texts too.
        html = render(p("x", Safe(markup), lambda: "y"))
        got = structure(html)
        want = structure("<p>x" + markup + "y</p>")
        if got != want:
            failures.append("x, Safe(%r), y: %r parses as %r" % (markup, html, got))
    assert structure(render(Safe("<p>top</p>"))) == [("p", {}, ["top"])]
    _report(failures, "marked-safe HTML not inserted as written")


def test_safe_attribute_values_are_inserted_raw():
    # An attribute value with __html__ is taken as already escaped.
    assert structure(render(div(title=Safe("a &amp; b &quot;c&quot;")))) == [
        ("div", {"title": 'a & b "c"'}, []),
    ]
