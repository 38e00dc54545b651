"""`lepta dev` end to end: files edited on disk, the page in Chromium following them."""

import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from lepta.testing.browser import wait_hydrated

from .conftest import free_port, wait_until_up

APP = '''
from lepta import component, signal
from lepta.html import button, div, h1, span


@component
def App():
    count, set_count = signal(0)
    return div(
        h1("First title", id="title"),
        button("+1", on_click=lambda ev: set_count(count() + 1), id="up"),
        span(count, id="count"),
    )
'''
STYLE = "h1 { color: rgb(10, 20, 30); }\n"
OVERLAY = "#lepta-dev-overlay"


class Dev:
    """`lepta dev` on an app in a folder of the test's own, on a free port."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        lepta = shutil.which("lepta", path=os.path.dirname(sys.executable)) or "lepta"
        self.process = subprocess.Popen(
            [lepta, "dev", str(folder), "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_until_up(self.process, self.url)

    def edit(self, name, old, new):
        path = self.folder / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def stop(self):
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


@pytest.fixture
def dev(tmp_path):
    folder = tmp_path / "devapp"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP))
    (folder / "style.css").write_text(STYLE)
    (folder / "pyproject.toml").write_text(
        '[tool.lepta]\napp = "app:App"\nruntime = "micropython"\nstyle = "style.css"\n'
    )
    server = Dev(folder)
    yield server
    server.output = server.stop()


@pytest.fixture
def page(browser, dev):
    context = browser.new_context()
    errors = []
    opened = context.new_page()
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(dev.url + "/")
    wait_hydrated(opened)
    opened.evaluate("window.marker = 'kept'")
    yield opened
    context.close()
    assert errors == []


def kept(page):
    return page.evaluate("window.marker") == "kept"


def wait_text(page, selector, text, timeout=15_000):
    page.wait_for_function(
        "([s, t]) => document.querySelector(s) && document.querySelector(s).textContent === t",
        arg=[selector, text],
        timeout=timeout,
    )


def test_an_edit_of_a_component_shows_its_new_text_in_the_open_page(dev, page):
    dev.edit("app.py", "First title", "Second title")
    wait_text(page, "#title", "Second title")
    assert not kept(page)  # the page loaded again, with the new code
    wait_hydrated(page)
    page.click("#up")
    wait_text(page, "#count", "1")  # and it is interactive


def test_a_broken_file_shows_the_overlay_and_fixing_it_brings_the_page_back(dev, page):
    dev.edit("app.py", "First title", "Second title\n    def broken(:")
    page.wait_for_selector(OVERLAY)
    overlay = page.inner_text(OVERLAY)
    assert "Build failed" in overlay and "SyntaxError" in overlay and "app.py" in overlay
    assert kept(page)  # the page stays under the overlay, the old code serving
    dev.edit("app.py", "\n    def broken(:", "")
    wait_text(page, "#title", "Second title")
    assert page.query_selector(OVERLAY) is None


def test_an_exception_on_import_shows_its_traceback_and_fixing_it_recovers(dev, page):
    raising = "raise ValueError('no such thing')\n\n\n@component\ndef App"
    dev.edit("app.py", "@component\ndef App", raising)
    page.wait_for_selector(OVERLAY)
    overlay = page.inner_text(OVERLAY)
    assert "Traceback (most recent call last)" in overlay
    assert "ValueError: no such thing" in overlay and "app.py" in overlay
    dev.edit("app.py", "raise ValueError('no such thing')\n", "")
    page.wait_for_selector(OVERLAY, state="detached")
    wait_text(page, "#title", "First title")
    output = dev.stop()
    assert "ValueError: no such thing" in output  # the terminal has it too


def test_an_exception_while_rendering_shows_in_the_overlay_then_the_fixed_page(dev, page):
    dev.edit("app.py", 'h1("First title"', 'h1(1 / 0, "First title"')
    page.wait_for_selector(OVERLAY)  # (the page loaded again, and failed)
    overlay = page.inner_text(OVERLAY)
    assert "Error while rendering /" in overlay
    assert "ZeroDivisionError" in overlay and "app.py" in overlay
    dev.edit("app.py", 'h1(1 / 0, "First title"', 'h1("Fixed title"')
    wait_text(page, "#title", "Fixed title")
    assert page.query_selector(OVERLAY) is None
    assert "ZeroDivisionError" in dev.stop()


def test_a_stylesheet_edit_swaps_the_stylesheet_without_a_reload(dev, page):
    color = "getComputedStyle(document.querySelector('#title')).color"
    assert page.evaluate(color) == "rgb(10, 20, 30)"
    page.click("#up")
    dev.edit("style.css", "rgb(10, 20, 30)", "rgb(200, 100, 50)")
    page.wait_for_function("%s === 'rgb(200, 100, 50)'" % color, timeout=10_000)
    assert kept(page)
    assert page.inner_text("#count") == "1"  # the page's state is still there
    assert len(page.query_selector_all('link[rel="stylesheet"]')) == 1


def test_a_new_page_during_an_error_shows_the_overlay_over_the_last_good_page(dev, browser):
    dev.edit("app.py", "First title", "Second title\n    def broken(:")
    deadline = time.monotonic() + 10
    while "Build failed" not in _state(dev.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    context = browser.new_context()
    try:
        fresh = context.new_page()
        fresh.goto(dev.url + "/")
        fresh.wait_for_selector(OVERLAY)
        assert "SyntaxError" in fresh.inner_text(OVERLAY)
        assert fresh.inner_text("#title") == "First title"
    finally:
        context.close()


def _state(url):
    """The first state the events endpoint sends."""
    import urllib.request

    with urllib.request.urlopen(url + "/_lepta/dev/events", timeout=5) as response:
        lines = []
        while not any(line.startswith(b"data:") for line in lines):
            lines.append(response.readline())
    return b"".join(lines).decode()
