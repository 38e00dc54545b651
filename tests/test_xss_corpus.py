"""The XSS corpus (tests/xss_vectors.txt) through every place a value reaches the
server's HTML, on the generic and the compiled path: the output is byte for byte
what an escaping written here, from the HTML standard and the rules of
docs/views.md, says it must be.

The reference below does not call Lepta's escaping. It writes:

- text: `&`, `<` and `>` as character references; CR as `&#13;` (the parser would
  read it as LF) and NUL as U+FFFD (the parser would drop it from text);
- attribute values, always double-quoted: the same, and `"` as `&quot;`;
- URL attributes: a value a browser would take as a javascript:, vbscript: or
  data:text/html URL becomes about:invalid#lepta-blocked-url (see `blocked`);
- textarea and title (escapable raw text): as text; a textarea's leading newline,
  which the parser drops, is given one to drop;
- script, style, xmp... (raw text): as written, except that `</` before the name of a
  raw-text element becomes `<\\/`, `<!--` becomes `<\\!--` (no text can end the
  element, or make a script's end tag not count), and NUL becomes U+FFFD;
- noscript: refused when the text holds `<` or `&`; event handler attributes and
  srcdoc: refused for any text.
"""

from __future__ import annotations

import html.entities
import json
import re
from pathlib import Path

import pytest

from lepta import ComponentError, component, render_to_string
from lepta.html import a, div, form, iframe, img, noscript, p, script, style, textarea, title
from lepta.ssr import UnsafeValueError, _compile
from lepta.view import Component, el

VECTORS_FILE = Path(__file__).parent / "xss_vectors.txt"


def load_vectors(path: Path = VECTORS_FILE) -> list[str]:
    """The vectors of the corpus: one JSON string a line; `#` lines and blank lines
    are comments."""
    vectors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            vectors.append(json.loads(line))
    return vectors


VECTORS = load_vectors()
BLOCKED_URL = "about:invalid#lepta-blocked-url"


# --- the reference ----------------------------------------------------------------

TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "\0": "\ufffd"}
ATTRIBUTE = dict(TEXT, **{'"': "&quot;"})
RAW_TEXT_NAMES = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript")


def ref_text(value: str) -> str:
    return "".join(TEXT.get(ch, ch) for ch in value)


def ref_attribute(value: str) -> str:
    return "".join(ATTRIBUTE.get(ch, ch) for ch in value)


# The end tag of a raw-text element, matched as the tokenizer does: ASCII letters in
# any case (so not the dotted capital I, whose lower case Python would call "i").
RAW_END = re.compile(r"</(?=(?:%s))" % "|".join(RAW_TEXT_NAMES), re.IGNORECASE | re.ASCII)


def ref_raw_text(value: str) -> str:
    value = RAW_END.sub(r"<\\/", value)
    return value.replace("<!--", "<\\!--").replace("\0", "\ufffd")


# Character references, decoded as a parser decodes markup, and more leniently: names
# in any case and without their `;`, so that no way of writing one spells a scheme.
# (Where names differ only in case, as Colon `∷` and colon `:`, the one in lower case.)
NAMED = {}
for _name, _char in sorted(html.entities.html5.items(), key=lambda kv: kv[0] != kv[0].lower()):
    NAMED.setdefault(_name.rstrip(";").lower(), _char)
REFERENCE = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));?")


def _decoded(match: re.Match[str]) -> str:
    hexa, decimal, name = match.groups()
    if name is not None:
        exact = html.entities.html5.get(name + ";")
        return exact or NAMED.get(name.lower(), match.group(0))
    code = int(hexa, 16) if hexa is not None else int(decimal)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def scheme_as_read(url: str) -> str:
    """The start of `url` as a browser reads its scheme: character references decoded
    (were it written in markup), tabs and newlines removed anywhere (the URL parser
    does), NULs too (the parser turns an attribute's into U+FFFD, the DOM keeps them:
    dropped to be safe), then leading C0 controls and spaces stripped; in lower case."""
    text = REFERENCE.sub(_decoded, url)
    text = re.sub(r"[\t\n\r\0]", "", text)
    return text.lstrip("".join(chr(c) for c in range(0x21))).lower()


