"""Attributes, classes, styles, properties, events, bindings and refs on live elements.

A plain value is set once (hydrating: it is already there). A callable becomes a
render effect that writes only its own attribute, class or style property. Events go
to the delegation of `_events`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..reactive import RenderEffect
from ..view._attrs import attribute_name, is_special
from ..view._escape import as_parsed, is_script_sink, is_url_attribute, safe_url
from ..view._values import attribute_value, style_property
from . import _events

if TYPE_CHECKING:
    from ._protocol import Renderer


def bind_attributes(b: Any, node: Any, e: Any) -> bool:
    """Bind every attribute of element `e` to `node`; True if `inner_html` fills it."""
    inner = False
    for key, value in e.attrs.items():
        if bind_attribute(b, node, e.tag, key, value):
            inner = True
    return inner


def bind_attribute(b: Any, node: Any, tag: str, key: str, value: Any) -> bool:
    """Bind one attribute (keyword `key`) of a `tag` element; True if it is `inner_html`."""
    r = b.r
    if type(value) is str and not b.hydrating and not is_special(key):
        static_attribute(r, node, key, value)
    elif key[:3] == "on_":
        _events.listen(r, node, key[3:], value)
    elif key[:5] == "prop_":
        _bind(b, _property_writer(r, node, key[5:]), value)
    elif key == "bind_value":
        _bind_value(b, node, tag, value)
    elif key == "bind_checked":
        _bind_checked(b, node, value)
    elif key == "node_ref":
        value.load(node) if hasattr(value, "load") else value(node)
    elif key == "inner_html":
        if not b.hydrating or callable(value):
            _bind(b, lambda v: r.set_inner_html(node, "" if v is None else str(v)), value)
        return True
    else:
        name = attribute_name(key)
        if name == "class" and (isinstance(value, (dict, list, tuple))):
            bind_classes(b, node, value)
        elif name == "style" and isinstance(value, dict):
            _bind_styles(b, node, value)
        else:
            if b.hydrating and is_script_sink(name) and not callable(value):
                attribute_value(name, value)  # refused as when rendering: raises
            _bind(b, _attribute_writer(r, node, name), value)
    return False


def static_attribute(r: Renderer, node: Any, key: str, value: Any) -> None:
    """Set an attribute whose value is not callable (and `key` not special), once."""
    name = attribute_name(key)
    if type(value) is str:  # plain text: the common case, made cheap
        if is_script_sink(name):
            attribute_value(name, value)  # raises: text is refused there
        value = safe_url(value) if is_url_attribute(name) else value
        r.set_attribute(node, name, as_parsed(value))
    else:
        _set_attribute(r, node, name, value)


def _property_writer(r: Renderer, node: Any, name: str) -> Callable[[Any], None]:
    url = is_url_attribute(name)
    sink = is_script_sink(name)  # prop_srcdoc, or an on* property given text

    def write(v: Any) -> None:
        if url and isinstance(v, str):
            v = safe_url(v)
        elif sink and isinstance(v, str):
            v = attribute_value(name, v).__html__()  # raises unless marked safe
        r.set_property(node, name, v)

    return write


def _attribute_writer(r: Renderer, node: Any, name: str) -> Callable[[Any], None]:
    def write(v: Any) -> None:
        _set_attribute(r, node, name, v)

    return write


def _bind(b: Any, write: Callable[[Any], None], value: Any) -> None:
    """Write `value` now (or bind it, if callable); hydrating, the first write is skipped."""
    if callable(value) and not hasattr(value, "__html__"):
        first = [b.hydrating]

        def run() -> None:
            v = value()
            if first and first.pop():
                return  # the server rendered this value already
            write(v)

        RenderEffect(run)
    elif not b.hydrating:
        write(value)


def _set_attribute(r: Renderer, node: Any, name: str, value: Any) -> None:
    value = attribute_value(name, value)  # the same rules as on the server
    if value is None:
        r.remove_attribute(node, name)
    elif value is True:
        r.set_attribute(node, name, "")
    else:
        text = value.__html__() if hasattr(value, "__html__") else value
        # NUL as the server writes it (U+FFFD), so both sides give the same attribute
        r.set_attribute(node, name, as_parsed(text))


def bind_classes(b: Any, node: Any, value: Any) -> None:
    """`class_` as a list or dict: static names set once, callables toggled one by one."""
    r = b.r
    static = []
    dynamic = []
    pairs = value.items() if isinstance(value, dict) else [(None, x) for x in value]
    for name, on in pairs:  # a plain loop: cheaper than comprehensions on MicroPython
        if callable(on):
            dynamic.append((name, on))
        elif on:
            static.append(str(on) if name is None else name)
    if static and not b.hydrating:
        r.set_attribute(node, "class", " ".join(static))
    for name, on in dynamic:
        if name is None:  # a callable giving a class name: swap it when it changes
            _bind_class_name(b, node, on)
        else:
            ClassToggle(r, node, name, on, b.hydrating)


class ClassToggle(RenderEffect):
    """A class name on an element while `fn()` is true: the render effect itself (one
    object per toggle: lists make one per row)."""

    __slots__ = ("fn", "name", "node", "on", "r")

    def __init__(self, r: Renderer, node: Any, name: str, fn: Any, hydrating: bool) -> None:
        self.r = r
        self.node = node
        self.name = name
        self.fn = fn
        # What the element has now: a new one has no such class; the server's has it
        # as the first value says (None: not known before the first run).
        self.on: bool | None = None if hydrating else False
        RenderEffect.__init__(self, None)  # (it runs `_fn`, below)

    def run(self) -> None:
        on = bool(self.fn())
        if self.on is None:
            self.on = on
        elif on != self.on:
            self.on = on
            self.r.toggle_class(self.node, self.name, on)

    _fn = run


def _bind_class_name(b: Any, node: Any, fn: Callable[[], Any]) -> None:
    r = b.r
    current: list[Any] = [None]
    first = [b.hydrating]

    def run() -> None:
        name = fn()
        if first and first.pop():
            current[0] = name
            return
        if current[0] == name:
            return
        if current[0]:
            r.toggle_class(node, str(current[0]), False)
        if name:
            r.toggle_class(node, str(name), True)
        current[0] = name

    RenderEffect(run)


def _bind_styles(b: Any, node: Any, value: dict[str, Any]) -> None:
    for prop, v in value.items():
        _bind(b, _style_writer(b.r, node, prop), v)


def _style_writer(r: Renderer, node: Any, prop: str) -> Callable[[Any], None]:
    style_property(prop)  # raises, as on the server, for a key that is not a property name

    def write(v: Any) -> None:
        r.set_style(node, prop, None if v is None or v is False else str(v))

    return write


def _bind_value(b: Any, node: Any, tag: str, signal: Any) -> None:
    """Two-way: the signal sets the `value` property; input (or change) sets the signal."""
    r = b.r

    def write() -> None:  # also when hydrating: the server cannot select an option
        v = signal.get()
        r.set_property(node, "value", "" if v is None else v)

    RenderEffect(write)
    event = "change" if tag == "select" else "input"
    _events.listen(r, node, event, lambda ev: signal.set(r.get_property(node, "value")))


def _bind_checked(b: Any, node: Any, signal: Any) -> None:
    """Two-way: the signal sets the `checked` property; change sets the signal."""
    r = b.r
    _bind(b, lambda v: r.set_property(node, "checked", bool(v)), signal.get)
    _events.listen(r, node, "change", lambda ev: signal.set(bool(r.get_property(node, "checked"))))
