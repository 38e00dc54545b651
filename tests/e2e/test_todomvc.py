"""The TodoMVC example in Chromium, on both runtimes."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES

STORAGE_KEY = "todos-lepta"
# The shown todos as [title, class attribute, checkbox checked].
TODOS = """() => Array.from(document.querySelectorAll('ul.todo-list > li'), (li) =>
  [li.querySelector('label').textContent, li.className,
   li.querySelector('input.toggle').checked])"""


def expect_todos(page, expected, timeout=5_000):
    """Wait until the list shows `expected` ([title, classes, checked] each)."""
    try:
        page.wait_for_function(
            "(want) => JSON.stringify((%s)()) === JSON.stringify(want)" % TODOS,
            arg=expected,
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        pass  # the assertion below shows what the page has instead
    assert page.evaluate(TODOS) == expected


def add(page, title):
    field = page.locator("input.new-todo")
    field.fill(title)
    field.press("Enter")


def saved_todos(page):
    return page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", STORAGE_KEY)


def wait_saved(page, expected):
    """Wait until localStorage holds `expected`, compared as data: not as text, whose
    spacing and key order differ between runtimes."""
    try:
        page.wait_for_function(
            "([key, want]) => { const pairs = (ts) => JSON.stringify("
            "ts.map((t) => [t.title, t.completed]));"
            " return pairs(JSON.parse(localStorage.getItem(key))) === pairs(want); }",
            arg=[STORAGE_KEY, expected],
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        pass  # the assertion below shows what is saved instead
    assert saved_todos(page) == expected


def item(page, title):
    return page.locator("ul.todo-list > li").filter(has=page.get_by_text(title, exact=True))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_todomvc_is_server_rendered_with_its_header_and_no_main_or_footer(visit, runtime):
    page = visit("todomvc", runtime, scripts=False).open(wait_hydrated=False)
    assert page.locator("section.todoapp > header.header").count() == 1
    assert page.text_content("section.todoapp > header.header > h1") == "todos"
    field = page.locator("header.header > input.new-todo")
    assert field.get_attribute("placeholder") == "What needs to be done?"
    assert field.get_attribute("autofocus") == ""
    assert field.input_value() == ""
    # No todos on the server: no section.main, no footer.footer, no list.
    assert page.locator("section.main").count() == 0
    assert page.locator("footer.footer").count() == 0
    assert page.locator("ul").count() == 0
    assert page.text_content("footer.info") == "Double-click to edit a todo"
    assert page.get_attribute("html", "data-lepta-hydrated") is None


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_todomvc_add_toggle_filter_edit_destroy_and_clear_completed(visit, runtime):
    page = visit("todomvc", runtime).open()
    field = page.locator("input.new-todo")
    count = page.locator("span.todo-count")
    clear = page.locator("button.clear-completed")

    # Enter adds the trimmed title and empties the field; blank titles are ignored.
    add(page, "  milk  ")
    expect_todos(page, [["milk", "", False]])
    expect(field).to_have_value("")
    expect(page.locator("section.main")).to_have_count(1)
    expect(page.locator("footer.footer")).to_have_count(1)
    add(page, "   ")
    field.press("Enter")
    field.fill("bread")
    field.press("a")  # any other key only types
    expect(field).to_have_value("breada")
    field.fill("bread")
    field.press("Enter")
    add(page, "eggs")
    expect_todos(page, [["milk", "", False], ["bread", "", False], ["eggs", "", False]])
    expect(count).to_have_text("3 items left")
    expect(count.locator("strong")).to_have_text("3")
    expect(clear).to_have_count(0)

    # Toggling one completes it, counts it out and offers to clear it.
    item(page, "bread").locator("input.toggle").click()
    expect_todos(page, [["milk", "", False], ["bread", "completed", True], ["eggs", "", False]])
    expect(count).to_have_text("2 items left")
    expect(clear).to_have_text("Clear completed")

    # The filter links, which also change the location's hash.
    filters = page.locator("ul.filters a")
    expect(filters).to_have_text(["All", "Active", "Completed"])
    assert [filters.nth(i).get_attribute("href") for i in range(3)] == [
        "#/",
        "#/active",
        "#/completed",
    ]
    expect(page.locator("ul.filters a.selected")).to_have_text("All")
    page.get_by_role("link", name="Active", exact=True).click()
    expect_todos(page, [["milk", "", False], ["eggs", "", False]])
    expect(page.locator("ul.filters a.selected")).to_have_text("Active")
    assert page.url.endswith("#/active")
    item(page, "milk").locator("input.toggle").click()  # completed: leaves the list
    expect_todos(page, [["eggs", "", False]])
    expect(count).to_have_text("1 item left")
    page.get_by_role("link", name="Completed", exact=True).click()
    expect_todos(page, [["milk", "completed", True], ["bread", "completed", True]])
    expect(page.locator("ul.filters a.selected")).to_have_text("Completed")
    assert page.url.endswith("#/completed")
    page.get_by_role("link", name="All", exact=True).click()
    expect(page.locator("ul.filters a.selected")).to_have_text("All")
    expect_todos(
        page,
        [["milk", "completed", True], ["bread", "completed", True], ["eggs", "", False]],
    )

    # Double-click edits in a focused field; Enter saves the trimmed title.
    item(page, "eggs").locator("label").dblclick()
    edit = page.locator("ul.todo-list input.edit")
    expect(edit).to_have_count(1)
    expect(edit).to_be_focused()
    expect(edit).to_have_value("eggs")
    expect(page.locator("ul.todo-list > li.editing label")).to_have_text("eggs")
    edit.fill("  boiled eggs ")
    edit.press("Enter")
    expect(edit).to_have_count(0)
    expect_todos(
        page,
        [
            ["milk", "completed", True],
            ["bread", "completed", True],
            ["boiled eggs", "", False],
        ],
    )
    # Escape cancels; leaving the field saves.
    item(page, "milk").locator("label").dblclick()
    expect(edit).to_be_focused()
    edit.fill("cream")
    edit.press("Escape")
    expect(edit).to_have_count(0)
    item(page, "bread").locator("label").dblclick()
    expect(edit).to_be_focused()
    edit.fill("butter")
    field.click()  # the edit field loses the focus
    expect(edit).to_have_count(0)
    expect_todos(
        page,
        [
            ["milk", "completed", True],
            ["butter", "completed", True],
            ["boiled eggs", "", False],
        ],
    )

    # Destroy one, then clear the completed ones.
    item(page, "butter").locator("button.destroy").click()
    expect_todos(page, [["milk", "completed", True], ["boiled eggs", "", False]])
    clear.click()
    expect_todos(page, [["boiled eggs", "", False]])
    expect(clear).to_have_count(0)
    expect(count).to_have_text("1 item left")

    # Toggle all, both ways.
    page.locator("#toggle-all").click()
    expect_todos(page, [["boiled eggs", "completed", True]])
    expect(count).to_have_text("0 items left")
    expect(page.locator("#toggle-all")).to_be_checked()
    page.locator("#toggle-all").click()
    expect_todos(page, [["boiled eggs", "", False]])
    expect(page.locator("#toggle-all")).not_to_be_checked()

    # Destroying the last todo hides the main section and the footer again.
    item(page, "boiled eggs").locator("button.destroy").click()
    expect(page.locator("section.main")).to_have_count(0)
    expect(page.locator("footer.footer")).to_have_count(0)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_todomvc_todos_and_the_filter_survive_a_reload(visit, runtime):
    page = visit("todomvc", runtime).open()  # a fresh context: empty localStorage
    expect(page.locator("section.main")).to_have_count(0)
    add(page, "milk")
    add(page, "bread")
    add(page, "butter")
    item(page, "milk").locator("input.toggle").click()
    item(page, "bread").locator("button.destroy").click()
    item(page, "butter").locator("label").dblclick()  # an edit is saved as well
    edit = page.locator("ul.todo-list input.edit")
    edit.fill("bread")
    edit.press("Enter")
    expect_todos(page, [["milk", "completed", True], ["bread", "", False]])
    saved = [{"title": "milk", "completed": True}, {"title": "bread", "completed": False}]
    wait_saved(page, saved)

    page.reload()
    wait_hydrated(page)
    expect_todos(page, [["milk", "completed", True], ["bread", "", False]])
    expect(page.locator("span.todo-count")).to_have_text("1 item left")
    expect(page.locator("button.clear-completed")).to_have_count(1)

    # The filter comes back from the location's hash.
    page.get_by_role("link", name="Active", exact=True).click()
    expect_todos(page, [["bread", "", False]])
    page.reload()
    wait_hydrated(page)
    assert page.url.endswith("#/active")
    expect_todos(page, [["bread", "", False]])
    expect(page.locator("ul.filters a.selected")).to_have_text("Active")
    add(page, "eggs")  # the reloaded page goes on saving
    expect_todos(page, [["bread", "", False], ["eggs", "", False]])
    saved.append({"title": "eggs", "completed": False})
    wait_saved(page, saved)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_todomvc_two_tabs_stay_in_sync_through_storage(visit, runtime):
    v = visit("todomvc", runtime)
    first = v.open()
    second = v.open()  # the same browser context: the same localStorage

    add(first, "milk")
    expect_todos(second, [["milk", "", False]])
    add(second, "bread")
    item(second, "milk").locator("input.toggle").click()
    expect_todos(first, [["milk", "completed", True], ["bread", "", False]])
    expect(first.locator("span.todo-count")).to_have_text("1 item left")

    # An edit in one tab renames the todo in the other.
    item(first, "bread").locator("label").dblclick()
    edit = first.locator("ul.todo-list input.edit")
    expect(edit).to_be_focused()
    edit.fill("butter")
    edit.press("Enter")
    expect_todos(second, [["milk", "completed", True], ["butter", "", False]])

    # Each tab keeps its own filter (the hash is the tab's).
    second.get_by_role("link", name="Active", exact=True).click()
    expect_todos(second, [["butter", "", False]])
    add(first, "eggs")
    expect_todos(second, [["butter", "", False], ["eggs", "", False]])
    expect_todos(first, [["milk", "completed", True], ["butter", "", False], ["eggs", "", False]])

    # Destroying and clearing carry over too, down to the empty app.
    item(second, "butter").locator("button.destroy").click()
    expect_todos(first, [["milk", "completed", True], ["eggs", "", False]])
    first.locator("button.clear-completed").click()
    expect_todos(second, [["eggs", "", False]])
    item(first, "eggs").locator("button.destroy").click()
    expect(second.locator("section.main")).to_have_count(0)
    expect(second.locator("footer.footer")).to_have_count(0)
    wait_saved(second, [])
