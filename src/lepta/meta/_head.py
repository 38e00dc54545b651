"""The page's head: what the meta components ask for, merged and deduplicated.

Each meta component adds an `Entry` to the page's `Head` while it is alive and
removes it when disposed. The head is computed from the live entries:

- the title: the text of the last live Title (the innermost: a route's view runs
  after the views around it), passed through every Title's formatter from the
  innermost out (`Title(formatter="%s — My site")` at the root);
- the tags: one per key, the last entry with a key winning (`<meta name=...>`,
  `<meta property=...>`, a stylesheet's href, a script's src, ...);
- the attributes of `<html>` and `<body>`: merged, the last entry winning per name.

The server renders the head once the page's first part has rendered (see
`lepta.meta._render`); in the browser `sync()` keeps the document in step (see
`_document`).
"""

from __future__ import annotations

from typing import Any, Callable

from ..ssr._render import attribute_value
from ..view._attrs import attribute_name

TITLE = "title"
TAG = "tag"
HTML = "html"
BODY = "body"

# Attributes that make a <meta> the one of its kind (the last such meta wins).
META_KEYS = ("name", "property", "http-equiv", "charset", "itemprop")


class Entry:
    """What one meta component asks for: `kind` (TITLE, TAG, HTML or BODY), the
    tag's name, its attributes ({name: value or callable}), its text."""

    __slots__ = ("attrs", "formatter", "kind", "tag", "text")

    def __init__(
        self,
        kind: str,
        tag: str = "",
        attrs: dict[str, Any] | None = None,
        text: Any = None,
        formatter: Any = None,
    ) -> None:
        self.kind = kind
        self.tag = tag
        self.attrs = {attribute_name(k): v for k, v in (attrs or {}).items()}
        self.text = text
        self.formatter = formatter

    def read(self) -> tuple[Any, ...]:
        """Every value of this entry, read (tracked inside an effect)."""
        return (_read(self.text), tuple(_read(v) for v in self.attrs.values()))


def _read(value: Any) -> Any:
    return value() if callable(value) and not hasattr(value, "__html__") else value


class Tag:
    """A tag of the head as it is to be: name, attributes (checked), text, and the
    signature the document marks it with (to adopt the server's tag in the browser)."""

    __slots__ = ("attrs", "name", "signature", "text")

    def __init__(self, name: str, attrs: list[tuple[str, Any]], text: str) -> None:
        self.name = name
        self.attrs = attrs
        self.text = text
        # Sorted: keyword order may differ between runtimes (MicroPython's dicts).
        parts = [name, text] + sorted("%s=%s" % (n, v) for n, v in attrs)
        self.signature = fingerprint("\x1f".join(parts))


class Head:
    """The live meta entries of one page (the server provides one per request; the
    browser has one per page)."""

    def __init__(self, document: Any = None) -> None:
        self.entries: list[Entry] = []
        self.document = document  # the browser's document (see _document), or None

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def remove(self, entry: Entry) -> None:
        if entry in self.entries:
            self.entries.remove(entry)
            self.sync()

    def sync(self) -> None:
        """Bring the browser's document in step with the live entries."""
        if self.document is not None:
            self.document.apply(self.title(), self.tags(), self.attrs(HTML), self.attrs(BODY))

    def title(self) -> str | None:
        """The page's title, or None when no Title gives a text."""
        text = None
        formatters = []
        for entry in self.entries:
            if entry.kind != TITLE:
                continue
            value = _read(entry.text)
            if value is not None:
                text = str(value)
            if entry.formatter is not None:
                formatters.append(entry.formatter)
        if text is None:
            return None
        for formatter in reversed(formatters):  # the innermost first
            text = formatter % text if isinstance(formatter, str) else str(formatter(text))
        return text

    def tags(self) -> list[Tag]:
        """The tags for `<head>`, one per key, in the order their keys first came."""
        chosen: dict[str, Tag] = {}
        order: list[str] = []  # (MicroPython's dicts keep no order)
        for entry in self.entries:
            if entry.kind != TAG:
                continue
            attrs = []
            for name, value in entry.attrs.items():
                value = attribute_value(name, _read(value))  # URLs checked, sinks refused
                if value is not None:
                    attrs.append((name, value))
            text = _read(entry.text)
            tag = Tag(entry.tag, attrs, "" if text is None else str(text))
            key = _key(tag)
            if key not in chosen:
                order.append(key)
            chosen[key] = tag
        return [chosen[key] for key in order]

    def attrs(self, kind: str) -> dict[str, Any]:
        """The attributes asked for `<html>` (HTML) or `<body>` (BODY)."""
        merged: dict[str, Any] = {}
        for entry in self.entries:
            if entry.kind == kind:
                for name, value in entry.attrs.items():
                    merged[name] = attribute_value(name, _read(value))
        return {name: value for name, value in merged.items() if value is not None}


def _key(tag: Tag) -> str:
    """What makes two tags the same one: the later replaces the earlier."""
    attrs = dict(tag.attrs)
    if tag.name == "meta":
        for name in META_KEYS:
            if name in attrs:
                return "meta %s=%s" % (name, attrs[name] if name != "charset" else "")
    elif tag.name == "link":
        rel = str(attrs.get("rel", ""))
        if rel == "canonical":
            return "link canonical"
        return "link %s %s" % (rel, attrs.get("href", ""))
    elif tag.name == "script" and "src" in attrs:
        return "script %s" % attrs["src"]
    return tag.signature


def fingerprint(text: str) -> str:
    """A short hash of `text`, the same on every runtime (FNV-1a, 32 bits)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


_page_head: list[Head] = []


def use_head() -> Head:
    """The page's Head: the one the server provides for this request, else the
    browser page's (made on first use)."""
    from ..reactive import use_context

    head = use_context(Head)
    if head is not None:
        return head
    if not _page_head:
        from ._document import browser_document

        _page_head.append(Head(browser_document()))
    return _page_head[0]


def reader(value: Any) -> Callable[[], Any]:
    return value if callable(value) else (lambda: value)
