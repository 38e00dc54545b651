"""Todos kept in a database, added and removed through server functions; the same
page works with JavaScript (no page loads) and without it (forms post)."""

from todos import add_todo, delete_todo, list_todos

from lepta import (
    ActionForm,
    Effect,
    For,
    MultiActionForm,
    Resource,
    RwSignal,
    ServerAction,
    ServerMultiAction,
    Transition,
    component,
)
from lepta.html import button, div, h1, input, li, main, p, span, ul


@component
def App():
    add = ServerAction(add_todo)
    remove = ServerMultiAction(delete_todo)
    # Read again after every completed add or remove.
    todos = Resource(lambda: (add.version(), remove.version()), lambda _: list_todos())
    title = RwSignal(add.form_value("title"))

    def clear_after_adding():
        if add.version() and add.error() is None:
            title.set("")

    Effect(clear_after_adding)

    def error_text():
        error = add.error()
        return "" if error is None else str(error)

    def row(todo):
        return li(
            span(todo["title"], class_="title"),
            MultiActionForm(
                remove,
                input(type="hidden", name="id", value=str(todo["id"])),
                button("Remove", type="submit"),
            ),
        )

    return main(
        h1("Todos"),
        ActionForm(
            add,
            input(name="title", placeholder="What needs doing?", bind_value=title),
            button("Add", type="submit"),
            id="add",
        ),
        p(error_text, class_="error", id="error"),
        Transition(
            fallback=p("Loading..."),
            children=div(
                ul(For(each=lambda: todos() or [], key=lambda t: t["id"], children=row), id="todos")
            ),
        ),
    )
