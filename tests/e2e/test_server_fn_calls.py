"""Server functions called from browser code, on both runtimes."""

from pathlib import Path

import pytest

from .conftest import RUNTIMES

CALLS = str(Path(__file__).parent / "apps" / "calls")


def clicked(page, button, expected):
    page.click(button)
    page.wait_for_function(
        "text => document.querySelector('#out').textContent === text", arg=expected
    )


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_call_from_the_browser_gets_the_result(visit, runtime):
    page = visit(CALLS, runtime).open()
    clicked(page, "#double", "42")
    clicked(page, "#echo", "ababab")  # a GET, arguments in the query string


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_server_error_arrives_as_its_own_class_with_message_and_status(visit, runtime):
    v = visit(CALLS, runtime)
    page = v.open()
    clicked(page, "#buy", "OutOfStock: no more milk (409)")
    assert v.errors == [
        "Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]
    v.errors.clear()  # the browser's own log line for the refused request


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_streaming_function_is_read_chunk_by_chunk(visit, runtime):
    page = visit(CALLS, runtime).open()
    page.click("#count")
    page.wait_for_function("() => document.querySelector('#out').textContent === '1'")
    page.wait_for_function("() => document.querySelector('#out').textContent === '1 2 3'")
