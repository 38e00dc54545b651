"""The view tree: what builders and components return, and what renderers consume.

A view is any of:
- a str / int / float (text), None / True / False (nothing);
- an `Element` (from a builder such as `lepta.html.div`);
- a list, tuple or generator of views (a fragment);
- an object with `__html__` (e.g. markupsafe.Markup): raw HTML, not escaped;
- a callable (a signal, memo or lambda): dynamic, re-read by the DOM renderer;
- a `ComponentCall` (what calling a `@component` returns).
Nodes are immutable after creation and cheap: no work happens until a renderer
walks them.
"""

from __future__ import annotations

from typing import Any


class Element:
    """One element: its tag, keyword attributes as given, and children as given.

    `namespace` is "" for HTML, "svg" or "math" for foreign elements (whose tag case
    is kept).
    """

    __slots__ = ("attrs", "children", "namespace", "tag")

    def __init__(
        self, tag: str, attrs: dict[str, Any], children: tuple[Any, ...], namespace: str = ""
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children = children
        self.namespace = namespace

    def __repr__(self) -> str:
        return "<%s element, %d children>" % (self.tag, len(self.children))


class Builder:
    """An element factory: `div(*children, **attributes)`.

    A leading dict argument supplies attributes whose names are not identifiers:
    `div({"x-on:click": "open = true"}, "text")`.
    """

    __slots__ = ("__name__", "namespace", "tag", "void")

    def __init__(self, tag: str, namespace: str = "", void: bool = False) -> None:
        self.tag = tag
        self.namespace = namespace
        self.void = void
        self.__name__ = tag

    def __call__(self, *children: Any, **attrs: Any) -> Element:
        if children and type(children[0]) is dict:
            merged = dict(children[0])
            merged.update(attrs)
            attrs = merged
            children = children[1:]
        return Element(self.tag, attrs, children, self.namespace)

    def __repr__(self) -> str:
        return "<builder %s>" % self.tag


def el(tag: str, *children: Any, **attrs: Any) -> Element:
    """An element with any tag name, for custom elements: `el("my-widget", "hi")`."""
    tag = check_tag(tag)
    lower = tag.lower()
    if lower in RAW_TEXT_ELEMENTS or lower in VOID_ELEMENTS:
        tag = lower  # the parser reads HTML tag names in any case: so do the renderers
    return Builder(tag)(*children, **attrs)


_TAG_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


def check_tag(tag: str) -> str:
    """`tag` if it is a valid element name (a letter, then letters, digits, - _ . :)."""
    ok = bool(tag) and tag[0].isalpha() and all(ch in _TAG_CHARS for ch in tag)
    if not ok:
        raise ValueError(
            "%r is not a valid element name: it must start with a letter and contain "
            "only letters, digits, '-', '_', '.' or ':' (custom elements: 'my-widget')." % tag
        )
    if tag.lower() == "plaintext":
        raise ValueError(
            "<plaintext> cannot be rendered: nothing can close it, so the parser takes "
            "the rest of the page as its text. Use <pre> for preformatted text."
        )
    return tag


VOID_ELEMENTS = set("area base br col embed hr img input link meta source track wbr".split())
# Elements whose text the HTML parser reads as raw text, up to their end tag: nothing
# decoded, no child elements. noscript is one when scripting is on, as on every page
# Lepta hydrates; the in-memory DOM's parser reads the same set (dom/_memory_parse).
RAW_TEXT_ELEMENTS = set(["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"])
