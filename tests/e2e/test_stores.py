"""examples/stores in Chromium: a todo list held in a Store. Each change touches the
DOM of its own row only, and a reload from the server patches in what changed there.

What "touches" means is measured in the page: before an action, every node of the
list is tagged with a JS property and a MutationObserver starts recording; after it,
the test reads which rows the recorded mutations were in, which tagged nodes left the
document and which text nodes changed their text. A node kept is the same JS object,
so a text that changed in place changed in the very node the server rendered.
"""

import os
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import EXAMPLES, RUNTIMES, Visit, close_and_check, free_port, wait_until_up

STORES = str(EXAMPLES / "stores")
FIRST = [  # what a new database holds: id, label, done, assignee
    ("1", "Write the store example", False, "Ada"),
    ("2", "Review the router", True, "Grace"),
    ("3", "Measure a keyed patch", False, "Alan"),
]

TAG = """() => {
    const list = document.querySelector('#todos');
    const walker = document.createTreeWalker(list, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    window.tagged = [];
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
        node.leptaTag = window.tagged.length;
        window.tagged.push([node, node.nodeType === 3 ? node.data : null]);
    }
    window.mutations = [];
    window.observer = new MutationObserver(records => window.mutations.push(...records));
    window.observer.observe(list, {subtree: true, childList: true, characterData: true,
                                   attributes: true});
}"""

# rows: the rows (data-id, or "list" for the list itself) where mutations were
# recorded; gone: the rows of tagged nodes no longer in the page; texts: [row, before,
# after] for each tagged text node still in the page whose text changed; untagged: how
# many nodes of the list are new.
CHANGES = """() => {
    window.mutations.push(...window.observer.takeRecords());
    window.observer.disconnect();
    const list = document.querySelector('#todos');
    const rowOf = node => {
        if (node === list) return 'list';
        const element = node.nodeType === 1 ? node : node.parentElement;
        const row = element && element.closest('li');
        return row ? row.dataset.id : '?';
    };
    const unique = items => [...new Set(items)].sort();
    const walker = document.createTreeWalker(list, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let untagged = 0;
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
        if (node.leptaTag === undefined) untagged += 1;
    }
    return {
        rows: unique(window.mutations.map(record => rowOf(record.target))),
        gone: unique(window.tagged.filter(([node]) => !list.contains(node)).map(([n]) => rowOf(n))),
        texts: window.tagged
            .filter(([node, text]) => text !== null && list.contains(node) && node.data !== text)
            .map(([node, text]) => [rowOf(node), text, node.data]),
        untagged,
    };
}"""


class StoresServer:
    """`lepta serve` of the stores example on a database file of its own."""

    def __init__(self, runtime, database):
        port = free_port()
        lepta = shutil.which("lepta", path=os.path.dirname(sys.executable)) or "lepta"
        env = dict(os.environ, DATABASE_URL="sqlite:///%s" % database)
        self.process = subprocess.Popen(
            [lepta, "serve", STORES, "--port", str(port), "--runtime", runtime], env=env
        )
        self.url = "http://127.0.0.1:%d" % port
        wait_until_up(self.process, self.url)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(params=RUNTIMES)
def stores_server(request, tmp_path):
    server = StoresServer(request.param, tmp_path / "stores.db")
    yield server
    server.stop()


@pytest.fixture
def visit_stores(browser, stores_server):
    opened = []

    def make():
        v = Visit(browser, stores_server.url)
        opened.append(v)
        return v

    yield make
    close_and_check(opened)


def rows(page):
    """(id, label, done, assignee) of each row, in order."""
    return page.eval_on_selector_all(
        "#todos li",
        """rows => rows.map(row => [
            row.dataset.id,
            row.querySelector('.label').textContent,
            row.querySelector('.toggle').checked,
            row.querySelector('.assignee').textContent,
        ])""",
    )


def expect_rows(page, wanted):
    page.wait_for_function(
        "n => document.querySelectorAll('#todos li').length === n", arg=len(wanted)
    )
    assert [tuple(row) for row in rows(page)] == wanted


def row(page, id):
    return page.locator("#todos li[data-id='%s']" % id)


def call(visit, name, **arguments):
    """Call a server function as another visitor would (no page of ours involved)."""
    endpoint = visit.base + "/_lepta/fn/todo_api." + name
    response = visit.context.request.post(endpoint, data=arguments)
    assert response.ok, response.text()


