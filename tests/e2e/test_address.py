"""The page's address and CSP nonce are the same for the server and the browser."""

from pathlib import Path

import pytest

from lepta.testing import browser as lepta_browser

from .conftest import RUNTIMES

ADDRESS = Path(__file__).parent / "apps" / "address"

# Counts the nodes taken out of the document: hydration that finds the server's HTML
# as it expects takes none out (a mismatch rebuilds what it covers).
COUNT_REMOVED = """
window.__removed = 0;
new MutationObserver((records) => {
  for (const r of records) window.__removed += r.removedNodes.length;
}).observe(document, { childList: true, subtree: true });
"""


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_encoded_path_hydrates_as_the_server_rendered_it(visit, runtime):
    v = visit(str(ADDRESS), runtime)
    page = v.page()
    page.add_init_script(COUNT_REMOVED)
    response = page.goto(v.base + "/caf%C3%A9/a%2Fb/x%20y?q=%C3%A9")
    lepta_browser.wait_hydrated(page)
    assert page.text_content("#path") == "/caf%C3%A9/a%2Fb/x%20y"
    assert page.text_content("#decoded") == "/café/a/b/x y"
    assert page.text_content("#segments") == "café | a/b | x y"
    assert page.text_content("#query") == "q=%C3%A9"
    assert page.evaluate("window.__removed") == 0
    assert page.evaluate("location.pathname") == page.text_content("#path")
    # The browser's code reads the same nonce as the server's policy names.
    policy = response.headers["content-security-policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert page.text_content("#has-nonce") == "a nonce"
    page.click("#show")
    page.wait_for_function("document.querySelector('#nonce').textContent !== ''")
    assert page.text_content("#nonce") == nonce
