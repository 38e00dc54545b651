"""The compiled server path keeps the renderer's rules for script sinks, style keys,
raw-text elements and NUL: each case is rendered as written and compiled, and both
must refuse, or both must give the same HTML."""

import pytest
from _html import structure

from lepta import ComponentError, component, render_to_string
from lepta.html import button, div, iframe, link, noscript, p, span
from lepta.ssr import _compile
from lepta.view import Builder

xmp = Builder("xmp")
noembed = Builder("noembed")
noframes = Builder("noframes")


class Safe:
    def __init__(self, s):
        self.s = s

    def __html__(self):
        return self.s


TRUSTED = Safe("this.rel='stylesheet'")


@component
def Handler(code):
    return div(button("x", onclick=code))


@component
def ConstantHandler():
    return div({"ONCLICK": "alert(1)"}, "x")


@component
def SafeHandler():
    return link(rel="preload", href="/a.css", onload=TRUSTED)


@component
def Frame(doc):
    return iframe(srcdoc=doc)


@component
def ConstantFrame():
    return iframe(srcdoc="<script>alert(1)</script>")


@component
def Styled(styles):
    return div("s", style=styles)


@component
def ConstantStyled():
    return div("s", style={"color: red; background: url(x); x": "1"})


@component
def RawTexts(text):
    return div(xmp(text), iframe(text), noembed(text), noframes(text), span("after"))


@component
def ConstantRawTexts():
    return div(
        xmp("a < b &lt; </b> </XMP >"),
        iframe("<p>fallback</p>"),
        noscript("Turn on JavaScript."),
        span("after"),
    )


@component
def ConstantNoscript():
    return div(noscript("<meta http-equiv=refresh content=0;url=/x>"), span("after"))


@component
def Texts(text):
    return p(text, title=text)


COMPONENTS = [
    Handler,
    ConstantHandler,
    SafeHandler,
    Frame,
    ConstantFrame,
    Styled,
    ConstantStyled,
    RawTexts,
    ConstantRawTexts,
    ConstantNoscript,
    Texts,
]


def reset():
    for comp in COMPONENTS:
        comp.compiled = None


def outcome(view_fn):
    """The HTML, or the ValueError raised (unwrapped from the ComponentError)."""
    try:
        return render_to_string(view_fn)
    except ComponentError as exc:
        assert isinstance(exc.error, ValueError), exc
        return exc.error
    except ValueError as exc:
        return exc


def both(view_fn, comp):
    """(as written, compiled); checks that `comp` did compile."""
    reset()
    _compile.enabled = False
    try:
        plain = outcome(view_fn)
    finally:
        _compile.enabled = True
        reset()
    compiled = outcome(view_fn)
    assert comp.direct, "%s did not compile" % comp.__name__
    return plain, compiled


REFUSED = [
    ("handler text", Handler, lambda: Handler(code="alert(1)")),
    ("handler dynamic text", Handler, lambda: Handler(code=lambda: "alert(1)")),
    ("constant handler", ConstantHandler, ConstantHandler),
    ("srcdoc text", Frame, lambda: Frame(doc="<script>alert(1)</script>")),
    ("constant srcdoc", ConstantFrame, ConstantFrame),
    ("style key", Styled, lambda: Styled(styles={"color;x": "1"})),
    ("constant style key", ConstantStyled, ConstantStyled),
    ("noscript markup", ConstantNoscript, ConstantNoscript),
]


@pytest.mark.parametrize("label,comp,view_fn", REFUSED, ids=[r[0] for r in REFUSED])
def test_both_server_paths_refuse_what_would_run_as_script(label, comp, view_fn):
    plain, compiled = both(view_fn, comp)
    assert isinstance(plain, ValueError), plain
    assert isinstance(compiled, ValueError), compiled
    assert str(compiled) == str(plain)


RENDERED = [
    ("safe handler", SafeHandler, SafeHandler),
    ("handler none", Handler, lambda: Handler(code=None)),
    ("safe srcdoc", Frame, lambda: Frame(doc=Safe("<p>hi</p>"))),
    ("style", Styled, lambda: Styled(styles={"--main-color": "red", "-webkit-x": "a;b"})),
    ("raw texts", RawTexts, lambda: RawTexts(text="a < b &amp; </noembed></xmp>")),
    ("constant raw texts", ConstantRawTexts, ConstantRawTexts),
    ("nul and cr", Texts, lambda: Texts(text="a\x00b\rc & d")),
]


@pytest.mark.parametrize("label,comp,view_fn", RENDERED, ids=[r[0] for r in RENDERED])
def test_both_server_paths_render_the_same_html(label, comp, view_fn):
    plain, compiled = both(view_fn, comp)
    assert isinstance(plain, str), plain
    assert compiled == plain


def test_compiled_raw_text_elements_hold_their_text_as_written():
    reset()
    assert structure(render_to_string(ConstantRawTexts)) == [
        (
            "div",
            {},
            [
                ("xmp", {}, ["a < b &lt; </b> <\\/XMP >"]),
                ("iframe", {}, ["<p>fallback</p>"]),
                ("noscript", {}, ["Turn on JavaScript."]),
                ("span", {}, ["after"]),
            ],
        )
    ]
    assert ConstantRawTexts.direct


def test_compiled_text_and_attributes_write_nul_as_the_replacement_character():
    reset()
    html = render_to_string(lambda: Texts(text="a\x00b\rc"))
    assert structure(html) == [("p", {"title": "a\ufffdb\rc"}, ["a\ufffdb\rc"])]
    assert Texts.direct
