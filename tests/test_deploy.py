"""Deploying: settings from the environment, serving with worker processes, draining
on SIGTERM, and calls from pages of an earlier build (version skew)."""

import gc
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from starlette.testclient import TestClient

from app_folders import make_app
from lepta.build.bundle import ensure_built
from lepta.server import (
    ConfigError,
    app_from_env,
    create_app,
    database_url,
    load_config,
    run,
    secret_key,
    uvicorn_options,
)
from lepta.server._environment import GC_THRESHOLD

GOOD_KEY = "k" * 40


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ["LEPTA_ENV", "LEPTA_SECRET_KEY", "LEPTA_PORT", "LEPTA_HOST", "LEPTA_WORKERS",
                 "LEPTA_APP_DIR", "LEPTA_RUNTIME", "DATABASE_URL", "LEPTA_GC_THRESHOLD"]:
        monkeypatch.delenv(name, raising=False)
    yield
    assert "LEPTA_RUNTIME" not in os.environ  # run() leaves the environment as it was


# --- the secret key and the environment -------------------------------------------------
def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("LEPTA_ENV", "production")
    with pytest.raises(ConfigError) as caught:
        secret_key()
    message = str(caught.value)
    assert "LEPTA_SECRET_KEY is not set, and LEPTA_ENV=production needs it" in message
    assert "secrets.token_urlsafe(32)" in message  # how to make one


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("LEPTA_ENV", "production")
    monkeypatch.setenv("LEPTA_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="5 characters long: a production key needs at least 32"):
        secret_key()
    monkeypatch.setenv("LEPTA_SECRET_KEY", GOOD_KEY)
    assert secret_key() == GOOD_KEY


def test_development_makes_one_random_key_per_process_and_says_to_set_one():
    code = (
        "import logging; logging.basicConfig()\n"
        "from lepta.server import secret_key\n"
        "assert secret_key() == secret_key() and len(secret_key()) >= 32\n"
        "print(secret_key())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LEPTA_SECRET_KEY", "LEPTA_ENV")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout != runs[1].stdout  # a key of its own in each process
    assert runs[0].stderr.count("LEPTA_SECRET_KEY is not set") == 1  # warned once
    assert "not shared with other workers" in runs[0].stderr


def test_a_set_key_is_used_in_development_too(monkeypatch):
    monkeypatch.setenv("LEPTA_SECRET_KEY", "dev-key")
    assert secret_key() == "dev-key"


def test_an_unknown_lepta_env_is_refused_rather_than_served_as_development(
    monkeypatch, app_folder
):
    monkeypatch.setenv("LEPTA_ENV", "prod")
    monkeypatch.setenv("LEPTA_APP_DIR", str(app_folder))
    with pytest.raises(ConfigError, match="LEPTA_ENV=prod: write LEPTA_ENV=production"):
        app_from_env()
    with pytest.raises(ConfigError, match="LEPTA_ENV=prod"):
        run(app_folder, port=free_port())


def test_run_checks_the_environment_before_listening(monkeypatch, app_folder):
    monkeypatch.setenv("LEPTA_ENV", "production")
    port = free_port()
    with pytest.raises(ConfigError, match="LEPTA_SECRET_KEY is not set"):
        run(app_folder, port=port)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # still free: nothing listened


def test_bad_port_and_worker_variables_are_refused(monkeypatch, app_folder):
    monkeypatch.setenv("LEPTA_PORT", "http")
    with pytest.raises(ConfigError, match="LEPTA_PORT=http: give a port number"):
        run(app_folder)
    monkeypatch.delenv("LEPTA_PORT")
    monkeypatch.setenv("LEPTA_WORKERS", "many")
    with pytest.raises(ConfigError, match="LEPTA_WORKERS=many: give a number of processes"):
        run(app_folder, port=free_port())


def test_a_port_in_use_is_said_in_one_line(app_folder):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match="port %d on 127.0.0.1 is in use" % port):
            run(app_folder, port=port)


def test_database_url_comes_from_the_environment_else_the_default(monkeypatch):
    assert database_url("sqlite:///app.db") == "sqlite:///app.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/app")
    assert database_url("sqlite:///app.db") == "postgresql://db/app"


def test_app_from_env_serves_the_folder_it_names(monkeypatch, app_folder):
    with pytest.raises(ConfigError, match="LEPTA_APP_DIR is not set"):
        app_from_env()
    monkeypatch.setenv("LEPTA_APP_DIR", str(app_folder))
    try:
        app = app_from_env()
        # What the worker made while starting is set apart from garbage collection.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    with TestClient(app) as client:
        assert client.get("/_lepta/health").json()["status"] == "ok"


