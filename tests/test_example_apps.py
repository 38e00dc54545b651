"""The example apps of examples/<name>/app.py: rendered on the server, hydrated in the
in-memory DOM, and driven only through dispatched events, as a browser would."""

import importlib.util
import json
import types
import warnings
from pathlib import Path

import pytest
from _html import elements, structure, text

from lepta import flush, hydrate_body, render_to_string
from lepta.browser import set_window
from lepta.build.views import compile_views
from lepta.testing import Event, MemoryDOM, render_server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_app(name, compiled=False):
    """examples/<name>/app.py as a module of its own (every example's file is app.py);
    `compiled`: as the browser gets it, its views compiled into templates, with the
    module as written (for the server's HTML) as its `written`."""
    path = EXAMPLES / name / "app.py"
    if compiled:
        module = types.ModuleType("example_%s_app_compiled" % name)
        source = compile_views(path.read_text(), str(path))
        exec(compile(source, str(path), "exec"), module.__dict__)
        module.written = load_app(name)
        return module
    spec = importlib.util.spec_from_file_location("example_%s_app" % name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def page():
    """`page(module)`: the app's server HTML hydrated in a MemoryDOM, which must adopt
    every server node and create none; the pages are unmounted after the test."""
    handles = []

    def open_page(module):
        dom = MemoryDOM()
        dom.load_body(render_to_string(getattr(module, "written", module).App))
        before = dom.body.descendants()
        dom.reset_ops()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            handles.append(hydrate_body(module.App, renderer=dom))
        assert [str(w.message) for w in caught] == []
        assert dom.body.descendants() == before  # the very same node objects
        assert [k for k in dom.ops if k.startswith("create") or k in ("insert", "remove")] == []
        flush()  # the effects that run after hydration
        dom.reset_ops()
        return dom

    yield open_page
    for handle in handles:
        handle.unmount()
    flush()


def click(dom, node):
    dom.reset_ops()
    dom.click(node)
    flush()


def key(dom, node, name):
    dom.dispatch(node, Event("keydown", key=name))
    flush()


def texts(nodes):
    return [node.text for node in nodes]


# --- counter -------------------------------------------------------------------------
counter = load_app("counter")


def test_counter_renders_clear_minus_value_plus_starting_at_zero():
    assert structure(render_to_string(counter.App)) == [
        (
            "div",
            {},
            [
                ("button", {}, ["Clear"]),
                ("button", {}, ["-1"]),
                ("span", {}, ["Value: 0!"]),
                ("button", {}, ["+1"]),
            ],
        )
    ]


# The counter's tests use the testing kit an app's own tests use (lepta.testing).
def test_counter_plus_then_clear_shows_zero():
    page = render_server(counter.App)  # hydrated in memory; a mismatch would fail here
    plus = page.get_by_role("button", name="+1")
    page.click(plus)
    with page.count() as ops:
        page.click(plus)
    assert page.get_by_text("Value: 2!").tag == "span"
    assert ops == {"set_text": 1}  # the number's text node, nothing else
    page.click(page.get_by_role("button", name="Clear"))
    assert page.query_by_text("Value: 0!") is not None
    page.unmount()


def test_counter_minus_goes_below_zero():
    page = render_server(counter.App)
    minus = page.get_by_role("button", name="-1")
    page.click(minus)
    page.click(minus)
    assert page.query_by_text("Value: -2!") is not None
    page.unmount()


# --- counters ------------------------------------------------------------------------
counters = load_app("counters")


def totals(dom):
    return dom.find(id="total").text, dom.find(id="counters").text


def test_counters_render_three_buttons_zero_totals_and_an_empty_list():
    (root,) = structure(render_to_string(counters.App))
    assert [text(b) for b in elements([root], "button")] == [
        "Add Counter",
        "Add 1000 Counters",
        "Clear Counters",
    ]
    (line,) = elements([root], "p")
    assert text(line) == "Total: 0 from 0 counters."
    assert ("span", {"id": "total"}, ["0"]) in line[2]
    assert ("span", {"id": "counters"}, ["0"]) in line[2]
    assert elements([root], "ul") == [("ul", {}, [])]


def test_counters_step_type_and_remove_with_live_totals(page):
    dom = page(counters)
    click(dom, dom.find("button", text="Add Counter"))
    click(dom, dom.find("button", text="Add Counter"))
    first, second = dom.find_all("li")
    assert totals(dom) == ("0", "2")
    assert first.find("input").value == "0"

    click(dom, first.find("button", text="+1"))
    # This row's input and span, and the total: no other row, not the count.
    assert dom.ops == {"set_property": 1, "set_text": 2}
    click(dom, first.find("button", text="+1"))
    click(dom, second.find("button", text="-1"))
    assert (first.find("span").text, second.find("span").text) == ("2", "-1")
    assert totals(dom) == ("1", "2")

    dom.input(second.find("input"), "10")
    flush()
    assert second.find("span").text == "10" and totals(dom) == ("12", "2")
    dom.input(second.find("input"), "-")  # not a number (yet): the value stays
    flush()
    assert second.find("span").text == "10"

    click(dom, first.find("button", text="x"))
    assert dom.find_all("li") == [second]
    assert totals(dom) == ("10", "1")


def test_counters_add_a_thousand_then_clear_them_all(page):
    dom = page(counters)
    click(dom, dom.find("button", text="Add Counter"))
    click(dom, dom.find("button", text="Add 1000 Counters"))
    rows = dom.find_all("li")
    assert len(rows) == 1001 and totals(dom) == ("0", "1001")
    click(dom, rows[500].find("button", text="+1"))
    click(dom, rows[1000].find("button", text="+1"))
    assert totals(dom) == ("2", "1001")
    click(dom, dom.find("button", text="Clear Counters"))
    assert dom.find_all("li") == [] and totals(dom) == ("0", "0")


# --- js-framework-benchmark ----------------------------------------------------------
bench = load_app("js_framework_benchmark")
BUTTONS = {
    "run": "Create 1,000 rows",
    "runlots": "Create 10,000 rows",
    "add": "Append 1,000 rows",
    "update": "Update every 10th row",
    "clear": "Clear",
    "swaprows": "Swap Rows",
}


def rows(dom):
    return dom.find("tbody").find_all("tr")


def row_ids(dom):
    return [int(tr.children[0].text) for tr in rows(dom)]


def label_of(tr):
    return tr.find("a", class_="lbl").text


def test_benchmark_renders_the_original_markup_with_no_rows():
    (root,) = structure(render_to_string(bench.App))
    assert root[:2] == ("div", {"class": "container"})
    buttons = elements([root], "button")
    assert {b[1]["id"]: text(b) for b in buttons} == BUTTONS
    assert all(b[1]["type"] == "button" for b in buttons)
    jumbotron, table, icon = root[2]
    assert jumbotron[1] == {"class": "jumbotron"}
    assert table == (
        "table",
        {"class": "table table-hover table-striped test-data"},
        [("tbody", {"id": "tbody"}, [])],
    )
    assert icon == (
        "span",
        {"class": "preloadicon glyphicon glyphicon-remove", "aria-hidden": "true"},
        [],
    )


def test_benchmark_run_creates_a_thousand_rows_in_the_original_markup(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    assert row_ids(dom) == list(range(1, 1001))
    first = rows(dom)[0]
    label = label_of(first)
    assert structure(first.to_html()) == [
        (
            "tr",
            {},
            [
                ("td", {"class": "col-md-1"}, ["1"]),
                ("td", {"class": "col-md-4"}, [("a", {"class": "lbl"}, [label])]),
                (
                    "td",
                    {"class": "col-md-1"},
                    [
                        (
                            "a",
                            {"class": "remove"},
                            [
                                (
                                    "span",
                                    {
                                        "class": "remove glyphicon glyphicon-remove",
                                        "aria-hidden": "true",
                                    },
                                    [],
                                )
                            ],
                        )
                    ],
                ),
                ("td", {"class": "col-md-6"}, []),
            ],
        )
    ]
    for tr in rows(dom):
        adjective, colour, noun = label_of(tr).split(" ")
        assert adjective in bench.ADJECTIVES and colour in bench.COLOURS and noun in bench.NOUNS
    assert len(set(texts(dom.find_all("a", class_="lbl")))) > 500  # well mixed


def test_benchmark_labels_are_the_same_on_every_page(page):
    one, two = page(bench), page(bench)
    click(one, one.find(id="run"))
    click(two, two.find(id="run"))
    assert texts(one.find_all("a", class_="lbl")) == texts(two.find_all("a", class_="lbl"))


def test_benchmark_ids_keep_increasing_across_creates_and_appends(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    first = rows(dom)
    click(dom, dom.find(id="add"))
    assert row_ids(dom) == list(range(1, 2001))
    assert rows(dom)[:1000] == first  # the same nodes: appending left them alone
    assert "remove" not in dom.ops and "set_text" not in dom.ops
    click(dom, dom.find(id="run"))
    assert row_ids(dom) == list(range(2001, 3001))


def test_benchmark_update_appends_bangs_to_every_tenth_label_only(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    before = texts(dom.find_all("a", class_="lbl"))
    click(dom, dom.find(id="update"))
    assert dom.ops == {"set_text": 100}
    after = texts(dom.find_all("a", class_="lbl"))
    assert after == [label + " !!!" if i % 10 == 0 else label for i, label in enumerate(before)]


def test_benchmark_selecting_a_row_touches_only_the_old_and_new_rows(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    click(dom, rows(dom)[3].find("a", class_="lbl"))
    assert dom.ops == {"toggle_class": 1}
    assert [tr.children[0].text for tr in dom.find_all("tr", class_="danger")] == ["4"]
    click(dom, rows(dom)[5].find("a", class_="lbl"))
    assert dom.ops == {"toggle_class": 2}
    assert [tr.children[0].text for tr in dom.find_all("tr", class_="danger")] == ["6"]


def test_benchmark_remove_deletes_just_that_row(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    click(dom, rows(dom)[1].find("a", class_="remove"))
    assert dom.ops == {"remove": 1}
    assert row_ids(dom)[:3] == [1, 3, 4] and len(rows(dom)) == 999


def test_benchmark_swap_rows_moves_rows_1_and_998_only(page):
    dom = page(bench)
    click(dom, dom.find(id="swaprows"))  # no rows: nothing to swap
    click(dom, dom.find(id="run"))
    click(dom, dom.find(id="swaprows"))
    assert dom.ops == {"insert": 2}
    ids = row_ids(dom)
    assert (ids[0], ids[1], ids[998], ids[999]) == (1, 999, 2, 1000)
    click(dom, dom.find(id="swaprows"))
    assert row_ids(dom) == list(range(1, 1001))


# A row costs these DOM operations today: 8 elements, 2 texts, 10 inserts, 8
# attributes and 2 properties (its two click handlers). A row built from a cloned
# template would cost fewer; this bound only may go down.
OPERATIONS_PER_ROW = 30  # the view as written: 8 elements, 2 texts, 10 inserts, 10 values
# As the browser runs it (compiled into a template): a clone, its id and label, two
# handlers, the insert.
OPERATIONS_PER_COMPILED_ROW = 6
bench_compiled = load_app("js_framework_benchmark", compiled=True)


@pytest.mark.parametrize(
    "app, per_row",
    [(bench, OPERATIONS_PER_ROW), (bench_compiled, OPERATIONS_PER_COMPILED_ROW)],
    ids=["as written", "compiled"],
)
def test_benchmark_a_row_costs_at_most_a_fixed_number_of_operations(page, app, per_row):
    dom = page(app)
    click(dom, dom.find(id="run"))
    # (compiled: + building the template's 9 nodes and 8 classes once, 28 operations)
    assert sum(dom.ops.values()) <= 1000 * per_row + 28
    click(dom, dom.find(id="run"))  # replacing: the old rows go in one operation
    assert dom.ops["clear"] == 1
    assert dom.ops["remove"] == 1  # the list's anchor, set apart during the clear
    assert sum(dom.ops.values()) <= 1000 * per_row + 3


def test_benchmark_clear_empties_the_table_in_one_operation(page):
    dom = page(bench)
    click(dom, dom.find(id="run"))
    click(dom, rows(dom)[0].find("a", class_="lbl"))
    click(dom, dom.find(id="clear"))
    assert rows(dom) == []
    assert dom.ops.get("clear") == 1 and dom.ops.get("remove") == 1  # (the list's anchor)


def test_benchmark_run_lots_creates_ten_thousand_rows(page):
    dom = page(bench)
    click(dom, dom.find(id="runlots"))
    assert row_ids(dom) == list(range(1, 10001))


# --- todomvc -------------------------------------------------------------------------
todomvc = load_app("todomvc")


def new_todo(dom, title):
    field = dom.find("input", class_="new-todo")
    dom.input(field, title)
    flush()
    key(dom, field, "Enter")


def shown_titles(dom):
    return texts(dom.find("ul", class_="todo-list").find_all("label"))


def left_text(dom):
    return dom.find("span", class_="todo-count").text


def page_with(page, *names):
    dom = page(todomvc)
    for name in names:
        new_todo(dom, name)
    return dom


def item(dom, title):
    for li in dom.find("ul", class_="todo-list").find_all("li"):
        if li.find("label").text == title:
            return li
    raise AssertionError("no todo %r" % title)


def toggle(dom, title):
    checkbox = item(dom, title).find("input", class_="toggle")
    dom.change(checkbox, checked=not checkbox.checked)
    flush()


def test_todomvc_renders_the_header_and_hides_main_and_footer_without_todos():
    nodes = structure(render_to_string(todomvc.App))
    (app,) = [n for n in nodes if n[1].get("class") == "todoapp"]
    assert app[0] == "section"
    assert app[2] == [
        (
            "header",
            {"class": "header"},
            [
                ("h1", {}, ["todos"]),
                (
                    "input",
                    {
                        "class": "new-todo",
                        "placeholder": "What needs to be done?",
                        "autofocus": "",
                        "value": "",
                    },
                    [],
                ),
            ],
        )
    ]
    assert elements(nodes, "ul") == []  # no section.main, no footer.footer


def test_todomvc_enter_adds_a_trimmed_title_and_ignores_blank_ones(page):
    dom = page_with(page, "  milk  ", "   ", "")
    assert shown_titles(dom) == ["milk"]
    assert dom.find("input", class_="new-todo").value == ""
    field = dom.find("input", class_="new-todo")
    dom.input(field, "bread")
    key(dom, field, "a")  # any other key only types
    assert shown_titles(dom) == ["milk"]
    key(dom, field, "Enter")
    assert shown_titles(dom) == ["milk", "bread"]
    assert dom.find("section", class_="main") is not None
    assert left_text(dom) == "2 items left"
    assert dom.find("span", class_="todo-count").find("strong").text == "2"


def test_todomvc_toggling_counts_items_left_and_shows_clear_completed(page):
    dom = page_with(page, "milk", "bread")
    assert dom.find("button", class_="clear-completed") is None
    toggle(dom, "bread")
    assert item(dom, "bread").classes == ["completed"]
    assert left_text(dom) == "1 item left"
    assert dom.find("button", class_="clear-completed").text == "Clear completed"
    toggle(dom, "bread")
    assert item(dom, "bread").classes == []
    assert dom.find("button", class_="clear-completed") is None


def test_todomvc_toggle_all_completes_everything_then_nothing(page):
    dom = page_with(page, "milk", "bread", "eggs")
    toggle(dom, "milk")
    everything = dom.find("input", id="toggle-all")
    assert everything.checked is False
    dom.change(everything, checked=True)
    flush()
    assert len(dom.find_all("li", class_="completed")) == 3
    assert left_text(dom) == "0 items left" and everything.checked is True
    dom.change(everything, checked=False)
    flush()
    assert dom.find_all("li", class_="completed") == []


def test_todomvc_double_click_edits_and_enter_saves_the_trimmed_title(page):
    dom = page_with(page, "milk", "bread")
    assert dom.find("input", class_="edit") is None
    dom.dispatch(item(dom, "milk").find("label"), Event("dblclick"))
    flush()
    assert item(dom, "milk").classes == ["editing"]
    field = dom.find("input", class_="edit")
    assert field.value == "milk"
    dom.input(field, "  oat milk ")
    key(dom, field, "Enter")
    assert shown_titles(dom) == ["oat milk", "bread"]
    assert dom.find("input", class_="edit") is None
    assert dom.find("li", class_="editing") is None
    # A browser may fire blur as the field leaves the page: already saved, nothing to do.
    dom.input(field, "")
    dom.dispatch(field, Event("blur", bubbles=False))
    flush()
    assert shown_titles(dom) == ["oat milk", "bread"]


def test_todomvc_blur_saves_escape_cancels_and_an_empty_title_deletes(page):
    dom = page_with(page, "milk", "bread", "eggs")
    dom.dispatch(item(dom, "milk").find("label"), Event("dblclick"))
    flush()
    field = dom.find("input", class_="edit")
    dom.input(field, "cream")
    dom.dispatch(field, Event("blur", bubbles=False))
    flush()
    assert shown_titles(dom) == ["cream", "bread", "eggs"]

    dom.dispatch(item(dom, "bread").find("label"), Event("dblclick"))
    flush()
    field = dom.find("input", class_="edit")
    dom.input(field, "butter")
    key(dom, field, "Escape")
    assert shown_titles(dom) == ["cream", "bread", "eggs"]
    assert dom.find("input", class_="edit") is None

    dom.dispatch(item(dom, "eggs").find("label"), Event("dblclick"))
    flush()
    field = dom.find("input", class_="edit")
    dom.input(field, "   ")
    key(dom, field, "Enter")
    assert shown_titles(dom) == ["cream", "bread"]


def test_todomvc_destroy_and_clear_completed_remove_todos_until_main_and_footer_hide(page):
    dom = page_with(page, "milk", "bread", "eggs")
    click(dom, item(dom, "milk").find("button", class_="destroy"))
    assert shown_titles(dom) == ["bread", "eggs"]
    toggle(dom, "eggs")
    click(dom, dom.find("button", class_="clear-completed"))
    assert shown_titles(dom) == ["bread"]
    assert dom.find("button", class_="clear-completed") is None
    click(dom, item(dom, "bread").find("button", class_="destroy"))
    assert dom.find("section", class_="main") is None
    assert dom.find("footer", class_="footer") is None


def test_todomvc_filter_links_show_active_or_completed_todos(page):
    dom = page_with(page, "milk", "bread", "eggs")
    links = dom.find("ul", class_="filters").find_all("a")
    assert [(a.text, a.get_attribute("href")) for a in links] == [
        ("All", "#/"),
        ("Active", "#/active"),
        ("Completed", "#/completed"),
    ]
    assert dom.find("a", class_="selected").text == "All"
    toggle(dom, "bread")
    click(dom, dom.find("a", text="Active"))
    assert shown_titles(dom) == ["milk", "eggs"]
    assert dom.find("a", class_="selected").text == "Active"
    toggle(dom, "milk")  # completed: leaves the active list
    assert shown_titles(dom) == ["eggs"]
    click(dom, dom.find("a", text="Completed"))
    assert shown_titles(dom) == ["milk", "bread"]
    click(dom, dom.find("a", text="All"))
    assert shown_titles(dom) == ["milk", "bread", "eggs"]


class FakeWindow:
    """Just the part of the window the TodoMVC app uses (through lepta.browser)."""

    def __init__(self, stored=None, hash=""):
        self.items = {} if stored is None else {todomvc.STORAGE_KEY: stored}
        self.localStorage = self
        self.location = self
        self.console = self
        self.hash = hash
        self.listeners = {}
        self.warnings = []

    def getItem(self, name):
        return self.items.get(name)

    def setItem(self, name, value):
        self.items[name] = value

    def addEventListener(self, kind, fn):
        self.listeners[kind] = fn

    def removeEventListener(self, kind, fn):
        if self.listeners.get(kind) is fn:
            del self.listeners[kind]

    def warn(self, text):
        self.warnings.append(text)

    def saved(self):
        return json.loads(self.items[todomvc.STORAGE_KEY])


@pytest.fixture
def browser():
    """`browser(stored, hash)`: a fake window the app's browser helpers use."""
    previous = []

    def install(stored=None, hash=""):
        fake = FakeWindow(stored, hash)
        previous.append(set_window(fake))
        return fake

    yield install
    if previous:
        set_window(previous[0])


def test_todomvc_loads_saved_todos_and_the_hash_filter_after_hydration(page, browser):
    saved = [{"title": "milk", "completed": False}, {"title": "bread", "completed": True}]
    fake = browser(json.dumps(saved), "#/completed")
    dom = page(todomvc)  # the server rendered no todos; the client loaded them
    assert shown_titles(dom) == ["bread"]
    assert dom.find("a", class_="selected").text == "Completed"
    assert fake.saved() == saved  # saving after loading kept them

    fake.hash = "#/active"
    fake.listeners["hashchange"](None)  # flushes, as in a page
    assert shown_titles(dom) == ["milk"]

    # Another tab saves: the page follows.
    fake.items[todomvc.STORAGE_KEY] = json.dumps(saved + [{"title": "eggs", "completed": False}])
    fake.listeners["storage"](Event("storage", key=todomvc.STORAGE_KEY))
    assert shown_titles(dom) == ["milk", "eggs"]


def test_todomvc_saves_every_change_to_local_storage(page, browser):
    fake = browser()
    dom = page(todomvc)
    assert fake.items == {}  # nothing saved until something changes
    new_todo(dom, "milk")
    new_todo(dom, "bread")
    toggle(dom, "milk")
    assert fake.saved() == [
        {"title": "milk", "completed": True},
        {"title": "bread", "completed": False},
    ]
    click(dom, item(dom, "milk").find("button", class_="destroy"))
    assert fake.saved() == [{"title": "bread", "completed": False}]


def test_todomvc_ignores_unusable_saved_data(page, browser):
    fake = browser("{not json")
    dom = page(todomvc)
    assert dom.find("section", class_="main") is None
    assert len(fake.warnings) == 1 and "todos-lepta" in fake.warnings[0]
    new_todo(dom, "milk")
    assert shown_titles(dom) == ["milk"]
