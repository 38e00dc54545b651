"""Escaping text and attribute values, and neutralising dangerous URLs.

Everything not marked safe (an object with `__html__`) is escaped: text escapes
`& < >`, attribute values `& " < >`. Values of URL attributes whose scheme, as a
browser would read it, is `javascript:`, `vbscript:` or `data:text/html` are
replaced by BLOCKED_URL. A developer who really means such a URL marks it safe.
"""

from __future__ import annotations

BLOCKED_URL = "about:invalid#lepta-blocked-url"

URL_ATTRIBUTES = set(
    "href src action formaction xlink:href poster cite background data codebase "
    "longdesc manifest icon ping lowsrc dynsrc usemap".split()
)

_BLOCKED_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def is_url_attribute(name: str) -> bool:
    """Whether attribute `name` holds a URL (names are matched in any case)."""
    return name in URL_ATTRIBUTES or name.lower() in URL_ATTRIBUTES


def escape_text(s: str) -> str:
    """Escape text content: `& < >` (and CR, which the parser would turn into LF)."""
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
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
    return s


def raw_text(s: str) -> str:
    """Text inside <script> or <style>: kept as is, but unable to end the element.

    `</` becomes `<\\/` and `<!--` becomes `<\\!--`, which JavaScript and CSS read
    the same way inside strings, and which the HTML parser cannot take as an end
    tag or as the start of an escaped section.
    """
    if "<" not in s:
        return s
    return s.replace("</", "<\\/").replace("<!--", "<\\!--")


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
    return s[start : start + 32].lower()


def is_dangerous_url(url: str) -> bool:
    """Whether a browser would run `url` as script (javascript:, vbscript:, data:text/html)."""
    if url[:1] not in URL_FIRST_CHARS_TO_CHECK:
        return False  # normalising keeps this first character: not j, v or d
    if ":" not in url and "&" not in url:
        return False  # no scheme, and no entity that could spell one
    view = _scheme_view(url)
    if view.startswith("data:"):  # the media type may follow blanks: "data: text/html"
        view = "data:" + view[5:].lstrip()
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


dev_mode = True


def _warn(url: str) -> None:
    if not dev_mode:
        return
    message = (
        "lepta: blocked a dangerous URL %r (its scheme would run script). Mark it safe "
        "(markupsafe.Markup) if you really mean it." % url[:80]
    )
    try:
        import warnings

        warnings.warn(message, stacklevel=3)
    except ImportError:  # MicroPython
        print(message)
