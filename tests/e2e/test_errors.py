"""Python exceptions in the browser: shown with their traceback; the page goes on."""

from pathlib import Path

import pytest

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