def test_a_worker_collects_young_garbage_less_often_as_configured(monkeypatch, app_folder):
    monkeypatch.setenv("LEPTA_APP_DIR", str(app_folder))
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        app_from_env()
        assert gc.get_threshold() == (GC_THRESHOLD,) + before[1:]  # the default
        assert GC_THRESHOLD > 700
        monkeypatch.setenv("LEPTA_GC_THRESHOLD", "2500")
        app_from_env()
        assert gc.get_threshold() == (2500,) + before[1:]
        monkeypatch.setenv("LEPTA_GC_THRESHOLD", "0")  # CPython's own setting, as it was
        gc.set_threshold(700, *before[1:])
        app_from_env()
        assert gc.get_threshold() == (700,) + before[1:]
        monkeypatch.setenv("LEPTA_GC_THRESHOLD", "lots")
        with pytest.raises(ConfigError, match="LEPTA_GC_THRESHOLD=lots: give a number"):
            app_from_env()
        with pytest.raises(ConfigError, match="LEPTA_GC_THRESHOLD=lots"):
            run(app_folder, port=free_port())
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_uvicorn_gets_the_apps_timeouts_and_room_for_its_limits(app_folder):
    options = uvicorn_options(load_config(app_folder))
    assert options["timeout_keep_alive"] == 5
    assert options["timeout_graceful_shutdown"] == 30
    # h11 must not refuse (with a bare 400) what the app answers with a 414 or a 431
    assert options["h11_max_incomplete_event_size"] > 16384 + 65536


# --- serving: real processes ------------------------------------------------------------
DEPLOYED = """
    import asyncio
    import os

    from lepta import Resource, Suspense, component, use_location
    from lepta.html import div, p
    from lepta.server_fn import server


    async def slow(ms):
        await asyncio.sleep(ms / 1000)
        return "the slow part"


    @server
    async def worker_pid() -> int:
        return os.getpid()


    @component
    def App():
        query = use_location().query
        ms = int(query[3:]) if query.startswith("ms=") else 1000
        data = Resource(lambda: ms, slow)
        return div(
            p("the quick part"),
            Suspense(p(data, id="slow"), fallback=p("Loading...")),
        )
"""


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("deploy") / "app", DEPLOYED, name="deploy_app")
    ensure_built(load_config(folder))
    return folder


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE = "import sys\nfrom lepta.server import run\nsys.exit(run(sys.argv[1], port=int(sys.argv[2]), workers=int(sys.argv[3])))\n"  # noqa: E501


