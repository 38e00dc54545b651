"""The page's address and nonce, the same on both sides: the request's on the
server, the window's in the browser.

    @component
    def App():
        where = use_location()
        where.path           # "/caf%C3%A9/a%2Fb": percent-encoded, as location.pathname
        where.decoded_path   # "/café/a/b": for showing, not for matching
        where.segments       # ["café", "a/b"]: decoded one by one, so "/" inside stays apart
        return UserPage() if where.path.startswith("/users/") else Home()
"""

from __future__ import annotations

from ..reactive import use_context


class Location:
    """A page address relative to where the app is mounted.

    `path` is percent-encoded exactly as the browser's `location.pathname` shows it
    (`/a%20b`, `/a%2Fb`), so the server and the browser see the same string and
    `/a%2Fb` is not `/a/b`. `query` is the raw query string, without the "?".
    """

    __slots__ = ("path", "query")

    def __init__(self, path: str = "/", query: str = "") -> None:
        self.path = path
        self.query = query

    @property
    def decoded_path(self) -> str:
        """The path with its %-escapes decoded (`%2F` becomes `/`: use `segments` to
        tell `/a%2Fb` from `/a/b`)."""
        return percent_decode(self.path)

    @property
    def segments(self) -> list[str]:
        """The decoded segments of the path: `/a%2Fb/c` gives `["a/b", "c"]`."""
        return [percent_decode(part) for part in self.path.split("/") if part]

    def __repr__(self) -> str:
        return "Location(%r, %r)" % (self.path, self.query)


def use_location() -> Location:
    """The address of the page being rendered (`Location("/")` when none was given:
    in tests, or when a view is rendered outside a page)."""
    return use_context(Location) or Location()


class PageNonce:
    """The nonce of the page's Content-Security-Policy (provided by the server and
    the browser's loader when the app sets `csp = true`)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


def use_nonce() -> str | None:
    """The page's CSP nonce, for the app's own inline scripts and styles; None when
    the app sends no Content-Security-Policy.

        script("start()", nonce=use_nonce())
    """
    found = use_context(PageNonce)
    return found.value if found is not None else None


_HEX = "0123456789abcdefABCDEF"


def percent_decode(text: str) -> str:
    """`text` with %XX escapes decoded as UTF-8 (invalid sequences become U+FFFD).
    Written by hand: MicroPython has no urllib."""
    if "%" not in text:
        return text
    out = bytearray()
    data = text.encode("utf-8")
    i = 0
    n = len(data)
    while i < n:
        byte = data[i]
        if (
            byte == 37  # "%"
            and i + 2 < n
            and chr(data[i + 1]) in _HEX
            and chr(data[i + 2]) in _HEX
        ):
            out.append(int(data[i + 1 : i + 3].decode(), 16))
            i += 3
        else:
            out.append(byte)
            i += 1
    return _utf8(bytes(out))


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeError:  # decode what is valid, one character at a time
        chars = []
        i = 0
        while i < len(data):
            for size in (1, 2, 3, 4):
                try:
                    chars.append(data[i : i + size].decode("utf-8"))
                    i += size
                    break
                except UnicodeError:
                    continue
            else:
                chars.append("\ufffd")
                i += 1
        return "".join(chars)