def blocked(url: str) -> bool:
    """Whether a browser would run `url` as script: javascript: and vbscript:, and
    data: whose media type (after the blanks the data: URL reader strips) is
    text/html."""
    read = scheme_as_read(url)
    return read.startswith(("javascript:", "vbscript:")) or bool(
        re.match(r"data:[\t\n\f\r ]*text/html", read)
    )


def ref_url(url: str) -> str:
    return ref_attribute(BLOCKED_URL if blocked(url) else url)


def ref_textarea(value: str) -> str:
    return ("\n" if value[:1] == "\n" else "") + ref_text(value)


# --- every place a value goes -----------------------------------------------------
# Module-level components, so that the compiler can read them (see render_both).


@component
def InText(v):
    return p(v)


@component
def InTitleAttribute(v):
    return div(title=v)


@component
def InDataAttribute(v):
    return div(data_value=v)


@component
def InClass(v):
    return div(class_=v)


@component
def InClassList(v):
    return div(class_=["row", v])


@component
def InStyle(v):
    return div(style={"color": v})


@component
def InLink(v):
    return a("link", href=v)


@component
def InImage(v):
    return img(src=v, alt=v)


@component
def InFormAction(v):
    return form(action=v)


@component
def InTextarea(v):
    return textarea(v)


@component
def InTitle(v):
    return title(v)


@component
def InScript(v):
    return script(v, type="application/json")


@component
def InStyleElement(v):
    return style(v)


@component
def InXmp(v):
    return el("xmp", v)


@component
def InIframeText(v):
    return iframe(v)


@component
def InNoscript(v):
    return noscript(v)


@component
def InOnclick(v):
    return div(onclick=v)


@component
def InSrcdoc(v):
    return iframe(srcdoc=v)


PLACES = [
    ("text", InText, lambda v: "<p>%s</p>" % ref_text(v)),
    ("attribute", InTitleAttribute, lambda v: '<div title="%s"></div>' % ref_attribute(v)),
    ("data attribute", InDataAttribute, lambda v: '<div data-value="%s"></div>' % ref_attribute(v)),
    ("class", InClass, lambda v: '<div class="%s"></div>' % ref_attribute(v)),
    ("class list", InClassList, lambda v: '<div class="row %s"></div>' % ref_attribute(v)),
    ("style", InStyle, lambda v: '<div style="color: %s;"></div>' % ref_attribute(v)),
    ("href", InLink, lambda v: '<a href="%s">link</a>' % ref_url(v)),
    ("src", InImage, lambda v: '<img src="%s" alt="%s">' % (ref_url(v), ref_attribute(v))),
    ("action", InFormAction, lambda v: '<form action="%s"></form>' % ref_url(v)),
    ("textarea", InTextarea, lambda v: "<textarea>%s</textarea>" % ref_textarea(v)),
    ("title", InTitle, lambda v: "<title>%s</title>" % ref_text(v)),
    (
        "script",
        InScript,
        lambda v: '<script type="application/json">%s</script>' % ref_raw_text(v),
    ),
    ("style element", InStyleElement, lambda v: "<style>%s</style>" % ref_raw_text(v)),
    ("xmp", InXmp, lambda v: "<xmp>%s</xmp>" % ref_raw_text(v)),
    ("iframe text", InIframeText, lambda v: "<iframe>%s</iframe>" % ref_raw_text(v)),
]

COMPONENTS = [entry[1] for entry in PLACES] + [InNoscript, InOnclick, InSrcdoc]


def render_both(comp: Component, values: list[str]) -> list[tuple[str, str]]:
    """`comp(v=value)` for each value, rendered by the generic renderer and compiled."""

    def render_all() -> list[str]:
        for c in COMPONENTS:
            c.compiled = None  # compiled again (or not) at its first use
        return [render_to_string(lambda v=v: comp(v=v)) for v in values]

    _compile.enabled = False
    try:
        plain = render_all()
    finally:
        _compile.enabled = True
    return list(zip(plain, render_all(), strict=True))


