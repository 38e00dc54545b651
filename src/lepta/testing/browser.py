"""Helpers for end-to-end tests of Lepta apps in Chromium, with `playwright`.

    from playwright.sync_api import sync_playwright
    from lepta.testing.browser import AppServer, launch_chromium, wait_hydrated

    with AppServer("examples/counter") as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(server.url + "/")
        wait_hydrated(page)           # the page is interactive from here on
        page.click("text=+1")

Chromium comes from the system's packages (Debian: `apt-get install chromium`);
browsers that `playwright install` would download are not needed. (With pytest,
the `lepta_page` fixture does all of this: see docs/testing.md.)
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "LEPTA_CHROMIUM"  # another Chromium's path, if set
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


def launch_chromium(playwright: Any, executable: str | None = None, **options: Any) -> Any:
    """`playwright.chromium.launch` on the system's Chromium (`executable`, else
    $LEPTA_CHROMIUM, else /usr/bin/chromium), headless and quiet."""
    executable = executable or os.environ.get(CHROMIUM_ENV) or CHROMIUM
    if not os.path.exists(executable):
        raise FileNotFoundError(
            "no Chromium at %s: install the system's (Debian: `apt-get install chromium`) "
            "or give its path in $%s (not `playwright install`)" % (executable, CHROMIUM_ENV)
        )
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, **options)


def wait_hydrated(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the Lepta app in `page` has hydrated (Pyodide takes seconds)."""
    page.wait_for_selector(HYDRATED, state="attached", timeout=timeout_ms)


class AppServer:
    """`lepta serve APP_DIR` in a process of its own, on a free loopback port.

        with AppServer("examples/todo_app_sqlite") as server:
            ...                                   # server.url: "http://127.0.0.1:PORT"

    `runtime` as for `lepta serve --runtime` (by default the app's own). As with
    `lepta.testing.client`, `database=True` gives the app a new SQLite file in a
    temporary folder through DATABASE_URL (a str: that URL; False: none), and `env`
    sets more environment variables of the process. `start()` builds the app if
    needed and waits until it answers (`timeout` seconds: a first Pyodide build
    takes a while).
    """

    def __init__(
        self,
        app_dir: str | os.PathLike[str],
        runtime: str | None = None,
        *,
        database: bool | str = True,
        env: dict[str, str] | None = None,
        timeout: float = 180,
    ) -> None:
        self.app_dir = os.fspath(app_dir)
        self.runtime = runtime
        self.database = database
        self.env = dict(env or {})
        self.timeout = timeout
        self.url = ""
        self.process: Any = None
        self._scratch: Any = None

    def start(self) -> str:
        """Start serving (once); returns the base URL, with no trailing slash."""
        import subprocess
        import sys
        import tempfile

        if self.process is not None:
            return self.url
        env = dict(os.environ)
        env.update(self.env)
        if self.database is True:
            self._scratch = tempfile.TemporaryDirectory(prefix="lepta-test-")
            env["DATABASE_URL"] = "sqlite:///%s" % os.path.join(self._scratch.name, "app.db")
        elif isinstance(self.database, str):
            env["DATABASE_URL"] = self.database
        port = free_port()
        command = [sys.executable, "-m", "lepta.cli", "serve", self.app_dir, "--port", str(port)]
        if self.runtime:
            command += ["--runtime", self.runtime]
        self.process = subprocess.Popen(command, env=env)
        self.url = "http://127.0.0.1:%d" % port
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        """Stop the process (and delete the database it was given)."""
        import subprocess

        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _wait_until_up(self) -> None:
        import time
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise RuntimeError(
                    "`lepta serve %s` exited with status %s: its output above says why"
                    % (self.app_dir, code)
                )
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return
            except urllib.error.HTTPError:  # it answers (with no page at /)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            "`lepta serve %s` did not answer at %s within %d s"
            % (self.app_dir, self.url, self.timeout)
        )


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
