"""How keyword arguments become HTML attribute names.

`class_` / `for_` lose their trailing underscore (they are Python keywords); other
underscores become hyphens (`aria_label` -> `aria-label`, `data_id` -> `data-id`).
A few namespaced SVG/XML attributes keep their colon (`xlink_href` -> `xlink:href`).
Names that are not identifiers are passed in a dict: `div({"x-on:click": "go"})`.
"""

from __future__ import annotations

_NAMESPACED = {
    "xlink_href": "xlink:href",
    "xlink_title": "xlink:title",
    "xml_lang": "xml:lang",
    "xml_space": "xml:space",
    "xmlns_xlink": "xmlns:xlink",
}

# Keyword -> name, for speed. Dict keys may come from data (one per distinct key), so
# the cache is emptied when full rather than left to grow with them.
_names: dict[str, str] = {}
NAMES_CACHED = 2000

# Keywords that are not plain attributes: handled by the renderers.
SPECIAL_PREFIXES = ("on_", "prop_")
SPECIAL_NAMES = ("node_ref", "inner_html", "bind_value", "bind_checked")


def attribute_name(keyword: str) -> str:
    """The HTML attribute name for a builder keyword argument (or dict key)."""
    name = _names.get(keyword)
    if name is None:
        name = _NAMESPACED.get(keyword)
        if name is None:
            name = keyword[:-1] if keyword.endswith("_") else keyword
            name = name.replace("_", "-")
        _check(name)
        if len(_names) >= NAMES_CACHED:
            _names.clear()
        _names[keyword] = name
    return name


def _check(name: str) -> None:
    """Names from a dict may be anything: refuse those that would break the tag."""
    if not name:
        raise ValueError("an attribute name cannot be empty")
    for ch in name:
        if ch in " \"'>/=<" or ch < " ":
            raise ValueError(
                "%r is not a valid attribute name: it contains %r. Attribute names may "
                "not contain spaces, quotes, '>', '/', '=', '<' or control characters."
                % (name, ch)
            )


def is_special(keyword: str) -> bool:
    """Whether a keyword is an event, property, binding, node_ref or inner_html."""
    return keyword in SPECIAL_NAMES or keyword.startswith(SPECIAL_PREFIXES)
