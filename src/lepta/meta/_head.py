"""The page's head: what the meta components ask for, merged and deduplicated.

Each meta component adds an `Entry` to the page's `Head` while it is alive and
removes it when disposed. The head is computed from the live entries, in the order
they were added (a route's view is built after the views around it, so the most
recently added live entry is the innermost):

- the title: the text of the last live Title whose text is not None, passed through
  every live Title's formatter from the last added to the first
  (`Title(formatter="%s — My site")` at the root, `Title("Contacts")` in a page);
- the tags: one per key, the last entry with a key winning (a `<meta>`'s name,
  property, http-equiv, charset or itemprop; a link's rel and href, a canonical link;
  a script's src); other tags are kept once per content;
- the attributes of `<html>` and `<body>`: merged, the last entry giving a value
  (not None or False) winning per name.

Values go through the renderers' attribute rules (`lepta.ssr._render.attribute_value`,
shared by the server and the DOM): URLs that would run script are neutralised,
event-handler attributes are refused.

The server reads the head after the page's first render pass (`title()`,
`tags_html()`, `html_attrs()`, `body_attrs()`; the HTML is written by `_render`,
a module the browser bundle leaves out). In the browser a Head kept with a document
(`_document.DocumentSync`) brings that document in step after each update.
"""

from __future__ import annotations

import binascii
from typing import Any

from ..reactive import Effect, Trigger, use_context
from ..view._attrs import attribute_name
from ..view._escape import is_dangerous_url
from ..view._values import attribute_value

TITLE = "title"
TAG = "tag"
HTML = "html"
BODY = "body"

# Attributes that make a <meta> the one of its kind (the last such meta wins).
META_KEYS = ("name", "property", "http-equiv", "charset", "itemprop")


class Entry:
    """What one meta component asks for: `kind` (TITLE, TAG, HTML or BODY), the
    tag's name, its attributes ({name: value or callable}), its text, the Title's
    formatter, and the page's CSP nonce for a script or style."""

    __slots__ = ("attrs", "formatter", "kind", "nonce", "tag", "text")

    def __init__(
        self,
        kind: str,
        tag: str = "",
        attrs: dict[str, Any] | None = None,
        text: Any = None,
        formatter: Any = None,
        nonce: str | None = None,
    ) -> None:
        self.kind = kind
        self.tag = tag
        self.attrs = {}
        if attrs:
            for key in attrs:
                self.attrs[attribute_name(key)] = attrs[key]
        self.text = text
        self.formatter = formatter
        self.nonce = nonce

    def read(self) -> None:
        """Read each value (a resource's, under a Suspense: it waits for them)."""
        _read(self.text)
        for name in self.attrs:
            _read(self.attrs[name])


def _read(value: Any) -> Any:
    return value() if callable(value) and not hasattr(value, "__html__") else value


class Tag:
    """A tag of the head as it is to be: name, attributes (checked), text, the
    page's nonce for a script or style, and the signature the document marks it with
    (the browser adopts the server's tag with the same signature)."""

    __slots__ = ("attrs", "name", "nonce", "signature", "text")

    def __init__(
        self, name: str, attrs: list[tuple[str, Any]], text: str, nonce: str | None = None
    ) -> None:
        self.name = name
        self.attrs = attrs
        self.text = text
        self.nonce = nonce
        # Sorted: keyword order may differ between runtimes (MicroPython's dicts). The
        # nonce stays out: it differs per response and browsers hide it from the DOM.
        parts = [name, text] + sorted("%s=%s" % (n, v) for n, v in attrs)
        self.signature = fingerprint("\x1f".join(parts))

    def __repr__(self) -> str:
        return "<Tag %s %r>" % (self.name, dict(self.attrs))


