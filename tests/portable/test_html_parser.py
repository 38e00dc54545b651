"""The test HTML parser (_html.py) itself: it must read HTML as a browser does."""

from _html import decode, elements, parse, structure, text
from _support import raises


def test_elements_text_and_attributes():
    assert parse("<div id=\"a\" class='b c' hidden data-x=1>hi <b>there</b></div>") == [
        (
            "div",
            {"id": "a", "class": "b c", "hidden": "", "data-x": "1"},
            ["hi ", ("b", {}, ["there"])],
        ),
    ]
    assert parse("<DIV ID=x TITLE = 'y' >t</div>") == [("div", {"id": "x", "title": "y"}, ["t"])]
    assert parse("a < b > c") == ["a < b > c"]
    assert parse("") == []


def test_character_references():
    assert parse("&amp;&lt;&gt;&quot;&apos;&nbsp;") == ["&<>\"'\xa0"]
    assert parse("&#60;&#x3C;&#X3c;&#0000060;&#x00003c&#60") == ["<<<<<<"]
    assert parse("&colon;&Tab;&NewLine;") == [":\t\n"]
    assert parse("&unknown; &amp &ampx &#; &#x;") == ["&unknown; & &x &#; &#x;"]
    assert decode("&#0;&#x110000;&#xD800;&#x80;&#150;") == "\ufffd\ufffd\ufffd\u20ac\u2013"
    # In attributes, a name without ';' followed by a letter, digit or '=' stays as is.
    assert parse('<p title="&ampx &amp=1 &amp; &lt">x</p>')[0][1] == {"title": "&ampx &amp=1 & <"}


def test_void_and_self_closing():
    assert parse("<p>a<br>b<img src=x><br/></p>") == [
        ("p", {}, ["a", ("br", {}, []), "b", ("img", {"src": "x"}, []), ("br", {}, [])]),
    ]
    # '/>' does not close an HTML element: the div stays open.
    with raises(ValueError, "unclosed <div>"):
        parse("<div/>")
    with raises(ValueError, "void"):
        parse("<br></br>")


def test_raw_text_elements():
    assert parse("<script>if (a<b && c>d) x = '&amp;</p>';</script>") == [
        ("script", {}, ["if (a<b && c>d) x = '&amp;</p>';"]),
    ]
    assert parse("<style>a > b { content: '</sty' }</STYLE >") == [
        ("style", {}, ["a > b { content: '</sty' }"]),
    ]
    assert parse("<textarea><b>&amp;</b></textarea>") == [("textarea", {}, ["<b>&</b>"])]
    assert parse("<title>a &lt; <i>b</i></title>") == [("title", {}, ["a < <i>b</i>"])]
    assert parse("<script></script>") == [("script", {}, [])]


def test_script_escape_states():
    # "<!--" alone does not hide the end tag...
    assert parse("<script><!-- x </script><p>a</p>") == [
        ("script", {}, ["<!-- x "]),
        ("p", {}, ["a"]),
    ]
    # ...but "<!--<script>" does: the first </script> is swallowed, as in a browser.
    assert parse("<script><!--<script></script>--></script>") == [
        ("script", {}, ["<!--<script></script>-->"]),
    ]
    with raises(ValueError, "unclosed <script>"):
        parse("<script><!--<script></script><p>a</p>")
    # "<!-->" opens and closes at once.
    assert parse("<script><!--><script></script>") == [("script", {}, ["<!--><script>"])]


def test_newline_after_pre_and_textarea_is_dropped():
    assert parse("<pre>\n\nx</pre>") == [("pre", {}, ["\nx"])]
    assert parse("<textarea>\nx</textarea>") == [("textarea", {}, ["x"])]
    assert parse("<div>\nx</div>") == [("div", {}, ["\nx"])]
    assert parse("a\r\nb\rc") == ["a\nb\nc"]
    assert parse('<p title="a\x00b">c\x00d</p><svg>e\x00f</svg>') == [
        ("p", {"title": "a\ufffdb"}, ["cd"]),
        ("svg", {}, ["e\ufffdf"]),
    ]


