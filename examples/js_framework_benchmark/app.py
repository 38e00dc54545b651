"""The app of the js-framework-benchmark (krausest), keyed, in Lepta.

The benchmark drives this page through the button ids and the row markup below, so
both follow the original. What it measures is how little each operation touches:
- every row's label is a signal of its own, so "Update every 10th row" rewrites
  100 text nodes out of 1,000 and nothing else;
- selection goes through a `Selector`, so selecting another row re-renders the old
  and the new row only, not every row asking "am I selected?";
- the keyed `For` moves 2 rows for "Swap Rows", appends without touching existing
  rows, and clears the table in one operation.
"""

from lepta import Selector, batch, component, signal
from lepta.html import a, button, div, h1, span, table, tbody, td, tr
from lepta.view import For

ADJECTIVES = (
    "pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain",
    "quaint", "clean", "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd",
    "unsightly", "adorable", "important", "inexpensive", "cheap", "expensive", "fancy",
)  # fmt: skip
COLOURS = (
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white",
    "black", "orange",
)  # fmt: skip
NOUNS = (
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich",
    "burger", "pizza", "mouse", "keyboard",
)  # fmt: skip


class Random:
    """A linear congruential generator of our own, instead of `random`: the same
    labels on CPython, MicroPython and Pyodide, for the same seed. It is the small
    one the hand-written pages of bench/browser use (modulo the prime 65537): its
    numbers stay within MicroPython's small integers, which cost no allocation."""

    __slots__ = ("state",)

    def __init__(self, seed):
        self.state = seed

    def choice(self, words):
        """One of `words`."""
        self.state = (self.state * 75 + 74) % 65537
        return words[self.state % len(words)]


class Row:
    """One row: its id (the key) and its label as a signal."""

    __slots__ = ("id", "label", "set_label")

    def __init__(self, id, label):
        self.id = id
        self.label, self.set_label = signal(label)


def action(id, text, on_click):
    """One of the benchmark's buttons, in the original's grid."""
    return div(
        button(text, type="button", class_="btn btn-primary btn-block", id=id, on_click=on_click),
        class_="col-sm-6 smallpad",
    )


@component
def App(seed: int = 1):
    rows, set_rows = signal([])
    selected, set_selected = signal(None)
    is_selected = Selector(selected)
    random = Random(seed)  # one per page, so the first labels are always the same
    next_id = [1]  # ids keep increasing across creates, as in the original

    def build(count):
        start = next_id[0]
        next_id[0] = start + count
        return [Row(i, label()) for i in range(start, start + count)]

    def label():
        pick = random.choice
        return "%s %s %s" % (pick(ADJECTIVES), pick(COLOURS), pick(NOUNS))

    def run(ev):
        set_rows(build(1000))

    def run_lots(ev):
        set_rows(build(10000))

    def add(ev):
        new = build(1000)
        set_rows.update(lambda old: old + new)

    def update(ev):
        with batch():  # every label written first, then the effects run once
            for row in rows.get_untracked()[::10]:
                row.set_label.update(lambda label: label + " !!!")

    def clear(ev):
        with batch():
            set_rows([])
            set_selected(None)

    def swap_rows(ev):
        old = rows.get_untracked()
        if len(old) > 998:
            new = old[:]  # (a slice copies in one go; list() steps through the items)
            new[1], new[998] = old[998], old[1]
            set_rows(new)

    def remove(row):
        new = rows.get_untracked()[:]
        new.remove(row)
        set_rows(new)

    def row_view(row):
        row_id = row.id
        return tr(
            td(row_id, class_="col-md-1"),
            td(
                a(row.label, class_="lbl", on_click=lambda ev: set_selected(row_id)),
                class_="col-md-4",
            ),
            td(
                a(
                    span(class_="remove glyphicon glyphicon-remove", aria_hidden="true"),
                    class_="remove",
                    on_click=lambda ev: remove(row),
                ),
                class_="col-md-1",
            ),
            td(class_="col-md-6"),
            class_={"danger": lambda: is_selected.selected(row_id)},
        )

    return div(
        div(
            div(
                div(h1("Lepta (keyed)"), class_="col-md-6"),
                div(
                    div(
                        action("run", "Create 1,000 rows", run),
                        action("runlots", "Create 10,000 rows", run_lots),
                        action("add", "Append 1,000 rows", add),
                        action("update", "Update every 10th row", update),
                        action("clear", "Clear", clear),
                        action("swaprows", "Swap Rows", swap_rows),
                        class_="row",
                    ),
                    class_="col-md-6",
                ),
                class_="row",
            ),
            class_="jumbotron",
        ),
        table(
            tbody(For(each=rows, key=lambda row: row.id, children=row_view), id="tbody"),
            class_="table table-hover table-striped test-data",
        ),
        span(class_="preloadicon glyphicon glyphicon-remove", aria_hidden="true"),
        class_="container",
    )
