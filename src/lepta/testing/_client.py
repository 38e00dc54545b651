"""Calling an app's server functions and pages over ASGI, in-process: `client(app_dir)`.

    with client("examples/todo_app_sqlite") as app:
        app.call("todos.add_todo", title="Buy milk")
        assert app.call("todos.list_todos")[0]["title"] == "Buy milk"
        page = app.page("/")                     # the server's HTML, as a MemoryPage
        assert page.get_by_text("Buy milk")

No network and no server process: requests go to the app's ASGI callable through
Starlette's TestClient (which needs `httpx`), the app's lifespan (its `setup`) runs
while the client is open, and the app gets a database of its own: a temporary
SQLite file, whose URL is in the `DATABASE_URL` environment variable while the
client is open (see `LeptaClient`).

CPython only (everything is imported when a client opens, so `lepta.testing`
itself still imports under MicroPython).
"""

from __future__ import annotations

from typing import Any

DATABASE_ENV = "DATABASE_URL"


def client(
    app: Any,
    *,
    runtime: str | None = None,
    database: bool | str = True,
    env: dict[str, str] | None = None,
) -> LeptaClient:
    """A client of the Lepta app `app` (its folder, or an ASGI app made by
    `create_app`), to use in a `with` block; see `LeptaClient`.

        with client("examples/todo_app_sqlite") as app:
            assert app.get("/").status_code == 200
    """
    return LeptaClient(app, runtime=runtime, database=database, env=env)


class LeptaClient:
    """An app served in-process while open (`with` block, or `open()` / `close()`).

    `app` is the app's folder (built first if needed, as `lepta serve` does, then
    given to `create_app` with `runtime`) or a ready ASGI app.

    The database: with `database=True` (default) the environment variable
    DATABASE_URL is set, while the client is open, to `sqlite:///<temporary
    folder>/app.db` (a file that does not exist yet: the app creates its tables, as
    on a first start); a str sets that URL instead; False leaves it alone. An app
    reads it where it opens its database, in its `setup` (see
    examples/todo_app_sqlite/db.py):

        db = Database(os.environ.get("DATABASE_URL", DEFAULT_URL))

    `env` sets more environment variables while open. All are restored on close.
    (A module that reads them when imported must not have been imported before.)

    `call(function, ...)` calls a server function as the browser does; `get`,
    `post`, `request` are the TestClient's (httpx responses); `page(path)` loads a
    page's HTML into a MemoryPage for queries.
    """

    def __init__(
        self,
        app: Any,
        *,
        runtime: str | None = None,
        database: bool | str = True,
        env: dict[str, str] | None = None,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.database = database
        self.env = dict(env or {})
        self.database_url: str | None = None  # while open, if the client set one
        self.http: Any = None  # Starlette's TestClient, while open
        self.last_response: Any = None  # of the last `call`
        self._saved_env: dict[str, str | None] = {}
        self._scratch: Any = None  # the temporary folder of the database

    # -- lifetime

    def open(self) -> LeptaClient:
        """Set the environment, build and create the app, and run its start-up."""
        import os
        import tempfile

        from starlette.testclient import TestClient

        if self.http is not None:
            return self
        env = dict(self.env)
        if self.database is True:
            self._scratch = tempfile.TemporaryDirectory(prefix="lepta-test-")
            self.database_url = "sqlite:///%s" % os.path.join(self._scratch.name, "app.db")
        elif isinstance(self.database, str):
            self.database_url = self.database
        if self.database_url is not None:
            env[DATABASE_ENV] = self.database_url
        for name, value in env.items():
            self._saved_env[name] = os.environ.get(name)
            os.environ[name] = value
        try:
            http = TestClient(self._asgi_app(), base_url="http://testserver")
            http.__enter__()  # the lifespan: the app's setup runs now
        except BaseException:
            self._restore()
            raise
        self.http = http
        return self

    def close(self) -> None:
        """Run the app's shut-down, restore the environment, delete the database."""
        http, self.http = self.http, None
        try:
            if http is not None:
                http.__exit__(None, None, None)
        finally:
            self._restore()

    def __enter__(self) -> LeptaClient:
        return self.open()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- calls

    def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a server function over HTTP as the browser does (JSON in a POST, or the
        query string of a GET) and return its JSON result; an error answer raises the
        ServerError subclass the function raised (ValidationError for bad arguments).
        A streaming function returns the list of its chunks.

            app.call("todos.add_todo", title="Buy milk")     # by "module.name"
            app.call(add_todo, "Buy milk")                    # or the function itself

        `last_response` holds the HTTP response (its headers carry a `redirect()`).
        """
        import json

        from ..server_fn._errors import error_from_json
        from ..server_fn._form import to_query

        fn = self._function(function)
        arguments = fn.bind(args, kwargs)
        http = self._http()
        if fn.method == "GET":
            query = to_query(arguments)
            response = http.get(fn.endpoint + ("?" + query if query else ""))
        else:
            response = http.post(fn.endpoint, json=arguments)
        self.last_response = response
        text = response.text
        if response.status_code >= 400:
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            raise error_from_json(data, response.status_code)
        if fn.streaming:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text) if text else None

    def get(self, url: str, **options: Any) -> Any:
        """GET `url` (the TestClient's `get`: an httpx Response)."""
        return self._http().get(url, **options)

    def post(self, url: str, **options: Any) -> Any:
        """POST to `url` (`data=` a form, `json=` JSON; redirects are followed unless
        `follow_redirects=False`)."""
        return self._http().post(url, **options)

    def request(self, method: str, url: str, **options: Any) -> Any:
        return self._http().request(method, url, **options)

    def page(self, path: str = "/") -> Any:
        """The page at `path` as the server sends it (no script runs: what a browser
        without JavaScript, or a search engine, sees), loaded into a MemoryPage for
        queries. Its `response` is the HTTP response.

            page = app.page("/")
            assert page.get_by_role("heading", level=1).text == "Todos"
        """
        from ..dom._memory import MemoryDOM
        from ._page import MemoryPage

        response = self._http().get(path)
        dom = MemoryDOM()
        dom.load(response.text)
        page = MemoryPage(dom)
        page.response = response
        return page

    # -- internals

    def _http(self) -> Any:
        if self.http is None:
            raise RuntimeError(
                "the client is not open: use `with client(app) as app:` (or the lepta_client "
                "fixture, which opens it)"
            )
        return self.http

    def _asgi_app(self) -> Any:
        import os

        if not isinstance(self.app, (str, os.PathLike)):
            return self.app
        from ..build.bundle import ensure_built
        from ..server import create_app, load_config

        ensure_built(load_config(self.app, self.runtime))
        return create_app(self.app, self.runtime)

    def _function(self, function: Any) -> Any:
        from ..server_fn._function import ServerFunction, registry

        if isinstance(function, ServerFunction):
            return function
        for fn in registry.values():
            if function in (fn.name, fn.endpoint):
                return fn
        known = sorted(fn.name for fn in registry.values())
        raise LookupError(
            "no server function %r: name one as \"module.function\" (%s), or pass the "
            "function itself" % (function, ", ".join(known) or "none is declared")
        )

    def _restore(self) -> None:
        import os

        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env = {}
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
        self.database_url = None