def mismatches(comp, expected, vectors):
    """The vectors whose HTML differs from the reference, on either path."""
    wrong = []
    for v, (plain, compiled) in zip(vectors, render_both(comp, vectors), strict=True):
        want = expected(v)
        if plain != want or compiled != want:
            wrong.append(
                "%r\n  expected %r\n  generic  %r\n  compiled %r" % (v, want, plain, compiled)
            )
    return wrong


# A value the project lets through where the reference blocks it: each a gap in the
# project's URL rule (see the test of its own below).
CHECKED = VECTORS


def test_the_corpus_is_large_and_every_vector_would_tell_if_it_ran():
    assert len(VECTORS) >= 150
    assert len(set(VECTORS)) == len(VECTORS)
    recorders = re.compile(
        r"alert|confirm|prompt|msgbox|console\.log\('xss'\)|document\.title='xss'"
        r"|&#0*97|&#x61|YWxlcnQ|PHNjcmlwdD5hbGVydC|PHN2ZyBvbmxvYWQ9YWxlcnQ|\\x61lert|\\u0061lert"
        r"|/al/\.source|'al'\+'ert'|\\x3csVg",
        re.IGNORECASE,
    )
    assert [v for v in VECTORS if not recorders.search(v)] == []


@pytest.mark.filterwarnings("ignore:lepta. blocked")
@pytest.mark.parametrize("place,comp,expected", PLACES, ids=[entry[0] for entry in PLACES])
def test_every_vector_renders_exactly_as_the_reference_escapes_it(place, comp, expected):
    wrong = mismatches(comp, expected, CHECKED)
    assert wrong == [], "%d of %d vectors in %s:\n%s" % (
        len(wrong), len(CHECKED), place, "\n".join(wrong[:10])
    )
    assert comp.direct or place in RUN_AS_WRITTEN  # the second path was the compiled one


# Elements whose text the compiler leaves to the generic renderer (so far).
RUN_AS_WRITTEN = {"textarea", "script", "style element", "xmp", "iframe text"}


def test_data_urls_are_blocked_however_many_blanks_follow_the_scheme():
    vector = "data:" + " " * 40 + "text/html,<script>alert(1)</script>"
    assert vector in VECTORS
    assert mismatches(InLink, PLACES[6][2], [vector]) == []
    assert blocked(vector)


def test_the_reference_blocks_what_the_rules_name():
    assert PLACES[6][0] == "href"
    for url in [
        "javascript:alert(1)",
        " \x01JaVa\tScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "DATA: text/html,<script>alert(1)</script>",
        "\x00javascript:alert(1)",
    ]:
        assert blocked(url), url
    for url in [
        "/path",
        "https://example.com/?q=javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "\ufeffjavascript:alert(1)",  # not a blank to the URL parser
        "#javascript:alert(1)",
    ]:
        assert not blocked(url), url
    assert sum(blocked(v) for v in VECTORS) >= 40  # the corpus exercises the rule


def refused(comp, value):
    """The UnsafeValueError `comp(v=value)` raised on both paths (None if it rendered)."""
    errors = []
    for enabled in (False, True):
        for c in COMPONENTS:
            c.compiled = None
        _compile.enabled = enabled
        try:
            render_to_string(lambda: comp(v=value))
        except ComponentError as exc:
            errors.append(exc.error)
        else:
            errors.append(None)
        finally:
            _compile.enabled = True
    assert all(isinstance(e, UnsafeValueError) for e in errors if e is not None), errors
    assert (errors[0] is None) == (errors[1] is None), (value, errors)
    return errors[0]


def test_noscript_refuses_text_a_browser_without_script_would_read_as_html():
    for v in VECTORS:
        error = refused(InNoscript, v)
        if "<" in v or "&" in v:
            assert error is not None, v
        else:
            assert error is None, v
            assert render_to_string(lambda v=v: InNoscript(v=v)) == (
                "<noscript>%s</noscript>" % ref_raw_text(v)
            )


def test_event_handler_attributes_and_srcdoc_refuse_every_vector():
    for v in VECTORS:
        assert refused(InOnclick, v) is not None, v
        assert refused(InSrcdoc, v) is not None, v
