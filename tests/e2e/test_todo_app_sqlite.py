"""examples/todo_app_sqlite in Chromium: server functions and forms, with JavaScript
(no page loads) and without it (forms post), on a SQLite file that outlives the server."""

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, RUNTIMES, Visit, close_and_check, free_port, wait_until_up

TODOS = str(EXAMPLES / "todo_app_sqlite")


class TodoServer:
    """`lepta serve` of the todo app on its own database file; restartable."""

    def __init__(self, runtime, database):
        self.runtime = runtime
        self.database = database
        self.process = None
        self.url = None

    def start(self):
        port = free_port()
        lepta = shutil.which("lepta", path=os.path.dirname(sys.executable)) or "lepta"
        env = dict(os.environ, DATABASE_URL="sqlite:///%s" % self.database)
        self.process = subprocess.Popen(
            [lepta, "serve", TODOS, "--port", str(port), "--runtime", self.runtime], env=env
        )
        self.url = "http://127.0.0.1:%d" % port
        wait_until_up(self.process, self.url)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(params=RUNTIMES)
def todo_server(request, tmp_path):
    server = TodoServer(request.param, tmp_path / "todos.db")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def visit_todos(browser, todo_server):
    opened = []

    def make(scripts=True):
        v = Visit(browser, todo_server.url, scripts)
        opened.append(v)
        return v

    yield make
    close_and_check(opened)


def titles(page):
    return [t.strip() for t in page.locator("#todos li .title").all_inner_texts()]


def test_with_javascript_todos_are_added_and_removed_without_a_page_load(visit_todos):
    v = visit_todos()
    page = v.open()
    page.evaluate("window.stayed = true")  # gone if the page loads again
    for count, title in enumerate(["Buy milk", "Walk the dog"], 1):
        page.fill("input[name=title]", title)
        page.click("button:text('Add')")
        page.wait_for_function(
            "n => document.querySelectorAll('#todos li').length === n", arg=count
        )
    assert titles(page) == ["Buy milk", "Walk the dog"]
    assert page.input_value("input[name=title]") == ""  # cleared after adding
    page.locator("#todos li", has_text="Buy milk").locator("button:text('Remove')").click()
    page.wait_for_function("() => document.querySelectorAll('#todos li').length === 1")
    assert titles(page) == ["Walk the dog"]
    assert page.evaluate("window.stayed") is True


def test_the_page_is_styled_by_the_apps_stylesheet(visit_todos):
    page = visit_todos().open()
    color = page.eval_on_selector("#add button", "b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(10, 102, 194)"


def test_with_javascript_a_bad_title_is_refused_with_its_message(visit_todos):
    v = visit_todos()
    page = v.open()
    page.fill("input[name=title]", "   ")
    page.click("button:text('Add')")
    page.wait_for_function("() => document.querySelector('#error').textContent !== ''")
    assert page.inner_text("#error") == "Title must not be empty"
    page.fill("input[name=title]", "x" * 201)
    page.click("button:text('Add')")
    page.wait_for_function(
        "() => document.querySelector('#error').textContent.includes('200')"
    )
    assert page.inner_text("#error") == "Title must be at most 200 characters"
    assert titles(page) == []
    assert page.input_value("input[name=title]") == "x" * 201  # kept for fixing
    # The browser logs each refused request; nothing else went wrong.
    assert all("status of 400" in e for e in v.errors), v.errors
    v.errors.clear()


def test_without_javascript_the_forms_post_and_the_server_answers_with_the_page(visit_todos):
    v = visit_todos(scripts=False)
    page = v.open(wait_hydrated=False)
    page.fill("input[name=title]", "Buy milk")
    with page.expect_navigation():
        page.click("button:text('Add')")
    assert page.url.endswith("/")  # redirected back to the page (303)
    assert titles(page) == ["Buy milk"]
    page.fill("input[name=title]", "   ")
    with page.expect_navigation() as navigation:
        page.click("button:text('Add')")
    assert navigation.value.status == 400
    assert page.inner_text("#error") == "Title must not be empty"
    assert page.input_value("input[name=title]") == "   "  # what was typed, shown again
    assert titles(page) == ["Buy milk"]
    with page.expect_navigation():
        page.locator("#todos li", has_text="Buy milk").locator("button:text('Remove')").click()
    assert page.url == v.base + "/"  # back to the page, not to the endpoint
    assert page.inner_text("h1") == "Todos"
    assert titles(page) == []
    assert v.errors == ["Failed to load resource: the server responded with a status of 400 "
                        "(Bad Request)"]  # the refused post's page, as expected
    v.errors.clear()


def test_todos_survive_a_restart_of_the_server(visit_todos, todo_server):
    v = visit_todos()
    page = v.open()
    page.fill("input[name=title]", "Keep me")
    page.click("button:text('Add')")
    page.wait_for_function("() => document.querySelectorAll('#todos li').length === 1")
    todo_server.stop()
    todo_server.start()  # (on another port)
    again = visit_todos().open()
    assert titles(again) == ["Keep me"]


def test_a_cross_site_form_post_is_refused(browser, todo_server):
    context = browser.new_context()
    try:
        response = context.request.post(
            todo_server.url + "/_lepta/fn/todos.add_todo",
            form={"title": "from elsewhere"},
            headers={"Origin": "https://evil.example"},
        )
        assert response.status == 403
        page = context.new_page()
        page.goto(todo_server.url + "/")
        assert titles(page) == []
    finally:
        context.close()
