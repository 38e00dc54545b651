"""`lepta build` and the ASGI app of `lepta.server`, without a browser."""

import gzip
import sys

import brotli
import pytest
from starlette.testclient import TestClient

from app_folders import COUNTER, make_app
from lepta.build.bundle import BuildError, build, ensure_built, portable_files, unpack
from lepta.build.views import compile_views
from lepta.server import ConfigError, NotBuiltError, create_app, load_config


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("app") / "counter")
    config = load_config(folder)
    return config, build(config)


@pytest.fixture(scope="module")
def client(built):
    config, _ = built
    return TestClient(create_app(config.root))


def test_the_bundle_holds_lepta_s_portable_modules_and_the_app_with_hashed_names(built):
    config, manifest = built
    folder = config.site / "_lepta"
    assert manifest.bundle.startswith("bundle-") and manifest.loader.startswith("loader-")
    files = unpack((folder / manifest.bundle).read_bytes())
    assert "counter_app.mpy" in files
    assert "lepta/dom/_browser.mpy" in files and "lepta/reactive/_core.mpy" in files
    assert "typing.mpy" in files  # MicroPython's stand-in
    assert all(data[:2] == b"M\x06" for data in files.values())  # .mpy, format 6
    # Server-only code never reaches the browser.
    assert not any(p.startswith(("lepta/server/", "lepta/build/", "lepta/cli/")) for p in files)
    assert "lepta/ssr/_compile.mpy" not in files and "lepta/dom/_memory.mpy" not in files
    # Only what the app reaches: a counter needs no router, server functions or stores.
    unused = ("lepta/router/", "lepta/server_fn/", "lepta/store/")
    assert not any(p.startswith(unused) for p in files)


def test_a_bundle_holds_the_packages_the_app_imports_through_lepta(tmp_path):
    folder = make_app(tmp_path / "with_router")
    app = folder / "counter_app.py"
    app.write_text("from lepta import Router, Store, redirect\n" + app.read_text())
    config = load_config(folder)
    files = unpack((config.site / "_lepta" / build(config).bundle).read_bytes())
    assert "lepta/router/_components.mpy" in files  # Router
    assert "lepta/store/__init__.mpy" in files  # Store
    assert "lepta/server_fn/_client.mpy" in files  # redirect: its package, and what it uses


def test_a_pyodide_bundle_holds_the_python_sources(tmp_path):
    folder = make_app(tmp_path / "pyodide_app", runtime="pyodide")
    config = load_config(folder)
    files = unpack((config.site / "_lepta" / build(config).bundle).read_bytes())
    source = (folder / "counter_app.py").read_text()
    # the source as the browser runs it: its views compiled into templates
    assert files["counter_app.py"] == compile_views(source, str(folder / "counter_app.py")).encode()
    assert "__lepta_use(" in files["counter_app.py"].decode()
    assert "typing.py" not in files  # Pyodide has the real one


def test_bundle_files_are_precompressed_with_gzip_and_brotli(built):
    config, manifest = built
    path = config.site / "_lepta" / manifest.bundle
    data = path.read_bytes()
    assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data
    assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data


def test_a_build_is_reused_until_a_source_changes(built, tmp_path):
    folder = make_app(tmp_path / "again")
    config = load_config(folder)
    first = ensure_built(config)
    assert ensure_built(config) == first
    (folder / "counter_app.py").write_text(COUNTER + "\nCHANGED = True\n")
    assert ensure_built(config).bundle != first.bundle


