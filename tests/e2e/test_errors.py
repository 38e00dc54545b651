"""Python exceptions in the browser: shown with their traceback; the page goes on."""

from pathlib import Path

import pytest

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES

FAULTY = Path(__file__).parent / "apps" / "faulty"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_exception_in_a_handler_or_effect_is_logged_with_its_traceback(visit, runtime):
    v = visit(str(FAULTY), runtime)  # an absolute path is served as it is
    page = v.open()
    page.click("#raise")
    page.click("#plus")
    assert page.text_content("#count") == "1"  # still working
    page.click("#arm")
    page.click("#plus")
    assert page.text_content("#count") == "2"
    assert len(v.errors) == 2
    handler, effect = v.errors
    assert "a click handler raised" in handler and "Traceback" in handler
    assert "boom in a handler" in handler and "explode" in handler
    assert "an effect raised" in effect and "boom in an effect" in effect
    v.errors.clear()  # expected here; the fixture checks for any others


FLAWED = Path(__file__).parent / "apps" / "flawed"


def console_of(page):
    """The page's console messages, as (type, text), from now on."""
    messages = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    return messages


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_hydration_mismatch_is_one_console_warning_naming_the_components(visit, runtime):
    v = visit(str(FLAWED), runtime)
    page = v.page()
    messages = console_of(page)
    page.goto(v.base + "/mismatch")
    wait_hydrated(page)
    assert page.text_content("#greeting") == "from the browser"  # rebuilt, working
    page.evaluate("() => 0")  # (a round trip: the console's messages have arrived)
    warnings = [text for kind, text in messages if kind == "warning"]
    assert len(warnings) == 1, warnings
    chain = "App > Router > Routes > RouteView > Panel > Greeting"
    assert "does not match the view in %s:" % chain in warnings[0]
    assert "expected text 'from the browser', found text 'from the server'" in warnings[0]


@pytest.mark.parametrize("runtime", RUNTIMES)
@pytest.mark.parametrize("path", ["/unhandled", "/in_order/unhandled"])
def test_a_suspense_failing_with_no_error_boundary_keeps_its_fallback_in_the_browser(
    visit, runtime, path
):
    v = visit(str(FLAWED), runtime)
    page = v.page()
    messages = console_of(page)
    page.goto(v.base + path)
    wait_hydrated(page)
    page.evaluate("() => 0")
    assert page.text_content("#fallback") == "Loading..."
    assert page.text_content("#after") == "after"
    assert page.locator("#bad").count() == 0
    assert [text for _, text in messages if text.startswith("fetch:")] == []  # not again
    assert [text for kind, text in messages if kind == "warning"] == []  # no mismatch
    assert len(v.errors) == 1, v.errors
    assert "a Suspense failed on the server" in v.errors[0]
    assert "App > Router > Routes > RouteView > Unhandled > Suspense" in v.errors[0]
    assert "ResourceError: bad failed" in v.errors[0]
    v.errors.clear()  # expected here; the fixture checks for any others
