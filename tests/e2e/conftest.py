"""End-to-end fixtures: example apps served by `lepta serve`, driven in Chromium.

Each (example, runtime) is served once per session by a real `lepta serve` process
on a free loopback port. Every page records requests that leave the test server and
console errors; a test fails if there were any.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from lepta.testing import browser as lepta_browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
RUNTIMES = ["micropython", "pyodide"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Servers:
    """`lepta serve` processes, one per (example, runtime), started on first use."""

    def __init__(self) -> None:
        self.running: dict[tuple[str, str], tuple[subprocess.Popen[bytes], str]] = {}

    def url(self, example: str, runtime: str) -> str:
        key = (example, runtime)
        if key not in self.running:
            port = free_port()
            lepta = shutil.which("lepta", path=os.path.dirname(sys.executable)) or "lepta"
            process = subprocess.Popen(
                [lepta, "serve", str(EXAMPLES / example), "--port", str(port), "--runtime", runtime]
            )
            url = "http://127.0.0.1:%d" % port
            self.running[key] = (process, url)
            wait_until_up(process, url)
        return self.running[key][1]

    def stop(self) -> None:
        for process, _ in self.running.values():
            process.terminate()
        for process, _ in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_up(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 120  # the first build of a Pyodide app compresses it
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("lepta serve exited with %s" % process.returncode)
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("lepta serve did not answer at %s" % url)


@pytest.fixture(scope="session")
def servers() -> Any:
    s = Servers()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser() -> Any:
    with sync_playwright() as p:
        b = lepta_browser.launch_chromium(p)
        yield b
        b.close()


class Visit:
    """A browser context on one served app, recording what must not happen."""

    def __init__(self, browser: Browser, base: str, scripts: bool = True) -> None:
        self.base = base
        self.scripts = scripts
        self.context = browser.new_context(java_script_enabled=scripts)
        self.foreign: list[str] = []  # requests that left the test server
        self.errors: list[str] = []  # console errors and uncaught exceptions
        self.context.on("request", self._request)

    def _request(self, request: Any) -> None:
        url = request.url
        if not (url.startswith(self.base + "/") or url.startswith("data:")):
            self.foreign.append(url)

    def page(self) -> Page:
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def open(self, wait_hydrated: bool = True) -> Page:
        page = self.page()
        page.goto(self.base + "/")
        if wait_hydrated:
            lepta_browser.wait_hydrated(page)
        return page

    def open_marked(self, path: str) -> tuple[Page, Any]:
        """A page at `path` and the response; with scripts, hydrated and marked, so
        that `kept(page)` tells whether it was ever loaded again."""
        page = self.page()
        response = page.goto(self.base + path)
        if self.scripts:
            lepta_browser.wait_hydrated(page)
            page.evaluate("window.marker = 'kept'")
        return page, response

    def close(self) -> None:
        self.context.close()


def kept(page: Page) -> bool:
    """Whether the page marked by `Visit.open_marked` is still the same document."""
    return bool(page.evaluate("window.marker") == "kept")


@pytest.fixture
def visit(browser: Browser, servers: Servers) -> Any:
    """visit(example, runtime, scripts=True) -> Visit; checked when the test ends."""
    opened: list[Visit] = []

    def make(example: str, runtime: str, scripts: bool = True) -> Visit:
        v = Visit(browser, servers.url(example, runtime), scripts)
        opened.append(v)
        return v

    yield make
    close_and_check(opened)


def close_and_check(visits: list[Visit]) -> None:
    """Close the visits; fail if a request left the test server or the console had
    an error."""
    for v in visits:
        v.close()
    for v in visits:
        assert v.foreign == [], "requests left the test server: %s" % v.foreign
        assert v.errors == [], "console errors: %s" % v.errors