def test_the_page_is_server_rendered_with_the_loader_and_a_title(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<title>A &lt;test&gt;</title>" in html
    assert "<body><div><button>+1</button><span>0</span></div></body>" in html
    assert 'data-lepta-runtime="micropython"' in html
    assert 'data-lepta-entry="counter_app:App"' in html


def test_bundle_and_runtime_files_have_their_types_encodings_and_long_caching(client, built):
    _, manifest = built
    cases = [
        ("/_lepta/" + manifest.loader, "text/javascript"),
        ("/_lepta/" + manifest.bundle, "application/octet-stream"),
        ("/_lepta/runtime/%s/micropython.wasm" % manifest.runtime_dir, "application/wasm"),
        ("/_lepta/runtime/%s/micropython.mjs" % manifest.runtime_dir, "text/javascript"),
    ]
    for url, media_type in cases:
        response = client.get(url, headers={"accept-encoding": "gzip, br"})
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(media_type), url
        assert response.headers["content-encoding"] == "br", url
        assert "immutable" in response.headers["cache-control"], url
        gz = client.get(url, headers={"accept-encoding": "gzip"})
        assert gz.headers["content-encoding"] == "gzip" and gz.content == response.content


def test_unknown_paths_and_unlisted_files_are_404(client, built):
    _, manifest = built
    for url in [
        "/_lepta/nothing",
        "/_lepta/loader-0000000000.js",
        "/_lepta/runtime/%s/package.json" % manifest.runtime_dir,
        "/_lepta/runtime/other-1.0/micropython.wasm",
    ]:
        assert client.get(url).status_code == 404, url
    assert "[tool.lepta]" not in client.get("/_lepta/../pyproject.toml").text


def test_every_other_path_is_a_page_that_knows_its_location(tmp_path):
    source = """
        from lepta import component, use_location
        from lepta.html import p

        @component
        def App():
            here = use_location()
            return p(here.path, "?", here.query)
    """
    folder = make_app(tmp_path / "where", source, name="where_app")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        response = client.get("/users/3?tab=1")
    assert response.status_code == 200
    assert "<body><p>/users/3?tab=1</p></body>" in response.text


def test_an_error_before_the_first_byte_is_a_500_page_with_the_traceback_in_development(
    tmp_path, monkeypatch
):
    source = """
        from lepta import component

        @component
        def App():
            raise ValueError("the database is <down>")
    """
    folder = make_app(tmp_path / "broken", source, name="broken_app")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "ValueError: the database is &lt;down&gt;" in response.text
    assert "Traceback" in response.text
    monkeypatch.setenv("LEPTA_ENV", "production")
    with TestClient(create_app(folder)) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "database" not in response.text and "Traceback" not in response.text


def test_serving_an_unbuilt_app_says_to_build_it(tmp_path):
    folder = make_app(tmp_path / "fresh")
    with pytest.raises(NotBuiltError, match="lepta build"):
        create_app(folder)


def test_bad_settings_are_reported_with_what_to_write(tmp_path):
    folder = make_app(tmp_path / "bad")
    (folder / "pyproject.toml").write_text('[tool.lepta]\napp = "no_colon"\n')
    with pytest.raises(ConfigError, match="module:Component"):
        load_config(folder)
    with pytest.raises(ConfigError, match="unknown runtime"):
        load_config(make_app(tmp_path / "bad2"), runtime="jython")


def test_the_runtime_comes_from_the_flag_then_the_environment_then_the_app(tmp_path, monkeypatch):
    folder = make_app(tmp_path / "choice", runtime="pyodide")
    assert load_config(folder).runtime == "pyodide"
    monkeypatch.setenv("LEPTA_RUNTIME", "micropython")
    assert load_config(folder).runtime == "micropython"
    assert load_config(folder, runtime="auto").runtime == "auto"


def test_an_app_module_that_would_shadow_lepta_is_refused(tmp_path):
    folder = make_app(tmp_path / "shadow")
    (folder / "lepta").mkdir()
    (folder / "lepta" / "__init__.py").write_text("")
    with pytest.raises(BuildError, match="shadow"):
        build(load_config(folder))


def test_auto_falls_back_to_pyodide_naming_the_module_that_failed_under_micropython(
    tmp_path, capsys
):
    source = COUNTER + "\nfrom dataclasses import dataclass  # not in MicroPython\n"
    folder = make_app(tmp_path / "auto", source=source, runtime="auto")
    manifest = build(load_config(folder))
    assert manifest.runtime == "pyodide"
    out = capsys.readouterr().out
    assert "counter_app" in out and "line" in out and "dataclasses" in out


def test_auto_picks_micropython_when_every_module_imports_there(tmp_path):
    folder = make_app(tmp_path / "auto_ok", runtime="auto")
    assert build(load_config(folder)).runtime == "micropython"


def test_portable_files_are_the_browser_packages_only():
    names = set(portable_files())
    assert "lepta/__init__.py" in names and "lepta/html.py" in names
    assert not any("/server/" in n or "/testing/" in n for n in names)


def test_a_lepta_app_mounted_under_a_prefix_links_its_files_there(built):
    from starlette.applications import Starlette
    from starlette.routing import Mount

    config, manifest = built
    outer = Starlette(routes=[Mount("/counter", app=create_app(config.root))])
    client = TestClient(outer)
    html = client.get("/counter/").text
    assert 'src="/counter/_lepta/%s"' % manifest.loader in html
    assert client.get("/counter/_lepta/" + manifest.loader).status_code == 200


def test_micropython_s_heap_size_comes_from_the_settings(tmp_path):
    folder = make_app(tmp_path / "heap")
    text = (folder / "pyproject.toml").read_text()
    (folder / "pyproject.toml").write_text(text + "micropython_heap_mb = 64\n")
    config = load_config(folder)
    assert config.heap_mb == 64
    build(config)
    assert 'data-lepta-heap-mb="64"' in TestClient(create_app(folder)).get("/").text
    (folder / "pyproject.toml").write_text(text + "micropython_heap_mb = 1\n")
    with pytest.raises(ConfigError, match="micropython_heap_mb"):
        load_config(folder)


def test_the_in_order_wait_is_a_setting_in_milliseconds(tmp_path):
    folder = make_app(tmp_path / "wait")
    text = (folder / "pyproject.toml").read_text()
    assert load_config(folder).in_order_wait_ms == 10
    (folder / "pyproject.toml").write_text(text + "in_order_wait_ms = 0\n")
    assert load_config(folder).in_order_wait_ms == 0
    for bad in ("-1", "0.5", "true", "5000"):
        (folder / "pyproject.toml").write_text(text + "in_order_wait_ms = %s\n" % bad)
        with pytest.raises(ConfigError, match="whole number of milliseconds, 0 to 1000"):
            load_config(folder)


SLOW_PAGE = """
    import asyncio

    from lepta import Resource, Suspense, component
    from lepta.html import p

    EVENTS = []

    async def slow(_):
        EVENTS.append("started")
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            EVENTS.append("cancelled")
            raise
        return "never"

    @component
    def App():
        return Suspense(p(Resource(1, slow)), fallback=p("Loading..."))
"""


def test_a_client_leaving_mid_stream_cancels_the_pending_loads_without_error_logs(
    tmp_path, caplog
):
    import logging
    import socket
    import threading
    import time

    import uvicorn

    folder = make_app(tmp_path / "slow", SLOW_PAGE, name="slow_app")
    ensure_built(load_config(folder))
    app = create_app(folder)
    events = sys.modules["slow_app"].EVENTS
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info"))
    thread = threading.Thread(target=server.run)
    with caplog.at_level(logging.INFO):
        thread.start()
        try:
            while not server.started:
                time.sleep(0.01)
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
                received = b""
                while b"Loading..." not in received:  # the shell, with the fallback
                    received += client.recv(65536)
            for _ in range(500):  # the server notices the closed connection
                if "cancelled" in events:
                    break
                time.sleep(0.01)
            before_shutdown = list(events)
        finally:
            server.should_exit = True
            thread.join()
    assert before_shutdown == ["started", "cancelled"]
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert errors == [], [r.getMessage() for r in errors]


def test_routes_under_a_prefix_are_tried_only_for_paths_under_it():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Mount, Route

    from lepta.server._prefix import PrefixRoutes

    tried = []

    class Recorded(Route):
        def matches(self, scope):
            tried.append(self.path)
            return super().matches(scope)

    def answer(text):
        return lambda request: PlainTextResponse(text)

    own = [Recorded("/_lepta/a", answer("a"), name="a"), Recorded("/_lepta/{x:path}", answer("x"))]
    group = PrefixRoutes("/_lepta/", own)
    app = Starlette(routes=[group, Route("/{path:path}", answer("page"))])
    client = TestClient(app)
    assert client.get("/_lepta-ish").text == "page" and tried == []
    assert client.get("/_lepta/a").text == "a" and tried == ["/_lepta/a"]
    assert client.get("/_lepta/b").text == "x"
    # a method no route of the group takes: the first that matched the path says so
    assert client.post("/_lepta/a").status_code == 405
    assert app.url_path_for("a") == "/_lepta/a"
    mounted = TestClient(Starlette(routes=[Mount("/m", app=app)]))  # (paths below /m)
    assert mounted.get("/m/_lepta/a").text == "a" and mounted.get("/m/a").text == "page"


# `/` streams (its data comes late), `/whole` is sent whole once its data is there.
LATE_DATA = """
    import asyncio

    from lepta import Resource, Route, Router, Routes, Suspense, component
    from lepta.html import p

    async def later(_):
        await asyncio.sleep(0.01)
        return "later"

    @component
    def Later():
        return Suspense(p(Resource(1, later)), fallback=p("..."))

    @component
    def App():
        return Router(Routes(Route("/", Later), Route("/whole", Later, ssr="async")))
"""


def test_only_streamed_pages_ask_proxies_not_to_buffer_them(tmp_path):
    folder = make_app(tmp_path / "buffering", LATE_DATA, name="buffering_app")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        streamed, whole = client.get("/"), client.get("/whole")
    assert "content-length" not in streamed.headers and "later" in streamed.text
    assert streamed.headers["x-accel-buffering"] == "no"
    assert "content-length" in whole.headers and "later" in whole.text  # (sent whole)
    assert "x-accel-buffering" not in whole.headers


def test_with_csp_every_script_of_a_page_carries_the_nonce_of_its_policy(tmp_path):
    import re

    folder = make_app(tmp_path / "csp", LATE_DATA, name="csp_app")
    with (folder / "pyproject.toml").open("a") as settings:
        settings.write("csp = true\n")
    ensure_built(load_config(folder))
    with TestClient(create_app(folder)) as client:
        first, second = client.get("/"), client.get("/")
    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", second.headers["content-security-policy"])[1]
    scripts = re.findall(r"<script(?! type=\"application/json\")[^>]*>", first.text)
    assert len(scripts) >= 3  # the loader, the swap function, the swap
    assert all(('nonce="%s"' % nonce) in tag for tag in scripts), scripts


def test_a_page_with_nothing_to_wait_for_is_one_body_with_its_length(built, client):
    plain = client.get("/", headers={"accept-encoding": "identity"})
    assert plain.headers["content-length"] == str(len(plain.content))
    assert "transfer-encoding" not in plain.headers
    assert plain.text.startswith("<!DOCTYPE html>") and plain.text.endswith("</body></html>")
    zipped = client.get("/", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(zipped.content)  # (decoded by httpx)
    assert zipped.text == plain.text


GATED_PAGE = """
    import asyncio

    from lepta import Resource, Suspense, component
    from lepta.html import p

    GATE = []  # an asyncio.Event, made by the test in its event loop

    async def gated(_):
        await GATE[0].wait()
        return "the data"

    @component
    def App():
        return Suspense(p(Resource(1, gated)), fallback=p("Loading..."))
"""


def _get(path, headers=()):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


def in_order_app(folder, name, extra=""):
    """The gated page, in order; its gate (an asyncio.Event) made in the test's loop."""
    folder = make_app(folder, GATED_PAGE, name=name)
    with (folder / "pyproject.toml").open("a") as settings:
        settings.write('ssr = "in_order"\n' + extra)
    ensure_built(load_config(folder))
    return create_app(folder), sys.modules[name].GATE


def serve_gated(app, gate, headers=(), open_gate=None):
    """The messages `app` sends for `/`; `open_gate(loop, messages)` opens the gate (by
    default: once the document's start went out)."""
    import asyncio

    messages = []

    async def run():
        gate[:] = [asyncio.Event()]
        asked = False
        if open_gate is not None:
            open_gate(asyncio.get_running_loop(), gate[0])

        async def receive():
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # (the client stays)

        async def send(message):
            messages.append(message)
            if open_gate is None and len(messages) == 2:  # the start went out
                gate[0].set()

        await app(_get("/", list(headers)), receive, send)

    asyncio.run(run())
    return messages


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_an_in_order_page_sends_its_start_before_the_data_then_the_rest_in_the_last_message(
    tmp_path, encoding
):
    import zlib

    app, gate = in_order_app(tmp_path / "gated", "gated_app")
    start, first, rest = serve_gated(app, gate, [(b"accept-encoding", encoding.encode())])
    headers = dict(start["headers"])
    assert b"content-length" not in headers
    assert (headers.get(b"content-encoding") == b"gzip") == (encoding == "gzip")
    assert first["more_body"] and not rest.get("more_body", False)
    if encoding == "gzip":
        inflate = zlib.decompressobj(31)
        shell, data = inflate.decompress(first["body"]), inflate.decompress(rest["body"])
        assert inflate.eof  # the gzip stream ends with the last message
    else:
        shell, data = first["body"], rest["body"]
    assert shell.startswith(b"<!DOCTYPE html>") and b"the data" not in shell
    assert b"<p>the data</p>" in data and data.endswith(b"</body></html>")


def test_an_in_order_page_whose_data_comes_within_the_wait_is_one_body_with_its_length(
    tmp_path,
):
    def soon(loop, event):  # the data comes 2 ms into the page: within the 10 ms wait
        loop.call_later(0.002, event.set)

    app, gate = in_order_app(tmp_path / "quick", "quick_app")
    start, body = serve_gated(app, gate, open_gate=soon)
    assert dict(start["headers"])[b"content-length"] == str(len(body["body"])).encode()
    assert b"<p>the data</p>" in body["body"] and not body.get("more_body", False)
    # With no wait, the same page streams its start first.
    app, gate = in_order_app(tmp_path / "unheld", "unheld_app", "in_order_wait_ms = 0\n")
    start, first, rest = serve_gated(app, gate, open_gate=soon)
    assert b"content-length" not in dict(start["headers"])
    assert b"the data" not in first["body"] and b"<p>the data</p>" in rest["body"]
