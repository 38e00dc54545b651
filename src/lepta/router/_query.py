"""Query strings, parsed and written the way browsers do (portable: MicroPython has
no urllib).

    parse_query("page=2&q=caf%C3%A9+au+lait")   # [("page", "2"), ("q", "café au lait")]
    build_query([("q", "a b"), ("page", "2")])  # "q=a+b&page=2"
"""

from __future__ import annotations

from ..view._location import percent_decode

_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def parse_query(query: str) -> list[tuple[str, str]]:
    """The name-value pairs of `query` (without its "?"), in order, decoded ("+" is a
    space); a pair without "=" has the value ""."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((_decode(name), _decode(value)))
    return pairs


def _decode(text: str) -> str:
    return percent_decode(text.replace("+", " "))


def encode_component(text: str) -> str:
    """`text` encoded as a form encodes a name or a value (spaces become "+")."""
    out = []
    for byte in text.encode("utf-8"):
        if byte in _SAFE:
            out.append(chr(byte))
        elif byte == 32:
            out.append("+")
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def build_query(pairs: list[tuple[str, str]]) -> str:
    """A query string (without "?") for `pairs`."""
    return "&".join(encode_component(n) + "=" + encode_component(v) for n, v in pairs)


def with_param(query: str, name: str, value: str | None) -> str:
    """`query` with parameter `name` set to `value` (in place of every earlier value;
    None removes it), the other parameters kept in their order."""
    pairs = [(n, v) for n, v in parse_query(query) if n != name]
    if value is not None:
        pairs.append((name, value))
    return build_query(pairs)
