"""The js-framework-benchmark example in Chromium, on both runtimes.

Rows are read with one `page.evaluate` each time, not thousands of locator calls.
"""

import importlib.util

import pytest
from playwright.sync_api import expect

from .conftest import EXAMPLES, RUNTIMES

SLOW = 120_000  # 10,000 rows take seconds on MicroPython
BUTTONS = {
    "run": "Create 1,000 rows",
    "runlots": "Create 10,000 rows",
    "add": "Append 1,000 rows",
    "update": "Update every 10th row",
    "clear": "Clear",
    "swaprows": "Swap Rows",
}

# Every row as [tag, {attributes}, [children]], text nodes as their text.
SHAPES = """() => {
  const shape = (n) => n.nodeType === 3 ? n.data
    : n.nodeType === 8 ? ['#comment', n.data]
    : [n.tagName.toLowerCase(),
       Object.fromEntries(Array.from(n.attributes, (a) => [a.name, a.value])),
       Array.from(n.childNodes, shape)];
  return Array.from(document.querySelectorAll('#tbody > tr'), shape);
}"""
# Every row as [id, label, class attribute or null].
ROWS = """() => Array.from(document.querySelectorAll('#tbody > tr'), (tr) =>
  [Number(tr.children[0].textContent), tr.querySelector('a.lbl').textContent,
   tr.getAttribute('class')])"""
COUNT_IS = "(n) => document.querySelectorAll('#tbody > tr').length === n"


