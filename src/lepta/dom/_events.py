"""Event handlers: delegated for bubbling events, attached directly for the others.

For a bubbling event (click, input, keydown, ...) the handler is stored on its element
and one listener per event type on the document walks up from the event's target,
calling the handlers it meets, skipping disabled elements, and stopping when a handler
stopped propagation. So a list of 1,000 rows with a click handler each costs one
listener. Events that do not bubble (focus, blur, mouseenter, load, ...) are attached
to their element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ._protocol import Renderer

DELEGATED = set(
    "click dblclick auxclick contextmenu input change submit reset keydown keyup keypress "
    "mousedown mouseup mousemove mouseover mouseout pointerdown pointerup pointermove "
    "pointerover pointerout pointercancel touchstart touchend touchmove touchcancel "
    "focusin focusout beforeinput compositionstart compositionupdate compositionend "
    "dragstart drag dragend dragenter dragleave dragover drop wheel copy cut paste".split()
)

_KEY = "__lepta_on_"  # the property holding an element's handler for one event type


def listen(r: Renderer, node: Any, event: str, handler: Callable[[Any], Any]) -> None:
    """Call `handler(event)` for `event` on `node`."""
    if event not in DELEGATED:
        r.add_listener(node, event, handler)
        return
    delegate = getattr(r, "delegate", None)
    if delegate is not None:  # the renderer delegates itself (the browser's does)
        delegate(node, event, handler)
        return
    r.set_property(node, _KEY + event, both(r.get_property(node, _KEY + event), handler))
    types = getattr(r, "lepta_delegated", None)  # event types the document listens to
    if types is None:
        types = set()
        r.lepta_delegated = types  # type: ignore[attr-defined]  # (one set per renderer)
    if event not in types:
        types.add(event)
        r.add_listener(r.document, event, _dispatcher(r, event))


def both(first: Any, then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`then`, or a handler calling `first` and then `then` when the element already has
    one for the event (a binding and an `on_` handler: `bind_checked` + `on_change`)."""
    if first is None or first is then:
        return then

    def handler(ev: Any) -> None:
        first(ev)
        if not _stopped_immediately(ev):
            then(ev)

    return handler


def _stopped_immediately(ev: Any) -> bool:
    return bool(getattr(ev, "immediate_propagation_stopped", False))


def _dispatcher(r: Renderer, event: str) -> Callable[[Any], None]:
    key = _KEY + event

    def dispatch(ev: Any) -> None:
        node = ev.target
        while node is not None:
            if r.node_kind(node) == 1:
                handler = r.get_property(node, key)
                if handler is not None and not r.get_property(node, "disabled"):
                    handler(ev)
                    if _stopped(ev):
                        return
            node = r.parent_of(node)

    return dispatch


def _stopped(ev: Any) -> bool:
    return bool(getattr(ev, "propagation_stopped", False) or getattr(ev, "cancelBubble", False))


def event_target_value(ev: Any) -> Any:
    """The `value` of the element an event happened on (an input's text, ...).

        input(on_input=lambda ev: set_name(event_target_value(ev)))
    """
    return ev.target.value


def event_target_checked(ev: Any) -> bool:
    """Whether the checkbox or radio an event happened on is checked.

        input(type="checkbox", on_change=lambda ev: set_done(event_target_checked(ev)))
    """
    return bool(ev.target.checked)
