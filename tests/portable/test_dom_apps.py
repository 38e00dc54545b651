"""Two small apps driven only through dispatched events on the in-memory DOM."""

from lepta import Memo, RwSignal, component, flush, signal
from lepta.dom import event_target_value, mount_to_body
from lepta.html import a, button, div, footer, h1, header, input, label, li, p, section, span, ul
from lepta.reactive import graph_stats
from lepta.testing import MemoryDOM
from lepta.view import For, Show

# --- a todo list ---------------------------------------------------------------------
FILTERS = {
    "All": lambda todo: True,
    "Active": lambda todo: not todo["done"](),
    "Completed": lambda todo: todo["done"](),
}


@component
def TodoItem(todo, on_remove):
    return li(
        input(type="checkbox", class_="toggle", bind_checked=todo["done"]),
        label(todo["title"]),
        button("x", class_="destroy", on_click=lambda ev: on_remove(todo["id"])),
        class_={"completed": todo["done"]},
    )


@component
def TodoApp():
    todos, set_todos = signal([])
    draft = RwSignal("")
    current_filter, set_filter = signal("All")
    next_id = [1]

    def add(ev):
        title = draft.get_untracked().strip()
        if ev.key != "Enter" or not title:
            return
        todo = {"id": next_id[0], "title": title, "done": RwSignal(False)}
        next_id[0] += 1
        set_todos.update(lambda ts: ts + [todo])
        draft.set("")

    def remove(todo_id):
        set_todos.update(lambda ts: [t for t in ts if t["id"] != todo_id])

    visible = Memo(lambda: [t for t in todos() if FILTERS[current_filter()](t)])
    left = Memo(lambda: len([t for t in todos() if not t["done"]()]))

    def filter_link(name):
        return li(
            a(
                name,
                href="#",
                class_={"selected": lambda: current_filter() == name},
                on_click=lambda ev: set_filter(name),
            )
        )

    return section(
        header(h1("todos"), input(class_="new-todo", bind_value=draft, on_keydown=add)),
        ul(
            For(
                each=visible,
                key=lambda t: t["id"],
                children=lambda t: TodoItem(todo=t, on_remove=remove),
            ),
            class_="todo-list",
        ),
        Show(
            footer(
                span(
                    left,
                    lambda: " item left" if left() == 1 else " items left",
                    class_="todo-count",
                ),
                ul([filter_link(name) for name in FILTERS], class_="filters"),
                button(
                    "Clear completed",
                    class_="clear-completed",
                    on_click=lambda ev: set_todos.update(
                        lambda ts: [t for t in ts if not t["done"]()]
                    ),
                ),
            ),
            when=lambda: len(todos()) > 0,
        ),
        class_="todoapp",
    )


def type_todo(dom, title):
    field = dom.find("input", class_="new-todo")
    dom.input(field, title)
    from lepta.testing import Event

    dom.dispatch(field, Event("keydown", key="Enter"))
    flush()


def labels(dom):
    return [el.text for el in dom.find_all("label")]


def test_the_todo_app_adds_toggles_filters_removes_and_clears_completed():
    dom = MemoryDOM()
    mount_to_body(TodoApp, renderer=dom)
    assert dom.find("footer") is None
    for title in ("milk", "bread", "eggs"):
        type_todo(dom, title)
    assert labels(dom) == ["milk", "bread", "eggs"]
    assert dom.find("input", class_="new-todo").value == ""
    assert dom.find("span", class_="todo-count").text == "3 items left"

    dom.change(dom.find_all("input", class_="toggle")[1], checked=True)
    flush()
    assert dom.find("span", class_="todo-count").text == "2 items left"
    assert [el.find("label").text for el in dom.find_all("li", class_="completed")] == ["bread"]

    dom.click(dom.find("a", text="Active"))
    flush()
    assert labels(dom) == ["milk", "eggs"]
    dom.click(dom.find("a", text="Completed"))
    flush()
    assert labels(dom) == ["bread"]
    assert dom.find("a", class_="selected").text == "Completed"
    dom.click(dom.find("a", text="All"))
    flush()

    dom.click(dom.find_all("button", class_="destroy")[0])
    flush()
    assert labels(dom) == ["bread", "eggs"]
    dom.click(dom.find("button", class_="clear-completed"))
    flush()
    assert labels(dom) == ["eggs"]
    assert dom.find("span", class_="todo-count").text == "1 item left"
    dom.click(dom.find("button", class_="destroy"))
    flush()
    assert dom.find("footer") is None


# --- Leptos' counters ------------------------------------------------------------------
@component
def CounterRow(counter, on_remove):
    value, set_value = counter["signal"]
    return li(
        button("-1", on_click=lambda ev: set_value.update(lambda v: v - 1)),
        input(
            type="text",
            prop_value=value,
            on_input=lambda ev: set_value(int(event_target_value(ev) or 0)),
        ),
        span(value),
        button("+1", on_click=lambda ev: set_value.update(lambda v: v + 1)),
        button("x", on_click=lambda ev: on_remove(counter["id"])),
    )


@component
def Counters():
    counters, set_counters = signal([])
    next_id = [0]

    def make():
        next_id[0] += 1
        return {"id": next_id[0], "signal": signal(0)}

    def add_many(n):
        set_counters.update(lambda cs: cs + [make() for _ in range(n)])

    def remove(counter_id):
        set_counters.update(lambda cs: [c for c in cs if c["id"] != counter_id])

    total = Memo(lambda: sum(c["signal"][0]() for c in counters()))
    return div(
        div(
            button("Add Counter", on_click=lambda ev: add_many(1)),
            button("Add 1000 Counters", on_click=lambda ev: add_many(1000)),
            button("Clear Counters", on_click=lambda ev: set_counters([])),
        ),
        p(
            "Total: ",
            span(total, class_="total"),
            " from ",
            span(lambda: len(counters()), class_="count"),
            " counters.",
        ),
        ul(
            For(
                each=counters,
                key=lambda c: c["id"],
                children=lambda c: CounterRow(counter=c, on_remove=remove),
            )
        ),
    )


def test_the_counters_app_adds_updates_removes_and_totals_its_counters():
    dom = MemoryDOM()
    handle = mount_to_body(Counters, renderer=dom)
    baseline = graph_stats()["subscriptions"]
    dom.click(dom.find("button", text="Add Counter"))
    dom.click(dom.find("button", text="Add Counter"))
    flush()
    rows = dom.find_all("li")
    assert len(rows) == 2
    dom.click(rows[0].find("button", text="+1"))
    dom.click(rows[0].find("button", text="+1"))
    dom.click(rows[1].find("button", text="-1"))
    flush()
    assert dom.find("span", class_="total").text == "1"
    dom.input(rows[1].find("input"), "10")
    flush()
    assert rows[1].find("span").text == "10" and dom.find("span", class_="total").text == "12"

    dom.click(dom.find("button", text="Add 1000 Counters"))
    flush()
    assert dom.find("span", class_="count").text == "1002"
    dom.click(dom.find_all("li")[500].find("button", text="+1"))
    flush()
    assert dom.find("span", class_="total").text == "13"

    dom.click(rows[0].find("button", text="x"))
    flush()
    assert dom.find("span", class_="count").text == "1001"
    assert dom.find("span", class_="total").text == "11"

    dom.click(dom.find("button", text="Clear Counters"))
    flush()
    assert dom.find_all("li") == [] and dom.find("span", class_="total").text == "0"
    assert graph_stats()["subscriptions"] == baseline
    handle.unmount()
