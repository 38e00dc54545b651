"""TodoMVC in Lepta: the standard markup and behaviour, kept in localStorage.

The server renders the empty app (it cannot see the browser's storage); after
hydration an effect loads the saved todos, and another saves them on every change.
The filter follows the URL's hash (#/, #/active, #/completed); clicking a filter
link also switches it directly, so the app works the same without a browser.
"""

import json

from lepta import (
    Effect,
    For,
    Memo,
    NodeRef,
    RwSignal,
    Show,
    batch,
    component,
    event_target_checked,
    event_target_value,
    signal,
)
from lepta.html import (
    a,
    button,
    div,
    footer,
    h1,
    header,
    input,
    label,
    li,
    p,
    section,
    span,
    strong,
    ul,
)

try:  # in the browser (MicroPython or Pyodide); on the server there is no `js`
    import js
except ImportError:
    js = None

STORAGE_KEY = "todos-lepta"
FILTERS = (  # name, link text, link
    ("all", "All", "#/"),
    ("active", "Active", "#/active"),
    ("completed", "Completed", "#/completed"),
)
SHOWN = {
    "all": lambda todo: True,
    "active": lambda todo: not todo.completed(),
    "completed": lambda todo: todo.completed(),
}


class Todo:
    """One todo: an id (its key in the list), and its title and state as signals, so
    toggling or renaming it re-renders its own row only."""

    __slots__ = ("completed", "id", "title")

    def __init__(self, id, title, completed=False):
        self.id = id
        self.title = RwSignal(title)
        self.completed = RwSignal(completed)


def filter_of(location_hash):
    """The filter a location hash names ("#/active" -> "active"); "all" otherwise."""
    name = location_hash[2:] if location_hash[:2] == "#/" else ""
    return name if name in SHOWN else "all"


def browser(name):
    """`js.<name>` (localStorage, location), or None where there is none: on the
    server, in tests, in Node, or when the page may not use storage."""
    try:
        return getattr(js, name)
    except Exception:  # AttributeError, or the browser's SecurityError
        return None


def focus(node):
    """Focus `node` if it can be (the in-memory DOM of tests has no focus())."""
    if node is not None and hasattr(node, "focus"):
        node.focus()


def js_callback(fn):
    """`fn` as a function JavaScript may keep: Pyodide frees plain proxies after the
    call that received them, MicroPython keeps them."""
    try:
        from pyodide.ffi import create_proxy
    except ImportError:
        return fn
    return create_proxy(fn)


@component
def TodoItem(todo: Todo, on_destroy):
    editing, set_editing = signal(False)
    field = NodeRef()

    def save(ev):
        if not editing.get_untracked():  # already saved by Enter, or cancelled by Escape
            return
        title = event_target_value(ev).strip()
        with batch():
            set_editing(False)
            if title:
                todo.title.set(title)
            else:
                on_destroy(todo.id)

    def key(ev):
        if ev.key == "Enter":
            save(ev)
        elif ev.key == "Escape":
            set_editing(False)  # the field is rebuilt from the title next time

    # Focus the field when it appears (a new one each time editing starts).
    Effect(lambda: focus(field()))

    return li(
        div(
            input(class_="toggle", type="checkbox", bind_checked=todo.completed),
            label(todo.title, on_dblclick=lambda ev: set_editing(True)),
            button(class_="destroy", on_click=lambda ev: on_destroy(todo.id)),
            class_="view",
        ),
        Show(
            input(
                class_="edit",
                prop_value=todo.title,
                node_ref=field,
                on_keydown=key,
                on_blur=save,
            ),
            when=editing,
        ),
        class_={"completed": todo.completed, "editing": editing},
    )


@component
def App():
    todos, set_todos = signal([])
    current, set_current = signal("all")
    draft = RwSignal("")
    next_id = [1]  # a cell the handlers below can advance

    def new_todo(title, completed=False):
        todo = Todo(next_id[0], title, completed)
        next_id[0] += 1
        return todo

    def add(ev):
        title = draft.get_untracked().strip()
        if ev.key == "Enter" and title:
            with batch():
                set_todos.update(lambda ts: ts + [new_todo(title)])
                draft.set("")

    def destroy(todo_id):
        set_todos.update(lambda ts: [t for t in ts if t.id != todo_id])

    def toggle_all(ev):
        done = event_target_checked(ev)
        with batch():
            for todo in todos.get_untracked():
                todo.completed.set(done)

    def show(name):
        if current.get_untracked() != name:
            set_current(name)

    visible = Memo(lambda: [t for t in todos() if SHOWN[current()](t)])
    left = Memo(lambda: len([t for t in todos() if not t.completed()]))
    any_completed = Memo(lambda: len(todos()) > left())

    def load():
        # After hydration, in the browser only: the saved todos and the URL's filter.
        storage = browser("localStorage")
        if storage is not None:
            try:
                saved = json.loads(storage.getItem(STORAGE_KEY) or "[]")
                set_todos([new_todo(str(t["title"]), bool(t["completed"])) for t in saved])
            except (ValueError, TypeError, KeyError):
                pass  # nothing usable saved: start empty
        location = browser("location")
        if location is not None:
            show(filter_of(location.hash))
            js.window.addEventListener(
                "hashchange", js_callback(lambda ev: show(filter_of(location.hash)))
            )

    def save():
        storage = browser("localStorage")
        if storage is None:
            return
        # Reads every title and state, so it runs again whenever one changes.
        saved = [{"title": t.title(), "completed": t.completed()} for t in todos()]
        storage.setItem(STORAGE_KEY, json.dumps(saved))

    Effect(load)  # created first, so it runs first: save() never stores [] over the data
    Effect(save)

    def filter_link(name, text, href):
        return li(
            a(
                text,
                href=href,
                class_={"selected": lambda: current() == name},
                on_click=lambda ev: show(name),  # the browser also changes the hash
            )
        )

    return (
        section(
            header(
                h1("todos"),
                input(
                    class_="new-todo",
                    placeholder="What needs to be done?",
                    autofocus=True,
                    bind_value=draft,
                    on_keydown=add,
                ),
                class_="header",
            ),
            Show(
                section(
                    input(
                        id="toggle-all",
                        class_="toggle-all",
                        type="checkbox",
                        prop_checked=lambda: left() == 0,
                        on_change=toggle_all,
                    ),
                    label("Mark all as complete", for_="toggle-all"),
                    ul(
                        For(
                            each=visible,
                            key=lambda t: t.id,
                            children=lambda t: TodoItem(todo=t, on_destroy=destroy),
                        ),
                        class_="todo-list",
                    ),
                    class_="main",
                ),
                footer(
                    span(
                        strong(left),
                        lambda: " item left" if left() == 1 else " items left",
                        class_="todo-count",
                    ),
                    ul([filter_link(*f) for f in FILTERS], class_="filters"),
                    Show(
                        button(
                            "Clear completed",
                            class_="clear-completed",
                            on_click=lambda ev: set_todos(
                                [t for t in todos.get_untracked() if not t.completed()]
                            ),
                        ),
                        when=any_completed,
                    ),
                    class_="footer",
                ),
                when=lambda: len(todos()) > 0,
            ),
            class_="todoapp",
        ),
        footer(p("Double-click to edit a todo"), class_="info"),
    )
