"""A small HTML5 parser for tests: rendered HTML back into a tree to compare.

    parse('<p class="x">a &amp; b<br></p>')
    # [("p", {"class": "x"}, ["a & b", ("br", {}, [])])]

Nodes: an element is `(tag, attrs, children)` (attrs a dict, children a list), text
is a plain `str` with character references decoded, a comment is
`("#comment", text)` and a doctype `("#doctype", "html")`. Adjacent texts are merged.

It follows the HTML5 tokenizer where a renderer's mistakes would show:
- tag and attribute names are lowercased in HTML; inside <svg> and <math> they are
  kept as written (the renderer writes `viewBox`, `linearGradient`), and children of
  svg foreignObject/desc/title and of math mi/mo/mn/ms/mtext are HTML again;
- void elements (br, img, ...) never have children; `/>` closes only foreign elements
  (`<div/>` opens a div, as in a browser);
- script, style, xmp, iframe, noembed and noframes hold raw text up to their end
  tag, and script follows the `<!--` / `<script` escape states, so a script whose
  text holds `<!--<script>` swallows its own end tag as a browser's would;
  textarea and title hold text with character references decoded; this applies in
  HTML only (an svg <script> or <title> holds markup). noscript is parsed as with
  scripting off: its children are elements;
- the newline right after <pre>, <listing> and <textarea> is dropped;
- CR and CRLF become LF before parsing; a NUL becomes U+FFFD (in attribute values,
  raw text and svg/math text) or is dropped (in HTML text);
- a <tr>, <td> or <th> directly in a <table> gets the <tbody> (and <tr>) a browser
  inserts, and <col> the <colgroup>; they are real elements in the tree.

It refuses (ValueError, with the position) what a browser would repair, because a
renderer that produced it has a bug: an element left open at the end, an end tag
that does not match the open element, an end tag for a void element, a duplicate
attribute, quotes or `<` inside an attribute name, `<!` and `<?` constructs other
than comments (`<!>` is an empty one, as in a browser) and doctypes, a block start
tag that would implicitly close an open <p>, a nested <a>, <li>/<dd>/<dt> or
heading that a browser would close, HTML elements that would break out of svg/math,
and content a browser would move out of a table. Runs under MicroPython too: plain
string code only.
"""

VOID = (
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
)
RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes")
ESCAPABLE_RAW_TEXT = ("textarea", "title")
_DROP_FIRST_NEWLINE = ("pre", "listing", "textarea")
_SPACE = " \t\n\f\r"

NAMED = {
    "amp": "&",
    "AMP": "&",
    "lt": "<",
    "LT": "<",
    "gt": ">",
    "GT": ">",
    "quot": '"',
    "QUOT": '"',
    "apos": "'",
    "nbsp": "\xa0",
    # Those that URL obfuscation uses.
    "colon": ":",
    "Tab": "\t",
    "NewLine": "\n",
    "lpar": "(",
    "rpar": ")",
    "sol": "/",
    "bsol": "\\",
    "semi": ";",
    "comma": ",",
    "period": ".",
    "excl": "!",
    "num": "#",
    "percnt": "%",
    "equals": "=",
    "quest": "?",
    "commat": "@",
    "lsqb": "[",
    "rsqb": "]",
    "lcub": "{",
    "rcub": "}",
    "grave": "`",
    "plus": "+",
}
# Names a browser also decodes without the `;` (longest first: they are tried in order).
_LEGACY = ("QUOT", "quot", "nbsp", "AMP", "amp", "LT", "lt", "GT", "gt")

