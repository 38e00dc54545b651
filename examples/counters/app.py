"""Leptos' "counters" example in Lepta: a list of counters with live totals.

Each counter is a signal of its own, so clicking one row's "+1" re-renders that
row's input and span and the two totals, and no other row. The list itself is a
signal of counters, rendered by a keyed `For`: adding or removing counters inserts
or removes their rows and leaves the others alone.
"""

from lepta import Memo, component, event_target_value, expect_context, provide_context, signal
from lepta.html import button, div, input, li, p, span, ul
from lepta.view import For

MANY = 1000


class Counter:
    """One counter: a stable id (its key in the list) and its value as a signal."""

    __slots__ = ("id", "set_value", "value")

    def __init__(self, id):
        self.id = id
        self.value, self.set_value = signal(0)


class CounterList:
    """What the rows need from the app (given as context, as in Leptos' example)."""

    __slots__ = ("remove",)

    def __init__(self, remove):
        self.remove = remove


@component
def CounterRow(counter: Counter):
    value, set_value = counter.value, counter.set_value
    counters = expect_context(CounterList)

    def typed(ev):
        # Keep the value while the text is not a number ("", "-" on the way to "-5").
        try:
            set_value(int(event_target_value(ev).strip()))
        except ValueError:
            pass

    return li(
        button("-1", on_click=lambda ev: set_value.update(lambda v: v - 1)),
        # A property, not an attribute: the attribute stops showing once the user typed.
        input(type="text", prop_value=value, on_input=typed),
        span(value),
        button("+1", on_click=lambda ev: set_value.update(lambda v: v + 1)),
        button("x", on_click=lambda ev: counters.remove(counter.id)),
    )


@component
def App():
    counters, set_counters = signal([])
    next_id = [1]  # a cell the handlers below can advance

    def add(count):
        start = next_id[0]
        next_id[0] = start + count
        new = [Counter(i) for i in range(start, start + count)]
        set_counters.update(lambda cs: cs + new)

    def remove(counter_id):
        set_counters.update(lambda cs: [c for c in cs if c.id != counter_id])

    provide_context(CounterList(remove))
    # A memo: the total is summed once per change, however many places show it.
    total = Memo(lambda: sum(c.value() for c in counters()))

    return div(
        button("Add Counter", on_click=lambda ev: add(1)),
        button("Add %d Counters" % MANY, on_click=lambda ev: add(MANY)),
        button("Clear Counters", on_click=lambda ev: set_counters([])),
        p(
            "Total: ",
            span(total, id="total"),
            " from ",
            span(lambda: len(counters()), id="counters"),
            " counters.",
        ),
        ul(For(each=counters, key=lambda c: c.id, children=lambda c: CounterRow(counter=c))),
    )
