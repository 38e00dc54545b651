"""The counter of Lepta's design: the smallest app with server rendering and hydration.

The server renders `Value: 0!`; in the browser the page is hydrated, and each click
changes exactly one text node (the number), nothing else.
"""

from lepta import component, signal
from lepta.html import button, div, span


@component
def Counter(initial: int = 0, step: int = 1):
    # The component runs once: `value` is read only by the span's middle text, so
    # that text node is the only thing a click updates.
    value, set_value = signal(initial)
    return div(
        button("Clear", on_click=lambda ev: set_value(0)),
        button("-%d" % step, on_click=lambda ev: set_value.update(lambda v: v - step)),
        span("Value: ", value, "!"),
        button("+%d" % step, on_click=lambda ev: set_value.update(lambda v: v + step)),
    )


@component
def App():
    """The page: one counter from 0, in steps of 1."""
    return Counter()
