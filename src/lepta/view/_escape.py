"""Escaping text and attribute values, and neutralising dangerous URLs.

Everything not marked safe (an object with `__html__`) is escaped: text escapes
`& < >`, attribute values `& " < >`. Values of URL attributes whose scheme, as a
browser would read it, is `javascript:`, `vbscript:` or `data:text/html` are
replaced by BLOCKED_URL, and reported to the developer (a few at a time, never in
production). A developer who really means such a URL marks it safe.

A NUL is written as U+FFFD, the character a browser reads in its place (in
attribute values and raw text the parser replaces it; in text it would drop it), so
that the page holds the same text on both sides.
"""

from __future__ import annotations

from ..view._nodes import RAW_TEXT_ELEMENTS

try:
    from time import monotonic as _now
except ImportError:  # MicroPython
    from time import time as _now

BLOCKED_URL = "about:invalid#lepta-blocked-url"

URL_ATTRIBUTES = set(
    "href src action formaction xlink:href poster cite background data codebase "
    "longdesc manifest icon ping lowsrc dynsrc usemap".split()
)

_BLOCKED_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def is_url_attribute(name: str) -> bool:
    """Whether attribute `name` holds a URL (names are matched in any case)."""
    return name in URL_ATTRIBUTES or name.lower() in URL_ATTRIBUTES


def is_script_sink(name: str) -> bool:
    """Whether attribute `name` runs its text as script or HTML: an event handler
    (`onclick`, any name starting with `on`, in any case) or `srcdoc`."""
    if name[:1] not in "oOsS":  # the quick answer for most names
        return False
    low = name.lower()
    return low[:2] == "on" or low == "srcdoc"


def as_parsed(text: str) -> str:
    """`text` as the HTML parser would give it back: NUL becomes U+FFFD, as the server
    writes it, so the DOM built in the browser holds what hydration finds."""
    return text.replace("\0", "\ufffd") if "\0" in text else text


def escape_text(s: str) -> str:
    """Escape text content: `& < >` (and CR, which the parser would turn into LF;
    NUL, which it would drop, becomes the U+FFFD the client's text holds too)."""
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    if "\x00" in s:
        s = s.replace("\x00", "\ufffd")
    return s


