"""The HTML parser of the in-memory DOM (see _memory), reading as a browser would."""

from __future__ import annotations

from typing import Any

from ..view._nodes import RAW_TEXT_ELEMENTS, VOID_ELEMENTS
from ._memory_nodes import (
    Comment,
    Element,
    Node,
    Text,
    _append,
    _is_html,
)

# ---------------------------------------------------------------------------- parsing

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_ALNUM = _LETTERS + _DIGITS
_SPACE = " \t\n\f"

_RAW_TEXT = tuple(RAW_TEXT_ELEMENTS)  # the renderers' set: the two must agree
_RCDATA = ("textarea", "title")

# Start tags that close an open <p> (in button scope).
_CLOSES_P = set(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt listing search".split()
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SCOPE = ("applet", "caption", "html", "table", "td", "th", "marquee", "object", "template")
_BUTTON_SCOPE = _SCOPE + ("button",)
_TABLE_SECTIONS = ("tbody", "thead", "tfoot")

# Character references: the names decoded (code points), and those a browser also
# decodes without the final ';'.
_ENTITIES = {
    "amp": 38, "AMP": 38, "lt": 60, "LT": 60, "gt": 62, "GT": 62, "quot": 34, "QUOT": 34,
    "apos": 39, "nbsp": 160, "copy": 169, "COPY": 169, "reg": 174, "REG": 174,
    "trade": 8482, "hellip": 8230, "mdash": 8212, "ndash": 8211, "lsquo": 8216,
    "rsquo": 8217, "ldquo": 8220, "rdquo": 8221, "laquo": 171, "raquo": 187, "middot": 183,
    "times": 215, "divide": 247, "deg": 176, "plusmn": 177, "euro": 8364, "bull": 8226,
    "para": 182, "sect": 167, "cent": 162, "pound": 163, "yen": 165, "shy": 173,
    "zwj": 8205, "zwnj": 8204, "ensp": 8194, "emsp": 8195, "thinsp": 8201, "larr": 8592,
    "rarr": 8594, "uarr": 8593, "darr": 8595, "harr": 8596, "hearts": 9829, "check": 10003,
    "colon": 58, "Tab": 9, "NewLine": 10, "excl": 33, "num": 35, "dollar": 36,
    "percnt": 37, "lpar": 40, "rpar": 41, "ast": 42, "plus": 43, "comma": 44,
    "period": 46, "sol": 47, "semi": 59, "equals": 61, "quest": 63, "commat": 64,
    "lsqb": 91, "bsol": 92, "rsqb": 93, "lowbar": 95, "grave": 96, "lcub": 123,
    "verbar": 124, "rcub": 125,
}  # fmt: skip
_LEGACY = ("nbsp", "quot", "QUOT", "copy", "COPY", "amp", "AMP", "reg", "REG", "lt", "LT",
           "gt", "GT")  # fmt: skip
# Numeric references to C1 controls mean the windows-1252 character.
_WINDOWS_1252 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}  # fmt: skip


def _code_point(code: int) -> str:
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(_WINDOWS_1252.get(code, code))


def _reference(s: str, amp: int, attribute: bool) -> tuple[str, int]:
    """The character reference at `s[amp] == "&"`: (its text, the index after it)."""
    n = len(s)
    j = amp + 1
    if j < n and s[j] == "#":
        j += 1
        hexadecimal = j < n and s[j] in "xX"
        if hexadecimal:
            j += 1
        digits = _HEX if hexadecimal else _DIGITS
        k = j
        while k < n and s[k] in digits:
            k += 1
        if k == j:
            return "&", amp + 1
        code = int(s[j:k], 16 if hexadecimal else 10)
        if k < n and s[k] == ";":
            k += 1
        return _code_point(code), k
    k = j
    while k < n and s[k] in _ALNUM:
        k += 1
    name = s[j:k]
    if k < n and s[k] == ";" and name in _ENTITIES:
        return chr(_ENTITIES[name]), k + 1
    for legacy in _LEGACY:
        if name.startswith(legacy):
            end = j + len(legacy)
            if attribute and end < n and (s[end] in _ALNUM or s[end] == "="):
                break
            return chr(_ENTITIES[legacy]), end
    return "&", amp + 1


def _decode(s: str, attribute: bool = False) -> str:
    """`s` with its character references decoded."""
    if "&" not in s:
        return s
    out = []
    i = 0
    while True:
        amp = s.find("&", i)
        if amp < 0:
            out.append(s[i:])
            return "".join(out)
        out.append(s[i:amp])
        text, i = _reference(s, amp, attribute)
        out.append(text)


def _child_namespace(parent: Element | None, tag: str) -> str:
    """The namespace of a `tag` element (lowercased name) created inside `parent`."""
    ns = ""
    if parent is not None:
        ns = parent.namespace
        if ns == "svg" and parent.tag in ("foreignObject", "desc", "title"):
            ns = ""
        elif ns == "math" and parent.tag in ("mi", "mo", "mn", "ms", "mtext"):
            ns = ""
    if tag == "svg" and ns != "svg":
        return "svg"
    if tag == "math" and ns == "":
        return "math"
    return ns


