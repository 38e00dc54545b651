"""A page loaded before a redeploy calls a server function that changed: the server
answers 409 StaleClient, the page reloads once, and then works."""

import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from lepta.testing import browser as lepta_browser

from .conftest import free_port

VERSION = '''
from lepta import ServerError, component, signal, spawn
from lepta.html import button, div, p
from lepta.server_fn import server


@server
async def greet(name: str%(extra_param)s) -> str:
    return "v%(version)d: hello " + name


@component
def App():
    out, set_out = signal("")

    async def go():
        try:
            set_out(await greet("ada"%(extra_arg)s))
        except ServerError as error:
            set_out("error: " + type(error).__name__)

    return div(
        p("version %(version)d", id="version"),
        button("Greet", id="greet", on_click=lambda ev: spawn(go())),
        p(out, id="out"),
    )
'''
V1 = VERSION % {"version": 1, "extra_param": "", "extra_arg": ""}
V2 = VERSION % {"version": 2, "extra_param": ", polite: bool", "extra_arg": ", True"}

SERVE = textwrap.dedent("""
    import sys
    from lepta.build.bundle import ensure_built
    from lepta.server import run
    sys.exit(run(sys.argv[1], port=int(sys.argv[2]), build=ensure_built))
""")


class Deployment:
    """The app in a folder of its own, served by `lepta.server.run` on one port, and
    deployed again (the source changed, the server restarted) on demand."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.process = None
        folder.mkdir()
        (folder / "pyproject.toml").write_text(
            '[tool.lepta]\napp = "app:App"\nruntime = "micropython"\ntitle = "Skew"\n'
        )

    def deploy(self, source):
        self.stop()
        (self.folder / "app.py").write_text(source)
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.folder), str(self.port)],
            env=dict(os.environ, LEPTA_SECRET_KEY="s" * 40),
        )
        deadline = time.monotonic() + 120  # (it builds first)
        while True:
            assert self.process.poll() is None, "the server exited"
            try:
                urllib.request.urlopen(self.url + "/_lepta/health", timeout=2).read()
                return
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            assert self.process.wait(timeout=20) == 0
            self.process = None


@pytest.fixture
def deployment(tmp_path):
    d = Deployment(tmp_path / "skew_app")
    yield d
    if d.process is not None:
        d.process.kill()
        d.process.wait()


def greeted(page, expected):
    page.click("#greet")
    page.wait_for_function(
        "text => document.querySelector('#out').textContent === text", arg=expected
    )


def test_a_page_older_than_the_server_reloads_once_and_then_works(browser, deployment):
    deployment.deploy(V1)
    context = browser.new_context()
    page = context.new_page()
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    failures = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.goto(deployment.url + "/")
    lepta_browser.wait_hydrated(page)
    greeted(page, "v1: hello ada")
    page.evaluate("window.marker = 'before the redeploy'")

    deployment.deploy(V2)  # greet now takes another argument
    page.click("#greet")  # the old page's call: 409, and the page loads again
    page.wait_for_function("document.querySelector('#version').textContent === 'version 2'")
    lepta_browser.wait_hydrated(page)
    assert page.evaluate("window.marker") is None  # a new document
    greeted(page, "v2: hello ada")
    page.wait_for_timeout(500)
    assert len(loads) == 2  # the first load and one reload, no more
    assert failures == []
    context.close()


def test_a_page_still_stale_after_its_reload_does_not_reload_again(browser, deployment):
    deployment.deploy(V1)
    context = browser.new_context()
    page = context.new_page()
    page.goto(deployment.url + "/")
    lepta_browser.wait_hydrated(page)
    old_build = page.evaluate(
        "document.querySelector('script[data-lepta-bundle]').dataset.leptaBuild"
    )
    deployment.deploy(V2)
    # as if this page had reloaded from its build already and still got an old one
    page.evaluate("build => sessionStorage.setItem('lepta:reloaded-from', build)", old_build)
    page.evaluate("window.marker = 'kept'")
    greeted(page, "error: StaleClient")  # the error reaches the app; no reload
    page.wait_for_timeout(500)
    assert page.evaluate("window.marker") == "kept"
    context.close()