def escape_attr(s: str) -> str:
    """Escape a double-quoted attribute value: `& " < >`."""
    if "&" in s:
        s = s.replace("&", "&amp;")
    if '"' in s:
        s = s.replace('"', "&quot;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    if "\x00" in s:
        s = s.replace("\x00", "\ufffd")
    return s


def raw_text(s: str) -> str:
    """The text of a raw-text element (script, style, xmp...): kept as is, but unable
    to end the element.

    Nothing in raw text is decoded, so no entity can hide an end tag: the parser ends
    the element at the first `</xmp` (in any case) and a script also inside `<!--`
    sections. So `</` before the name of a raw-text element becomes `<\\/`, and
    `<!--` becomes `<\\!--`: JavaScript and CSS read them the same way inside
    strings, and the parser can take neither as an end tag or an escaped section.
    Any other `</` (`</b>` in an <xmp> that shows it) is left as written.
    """
    if "</" in s:
        parts = s.split("</")
        for i in range(1, len(parts)):
            head = parts[i][:8].lower()  # as long as the longest name (noscript)
            for name in RAW_TEXT_ELEMENTS:
                if head.startswith(name):
                    parts[i] = "\\/" + parts[i]
                    break
            else:
                parts[i] = "/" + parts[i]
        s = "<".join(parts)
    if "<!--" in s:
        s = s.replace("<!--", "<\\!--")
    if "\x00" in s:
        s = s.replace("\x00", "\ufffd")
    return s


_NAMED = {
    "colon": ":",
    "tab": "\t",
    "newline": "\n",
    "lpar": "(",
    "rpar": ")",
    "sol": "/",
    "semi": ";",
    "comma": ",",
    "period": ".",
    "excl": "!",
    "num": "#",
    "amp": "&",
    "nbsp": " ",
}


def _decode_entities(s: str) -> str:
    """Decode numeric entities (with or without `;`) and the named ones that matter."""
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c != "&":
            out.append(c)
            i += 1
            continue
        j = i + 1
        if j < n and s[j] == "#":
            j += 1
            hexa = j < n and s[j] in "xX"
            if hexa:
                j += 1
            start = j
            digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
            while j < n and s[j] in digits:
                j += 1
            if j > start:
                try:
                    out.append(chr(int(s[start:j], 16 if hexa else 10)))
                except (ValueError, OverflowError):
                    out.append("\ufffd")
                i = j + 1 if j < n and s[j] == ";" else j
                continue
        else:
            start = j
            while j < n and s[j].isalpha():
                j += 1
            name = s[start:j].lower()
            if name in _NAMED:
                out.append(_NAMED[name])
                i = j + 1 if j < n and s[j] == ";" else j
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _scheme_view(url: str) -> str:
    """The URL as a browser reads its scheme: decoded, stripped, tabs and newlines out."""
    s = _decode_entities(url) if "&" in url else url
    kept = []
    for ch in s:
        if ch in "\t\n\r\x00":  # removed anywhere by the URL parser (NUL: by us, to be safe)
            continue
        kept.append(ch)
    s = "".join(kept)
    start = 0
    while start < len(s) and s[start] <= " ":  # leading C0 controls and spaces
        start += 1
    view = s[start : start + 32].lower()
    if view.startswith("data:"):  # its media type may follow any number of blanks
        rest = s[start + 5 :].lstrip()
        view = "data:" + rest[:27].lower()
    return view


def is_dangerous_url(url: str) -> bool:
    """Whether a browser would run `url` as script (javascript:, vbscript:, data:text/html)."""
    if url[:1] not in URL_FIRST_CHARS_TO_CHECK:
        return False  # normalising keeps this first character: not j, v or d
    if ":" not in url and "&" not in url:
        return False  # no scheme, and no entity that could spell one
    view = _scheme_view(url)
    for scheme in _BLOCKED_SCHEMES:
        if view.startswith(scheme):
            return True
    return False


# A URL whose first character is none of these keeps it through a browser's
# normalisation, so its scheme cannot be javascript:, vbscript: or data:.
URL_FIRST_CHARS_TO_CHECK = set(["", "&", "j", "v", "d", "J", "V", "D"])
for _code in range(33):
    URL_FIRST_CHARS_TO_CHECK.add(chr(_code))


def safe_url(url: str) -> str:
    """`url` itself, or BLOCKED_URL if a browser would run it as script."""
    if url[:1] not in URL_FIRST_CHARS_TO_CHECK:
        return url  # the quick answer of is_dangerous_url, without a second call
    if is_dangerous_url(url):
        _warn(url)
        return BLOCKED_URL
    return url


# --- reporting blocked URLs ------------------------------------------------------
# Many blocked URLs can come from users (a page of links, an attack): reporting each
# would flood the log, and keeping them (as Python's warnings registry keeps every
# distinct message) would grow memory without bound. So at most REPORTS_PER_WINDOW
# reports per window of WINDOW_SECONDS, then one line counting those left out; none
# when LEPTA_ENV=production (read at each report, so a running app can be told).

REPORTS_PER_WINDOW = 5
WINDOW_SECONDS = 60

_window_start = -WINDOW_SECONDS - 1.0
_reported = 0
_suppressed = 0

try:
    import logging
    from os import environ as _environ

    _log = logging.getLogger("lepta")
except ImportError:  # MicroPython: print, under the same limits
    _log = None  # type: ignore[assignment]


def _production() -> bool:
    if _log is None:
        return False  # no environment to read in the browser
    return _environ.get("LEPTA_ENV", "") == "production"


def _say(message: str) -> None:
    if _log is None:
        print(message)
    else:
        _log.warning(message)


def _warn(url: str) -> None:
    global _window_start, _reported, _suppressed
    if _production():
        return
    now = _now()
    if now - _window_start >= WINDOW_SECONDS:
        if _suppressed:
            _say(
                "lepta: %d more dangerous URLs were blocked and not reported (at most %d "
                "reports every %d seconds)" % (_suppressed, REPORTS_PER_WINDOW, WINDOW_SECONDS)
            )
        _window_start = now
        _reported = 0
        _suppressed = 0
    if _reported >= REPORTS_PER_WINDOW:
        _suppressed += 1
        return
    _reported += 1
    _say(
        "lepta: blocked a dangerous URL %r (its scheme would run script). Mark it safe "
        "(markupsafe.Markup) if you really mean it." % url[:80]
    )