class Served:
    """`lepta.server.run` in a process of its own, on a free loopback port."""

    def __init__(self, folder, workers=1, env=None, cli=False):
        self.port = free_port()
        self.connections = []  # the tests' open connections, closed by `stop`
        environment = dict(os.environ, **(env or {}))
        command = [sys.executable, "-c", SERVE, str(folder), str(self.port), str(workers)]
        if cli:  # the same through `lepta serve`
            command = [sys.executable, "-m", "lepta.cli", "serve", str(folder)]
            command += ["--port", str(self.port), "--workers", str(workers)]
        # (a session of its own: `stop` ends the workers with it, which a SIGKILL to
        # the supervisor alone would leave running)
        self.process = subprocess.Popen(command, env=environment, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, "the server exited early"
            try:
                with urllib.request.urlopen(self.url("/_lepta/health"), timeout=2):
                    return
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        for connection in self.connections:
            connection.close()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:  # (the whole group is gone already)
            pass
        self.process.wait()


@pytest.fixture
def serve(app_folder):
    started = []

    def start(workers=1, env=None, folder=app_folder, cli=False):
        served = Served(folder, workers, env, cli)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def begin_page(served, path="/"):
    """A page request with its first chunk read (the rest is still to come)."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    served.connections.append(connection)
    connection.request("GET", path)
    response = connection.getresponse()
    first = response.read1(65536)
    return response, first


def test_sigterm_lets_a_streaming_page_finish_then_exits_0(serve):
    served = serve()
    response, first = begin_page(served)
    assert b"the quick part" in first and b"the slow part" not in first
    served.process.send_signal(signal.SIGTERM)
    rest = response.read()  # the Suspense resolves a second later, and still arrives
    assert b"the slow part" in rest
    assert rest.endswith(b"</body></html>")
    assert served.process.wait(timeout=15) == 0


def test_a_page_slower_than_shutdown_timeout_is_cut_off_at_the_timeout(serve, app_folder):
    settings = app_folder / "pyproject.toml"
    original = settings.read_text()
    settings.write_text(original + "shutdown_timeout = 1\n")
    try:
        served = serve()
    finally:
        settings.write_text(original)
    response, first = begin_page(served, "/?ms=20000")
    assert b"the quick part" in first
    served.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    assert served.process.wait(timeout=15) == 0
    assert time.monotonic() - started < 8  # a second of grace, not the page's twenty
    try:
        rest = response.read()
    except http.client.IncompleteRead as cut:
        rest = cut.partial
    assert b"the slow part" not in rest


@pytest.mark.parametrize("cli", [False, True], ids=["run()", "lepta serve --workers"])
def test_several_workers_share_the_port_and_all_drain_on_sigterm(serve, cli):
    served = serve(workers=2, cli=cli)
    pids = set()
    deadline = time.monotonic() + 30
    while len(pids) < 2 and time.monotonic() < deadline:
        request = urllib.request.Request(
            served.url("/_lepta/fn/deploy_app.worker_pid"), data=b"{}",
            headers={"Content-Type": "application/json"},
        )
        # a new connection each time, so the kernel may hand it to either worker
        with urllib.request.urlopen(request, timeout=5) as answer:
            pids.add(json.load(answer))
    assert len(pids) == 2 and served.process.pid not in pids
    response, _ = begin_page(served)
    served.process.send_signal(signal.SIGTERM)
    assert response.read().endswith(b"</body></html>")
    assert served.process.wait(timeout=20) == 0


def listening_sockets(port):
    """The inodes of the sockets listening on TCP `port` (/proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    found.add(inode)
    return found


def socket_inodes(pid):
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


@pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT spreads connections on Linux")
def test_each_worker_listens_on_a_socket_of_its_own(serve):
    # With one socket shared, the worker that wakes first accepts every connection
    # waiting: a proxy's pool of connections, opened together, can all land on it.
    served = serve(workers=2, cli=True)

    def answering(count, without=()):
        """The pids of `count` workers that answer, none of them in `without`."""
        pids = set()
        deadline = time.monotonic() + 30
        while len(pids) < count and time.monotonic() < deadline:
            request = urllib.request.Request(
                served.url("/_lepta/fn/deploy_app.worker_pid"), data=b"{}",
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    pid = json.load(answer)
            except OSError:
                continue  # (a connection the killed worker had queued)
            if pid not in without:
                pids.add(pid)
        assert len(pids) == count
        return pids

    def each_owns_one(pids):
        listening = listening_sockets(served.port)
        owned = [socket_inodes(pid) & listening for pid in sorted(pids)]
        assert len(listening) == 2 and all(len(inodes) == 1 for inodes in owned)
        assert owned[0] != owned[1]
        assert not socket_inodes(served.process.pid) & listening  # it holds the port only

    pids = answering(2)
    each_owns_one(pids)
    killed = min(pids)
    os.kill(killed, signal.SIGKILL)  # the supervisor starts another in its place
    replaced = answering(2, without={killed})
    each_owns_one(replaced)


@pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT spreads connections on Linux")
def test_a_workers_own_socket_is_tcp_so_that_its_connections_send_at_once():
    import asyncio
    import pickle

    from lepta.server._run import SocketPerWorker, listen, port_for_workers

    placeholder = port_for_workers(listen("127.0.0.1", 0))
    address = placeholder.getsockname()
    try:
        # what a spawned worker unpickles: a socket of its own, on the same port
        (own,) = pickle.loads(pickle.dumps(SocketPerWorker([placeholder])))
    finally:
        placeholder.close()
    assert own.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    assert own.getsockname() == address

    async def accepted_nodelay():
        done = asyncio.get_running_loop().create_future()

        def connected(reader, writer):
            sock = writer.get_extra_info("socket")
            done.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=own)
        _, writer = await asyncio.open_connection(*own.getsockname())
        try:
            return await asyncio.wait_for(done, 10)
        finally:
            writer.close()
            server.close()

    # asyncio turns Nagle's algorithm off on TCP sockets only: else a response written
    # in two parts would wait for the client's delayed ACK (40 ms a request)
    assert asyncio.run(accepted_nodelay()) != 0


def test_uvicorn_leaves_oversized_headers_and_addresses_to_the_apps_clear_answers(serve):
    served = serve()

    def status(path, headers):
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("cache-control")

    # past h11's own default (16 KB), within the room run() gives it
    assert status("/", {"X-Padding": "p" * 70000}) == (431, "no-store")
    assert status("/?q=" + "x" * 17000, {}) == (414, "no-store")
    assert status("/?q=" + "x" * 9000, {"X-Padding": "p" * 9000})[0] == 200


def test_production_without_a_secret_key_does_not_start(app_folder):
    env = dict(os.environ, LEPTA_ENV="production")
    env.pop("LEPTA_SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", SERVE, str(app_folder), str(free_port()), "2"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert "LEPTA_SECRET_KEY is not set" in done.stderr


# --- version skew -----------------------------------------------------------------------
SKEWED = """
    from lepta import component
    from lepta.html import p
    from lepta.server_fn import server


    @server
    async def greet(name: str) -> str:
        return "hello " + name


    @server
    async def count(n: int) -> int:
        return n + 1


    @component
    def App():
        return p("skew")
"""

GREET = "/_lepta/fn/skew_app.greet"
COUNT = "/_lepta/fn/skew_app.count"
GONE = "/_lepta/fn/skew_app.removed"


@pytest.fixture(scope="module")
def skew_folder(tmp_path_factory):
    folder = make_app(tmp_path_factory.mktemp("skew") / "app", SKEWED, name="skew_app")
    ensure_built(load_config(folder))
    return folder


@pytest.fixture(scope="module")
def skew(skew_folder):
    """A client of the app, whose record says that an earlier build ("old") had `greet`
    with another signature and `count` as it is; and this build's id."""
    create_app(skew_folder)  # puts this build's signatures on record
    record_file = load_config(skew_folder).site / "signatures.json"
    record = json.loads(record_file.read_text())
    (current,) = record
    old = dict(record[current])
    old[GREET] = "a-different-signature"
    old[GONE] = "a-function-removed-since"
    record_file.write_text(json.dumps({"old": old, current: record[current]}))
    with TestClient(create_app(skew_folder)) as client:
        yield client, current


def call(client, path, arguments, build=None):
    headers = {"X-Lepta-Build": build} if build else {}
    return client.post(path, json=arguments, headers=headers)


def assert_stale(response, name):
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["type"] == "lepta.server_fn._errors:StaleClient"
    assert "this page is older than the server: %s has changed or is gone" % name in (
        error["message"]
    )
    assert response.headers["cache-control"] == "no-store"


def test_the_page_names_the_build_it_was_loaded_from(skew):
    client, current = skew
    assert 'data-lepta-build="%s"' % current in client.get("/").text


def test_calls_from_this_build_or_from_no_build_are_answered_as_usual(skew):
    client, current = skew
    assert call(client, GREET, {"name": "ada"}, current).json() == "hello ada"
    assert call(client, GREET, {"name": "ada"}).json() == "hello ada"
    assert call(client, GONE, {}, current).status_code == 404
    assert call(client, GONE, {}).status_code == 404


def test_an_earlier_build_calling_a_changed_function_gets_stale_client(skew):
    client, _ = skew
    assert_stale(call(client, GREET, {"name": "ada"}, "old"), "skew_app.greet")


def test_an_earlier_build_calling_a_function_gone_since_gets_stale_client(skew):
    client, _ = skew
    assert_stale(call(client, GONE, {}, "old"), GONE)


def test_an_earlier_build_calling_an_unchanged_function_is_answered(skew):
    client, _ = skew
    assert call(client, COUNT, {"n": 1}, "old").json() == 2


def test_a_build_not_on_record_is_stale_only_when_its_call_cannot_fit(skew):
    client, _ = skew
    assert call(client, GREET, {"name": "ada"}, "elsewhere").json() == "hello ada"
    assert_stale(call(client, GREET, {"title": "ada"}, "elsewhere"), "skew_app.greet")
    assert_stale(call(client, GONE, {}, "elsewhere"), GONE)
    # from this build, a call that does not fit is the caller's mistake: a 422
    assert call(client, GREET, {"title": "ada"}).status_code == 422


def test_the_browser_side_raises_stale_client_for_the_answer(skew):
    from lepta.server_fn import StaleClient
    from lepta.server_fn._errors import error_from_json

    client, _ = skew
    response = call(client, GREET, {"name": "ada"}, "old")
    error = error_from_json(response.json(), response.status_code)
    assert isinstance(error, StaleClient) and error.status == 409