def test_comments_and_structure():
    html = "<!DOCTYPE html><p>a<!-- one -->b<!---->c</p><!-->"
    assert parse(html) == [
        ("#doctype", "html"),
        ("p", {}, ["a", ("#comment", " one "), "b", ("#comment", ""), "c"]),
        ("#comment", ""),
    ]
    assert structure(html) == [("#doctype", "html"), ("p", {}, ["abc"])]
    assert structure(html, keep_comments=True) == parse(html)
    # "<!>" (the renderer's hydration marker) is an empty comment.
    assert parse("<p>a<!>b</p>") == [("p", {}, ["a", ("#comment", ""), "b"])]
    assert structure("<p>a<!>b</p>") == [("p", {}, ["ab"])]


def test_foreign_content_keeps_case():
    html = (
        '<div CLASS=x><svg viewBox="0 0 1 1"><linearGradient gradientUnits="a"/>'
        '<a xlink:href="#x"><text>t</text></a><path d="M0"/><foreignObject>'
        "<p TITLE=y>h</p></foreignObject></svg><math><mi>x</mi></math></div>"
    )
    assert parse(html) == [
        (
            "div",
            {"class": "x"},
            [
                (
                    "svg",
                    {"viewBox": "0 0 1 1"},
                    [
                        ("linearGradient", {"gradientUnits": "a"}, []),
                        ("a", {"xlink:href": "#x"}, [("text", {}, ["t"])]),
                        ("path", {"d": "M0"}, []),
                        ("foreignObject", {}, [("p", {"title": "y"}, ["h"])]),
                    ],
                ),
                ("math", {}, [("mi", {}, ["x"])]),
            ],
        ),
    ]
    # svg <script> and <title> hold markup, not raw text; CDATA is text there.
    assert parse("<svg><title>a<![CDATA[<b>]]></title><script>x&lt;y</script></svg>") == [
        ("svg", {}, [("title", {}, ["a<b>"]), ("script", {}, ["x<y"])]),
    ]


def test_tables_get_implied_sections():
    assert structure("<table><tr><td>1</td></tr></table>") == [
        ("table", {}, [("tbody", {}, [("tr", {}, [("td", {}, ["1"])])])]),
    ]
    assert structure("<table><thead><th>h</th></thead><col></table>") == [
        (
            "table",
            {},
            [
                ("thead", {}, [("tr", {}, [("th", {}, ["h"])])]),
                ("colgroup", {}, [("col", {}, [])]),
            ],
        ),
    ]
    with raises(ValueError, "out of the table"):
        parse("<table><div>x</div></table>")
    with raises(ValueError, "out of the table"):
        parse("<table>x</table>")


def test_malformed_input_is_refused():
    cases = [
        ("<div>", "unclosed <div>"),
        ("<div><span></div></span>", "does not match"),
        ("</p>", "no open element"),
        ("<p>a</p></p>", "no open element"),
        ("<a href='x>y</a>", "unclosed attribute value"),
        ('<a b="1" b="2"></a>', "duplicate attribute"),
        ('<a b"c=1></a>', "attribute name"),
        ("<div", "unclosed tag"),
        ("<!-- x", "unclosed comment"),
        ("<!x>", "not a comment"),
        ("<![CDATA[x]]>", "CDATA"),
        ("<?php ?>", "<?"),
        ("</ p>", "not followed by a tag name"),
        ("<p><div></div></p>", "closes the <p>"),
        ("<a><span><a></a></span></a>", "inside an open <a>"),
        ("<ul><li><li></li></li></ul>", "inside an open <li>"),
        ("<h1><h2></h2></h1>", "closes the outer heading"),
        ("<svg><div></div></svg>", "ends the foreign content"),
        ("<style>x", "unclosed <style>"),
        ("<div></div x>", "junk in the end tag"),
        ('<a b="1"c=2></a>', "no space after"),
    ]
    for html, message in cases:
        with raises(ValueError, message):
            parse(html)


def test_helpers():
    tree = parse("<div><p>a<b>b</b></p><p>c<!-- x --></p></div>")
    assert [text(p) for p in elements(tree, "p")] == ["ab", "c"]
    assert text(tree) == "abc"
    assert elements(tree, "i") == []
