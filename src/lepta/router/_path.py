"""Route paths: parsing, matching, ranking, and telling two apart.

A pattern is a sequence of segments, each a small type with `match` and `generate`:

    /contacts            static: the text itself
    /contacts/:id        parameter: any one segment, as `id`
    /users/:tab?         optional parameter: that segment, or none
    /files/*path         wildcard: the rest of the path (maybe empty), as `path`

Paths are matched as the browser shows them (percent-encoded, see Location): each
segment is decoded on its own before it is compared or captured, so `/a%2Fb` is one
segment "a/b" and never matches `/a/b`.

Ranking is by specificity, not by declaration order: segment by segment, static
beats parameter, which beats optional parameter, which beats wildcard; a pattern
that runs out first loses to one that goes on with a static segment. Two patterns
with the same shape (`/users/:id` and `/users/:name`) can never be told apart: that
is an error when the table is made, naming both.

The canonical form of a path has no trailing slash (except "/" itself); the server
redirects the other form with a 308, and the client navigates to the canonical one.
"""

from __future__ import annotations

from typing import Any

from ..reactive import LeptaError
from ..view._location import percent_decode

# How specific a segment is: more is more specific.
WILDCARD = 0
OPTIONAL = 1
PARAM = 2
STATIC = 3


class RouteConflictError(LeptaError):
    """Two routes can never be told apart, or a route is malformed (its path, its
    streaming mode)."""


class Segment:
    """One segment of a pattern: `kind` (STATIC, PARAM, OPTIONAL, WILDCARD) and
    `text` (the static text, or the parameter's name)."""

    __slots__ = ("kind", "text")

    def __init__(self, kind: int, text: str) -> None:
        self.kind = kind
        self.text = text

    def shape(self) -> str:
        """What the segment accepts, names aside (for telling patterns apart)."""
        if self.kind == STATIC:
            return "/" + self.text
        return ("/*", "/:?", "/:")[self.kind]

    def __repr__(self) -> str:
        return ("*%s", ":%s?", ":%s", "%s")[self.kind] % self.text


def parse(pattern: str) -> list[Segment]:
    """The segments of `pattern` ("/contacts/:id"); RouteConflictError if malformed."""
    if not pattern.startswith("/"):
        raise RouteConflictError("route path %r must start with '/'" % pattern)
    segments = []
    parts = [part for part in pattern.split("/") if part]
    for i, part in enumerate(parts):
        if part.startswith("*"):
            if i != len(parts) - 1:
                raise RouteConflictError(
                    "route path %r: a wildcard (%s) must be the last segment" % (pattern, part)
                )
            segments.append(Segment(WILDCARD, _name(pattern, part[1:] or "rest")))
        elif part.startswith(":"):
            optional = part.endswith("?")
            name = part[1:-1] if optional else part[1:]
            segments.append(Segment(OPTIONAL if optional else PARAM, _name(pattern, name)))
        else:
            segments.append(Segment(STATIC, percent_decode(part)))
    return segments


def _name(pattern: str, name: str) -> str:
    if not name or not (name[0].isalpha() or name[0] == "_"):
        raise RouteConflictError(
            "route path %r: %r is not a parameter name (a letter or _ first)" % (pattern, name)
        )
    return name


class PathPattern:
    """A parsed route path that matches paths and makes them.

        pattern = PathPattern("/contacts/:id")
        pattern.match("/contacts/3")         # {"id": "3"}
        pattern.match("/contacts")           # None
        pattern.generate({"id": 7})          # "/contacts/7"
    """

    __slots__ = ("pattern", "score", "segments")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.segments = parse(pattern)
        # Compared segment by segment; a pattern that ends is below any that goes on
        # with a static segment, and above one that goes on with a parameter.
        self.score = tuple(s.kind for s in self.segments)

    def match(self, path: str) -> dict[str, str] | None:
        """The parameters if `path` (percent-encoded) matches the whole pattern."""
        parts = [percent_decode(part) for part in path.split("/") if part]
        params: dict[str, str] = {}
        if _match(self.segments, 0, parts, 0, params):
            return params
        return None

    def generate(self, params: dict[str, Any]) -> str:
        """The path this pattern gives for `params` (values percent-encoded)."""
        out = []
        for segment in self.segments:
            if segment.kind == STATIC:
                out.append(_encode(segment.text))
                continue
            value = params.get(segment.text)
            if value is None:
                if segment.kind == PARAM:
                    raise KeyError("route %r needs a value for %r" % (self.pattern, segment.text))
                continue
            if segment.kind == WILDCARD:
                out.extend(_encode(part) for part in str(value).split("/") if part)
            else:
                out.append(_encode(str(value)))
        return "/" + "/".join(out)

    def shape(self) -> str:
        return "".join(s.shape() for s in self.segments) or "/"

    def __repr__(self) -> str:
        return "PathPattern(%r)" % self.pattern


def _match(
    segments: list[Segment], i: int, parts: list[str], j: int, params: dict[str, str]
) -> bool:
    """Whether segments[i:] match parts[j:], filling `params` (backtracking over the
    optional parameters, which may match a segment or nothing)."""
    if i == len(segments):
        return j == len(parts)
    segment = segments[i]
    kind = segment.kind
    if kind == WILDCARD:
        params[segment.text] = "/".join(parts[j:])
        return True
    if kind == OPTIONAL:
        if j < len(parts):
            params[segment.text] = parts[j]
            if _match(segments, i + 1, parts, j + 1, params):
                return True
            del params[segment.text]
        return _match(segments, i + 1, parts, j, params)
    if j == len(parts):
        return False
    if kind == STATIC and parts[j] != segment.text:
        return False
    if kind == PARAM:
        params[segment.text] = parts[j]
    return _match(segments, i + 1, parts, j + 1, params)


def _sort_key(pattern: PathPattern) -> tuple[Any, ...]:
    # Higher kinds first; at the end of a pattern: below STATIC, above the rest.
    return tuple(-k for k in pattern.score) + (-(STATIC - 0.5),)


def ranked(patterns: list[PathPattern]) -> list[PathPattern]:
    """`patterns` from the most specific to the least; RouteConflictError if two of
    them have the same shape (no path could ever choose between them)."""
    seen: dict[str, PathPattern] = {}
    for pattern in patterns:
        earlier = seen.get(pattern.shape())
        if earlier is not None:
            raise RouteConflictError(
                "routes %r and %r match exactly the same paths: remove one, or make "
                "them differ by a static segment" % (earlier.pattern, pattern.pattern)
            )
        seen[pattern.shape()] = pattern
    return sorted(patterns, key=_sort_key)


def first_match(
    patterns: list[PathPattern], path: str
) -> tuple[PathPattern, dict[str, str]] | None:
    """The most specific pattern of `ranked` patterns matching `path`, and its params."""
    for pattern in patterns:
        params = pattern.match(path)
        if params is not None:
            return pattern, params
    return None


def canonical(path: str) -> str:
    """`path` in its canonical form: no trailing slash (except "/" itself), no empty
    segments ("//" becomes "/")."""
    parts = [part for part in path.split("/") if part]
    return "/" + "/".join(parts)


_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@")


def _encode(text: str) -> str:
    """One segment percent-encoded as a browser writes a path ("/" included)."""
    return "".join(chr(b) if b in _SAFE else "%%%02X" % b for b in text.encode("utf-8"))
