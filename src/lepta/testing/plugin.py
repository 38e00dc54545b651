"""The pytest plugin of `lepta.testing`, registered by the package (nothing to set up).

Fixtures:

- `lepta_client`: a `LeptaClient` of the app, open (its setup ran) with a new
  temporary SQLite database in DATABASE_URL, for this test only;
- `lepta_page`: a Playwright page on the app served by `lepta serve` (one server
  per app for the whole session), at "/" and hydrated; a console error or an
  uncaught exception in the page fails the test (unless the test takes them out
  of `lepta_console_errors`);
- `lepta_url`, `lepta_browser`, `lepta_app_dir`: the served app's base URL, the
  session's Chromium, the app's folder.

Pages made by `lepta.testing.render` / `render_server` are unmounted after each test.

The app's folder, first found: the test's marker, `--lepta-app`, `lepta_app` in
the pytest settings (relative paths from the rootdir):

    @pytest.mark.lepta_app("examples/counter")              # or runtime="pyodide"
    def test_counter(lepta_page): ...

    [tool.pytest.ini_options]
    lepta_app = "."

Chromium is the system's (/usr/bin/chromium), or `--lepta-chromium PATH`, or
`lepta_chromium`, or $LEPTA_CHROMIUM; `playwright install` is never needed.
Tests that use a browser run after the others (Playwright's synchronous API keeps
an event loop on the main thread, which would stop async tests from starting theirs).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BROWSER_FIXTURES = ("lepta_page", "lepta_browser")


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("lepta", "Lepta apps (lepta.testing)")
    group.addoption(
        "--lepta-app",
        default=None,
        help="the Lepta app folder that lepta_client and lepta_page serve "
        "(a test's @pytest.mark.lepta_app wins)",
    )
    group.addoption(
        "--lepta-runtime",
        default=None,
        help="the runtime lepta_page serves: micropython or pyodide (default: the app's)",
    )
    group.addoption(
        "--lepta-chromium",
        default=None,
        help="the Chromium lepta_page drives (default: $LEPTA_CHROMIUM, else /usr/bin/chromium)",
    )
    parser.addini("lepta_app", "the Lepta app folder lepta_client and lepta_page serve")
    parser.addini("lepta_runtime", "the runtime lepta_page serves (default: the app's)")
    parser.addini("lepta_chromium", "the Chromium lepta_page drives")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers",
        "lepta_app(path, runtime=None): the Lepta app folder (relative to the rootdir) "
        "that the lepta_client and lepta_page fixtures serve",
    )


def pytest_collection_modifyitems(items: list[Any]) -> None:
    def uses_browser(item: Any) -> bool:
        return any(name in getattr(item, "fixturenames", ()) for name in BROWSER_FIXTURES)

    items.sort(key=uses_browser)


@pytest.fixture(autouse=True)
def _lepta_unmount_pages() -> Any:
    yield
    page = sys.modules.get("lepta.testing._page")  # imported only if a test rendered
    if page is not None:
        page.unmount_all()


def _setting(config: Any, name: str) -> str | None:
    value = config.getoption("--" + name.replace("_", "-"))
    return value or config.getini(name) or None


def _app_and_runtime(request: Any) -> tuple[Path, str | None]:
    config = request.config
    marker = request.node.get_closest_marker("lepta_app")
    runtime = _setting(config, "lepta_runtime")
    if marker is not None:
        if not marker.args:
            raise pytest.UsageError('@pytest.mark.lepta_app needs the folder: lepta_app("path")')
        folder = str(marker.args[0])
        runtime = marker.kwargs.get("runtime", runtime)
    else:
        found = _setting(config, "lepta_app")
        if found is None:
            raise pytest.UsageError(
                "%s needs a Lepta app folder: mark the test "
                '@pytest.mark.lepta_app("path/to/app"), pass --lepta-app PATH, or set '
                'lepta_app = "path/to/app" under [tool.pytest.ini_options]' % request.fixturename
            )
        folder = found
    path = Path(folder)
    if not path.is_absolute():
        path = Path(config.rootpath) / path
    return path, runtime


@pytest.fixture
def lepta_app_dir(request: Any) -> Path:
    """The folder of the Lepta app under test (see this module's docstring)."""
    return _app_and_runtime(request)[0]


@pytest.fixture
def lepta_client(request: Any) -> Any:
    """A `LeptaClient` of the app, open, with a temporary database of its own.

        @pytest.mark.lepta_app("examples/todo_app_sqlite")
        def test_adding(lepta_client):
            lepta_client.call("todos.add_todo", title="Buy milk")
            assert lepta_client.page("/").get_by_text("Buy milk")
    """
    from ._client import LeptaClient

    folder, runtime = _app_and_runtime(request)
    with LeptaClient(folder, runtime=runtime) as opened:
        yield opened


class _Servers:
    """`lepta serve` processes, one per (folder, runtime), started on first use."""

    def __init__(self) -> None:
        self.running: dict[tuple[Path, str | None], Any] = {}

    def url(self, folder: Path, runtime: str | None) -> str:
        from .browser import AppServer

        key = (folder, runtime)
        if key not in self.running:
            server = AppServer(folder, runtime)
            server.start()
            self.running[key] = server
        return str(self.running[key].url)

    def stop(self) -> None:
        for server in self.running.values():
            server.stop()


@pytest.fixture(scope="session")
def _lepta_servers() -> Any:
    servers = _Servers()
    yield servers
    servers.stop()


@pytest.fixture
def lepta_url(request: Any, _lepta_servers: _Servers) -> str:
    """The base URL ("http://127.0.0.1:PORT") of the app served by `lepta serve`
    (started once per app and runtime for the session, with a temporary database)."""
    folder, runtime = _app_and_runtime(request)
    return _lepta_servers.url(folder, runtime)


@pytest.fixture(scope="session")
def lepta_browser(pytestconfig: Any) -> Any:
    """The session's headless Chromium (a Playwright Browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise pytest.UsageError(
            "lepta_page needs Playwright for Python: `pip install playwright` (the browser "
            "itself is the system's Chromium: no `playwright install`)"
        ) from None
    from .browser import launch_chromium

    executable = _setting(pytestconfig, "lepta_chromium")
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright, executable)
        except FileNotFoundError as exc:
            raise pytest.UsageError(str(exc)) from None
        yield browser
        browser.close()


@pytest.fixture
def lepta_console_errors() -> list[str]:
    """The console errors and uncaught exceptions of the `lepta_page` so far; the test
    fails if any are left when it ends (clear the ones it expects)."""
    return []


@pytest.fixture
def lepta_page(lepta_browser: Any, lepta_url: str, lepta_console_errors: list[str]) -> Any:
    """A Playwright page on the served app, at "/", hydrated (interactive).

        @pytest.mark.lepta_app("examples/counter")
        def test_counter(lepta_page):
            lepta_page.get_by_role("button", name="+1").click()
            expect(lepta_page.get_by_text("Value: 1!")).to_be_visible()

    Its context has the app's `base_url`: `lepta_page.goto("/about")`, then
    `lepta.testing.browser.wait_hydrated(lepta_page)`.
    """
    from .browser import wait_hydrated

    context = lepta_browser.new_context(base_url=lepta_url)
    try:
        page = context.new_page()

        def console(message: Any) -> None:
            if message.type == "error":
                lepta_console_errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda error: lepta_console_errors.append(str(error)))
        page.goto("/")
        wait_hydrated(page)
        yield page
    finally:
        context.close()
    if lepta_console_errors:
        pytest.fail(
            "the page logged errors to the console:\n  " + "\n  ".join(lepta_console_errors),
            pytrace=False,
        )

