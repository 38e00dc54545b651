"""Helpers for end-to-end tests of Lepta apps in Chromium, with `playwright`.

    from playwright.sync_api import sync_playwright
    from lepta.testing.browser import launch_chromium, wait_hydrated

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto("http://127.0.0.1:3000/")
        wait_hydrated(page)           # the page is interactive from here on
        page.click("text=+1")

Chromium comes from the system's packages (Debian: `apt-get install chromium`);
browsers that `playwright install` would download are not needed.
"""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
# Quiet on a closed network: no background downloads, updates or sync.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HYDRATED = "html[data-lepta-hydrated]"  # set by the loader once the page is interactive


def launch_chromium(playwright: Any, executable: str = CHROMIUM, **options: Any) -> Any:
    """`playwright.chromium.launch` on the system's Chromium, headless and quiet."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, **options)


def wait_hydrated(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the Lepta app in `page` has hydrated (Pyodide takes seconds)."""
    page.wait_for_selector(HYDRATED, state="attached", timeout=timeout_ms)
