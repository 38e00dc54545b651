"""The counters example in Chromium, on both runtimes."""

import pytest
from playwright.sync_api import expect

from .conftest import RUNTIMES

SLOW = 60_000  # a thousand rows at once, on MicroPython


def button(scope, name):
    return scope.get_by_role("button", name=name, exact=True)


def expect_totals(page, total, count, timeout=5_000):
    expect(page.locator("#total")).to_have_text(total, timeout=timeout)
    expect(page.locator("#counters")).to_have_text(count, timeout=timeout)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_counters_are_server_rendered_with_zero_totals_and_no_counters(visit, runtime):
    page = visit("counters", runtime, scripts=False).open(wait_hydrated=False)
    assert page.locator("button").all_text_contents() == [
        "Add Counter",
        "Add 1000 Counters",
        "Clear Counters",
    ]
    assert page.text_content("p") == "Total: 0 from 0 counters."
    assert page.text_content("#total") == "0"
    assert page.text_content("#counters") == "0"
    assert page.locator("ul").count() == 1
    assert page.locator("ul > *").count() == 0
    assert page.get_attribute("html", "data-lepta-hydrated") is None


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_counters_step_type_and_remove_with_live_totals(visit, runtime):
    page = visit("counters", runtime).open()
    rows = page.locator("ul > li")
    button(page, "Add Counter").click()
    button(page, "Add Counter").click()
    expect(rows).to_have_count(2)
    expect_totals(page, "0", "2")
    first, second = rows.nth(0), rows.nth(1)
    expect(first.locator("input")).to_have_value("0")
    expect(first.locator("span")).to_have_text("0")

    button(first, "+1").click()
    expect(first.locator("span")).to_have_text("1")
    expect(first.locator("input")).to_have_value("1")
    expect_totals(page, "1", "2")
    button(first, "+1").click()
    button(second, "-1").click()
    expect(first.locator("span")).to_have_text("2")
    expect(second.locator("span")).to_have_text("-1")
    expect(second.locator("input")).to_have_value("-1")
    expect_totals(page, "1", "2")

    second.locator("input").fill("10")  # typing a number sets the counter
    expect(second.locator("span")).to_have_text("10")
    expect_totals(page, "12", "2")
    second.locator("input").fill("-")  # not a number (yet): the value stays
    expect(second.locator("span")).to_have_text("10")
    expect_totals(page, "12", "2")
    second.locator("input").fill("-5")
    expect(second.locator("span")).to_have_text("-5")
    expect_totals(page, "-3", "2")
    button(second, "+1").click()  # the typed value steps on from there
    expect(second.locator("span")).to_have_text("-4")
    expect(second.locator("input")).to_have_value("-4")

    button(first, "x").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("span")).to_have_text("-4")
    expect_totals(page, "-4", "1")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_counters_add_a_thousand_then_clear_them_all(visit, runtime):
    page = visit("counters", runtime).open()
    rows = page.locator("ul > li")
    button(page, "Add Counter").click()
    button(page, "+1").click()
    expect_totals(page, "1", "1")

    button(page, "Add 1000 Counters").click(timeout=SLOW)
    expect(rows).to_have_count(1001, timeout=SLOW)
    expect_totals(page, "1", "1001", timeout=SLOW)
    values = page.evaluate(
        "() => Array.from(document.querySelectorAll('ul > li'),"
        " li => [li.querySelector('input').value, li.querySelector('span').textContent])"
    )
    assert values == [["1", "1"]] + [["0", "0"]] * 1000

    button(rows.nth(500), "+1").click()
    button(rows.nth(1000), "+1").click()
    button(rows.nth(1000), "+1").click()
    expect(rows.nth(1000).locator("span")).to_have_text("2")
    expect_totals(page, "4", "1001")
    button(rows.nth(500), "x").click()
    expect(rows).to_have_count(1000)
    expect_totals(page, "3", "1000")

    button(page, "Clear Counters").click(timeout=SLOW)
    expect(rows).to_have_count(0, timeout=SLOW)
    expect_totals(page, "0", "0")
    button(page, "Add Counter").click()  # the list still works after clearing
    expect(rows).to_have_count(1)
    expect_totals(page, "0", "1")
