"""Todos in a store, in the manner of Leptos' stores example.

The page holds its todos in one `Store`: each todo a record with a label, a done
flag and an assignee (a nested record with a name), the list keyed by id. Each row
binds the fields of its own todo, so

- editing a todo's label changes that row's label text and nothing else;
- ticking one changes its row and the "done" count;
- adding or removing one adds or removes its row; the others stay as they are;
- "Reload from server" fetches the server's list and *patches* it into the store:
  rows whose data changed elsewhere (another tab, another visitor) update in place,
  new ones appear, deleted ones go, and the rest are not touched.

Every change is sent to the server (todo_api.py, SQLite by default) as it is made.
"""

from todo_api import add_todo, load_todos, remove_todo, rename_todo, set_done

from lepta import (
    Effect,
    For,
    Memo,
    NodeRef,
    Resource,
    RwSignal,
    Show,
    Store,
    Suspense,
    batch,
    component,
    event_target_value,
    signal,
    spawn,
)
from lepta.html import button, form, h1, input, li, main, p, span, ul


def prevent_default(ev):
    """Keep the browser from posting the form: the page sends the todo itself."""
    prevent = getattr(ev, "preventDefault", None)
    if prevent is not None:
        prevent()


def focus(node):
    """Focus `node`, once there is one."""
    if node is not None and hasattr(node, "focus"):
        node.focus()


class Saved:
    """A field whose writes are also sent to the server by `save(value)`; reads
    like the field (for `bind_checked`)."""

    __slots__ = ("field", "save")

    def __init__(self, field, save):
        self.field = field
        self.save = save

    def get(self):
        return self.field.get()

    def __call__(self):
        return self.field.get()

    def set(self, value):
        self.field.set(value)
        spawn(self.save(value))


@component
def TodoRow(todo, on_remove):
    """One todo's row: `todo` is its field in the store (store.todos.at_key(id))."""
    editing, set_editing = signal(False)
    before = ""  # the label when editing started, for Escape
    field = NodeRef()
    Effect(lambda: focus(field()))  # focus the edit box when it appears

    def start_editing(ev):
        nonlocal before
        before = todo.label.get_untracked()
        set_editing(True)

    def finish(ev):
        if not editing.get_untracked():  # already finished by Enter or Escape
            return
        label = todo.label.get_untracked().strip()
        with batch():
            set_editing(False)
            if not label:
                todo.label.set(before)  # an empty label is not kept
            elif label != before:
                todo.label.set(label)
                spawn(rename_todo(todo.id.get_untracked(), label))

    def key(ev):
        if ev.key == "Enter":
            finish(ev)
        elif ev.key == "Escape":
            with batch():
                todo.label.set(before)
                set_editing(False)

    done = Saved(todo.done, lambda value: set_done(todo.id.get_untracked(), value))

    return li(
        input(type="checkbox", class_="toggle", bind_checked=done),
        span(todo.label, class_="label", on_dblclick=start_editing),
        Show(
            input(
                class_="edit",
                prop_value=todo.label,
                node_ref=field,
                on_input=lambda ev: todo.label.set(event_target_value(ev)),
                on_keydown=key,
                on_blur=finish,
            ),
            when=editing,
        ),
        span(todo.assignee.name, class_="assignee"),
        button("Edit", class_="edit-button", on_click=start_editing),
        button("Remove", class_="remove", on_click=lambda ev: on_remove(todo.id.get_untracked())),
        class_={"done": todo.done, "editing": editing},
        data_id=str(todo.id.get_untracked()),
    )


@component
def TodoList(todos):
    """The list, held in a store made from the server's first answer."""
    store = Store({"todos": todos}, keys={"todos": lambda todo: todo["id"]})
    new_label = RwSignal("")
    new_assignee = RwSignal("Ada")
    reloads, set_reloads = signal(0)
    done = Memo(lambda: sum(1 for todo in store.todos() if todo.done()))

    def remove(id):
        store.todos.update(lambda items: [item for item in items if item["id"] != id])
        spawn(remove_todo(id))

    async def add():
        todo = await add_todo(new_label.get_untracked(), new_assignee.get_untracked())
        store.todos.append(todo)
        new_label.set("")

    def submit(ev):
        prevent_default(ev)
        if new_label.get_untracked().strip():
            spawn(add())

    async def reload():
        fresh = await load_todos()
        # Only the leaves that differ notify. (No batch needed: the writes of one step
        # of a task run their effects together, when the browser flushes next.)
        store.patch({"todos": fresh})
        set_reloads(reloads.get_untracked() + 1)

    return [
        form(
            input(id="new-label", placeholder="What needs doing?", bind_value=new_label),
            input(id="new-assignee", placeholder="Who?", bind_value=new_assignee),
            button("Add", type="submit"),
            id="add",
            on_submit=submit,
        ),
        ul(
            For(
                each=store.todos,
                key=lambda todo: todo,  # one field per item: a good key
                children=lambda todo: TodoRow(todo=todo, on_remove=remove),
            ),
            id="todos",
        ),
        p(
            span(done, id="done-count"),
            " of ",
            span(lambda: len(store.todos()), id="total-count"),
            " done",
            id="summary",
        ),
        button("Reload from server", id="reload", on_click=lambda ev: spawn(reload())),
        p(lambda: "reloads: %d" % reloads(), id="status"),
    ]


@component
def App():
    todos = Resource("todos", lambda _: load_todos())  # loaded once, with the page

    def todo_list():
        first = todos()
        return None if first is None else TodoList(todos=first)

    return main(
        h1("Todos in a store"),
        Suspense(todo_list, fallback=p("Loading...")),
    )
