"""The counter example in Chromium, on both runtimes."""

import pytest

from lepta.testing.browser import wait_hydrated

from .conftest import RUNTIMES


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_counter_is_server_rendered_before_any_script_runs(visit, runtime):
    page = visit("counter", runtime, scripts=False).open(wait_hydrated=False)
    assert page.locator("button").all_text_contents() == ["Clear", "-1", "+1"]
    assert page.text_content("span") == "Value: 0!"
    assert page.get_attribute("html", "data-lepta-hydrated") is None


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_counter_buttons_change_the_value_after_hydration(visit, runtime):
    page = visit("counter", runtime).open()
    page.click("text=+1")
    page.click("text=+1")
    page.click("text=+1")
    assert page.text_content("span") == "Value: 3!"
    page.click("text=-1")
    assert page.text_content("span") == "Value: 2!"
    page.click("text=Clear")
    assert page.text_content("span") == "Value: 0!"
    page.click("text=-1")
    assert page.text_content("span") == "Value: -1!"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_hydration_adopts_the_server_nodes_and_announces_itself(visit, runtime):
    v = visit("counter", runtime)
    page = v.page()
    # Before the runtime starts, mark a server node and listen for the announcement.
    page.add_init_script(
        "document.addEventListener('lepta:hydrated', () => { window.heard = true; });"
        "document.addEventListener('DOMContentLoaded', () => {"
        "  document.querySelector('span').dataset.mark = 'server'; });"
    )
    page.goto(v.base + "/")
    wait_hydrated(page)
    assert page.evaluate("window.heard") is True
    page.click("text=+1")
    assert page.get_attribute("span", "data-mark") == "server"  # the same node, updated
    assert page.text_content("span") == "Value: 1!"