# Numeric references to 0x80-0x9F mean the windows-1252 character.
_C1 = {
    0x80: 0x20AC,
    0x82: 0x201A,
    0x83: 0x0192,
    0x84: 0x201E,
    0x85: 0x2026,
    0x86: 0x2020,
    0x87: 0x2021,
    0x88: 0x02C6,
    0x89: 0x2030,
    0x8A: 0x0160,
    0x8B: 0x2039,
    0x8C: 0x0152,
    0x8E: 0x017D,
    0x91: 0x2018,
    0x92: 0x2019,
    0x93: 0x201C,
    0x94: 0x201D,
    0x95: 0x2022,
    0x96: 0x2013,
    0x97: 0x2014,
    0x98: 0x02DC,
    0x99: 0x2122,
    0x9A: 0x0161,
    0x9B: 0x203A,
    0x9C: 0x0153,
    0x9E: 0x017E,
    0x9F: 0x0178,
}

# Start tags that close an open <p> in a browser.
_CLOSES_P = (
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "plaintext",
    "table",
    "hr",
    "xmp",
    "li",
    "dd",
    "dt",
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that stop the search for an open <p> (the "button scope").
_P_SCOPE = (
    "button",
    "applet",
    "caption",
    "html",
    "table",
    "td",
    "th",
    "marquee",
    "object",
    "template",
)
# Elements that stop the search for an open <li>/<dd>/<dt> ("special" ones but these).
_LIST_SCOPE = (
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
)
# HTML start tags that end svg/math content in a browser.
_BREAKOUT = (
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
)
_TABLE_SECTIONS = ("tbody", "thead", "tfoot")
_IN_TABLE = (
    "caption",
    "colgroup",
    "col",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "script",
    "style",
    "template",
    "input",
    "form",
)
_IN_SECTION = ("tr", "td", "th", "script", "style", "template")
_IN_ROW = ("td", "th", "script", "style", "template")


def _is_alpha(c):
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_alnum(c):
    return ("a" <= c <= "z") or ("A" <= c <= "Z") or ("0" <= c <= "9")


def _codepoint(value):
    if value == 0 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return "\ufffd"
    return chr(_C1.get(value, value))


def decode(text, in_attribute=False):
    """Decode character references as the HTML5 tokenizer does (for our table)."""
    if "&" not in text:
        return text
    out = []
    i = 0
    n = len(text)
    while True:
        amp = text.find("&", i)
        if amp < 0:
            out.append(text[i:])
            break
        out.append(text[i:amp])
        i = amp + 1
        if i < n and text[i] == "#":
            j = i + 1
            hexa = j < n and text[j] in "xX"
            if hexa:
                j += 1
            digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
            k = j
            while k < n and text[k] in digits:
                k += 1
            if k == j:  # "&#" with no digits: literal text
                out.append("&")
                continue
            number = text[j:k]
            while len(number) > 1 and number[0] == "0":
                number = number[1:]
            value = 0x110000 if len(number) > 8 else int(number, 16 if hexa else 10)
            if k < n and text[k] == ";":
                k += 1
            out.append(_codepoint(value))
            i = k
            continue
        k = i
        while k < n and _is_alnum(text[k]):
            k += 1
        name = text[i:k]
        if name and k < n and text[k] == ";" and name in NAMED:
            out.append(NAMED[name])
            i = k + 1
            continue
        matched = None
        for legacy in _LEGACY:
            if name[: len(legacy)] == legacy:
                matched = legacy
                break
        if matched is None:
            out.append("&")
            continue
        after = i + len(matched)
        if in_attribute and after < n and (_is_alnum(text[after]) or text[after] == "="):
            out.append("&")  # "&ampx" in an attribute stays as written
            continue
        out.append(NAMED[matched])
        i = after
    return "".join(out)


class _Open:
    """An element on the stack of open elements."""

    def __init__(self, tag, children, ns, implied=False):
        self.tag = tag
        self.key = tag.lower()
        self.children = children
        self.ns = ns
        self.implied = implied


class _Parser:
    def __init__(self, source):
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        self.s = source
        self.n = len(source)
        self.i = 0
        self.root = []
        self.stack = []

    # -- errors and positions ------------------------------------------------

    def fail(self, message, at=None):
        at = self.i if at is None else at
        line = self.s.count("\n", 0, at) + 1
        snippet = self.s[max(0, at - 20) : at + 30]
        raise ValueError("%s (line %d, offset %d, near %r)" % (message, line, at, snippet))

    # -- tree ----------------------------------------------------------------

    def children(self):
        return self.stack[-1].children if self.stack else self.root

    def add_text(self, text):
        if not text:
            return
        if self.stack:
            top = self.stack[-1]
            if top.ns == "html" and top.key in ("table", "tbody", "thead", "tfoot", "tr"):
                if text.strip(_SPACE):
                    self.fail(
                        "text %r directly inside <%s>: a browser moves it out of the "
                        "table" % (text, top.tag)
                    )
        kids = self.children()
        if kids and type(kids[-1]) is str:
            kids[-1] = kids[-1] + text
        else:
            kids.append(text)

    def data(self, raw):
        """Text between tags: a NUL is dropped in HTML content, U+FFFD in svg/math."""
        if "\x00" in raw:
            foreign = self.stack and self.child_namespace("#text") != "html"
            raw = raw.replace("\x00", "\ufffd" if foreign else "")
        return decode(raw)

    def child_namespace(self, key):
        """The namespace a new element with lowercased name `key` gets."""
        if not self.stack:
            return "html"
        top = self.stack[-1]
        if top.ns == "html":
            return "html"
        if top.ns == "svg" and top.key in ("foreignobject", "desc", "title"):
            return "html"
        if top.ns == "math":
            if top.key in ("mi", "mo", "mn", "ms", "mtext") and key not in ("mglyph", "malignmark"):
                return "html"
            if top.key == "annotation-xml" and key == "svg":
                return "svg"
        return top.ns

    def in_scope(self, wanted, stops):
        for entry in reversed(self.stack):
            if entry.ns != "html":
                return False
            if entry.key in wanted:
                return True
            if entry.key in stops:
                return False
        return False

    def check_html_start(self, key, at):
        """Refuse start tags a browser would answer by closing or moving elements."""
        if key in _CLOSES_P and self.in_scope(("p",), _P_SCOPE):
            self.fail("<%s> inside an open <p>: a browser closes the <p> first" % key, at)
        if key == "a" and self.in_scope(
            ("a",), ("table", "td", "th", "caption", "html", "template", "object", "marquee")
        ):
            self.fail("<a> inside an open <a>: a browser closes the outer one", at)
        if key == "li" and self.in_scope(("li",), _LIST_SCOPE):
            self.fail("<li> inside an open <li>: a browser closes the outer one", at)
        if key in ("dd", "dt") and self.in_scope(("dd", "dt"), _LIST_SCOPE):
            self.fail("<%s> inside an open <dd>/<dt>: a browser closes it" % key, at)
        if (
            key in _HEADINGS
            and self.stack
            and self.stack[-1].ns == "html"
            and self.stack[-1].key in _HEADINGS
        ):
            self.fail(
                "<%s> directly inside <%s>: a browser closes the outer heading"
                % (key, self.stack[-1].tag),
                at,
            )

    def fix_table(self, key, at):
        """Insert the tbody/tr/colgroup a browser adds, or refuse foster-parented content."""
        while self.stack:
            top = self.stack[-1]
            if top.ns != "html":
                return
            if top.key == "table":
                if key in ("tr", "td", "th"):
                    self.push("tbody", {}, "html", implied=True)
                    continue
                if key == "col":
                    self.push("colgroup", {}, "html", implied=True)
                    continue
                allowed = _IN_TABLE
            elif top.key in _TABLE_SECTIONS:
                if key in ("td", "th"):
                    self.push("tr", {}, "html", implied=True)
                    continue
                allowed = _IN_SECTION
            elif top.key == "tr":
                allowed = _IN_ROW
            else:
                return
            if key not in allowed:
                self.fail(
                    "<%s> directly inside <%s>: a browser moves it out of the table"
                    % (key, top.tag),
                    at,
                )
            return

    def push(self, tag, attrs, ns, implied=False):
        kids = []
        self.children().append((tag, attrs, kids))
        self.stack.append(_Open(tag, kids, ns, implied))

    # -- tokenizer -------------------------------------------------------------

    def run(self):
        s = self.s
        n = self.n
        while self.i < n:
            lt = s.find("<", self.i)
            if lt < 0:
                self.add_text(self.data(s[self.i :]))
                self.i = n
                break
            if lt > self.i:
                self.add_text(self.data(s[self.i : lt]))
            self.i = lt
            nxt = s[lt + 1] if lt + 1 < n else ""
            if s[lt : lt + 4] == "<!--":
                self.comment()
            elif nxt == "!":
                self.bang()
            elif nxt == "/":
                after = s[lt + 2] if lt + 2 < n else ""
                if not _is_alpha(after):
                    self.fail(
                        "'</' not followed by a tag name (a browser makes it a comment or drops it)"
                    )
                self.end_tag()
            elif _is_alpha(nxt):
                self.start_tag()
            elif nxt == "?":
                self.fail("'<?' (a browser makes it a comment)")
            else:
                self.add_text("<")
                self.i = lt + 1
        if self.stack:
            names = ", ".join("<%s>" % e.tag for e in self.stack if not e.implied)
            self.fail("unclosed %s at the end of the input" % (names or "<tbody>"), n)
        return self.root

    def comment(self):
        s = self.s
        start = self.i + 4
        if s[start : start + 1] == ">":  # "<!-->" is an (empty) comment
            self.children().append(("#comment", ""))
            self.i = start + 1
            return
        if s[start : start + 2] == "->":  # so is "<!--->"
            self.children().append(("#comment", ""))
            self.i = start + 2
            return
        end = s.find("-->", start)
        bang = s.find("--!>", start)
        if end < 0 and bang < 0:
            self.fail("unclosed comment")
        if end < 0 or (0 <= bang < end):
            self.children().append(("#comment", s[start:bang]))
            self.i = bang + 4
        else:
            self.children().append(("#comment", s[start:end]))
            self.i = end + 3

    def bang(self):
        s = self.s
        at = self.i
        if s[at + 2 : at + 3] == ">":  # "<!>": an empty (bogus) comment, as renderers use
            self.children().append(("#comment", ""))
            self.i = at + 3
            return
        if s[at + 2 : at + 9].lower() == "doctype":
            end = s.find(">", at)
            if end < 0:
                self.fail("unclosed doctype")
            if self.stack or self.root:
                self.fail("doctype after content", at)
            self.root.append(("#doctype", s[at + 9 : end].strip(_SPACE).lower()))
            self.i = end + 1
            return
        if s[at + 2 : at + 9] == "[CDATA[":
            if not self.stack or self.stack[-1].ns == "html":
                self.fail("CDATA section in HTML content (a browser makes it a comment)")
            end = s.find("]]>", at)
            if end < 0:
                self.fail("unclosed CDATA section")
            self.add_text(s[at + 9 : end].replace("\x00", "\ufffd"))
            self.i = end + 3
            return
        self.fail("'<!' that is not a comment or doctype (a browser makes it a comment)")

    def name(self, what):
        """The tag name at self.i (up to whitespace, '/' or '>')."""
        s = self.s
        start = self.i
        j = start
        while j < self.n and s[j] not in _SPACE and s[j] not in "/>":
            c = s[j]
            if not (_is_alnum(c) or c in "-_:."):
                self.fail("unexpected %r in %s name" % (c, what), j)
            j += 1
        self.i = j
        return s[start:j]

    def skip_space(self):
        s = self.s
        while self.i < self.n and s[self.i] in _SPACE:
            self.i += 1

    def attributes(self, lowercase):
        """Attributes up to the tag's end; returns (attrs, self_closing)."""
        s = self.s
        n = self.n
        attrs = {}
        while True:
            self.skip_space()
            if self.i >= n:
                self.fail("unclosed tag at the end of the input")
            c = s[self.i]
            if c == ">":
                self.i += 1
                return attrs, False
            if c == "/":
                if s[self.i + 1 : self.i + 2] == ">":
                    self.i += 2
                    return attrs, True
                self.i += 1  # a stray '/' is ignored, as in a browser
                continue
            start = self.i
            j = start + 1 if c == "=" else start  # a leading '=' is part of the name
            while j < n and s[j] not in _SPACE and s[j] not in "/>=":
                if s[j] in "\"'<":
                    self.fail("%r in an attribute name" % s[j], j)
                j += 1
            name = s[start:j]
            if lowercase:
                name = name.lower()
            self.i = j
            self.skip_space()
            value = ""
            if self.i < n and s[self.i] == "=":
                self.i += 1
                self.skip_space()
                value = self.attribute_value()
            if name in attrs:
                self.fail("duplicate attribute %r (a browser keeps the first)" % name, start)
            attrs[name] = value

    def attribute_value(self):
        s = self.s
        if self.i >= self.n:
            self.fail("attribute value missing at the end of the input")
        q = s[self.i]
        if q == '"' or q == "'":
            end = s.find(q, self.i + 1)
            if end < 0:
                self.fail("unclosed attribute value")
            raw = s[self.i + 1 : end]
            self.i = end + 1
            if self.i < self.n and s[self.i] not in _SPACE and s[self.i] not in "/>":
                self.fail("no space after a quoted attribute value")
            return decode(raw.replace("\x00", "\ufffd"), True)
        if q == ">":
            self.fail("'=' with no attribute value")
        j = self.i
        while j < self.n and s[j] not in _SPACE and s[j] != ">":
            j += 1
        raw = s[self.i : j]
        self.i = j
        return decode(raw.replace("\x00", "\ufffd"), True)

    def start_tag(self):
        at = self.i
        self.i += 1
        written = self.name("tag")
        key = written.lower()
        ns = self.child_namespace(key)
        if ns == "html":
            tag = key
            if key == "svg" or key == "math":
                ns = key
            else:
                self.check_html_start(key, at)
                self.fix_table(key, at)
        else:
            if key in _BREAKOUT:
                self.fail(
                    "<%s> inside <%s>: a browser ends the foreign content here"
                    % (key, self.stack[-1].tag),
                    at,
                )
            tag = written
        attrs, self_closing = self.attributes(ns == "html")
        if ns != "html":
            self.push(tag, attrs, ns)
            if self_closing:
                self.stack.pop()
            return
        if tag in VOID:
            self.children().append((tag, attrs, []))
            return
        if tag == "plaintext":
            self.fail("<plaintext> never ends", at)
        self.push(tag, attrs, ns)  # '/>' on an HTML element is ignored, as in a browser
        if tag in _DROP_FIRST_NEWLINE and self.s[self.i : self.i + 1] == "\n":
            self.i += 1
        if tag == "script":
            self.raw_content(self.script_end(), tag, False)
        elif tag in RAW_TEXT:
            self.raw_content(self.rawtext_end(tag), tag, False)
        elif tag in ESCAPABLE_RAW_TEXT:
            self.raw_content(self.rawtext_end(tag), tag, True)

    def raw_content(self, end, tag, decoded):
        text = self.s[self.i : end].replace("\x00", "\ufffd")
        if decoded:
            text = decode(text)
        if text:
            self.children().append(text)
        self.i = end
        self.end_tag()

    def is_end_tag(self, at, tag):
        """Whether `</tag` followed by whitespace, '/' or '>' starts at `at`."""
        s = self.s
        k = at + 2 + len(tag)
        return (
            s[at : at + 2] == "</"
            and s[at + 2 : k].lower() == tag
            and k < self.n
            and (s[k] in _SPACE or s[k] in "/>")
        )

    def is_script_start(self, at):
        s = self.s
        k = at + 7
        return s[at:k].lower() == "<script" and k < self.n and (s[k] in _SPACE or s[k] in "/>")

    def rawtext_end(self, tag):
        j = self.i
        while True:
            k = self.s.find("</", j)
            if k < 0:
                self.fail("unclosed <%s>: its end tag never comes" % tag)
            if self.is_end_tag(k, tag):
                return k
            j = k + 2

    def script_end(self):
        """Where the script's text ends, following the tokenizer's script data states."""
        s = self.s
        n = self.n
        j = self.i
        state = "data"  # or "escaped" (after <!--) or "double" (after <!--<script>)
        while j < n:
            if state == "data":
                k = s.find("<", j)
                if k < 0:
                    break
                if self.is_end_tag(k, "script"):
                    return k
                if s[k : k + 4] == "<!--":
                    state = "escaped"
                    j = k + 4
                    m = j
                    while m < n and s[m] == "-":
                        m += 1
                    if s[m : m + 1] == ">":  # "<!-->", "<!--->": opened and closed again
                        state = "data"
                        j = m + 1
                    continue
                j = k + 1
                continue
            # In both escaped states "-->" returns to plain script data.
            lt = s.find("<", j)
            close = s.find("-->", j)
            if close >= 0 and (lt < 0 or close < lt):
                state = "data"
                j = close + 3
                continue
            if lt < 0:
                break
            if state == "escaped":
                if self.is_end_tag(lt, "script"):
                    return lt
                if self.is_script_start(lt):
                    state = "double"
                    j = lt + 7
                    continue
            elif self.is_end_tag(lt, "script"):  # double escaped: back to escaped
                state = "escaped"
                j = lt + 8
                continue
            j = lt + 1
        self.fail(
            "unclosed <script>: its end tag never comes (an escaped '<!--<script>' "
            "inside it hides the end tag)"
            if state == "double"
            else "unclosed <script>: its end tag never comes"
        )

    def end_tag(self):
        at = self.i
        self.i += 2
        written = self.name("end tag")
        key = written.lower()
        self.skip_space()
        if self.s[self.i : self.i + 1] != ">":
            self.fail("attributes or junk in the end tag </%s>" % written, at)
        self.i += 1
        if key in VOID and (not self.stack or self.stack[-1].ns == "html"):
            self.fail("end tag </%s> for a void element" % key, at)
        while self.stack and self.stack[-1].implied and self.stack[-1].key != key:
            self.stack.pop()
        if not self.stack:
            self.fail("end tag </%s> with no open element" % written, at)
        top = self.stack[-1]
        if top.key != key:
            self.fail("end tag </%s> does not match the open <%s>" % (written, top.tag), at)
        self.stack.pop()


def parse(html):
    """Parse `html` into a list of nodes; ValueError if a browser would repair it."""
    return _Parser(html).run()


def _strip(nodes, keep_comments):
    out = []
    for node in nodes:
        if type(node) is str:
            if out and type(out[-1]) is str:
                out[-1] = out[-1] + node
            else:
                out.append(node)
        elif node[0] == "#comment":
            if keep_comments:
                out.append(node)
        elif node[0] == "#doctype":
            out.append(node)
        else:
            out.append((node[0], node[1], _strip(node[2], keep_comments)))
    return out


def structure(html, keep_comments=False):
    """The parsed tree without comments (texts they separated are merged)."""
    return _strip(parse(html), keep_comments)


def elements(nodes, tag):
    """Every element named `tag` in `nodes`, depth first."""
    found = []
    for node in nodes:
        if type(node) is tuple and len(node) == 3:
            if node[0] == tag:
                found.append(node)
            found.extend(elements(node[2], tag))
    return found


def text(nodes):
    """The text content of `nodes` (a node or a list), comments excluded."""
    if type(nodes) is str:
        return nodes
    if type(nodes) is tuple:
        return text(nodes[2]) if len(nodes) == 3 else ""
    return "".join(text(node) for node in nodes)
