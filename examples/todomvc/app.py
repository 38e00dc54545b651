"""TodoMVC in Lepta: the standard markup and behaviour, kept in localStorage.

The todos live in a `Store`, as a list keyed by id; each row binds the fields of its
own todo, so toggling or renaming one re-renders that row and the counts, nothing
else. `use_local_storage` keeps them in the browser: the server renders the empty
app (it cannot see the browser's storage), the saved todos arrive after hydration,
every change is saved, and a change made in another tab shows here too. The filter
follows the URL's hash (#/, #/active, #/completed); clicking a filter link also
switches it directly, so the app works the same without a browser.
"""

from lepta import (
    Effect,
    For,
    Memo,
    NodeRef,
    RwSignal,
    Show,
    Store,
    batch,
    component,
    event_target_checked,
    event_target_value,
    signal,
)
from lepta.browser import use_local_storage, use_location_hash
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

STORAGE_KEY = "todos-lepta"
FILTERS = (  # name, link text, link
    ("all", "All", "#/"),
    ("active", "Active", "#/active"),
    ("completed", "Completed", "#/completed"),
)
SHOWN = {  # the todos (store fields) each filter shows
    "all": lambda todo: True,
    "active": lambda todo: not todo.completed(),
    "completed": lambda todo: todo.completed(),
}


def filter_of(location_hash):
    """The filter a location hash names ("#/active" -> "active"); "all" otherwise."""
    name = location_hash[2:] if location_hash[:2] == "#/" else ""
    return name if name in SHOWN else "all"


def saved_form(todos):
    """The todos as saved: title and state (ids belong to the page, not the data)."""
    return [{"title": todo["title"], "completed": todo["completed"]} for todo in todos]


def todos_from(saved, current, new_id):
    """The store's todos for `saved` (what saved_form gave, here or in another tab).
    Each takes the id of the todo at its position in `current`, so the rows whose
    todo did not change stay as they are; an item that is not a todo is skipped."""
    todos = []
    for item in saved if isinstance(saved, list) else []:
        try:
            title = str(item["title"])
            completed = bool(item["completed"])
        except (TypeError, KeyError):
            continue
        n = len(todos)
        todo_id = current[n]["id"] if n < len(current) else new_id()
        todos.append({"id": todo_id, "title": title, "completed": completed})
    return todos


def focus(node):
    """Focus `node` if it can be (the in-memory DOM of tests has no focus())."""
    if node is not None and hasattr(node, "focus"):
        node.focus()


@component
def TodoItem(todo, on_destroy):
    """One row: `todo` is the todo's field in the store."""
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
                on_destroy(todo.id.get_untracked())

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
            button(class_="destroy", on_click=lambda ev: on_destroy(todo.id.get_untracked())),
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
    store = Store({"todos": [], "filter": "all"}, keys={"todos": lambda todo: todo["id"]})
    saved, save = use_local_storage(STORAGE_KEY, [])
    location_hash = use_location_hash()
    draft = RwSignal("")
    last_id = 0

    def new_id():
        nonlocal last_id
        last_id += 1
        return last_id

    def add(ev):
        title = draft.get_untracked().strip()
        if ev.key == "Enter" and title:
            with batch():
                store.todos.append({"id": new_id(), "title": title, "completed": False})
                draft.set("")

    def destroy(todo_id):
        store.todos.update(lambda todos: [t for t in todos if t["id"] != todo_id])

    def toggle_all(ev):
        done = event_target_checked(ev)
        with batch():
            for todo in store.todos():
                todo.completed.set(done)

    def clear_completed(ev):
        store.todos.update(lambda todos: [t for t in todos if not t["completed"]])

    def show(name):
        store.filter.set(name)  # an equal value notifies nothing

    visible = Memo(lambda: [t for t in store.todos() if SHOWN[store.filter()](t)])
    left = Memo(lambda: sum(1 for t in store.todos() if not t.completed()))
    any_completed = Memo(lambda: len(store.todos()) > left())

    # The saved todos into the store: after hydration, and when another tab saves.
    # Equal data notifies nothing, so the store's own saves come back as no change.
    Effect(lambda: store.todos.patch(todos_from(saved(), store.todos.get_untracked(), new_id)))

    def persist():
        todos = saved_form(store.todos.get())  # every title and state: a dependency
        if todos != saved.get_untracked():
            save(todos)

    Effect(persist)
    Effect(lambda: show(filter_of(location_hash())))

    def filter_link(name, text, href):
        return li(
            a(
                text,
                href=href,
                class_={"selected": lambda: store.filter() == name},
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
                            key=lambda todo: todo,  # one field per todo: a good key
                            children=lambda todo: TodoItem(todo=todo, on_destroy=destroy),
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
                            on_click=clear_completed,
                        ),
                        when=any_completed,
                    ),
                    class_="footer",
                ),
                when=lambda: len(store.todos()) > 0,
            ),
            class_="todoapp",
        ),
        footer(p("Double-click to edit a todo"), class_="info"),
    )