class Head:
    """The meta entries of one page and what they make of its head.

    The server provides one per request before rendering the root
    (`provide_context(Head())`) and reads it after the first render pass:

        head.title()          # "Contacts — My site", or None when no Title gave a text
        head.tags_html(nonce) # the <meta>, <link>, <script>, <style> tags (not the title)
        head.html_attrs()     # ' lang="fr"', or ""
        head.body_attrs()     # ' class="home"', or ""

    In the browser the page's own Head keeps `document.head` in step. A test keeps
    an in-memory document's head in step with `Head(dom)` (a `lepta.testing.MemoryDOM`):

        dom = MemoryDOM()
        head = Head(dom)
        mount_to_body(lambda: [provide_context(head), App()][1], renderer=dom)
    """

    def __init__(self, dom: Any = None) -> None:
        self.entries: list[Entry] = []
        self.document: Any = None  # the DocumentSync it keeps in step, if any
        self._changed: Trigger | None = None
        if dom is not None:
            from ._document import DocumentSync
            from ._memory import MemoryDocument

            self._keep(DocumentSync(MemoryDocument(dom)))

    def _keep(self, document: Any) -> None:
        """Keep `document` (a DocumentSync) in step from now on: after each update that
        added or removed entries or changed their values, once.

        One effect does it, so a route left and the next one built in the same update
        make one change (a tag both ask for stays, and a script does not run again).
        It belongs to the owner current here: make the Head outside any owner (as the
        page's is, and a test's), or in one that outlives every meta component."""
        self.document = document
        self._changed = Trigger()
        Effect(self._apply)

    def _apply(self) -> None:
        assert self._changed is not None
        self._changed.track()
        self.document.apply(self.title(), self.tags(), self.attrs(HTML), self.attrs(BODY))

    # --- entries --------------------------------------------------------------------
    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if self._changed is not None:
            self._changed.notify()

    def remove(self, entry: Entry) -> None:
        if entry in self.entries:
            self.entries.remove(entry)
            if self._changed is not None:
                self._changed.notify()

    # --- what the entries make ------------------------------------------------------
    def title(self) -> str | None:
        """The page's title, or None when no live Title gives a text."""
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
        for i in range(len(formatters) - 1, -1, -1):  # the innermost first
            formatter = formatters[i]
            if isinstance(formatter, str):
                text = formatter.replace("%s", text)
            else:
                text = str(formatter(text))
        return text

    def tags(self) -> list[Tag]:
        """The tags for `<head>`, one per key, in the order their keys first came."""
        chosen: dict[str, Tag] = {}
        order: list[str] = []  # (MicroPython's dicts keep no order)
        for entry in self.entries:
            if entry.kind != TAG:
                continue
            attrs = []
            for name in entry.attrs:
                value = attribute_value(name, _read(entry.attrs[name]))
                if value is not None:
                    attrs.append((name, value))
            if entry.tag == "meta":
                if "content" in entry.attrs and not _has(attrs, "content"):
                    continue  # not known yet (data still loading): no tag
                attrs = _safe_refresh(attrs)
            text = _read(entry.text)
            tag = Tag(entry.tag, attrs, "" if text is None else str(text), entry.nonce)
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
                for name in entry.attrs:
                    value = attribute_value(name, _read(entry.attrs[name]))
                    if value is not None:  # None (or False) leaves the outer value
                        merged[name] = value
        return merged

    # --- the server's side (written by _render, which the browser does not ship) -----
    def tags_html(self, nonce: str | None = None) -> str:
        """Every tag for `<head>` but the title, deduplicated, each marked
        `data-lepta-meta` for the browser to adopt; scripts and inline styles carry
        `nonce` (the page's CSP nonce, None without CSP)."""
        from ._render import tags_html

        return tags_html(self, nonce)

    def html_attrs(self) -> str:
        """The attributes for `<html>`, as written in its start tag: ' lang="fr"'."""
        from ._render import attributes_html

        return attributes_html(self.attrs(HTML).items())

    def body_attrs(self) -> str:
        """The attributes for `<body>`, as written in its start tag."""
        from ._render import attributes_html

        return attributes_html(self.attrs(BODY).items())


def _key(tag: Tag) -> str:
    """What makes two tags the same one: the later replaces the earlier."""
    attrs = dict(tag.attrs)
    if tag.name == "meta":
        for name in META_KEYS:
            if name in attrs:
                if name == "charset":
                    return "meta charset"
                return "meta %s=%s" % (name, str(attrs[name]).lower())
    elif tag.name == "link":
        rel = str(attrs.get("rel", "")).lower()
        if rel == "canonical":
            return "link canonical"
        return "link %s %s" % (rel, attrs.get("href", ""))
    elif tag.name == "script" and "src" in attrs:
        return "script %s" % attrs["src"]
    return tag.signature


def _has(attrs: list[tuple[str, Any]], name: str) -> bool:
    for attr, _ in attrs:
        if attr == name:
            return True
    return False


def _safe_refresh(attrs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A `<meta http-equiv="refresh">` navigates to the URL in its content: one that
    would run script is refused as in a URL attribute (the content goes)."""
    refresh = False
    for name, value in attrs:
        if name == "http-equiv" and str(value).lower() == "refresh":
            refresh = True
    if not refresh:
        return attrs
    kept = []
    for name, value in attrs:
        if name == "content" and not hasattr(value, "__html__"):
            low = str(value).lower()
            at = low.find("url=")
            if at >= 0 and is_dangerous_url(str(value)[at + 4 :].strip("'\" ")):
                continue
        kept.append((name, value))
    return kept


def fingerprint(text: str) -> str:
    """A short hash of `text`, the same on every runtime (CRC-32)."""
    return "%08x" % (binascii.crc32(text.encode("utf-8")) & 0xFFFFFFFF)


def use_head() -> Head:
    """The page's Head: the one provided as context (by the server for each request,
    or by a test), else the browser page's. Outside both, a Head nobody reads."""
    head = use_context(Head)
    if head is not None:
        return head
    if _page_head is not None:
        return _page_head
    return Head()


def _browser_page_head() -> Head | None:
    """The browser page's Head, keeping `document.head` in step; None elsewhere.
    Made when this module is first imported, outside any owner (see Head._keep)."""
    from ._document import browser_document

    document = browser_document()
    if document is None:
        return None
    head = Head()
    head._keep(document)
    return head


_page_head = _browser_page_head()