def load_app():
    """The example's app.py, for its word lists and its label generator."""
    path = EXAMPLES / "js_framework_benchmark" / "app.py"
    spec = importlib.util.spec_from_file_location("e2e_js_framework_benchmark_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_app()


def expected_labels(count):
    """The first `count` labels of a page: its generator starts from seed 1 on every
    runtime, as on CPython here."""
    random = bench.Random(1)
    pick = random.choice
    return [
        "%s %s %s" % (pick(bench.ADJECTIVES), pick(bench.COLOURS), pick(bench.NOUNS))
        for _ in range(count)
    ]


def row_markup(row_id, label):
    return [
        "tr",
        {},
        [
            ["td", {"class": "col-md-1"}, [str(row_id)]],
            ["td", {"class": "col-md-4"}, [["a", {"class": "lbl"}, [label]]]],
            [
                "td",
                {"class": "col-md-1"},
                [
                    [
                        "a",
                        {"class": "remove"},
                        [
                            [
                                "span",
                                {
                                    "class": "remove glyphicon glyphicon-remove",
                                    "aria-hidden": "true",
                                },
                                [],
                            ]
                        ],
                    ]
                ],
            ],
            ["td", {"class": "col-md-6"}, []],
        ],
    ]


def rows(page):
    return page.evaluate(ROWS)


def ids(page):
    return [row[0] for row in rows(page)]


def press(page, button_id, count):
    """Click a button, then wait until the table has `count` rows."""
    page.click("#" + button_id, timeout=SLOW)
    page.wait_for_function(COUNT_IS, arg=count, timeout=SLOW)


def selected(page):
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#tbody > tr.danger'),"
        " (tr) => Number(tr.children[0].textContent))"
    )


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_benchmark_is_server_rendered_with_its_buttons_and_an_empty_table(visit, runtime):
    page = visit("js_framework_benchmark", runtime, scripts=False).open(wait_hydrated=False)
    buttons = page.evaluate(
        "() => Array.from(document.querySelectorAll('button'),"
        " (b) => [b.id, b.textContent, b.type, b.className])"
    )
    assert buttons == [
        [id, text, "button", "btn btn-primary btn-block"] for id, text in BUTTONS.items()
    ]
    assert page.get_attribute("div.container > table", "class") == (
        "table table-hover table-striped test-data"
    )
    assert page.locator("table > tbody#tbody").count() == 1
    assert page.locator("#tbody > *").count() == 0  # no rows (a comment marks the list)
    assert page.text_content("#tbody") == ""
    assert page.get_attribute("span.preloadicon", "class") == (
        "preloadicon glyphicon glyphicon-remove"
    )
    assert page.get_attribute("span.preloadicon", "aria-hidden") == "true"
    assert page.get_attribute("html", "data-lepta-hydrated") is None


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_benchmark_run_update_select_swap_and_remove_rows(visit, runtime):
    page = visit("js_framework_benchmark", runtime).open()
    page.click("#swaprows")  # no rows: nothing to swap, nothing breaks

    press(page, "run", 1000)
    labels = expected_labels(1000)
    assert page.evaluate(SHAPES) == [
        row_markup(i, label) for i, label in enumerate(labels, start=1)
    ]
    for label in labels:
        adjective, colour, noun = label.split(" ")
        assert adjective in bench.ADJECTIVES and colour in bench.COLOURS
        assert noun in bench.NOUNS
    assert len(set(labels)) > 500  # well mixed

    page.click("#update")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#tbody a.lbl'))"
        ".filter((a) => a.textContent.endsWith(' !!!')).length === 100"
    )
    updated = [label + " !!!" if i % 10 == 0 else label for i, label in enumerate(labels)]
    assert [row[1] for row in rows(page)] == updated

    lbl = page.locator("#tbody > tr a.lbl")
    lbl.nth(3).click()
    expect(page.locator("#tbody > tr.danger")).to_have_count(1)
    assert selected(page) == [4]
    lbl.nth(5).click()
    expect(page.locator("#tbody > tr:nth-child(6)")).to_have_class("danger")
    expect(page.locator("#tbody > tr.danger")).to_have_count(1)
    assert selected(page) == [6]

    page.click("#swaprows")
    page.wait_for_function(
        "() => { const trs = document.querySelectorAll('#tbody > tr');"
        " return trs[1].children[0].textContent === '999'"
        " && trs[998].children[0].textContent === '2'; }"
    )
    swapped = list(range(1, 1001))
    swapped[1], swapped[998] = 999, 2
    assert ids(page) == swapped
    by_id = dict(enumerate(updated, start=1))
    assert [row[1] for row in rows(page)] == [by_id[i] for i in swapped]  # labels moved too
    assert selected(page) == [6]

    # The cross is an empty, invisible link: dispatch the click a user's would be.
    page.locator("#tbody > tr:nth-child(3) a.remove").dispatch_event("click")
    page.wait_for_function(COUNT_IS, arg=999)
    assert ids(page) == swapped[:2] + swapped[3:]
    page.locator("#tbody > tr:nth-child(1) a.remove").dispatch_event("click")
    page.wait_for_function(COUNT_IS, arg=998)
    assert ids(page) == swapped[1:2] + swapped[3:]
    assert selected(page) == [6]
    page.locator("#tbody > tr.danger a.remove").dispatch_event("click")  # the selected one
    page.wait_for_function(COUNT_IS, arg=997)
    assert 6 not in ids(page) and selected(page) == []


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_benchmark_add_appends_clear_empties_and_runlots_makes_ten_thousand(visit, runtime):
    page = visit("js_framework_benchmark", runtime).open()
    numbered = page.evaluate("() => leptaBridge.counts()")  # the page's own nodes
    press(page, "run", 1000)
    assert page.evaluate("() => leptaBridge.counts()")["clones"] == numbered["clones"] + 1000
    page.locator("#tbody > tr:nth-child(10) a.lbl").click()
    expect(page.locator("#tbody > tr.danger")).to_have_count(1)
    first = rows(page)

    press(page, "add", 2000)
    after = rows(page)
    assert [row[0] for row in after] == list(range(1, 2001))  # ids continue
    assert after[:1000] == first  # the first thousand untouched, still selected
    assert [row[1] for row in after] == expected_labels(2000)
    assert selected(page) == [10]

    press(page, "clear", 0)
    assert page.locator("#tbody > *").count() == 0
    assert page.evaluate("() => leptaBridge.counts()") == numbered  # all forgotten

    press(page, "run", 1000)  # ids keep increasing after a clear, nothing selected
    assert ids(page) == list(range(2001, 3001))
    assert selected(page) == []

    press(page, "runlots", 10000)  # replaces the rows
    assert ids(page) == list(range(3001, 13001))
    assert [row[1] for row in rows(page)] == expected_labels(13000)[3000:]
    page.click("#swaprows", timeout=SLOW)
    page.wait_for_function(
        "() => document.querySelectorAll('#tbody > tr')[1].children[0].textContent === '3999'",
        timeout=SLOW,
    )
    swapped = ids(page)
    assert (swapped[0], swapped[1], swapped[998], swapped[999]) == (3001, 3999, 3002, 4000)
    assert swapped[2:998] + swapped[1000:] == list(range(3003, 3999)) + list(range(4001, 13001))