def test_the_server_renders_the_stored_todos_and_the_page_hydrates(visit_stores):
    page = visit_stores().open()
    expect_rows(page, FIRST)
    assert page.get_attribute("#todos li[data-id='2']", "class") == "done"
    expect(page.locator("#summary")).to_have_text("1 of 3 done")
    expect(page.locator("#status")).to_have_text("reloads: 0")
    color = page.eval_on_selector("#add button", "b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(10, 102, 194)"  # the app's stylesheet


def test_editing_a_label_changes_that_rows_text_node_and_nothing_else(visit_stores):
    v = visit_stores()
    page = v.open()
    page.evaluate(TAG)
    row(page, 2).locator("button.edit-button").click()
    edit = row(page, 2).locator("input.edit")
    expect(edit).to_be_focused()
    expect(edit).to_have_value("Review the router")
    edit.fill("Review the store")
    expect(row(page, 2).locator(".label")).to_have_text("Review the store")  # as it is typed
    # The save goes to the server in the background: its answer says it is stored.
    with page.expect_response(lambda r: "todo_api.rename_todo" in r.url) as saved:
        edit.press("Enter")
    assert saved.value.ok
    expect(edit).to_have_count(0)
    changes = page.evaluate(CHANGES)
    assert changes == {
        "rows": ["2"],  # its text, its class, and the edit box coming and going
        "gone": [],
        "texts": [["2", "Review the router", "Review the store"]],  # in the same node
        "untagged": 0,
    }
    # The server has it too.
    expect_rows(v.open(), [FIRST[0], ("2", "Review the store", True, "Grace"), FIRST[2]])


def test_escape_gives_the_label_back_and_an_empty_label_is_not_kept(visit_stores):
    page = visit_stores().open()
    row(page, 1).locator(".label").dblclick()
    edit = row(page, 1).locator("input.edit")
    edit.fill("Something else")
    edit.press("Escape")
    expect(edit).to_have_count(0)
    expect(row(page, 1).locator(".label")).to_have_text("Write the store example")
    row(page, 1).locator("button.edit-button").click()
    edit.fill("   ")
    edit.press("Enter")
    expect(row(page, 1).locator(".label")).to_have_text("Write the store example")


def test_ticking_a_todo_changes_its_row_and_the_count_only(visit_stores):
    v = visit_stores()
    page = v.open()
    page.evaluate(TAG)
    with page.expect_response(lambda r: "todo_api.set_done" in r.url):  # stored
        row(page, 1).locator(".toggle").check()
    expect(page.locator("#summary")).to_have_text("2 of 3 done")
    expect(row(page, 1)).to_have_class("done")
    changes = page.evaluate(CHANGES)
    assert changes["rows"] == ["1"]  # its class
    assert changes == {"rows": ["1"], "gone": [], "texts": [], "untagged": 0}
    with page.expect_response(lambda r: "todo_api.set_done" in r.url):
        row(page, 2).locator(".toggle").uncheck()
    expect(page.locator("#summary")).to_have_text("1 of 3 done")
    expect_rows(v.open(), [("1", FIRST[0][1], True, "Ada"), ("2", FIRST[1][1], False, "Grace"),
                           FIRST[2]])


def test_adding_and_removing_todos_keeps_the_other_rows(visit_stores):
    v = visit_stores()
    page = v.open()
    page.evaluate(TAG)
    page.fill("#new-label", "Write the README")
    page.fill("#new-assignee", "Grace")
    page.click("#add button")
    expect_rows(page, FIRST + [("4", "Write the README", False, "Grace")])
    expect(page.locator("#new-label")).to_have_value("")
    expect(page.locator("#summary")).to_have_text("1 of 4 done")
    changes = page.evaluate(CHANGES)
    assert changes["gone"] == [] and changes["texts"] == []
    assert set(changes["rows"]) <= {"list", "4"}  # the new row, built and inserted
    page.evaluate(TAG)
    with page.expect_response(lambda r: "todo_api.remove_todo" in r.url):  # stored
        row(page, 2).locator("button.remove").click()
    expect_rows(page, [FIRST[0], FIRST[2], ("4", "Write the README", False, "Grace")])
    expect(page.locator("#summary")).to_have_text("0 of 3 done")
    changes = page.evaluate(CHANGES)
    assert changes == {"rows": ["list"], "gone": ["2"], "texts": [], "untagged": 0}
    expect_rows(v.open(), [FIRST[0], FIRST[2], ("4", "Write the README", False, "Grace")])


def test_a_reload_from_the_server_patches_in_only_what_changed_there(visit_stores):
    v = visit_stores()
    page = v.open()
    page.evaluate(TAG)
    # Another visitor renames the first todo, ticks the third and adds one.
    call(v, "rename_todo", id=1, label="Write the stores example")
    call(v, "set_done", id=3, done=True)
    call(v, "add_todo", label="Ship it", assignee="Ken")
    page.click("#reload")
    expect(page.locator("#status")).to_have_text("reloads: 1")
    expect_rows(
        page,
        [
            ("1", "Write the stores example", False, "Ada"),
            FIRST[1],
            ("3", "Measure a keyed patch", True, "Alan"),
            ("4", "Ship it", False, "Ken"),
        ],
    )
    expect(page.locator("#summary")).to_have_text("2 of 4 done")
    changes = page.evaluate(CHANGES)
    assert changes["texts"] == [["1", "Write the store example", "Write the stores example"]]
    assert changes["gone"] == []
    assert "1" in changes["rows"] and "3" in changes["rows"]
    assert set(changes["rows"]) <= {"1", "3", "4", "list"}  # never the second row
    # Then it removes the second; the other rows stay as they are.
    page.evaluate(TAG)
    call(v, "remove_todo", id=2)
    page.click("#reload")
    expect(page.locator("#status")).to_have_text("reloads: 2")
    expect(row(page, 2)).to_have_count(0)
    assert page.evaluate(CHANGES) == {"rows": ["list"], "gone": ["2"], "texts": [], "untagged": 0}
    # Nothing changed: a reload touches nothing.
    page.evaluate(TAG)
    page.click("#reload")
    expect(page.locator("#status")).to_have_text("reloads: 3")
    assert page.evaluate(CHANGES) == {"rows": [], "gone": [], "texts": [], "untagged": 0}