class _Parser:
    """Reads HTML into detached nodes, forgiving as a browser is (never raises)."""

    def __init__(self, src: str, context: Element | None) -> None:
        if "\r" in src:
            src = src.replace("\r\n", "\n").replace("\r", "\n")
        self.src = src
        self.pos = 0
        self.context = context
        self.roots: list[Node] = []
        self.stack: list[Element] = []

    def run(self) -> list[Node]:
        src = self.src
        n = len(src)
        context = self.context
        if context is not None and _is_html(context, _RAW_TEXT + _RCDATA):
            if src:  # the inner HTML of a <style> or <textarea> is its text
                text = src if context.tag in _RAW_TEXT else _decode(src)
                self.roots.append(Text(text.replace("\x00", "\ufffd")))
            return self.roots
        while self.pos < n:
            lt = src.find("<", self.pos)
            if lt < 0:
                self.text(_decode(src[self.pos :]))
                break
            if lt > self.pos:
                self.text(_decode(src[self.pos : lt]))
            self.pos = lt
            self.markup()
        return self.roots

    # -- building

    def current(self) -> Element | None:
        return self.stack[-1] if self.stack else self.context

    def append(self, node: Node) -> None:
        if self.stack:
            _append(self.stack[-1], node)
        else:
            self.roots.append(node)

    def push(self, tag: str) -> Element:
        el = Element(tag)
        self.append(el)
        self.stack.append(el)
        return el

    def text(self, data: str) -> None:
        if "\x00" in data:  # a NUL in text: dropped in HTML, U+FFFD in svg and math
            current = self.current()
            foreign = current is not None and current.namespace != ""
            data = data.replace("\x00", "\ufffd" if foreign else "")
        container = self.stack[-1].children if self.stack else self.roots
        if (
            not container
            and self.stack
            and _is_html(self.stack[-1], ("pre", "listing"))
            and data.startswith("\n")
        ):
            data = data[1:]  # the newline right after <pre> is not content
        if not data:
            return
        last = container[-1] if container else None
        if isinstance(last, Text):
            last.data += data
        else:
            self.append(Text(data))

    def close_in_scope(self, names: Any, stops: Any) -> None:
        """Close the innermost open element named in `names`, unless a `stops` element
        (or a foreign one) comes first."""
        stack = self.stack
        k = len(stack) - 1
        while k >= 0:
            el = stack[k]
            if el.namespace != "" or el.tag in stops:
                return
            if el.tag in names:
                del stack[k:]
                return
            k -= 1

    def close_implied(self, tag: str) -> None:
        """Close what a `tag` start tag ends implicitly (an open <p>, the previous <li>...)."""
        if tag in _CLOSES_P:
            self.close_in_scope(("p",), _BUTTON_SCOPE)
        top = self.stack[-1] if self.stack else None
        if tag == "li":
            self.close_in_scope(("li",), _SCOPE + ("ul", "ol", "menu"))
        elif tag in ("dd", "dt"):
            self.close_in_scope(("dd", "dt"), _SCOPE + ("dl",))
        elif tag in _HEADINGS:
            if top is not None and _is_html(top, _HEADINGS):
                self.stack.pop()
        elif tag in ("option", "optgroup"):
            if top is not None and _is_html(top, ("option",)):
                self.stack.pop()
                top = self.stack[-1] if self.stack else None
            if tag == "optgroup" and top is not None and _is_html(top, ("optgroup",)):
                self.stack.pop()
        elif tag in _TABLE_SECTIONS:
            self.close_in_scope(_TABLE_SECTIONS, ("table", "template", "html"))
        elif tag == "tr":
            self.close_in_scope(("tr",), ("table", "template", "html") + _TABLE_SECTIONS)
        elif tag in ("td", "th"):
            self.close_in_scope(("td", "th"), ("table", "template", "html", "tr"))
        elif tag == "a":
            self.close_in_scope(("a",), _SCOPE)
        top = self.stack[-1] if self.stack else None
        if top is not None and _is_html(top, ("colgroup",)) and tag != "col":
            self.stack.pop()

    def add_table_parts(self, tag: str) -> None:
        """Open the <tbody>, <tr> or <colgroup> a browser adds around table content."""
        parent = self.current()
        if parent is None or parent.namespace != "":
            return
        where = parent.tag
        if tag == "col" and where == "table":
            self.push("colgroup")
        elif tag == "tr" and where == "table":
            self.push("tbody")
        elif tag in ("td", "th"):
            if where == "table":
                self.push("tbody")
                where = "tbody"
            if where in _TABLE_SECTIONS:
                self.push("tr")

    # -- tokens

    def markup(self) -> None:
        src = self.src
        i = self.pos
        n = len(src)
        following = src[i + 1] if i + 1 < n else ""
        if following == "!":
            if src.startswith("<!--", i):
                self.comment()
            elif src[i + 2 : i + 9].lower() == "doctype":
                end = src.find(">", i)
                self.pos = n if end < 0 else end + 1
            else:
                self.bogus_comment(i + 2)  # `<!>` is an empty comment
        elif following == "?":
            self.bogus_comment(i + 1)
        elif following == "/":
            after = src[i + 2] if i + 2 < n else ""
            if after and after in _LETTERS:
                self.end_tag()
            elif after == ">":
                self.pos = i + 3
            elif after == "":
                self.text("</")
                self.pos = n
            else:
                self.bogus_comment(i + 2)
        elif following and following in _LETTERS:
            self.start_tag()
        else:
            self.text("<")
            self.pos = i + 1

    def comment(self) -> None:
        src = self.src
        i = self.pos + 4
        if src.startswith(">", i):
            data, self.pos = "", i + 1
        elif src.startswith("->", i):
            data, self.pos = "", i + 2
        else:
            end = src.find("-->", i)
            if end < 0:
                data, self.pos = src[i:], len(src)
            else:
                data, self.pos = src[i:end], end + 3
        self.append(Comment(data.replace("\x00", "\ufffd")))

    def bogus_comment(self, start: int) -> None:
        src = self.src
        end = src.find(">", start)
        if end < 0:
            end = len(src)
        self.append(Comment(src[start:end]))
        self.pos = end + 1

    def end_tag(self) -> None:
        src = self.src
        n = len(src)
        i = self.pos + 2
        j = i
        while j < n and src[j] not in _SPACE + "/>":
            j += 1
        name = src[i:j].lower()
        end = src.find(">", j)
        self.pos = n if end < 0 else end + 1
        stack = self.stack
        k = len(stack) - 1
        while k >= 0:
            if stack[k].tag.lower() == name:
                del stack[k:]
                return
            k -= 1
        if name == "br":  # a browser reads </br> as <br>
            self.append(Element("br"))
        elif name == "p":  # and a stray </p> as <p></p>
            self.append(Element("p"))

    def start_tag(self) -> None:
        src = self.src
        n = len(src)
        j = self.pos + 1
        while j < n and src[j] not in _SPACE + "/>":
            j += 1
        written = src[self.pos + 1 : j]
        attributes: list[tuple[str, str]] = []
        self_closing = False
        while j < n:
            c = src[j]
            if c in _SPACE:
                j += 1
                continue
            if c == ">":
                j += 1
                break
            if c == "/":
                j += 1
                if j < n and src[j] == ">":
                    self_closing = True
                    j += 1
                    break
                continue
            k = j + 1  # the first character of a name may be '='
            while k < n and src[k] not in _SPACE + "/>=":
                k += 1
            name = src[j:k]
            j = k
            while j < n and src[j] in _SPACE:
                j += 1
            value = ""
            if j < n and src[j] == "=":
                j += 1
                while j < n and src[j] in _SPACE:
                    j += 1
                if j < n and src[j] in "\"'":
                    end = src.find(src[j], j + 1)
                    if end < 0:
                        end = n
                    value = _decode(src[j + 1 : end], True).replace("\x00", "\ufffd")
                    j = end + 1
                else:
                    k = j
                    while k < n and src[k] not in _SPACE + ">":
                        k += 1
                    value = _decode(src[j:k], True).replace("\x00", "\ufffd")
                    j = k
            attributes.append((name, value))
        self.pos = j
        lower = written.lower()
        ns = _child_namespace(self.current(), lower)
        if ns == "":
            self.close_implied(lower)
            self.add_table_parts(lower)
            tag = lower
        else:
            tag = lower if lower in ("svg", "math") else written
        el = Element(tag, ns)
        for name, value in attributes:
            key = name.lower() if ns == "" else name
            if key not in el.attributes:
                el.attributes[key] = value
        self.append(el)
        if ns != "":
            if not self_closing:
                self.stack.append(el)
        elif tag in _RAW_TEXT or tag in _RCDATA:
            self.raw_text(el)
        elif tag == "plaintext":  # never closed: the rest of the page is its text
            if self.pos < n:
                _append(el, Text(src[self.pos :].replace("\x00", "\ufffd")))
            self.pos = n
        elif tag not in VOID_ELEMENTS:
            self.stack.append(el)

    def raw_text(self, el: Element) -> None:
        """The text of a script, style, textarea... up to its end tag."""
        src = self.src
        n = len(src)
        tag = el.tag
        start = end = self.pos
        after = n
        while True:
            end = src.find("</", end)
            if end < 0:
                end = n
                break
            k = end + 2 + len(tag)
            if src[end + 2 : k].lower() == tag and (k >= n or src[k] in _SPACE + "/>"):
                close = src.find(">", k)
                after = n if close < 0 else close + 1
                break
            end += 2
        data = src[start:end].replace("\x00", "\ufffd")
        if tag in _RCDATA:
            data = _decode(data)
            if tag == "textarea" and data.startswith("\n"):
                data = data[1:]
        if data:
            _append(el, Text(data))
        self.pos = after

