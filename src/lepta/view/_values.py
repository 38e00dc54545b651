"""What an attribute, a class, a style or a raw-text child holds for a value: one rule
for the server renderer, the compiler's generated code and the DOM renderer (and the
head), so that the server's HTML and the browser's DOM always agree.
"""

from __future__ import annotations

from typing import Any

from ..reactive._errors import lepta_error_and
from ._component import InvalidChildError
from ._escape import is_script_sink, is_url_attribute, safe_url


class UnsafeValueError(lepta_error_and(ValueError)):  # type: ignore[misc]
    """A value the browser would run as script or read as HTML was not marked safe
    (an event handler attribute, srcdoc, noscript text), or a style key is not a
    CSS property name."""


def attribute_value(name: str, value: Any) -> Any:
    """What attribute `name` holds for `value` (already read), on both sides: None
    (absent), True (present, empty), an object marked safe, or the text (a URL checked).

    Event handler attributes (`onclick`...) and `srcdoc` run their text as script or
    as a page of the app's own origin: they take only a value marked safe (`__html__`)
    and raise UnsafeValueError for anything else (None and False write nothing).
    """
    if name == "class":
        value = class_value(value)
    elif name == "style":
        value = style_value(value)
    if value is None or value is False:
        return None
    if hasattr(value, "__html__"):
        return value
    if is_script_sink(name):
        raise _unsafe(name, value)
    if value is True:
        return value
    t = type(value)
    if t is int or t is float:
        return str(value)
    text = value if t is str else str(value)
    return safe_url(text) if is_url_attribute(name) else text


def _unsafe(name: str, value: Any) -> UnsafeValueError:
    if name.lower() == "srcdoc":
        return UnsafeValueError(
            "srcdoc was given %s: its text is a whole page that runs in the app's own "
            "origin, so Lepta writes only HTML marked safe there. Pass "
            "markupsafe.Markup(html) of HTML you trust, or use src= with a URL."
            % type(value).__name__
        )
    return UnsafeValueError(
        "%s was given %s: a browser runs an event handler attribute's text as script, "
        "so Lepta does not write one. Pass a function instead: on_%s=handler. For inline "
        "script you trust (<link rel=preload onload=...>), pass markupsafe.Markup(code)."
        % (name, type(value).__name__, name[2:].lower())
    )


def _value(v: Any) -> Any:
    return v() if callable(v) and not hasattr(v, "__html__") else v


def text_of(child: Any, noscript: bool = False) -> str:
    """The text of a child of a raw-text element (<script>, <style>, <xmp>...).

    <noscript> is raw text with scripting on (what hydration sees) but HTML to a
    browser without it, the only one that shows it: text holding `<` or `&` would
    read differently there, and could make markup (a <meta> refresh). The server
    refuses such text there; HTML you trust comes marked safe.
    """
    child = _value(child)
    if child is None or child is False or child is True:
        return ""
    if isinstance(child, (list, tuple)):
        return "".join(text_of(c, noscript) for c in child)
    if hasattr(child, "__html__"):
        return str(child.__html__())
    if isinstance(child, (str, int, float)):
        text = str(child)
        if noscript and ("<" in text or "&" in text):
            raise UnsafeValueError(
                "<noscript> was given the text %r: a browser without scripting reads "
                "its content as HTML, so '<' and '&' would not show as written. Pass "
                "markupsafe.Markup(html) of HTML you trust, or text without them."
                % text[:60]
            )
        return text
    raise InvalidChildError(
        "<script>, <style>, <noscript> and the other raw-text elements can only contain "
        "text (or HTML marked safe), not %r" % (child,)
    )


def class_value(value: Any) -> Any:
    """`class_` as a str, a list of names, or a dict of name -> bool-or-callable."""
    if isinstance(value, dict):
        names = [name for name, on in value.items() if _value(on)]
        return " ".join(names) if names else None
    if isinstance(value, (list, tuple)):
        names = [str(n) for n in (_value(x) for x in value) if n]
        return " ".join(names) if names else None
    return value


def style_value(value: Any) -> Any:
    """`style` as a str, or a dict of property -> value-or-callable (None drops it)."""
    if isinstance(value, dict):
        parts = []
        for prop, v in value.items():
            v = _value(v)
            if v is not None and v is not False:
                parts.append("%s: %s;" % (style_property(prop), v))
        return " ".join(parts) if parts else None
    return value


_CSS_NAME = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def style_property(prop: Any) -> str:
    """`prop` if it is a CSS property name: `color`, `-webkit-transition`, or a custom
    property `--main-color`. A key is written before the `:`, so anything else (`;`,
    `:`, braces, quotes...) could add declarations of its own: refused."""
    if not isinstance(prop, str):
        ok = False
    elif prop[:2] == "--":
        ok = len(prop) > 2 and all(ch in _CSS_NAME or ch == "_" for ch in prop)
    else:
        name = prop[1:] if prop[:1] == "-" else prop
        ok = name[:1] in _LETTERS and all(ch in _CSS_NAME for ch in name)
    if not ok:
        raise UnsafeValueError(
            "%r is not a CSS property name: the keys of style= are names such as "
            "'color', 'font-size', '-webkit-transition' or '--main-color' (letters, "
            "digits and hyphens); everything else belongs in the value." % (prop,)
        )
    return str(prop)
