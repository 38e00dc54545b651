"""Real infrastructure for tests and benchmarks: a throwaway PostgreSQL cluster, groups
of `lepta serve --workers N` processes, and nginx spreading requests over them, round
robin. Nothing is mocked; every process is started here and stopped here, by its id.

    from infra import lepta_workers, nginx_round_robin, postgres_cluster  # tests/ on the path

    with postgres_cluster() as pg:
        env = {"DATABASE_URL": pg.create_database("todos"), "LEPTA_SECRET_KEY": "..."}
        with lepta_workers("examples/todo_app_sqlite", env, workers=2, groups=2) as groups:
            with nginx_round_robin([g.port for g in groups]) as nginx:
                ...                               # nginx.url: "http://127.0.0.1:PORT"
                nginx.upstream_counts()           # {group's port: requests it answered}

`postgres_cluster()` -> `Postgres`: Debian's PostgreSQL (`apt-get install postgresql`;
the binaries of the newest /usr/lib/postgresql/*/bin), `initdb` into a temporary
folder and started with `pg_ctl` on a free port of 127.0.0.1 (its unix socket in that
folder too), trusting local connections as the superuser `lepta`. Run as root, the
server runs as the `postgres` account (made by the package) through `runuser`. It is
tuned for tests (no fsync: a crash loses the cluster, which is thrown away anyway).
`pg.create_database(name)` makes a database and gives its URL for `DATABASE_URL`;
`pg.execute(name, sql)` runs SQL in one (to empty a table between tests); `pg.url(name)`.

`lepta_workers(app_dir, env, workers=2, groups=2, runtime=None)` -> list of
`WorkerGroup`: builds the app's bundle once if it is stale, then starts `groups`
processes of `lepta serve APP --workers N`, each on a free port of its own, with
`env` over this process's environment, and waits until each answers at
/_lepta/health. A group can be stopped and started again (on its port), or killed;
`group.url` is its own address, past any proxy.

`nginx_round_robin(ports)` -> `Nginx`: Debian's nginx (`apt-get install nginx`), not
daemonised, with its configuration, pid file, logs and temporary files in a
temporary folder, listening on a free port of 127.0.0.1, passing every request to
the `ports` in turn (round robin, no affinity, one worker process so the turns are
strict), as docs/deploy.md's recipe does. Its access log names the upstream that
answered each request: `nginx.log_mark()` and `nginx.upstream_counts(since=mark)`
count them; `nginx.config` is the configuration it runs.

`deployment(app_dir, env, workers=2, groups=2, runtime=None)` -> `Deployment`: the
two together, the app as it runs in production; `d.url` is nginx's, `d.stop()` and
`d.start()` restart every group (on the same ports, nginx keeps running), and
`d.groups_answering(since=d.nginx.log_mark())` tells which groups answered since.

Each is also a class with `start()` / `stop()` for use outside a `with`.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HEALTH = "/_lepta/health"
SERVER_ACCOUNT = "postgres"  # runs PostgreSQL when the tests run as root


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def secret_key() -> str:
    """A new key for `LEPTA_SECRET_KEY`, long enough for production."""
    return secrets.token_urlsafe(32)


# PostgreSQL


class Postgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a free loopback port."""

    user = "lepta"
    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = 0
        self.folder: Path | None = None
        self.bin = postgres_bin()

    @property
    def data(self) -> Path:
        assert self.folder is not None, "start() the cluster first"
        return self.folder / "data"

    def start(self) -> Postgres:
        self.folder = Path(tempfile.mkdtemp(prefix="lepta-postgres-"))
        account = _server_account()
        if account is not None:
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.port = free_port()
        try:
            self._run(
                "initdb", "-D", str(self.data), "-U", self.user, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync",
            )
            options = " ".join([
                "-p %d" % self.port,
                "-c listen_addresses=%s" % self.host,
                "-c unix_socket_directories=%s" % self.folder,
                "-c max_connections=300",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            ])
            self._run(
                "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                "-l", str(self.folder / "server.log"), "-o", options,
            )
        except BaseException:
            self._print_log()
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended) and delete the cluster."""
        folder, self.folder = self.folder, None
        if folder is None:
            return
        pid_file = folder / "data" / "postmaster.pid"
        if pid_file.exists():
            try:
                self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(folder / "data"))
            except subprocess.CalledProcessError:  # then its own process, by its id
                pid = int(pid_file.read_text().split()[0])
                os.kill(pid, signal.SIGQUIT)
                time.sleep(1)
        shutil.rmtree(folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A URL for DATABASE_URL."""
        return "postgresql://%s@%s:%d/%s" % (self.user, self.host, self.port, database)

    def create_database(self, name: str) -> str:
        """Make the database `name` (empty); its URL."""
        self.execute("postgres", 'CREATE DATABASE "%s"' % name)
        return self.url(name)

    def execute(self, database: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run `sql` in `database` (autocommit); the rows it returned, if any."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname=database, autocommit=True
        ) as conn:
            cursor = conn.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []

    def __enter__(self) -> Postgres:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        account = _server_account()
        if account is not None:
            command = ["runuser", "-u", account.pw_name, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=self.folder)

    def _print_log(self) -> None:
        if self.folder is not None and (self.folder / "server.log").exists():
            print((self.folder / "server.log").read_text(), file=sys.stderr)


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL programs (initdb, pg_ctl), newest version."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[3]) if Path(p).parts[3].isdigit() else 0,
    )
    if not found:
        raise FileNotFoundError(
            "no PostgreSQL in /usr/lib/postgresql: install Debian's "
            "(`apt-get install postgresql`, which ./dev test does)"
        )
    return Path(found[-1]).parent


def _server_account() -> pwd.struct_passwd | None:
    """The account to run PostgreSQL as (it refuses to run as root), or None for this
    process's own."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise RuntimeError(
            "running as root, PostgreSQL needs an unprivileged account: the package "
            "`postgresql` makes `%s`" % SERVER_ACCOUNT
        ) from None


@contextmanager
def postgres_cluster() -> Iterator[Postgres]:
    """A throwaway PostgreSQL cluster, started and then stopped and deleted."""
    with Postgres() as pg:
        yield pg


# Lepta's worker processes


class WorkerGroup:
    """One `lepta serve APP --workers N` process (a supervisor and N workers sharing one
    socket) on a port of its own."""

    def __init__(
        self,
        app_dir: str | os.PathLike[str],
        env: Mapping[str, str],
        workers: int = 2,
        runtime: str | None = None,
        port: int | None = None,
        timeout: float = 120,
    ) -> None:
        self.app_dir = os.fspath(app_dir)
        self.env = dict(env)
        self.workers = workers
        self.runtime = runtime
        self.port = port or free_port()
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    def start(self) -> WorkerGroup:
        """Start serving (on the same port as before, after a stop); see `wait_up`."""
        command = [
            sys.executable, "-m", "lepta.cli", "serve", self.app_dir,
            "--port", str(self.port), "--workers", str(self.workers),
        ]
        if self.runtime:
            command += ["--runtime", self.runtime]
        # A session of its own: the supervisor and its workers are one process group,
        # which `kill` ends at once.
        self.process = subprocess.Popen(
            command, env={**os.environ, **self.env}, start_new_session=True
        )
        return self

    def wait_up(self) -> None:
        """Wait until the group answers at its health endpoint."""
        assert self.process is not None, "start() the group first"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "`lepta serve %s` exited with status %s: its output above says why"
                    % (self.app_dir, self.process.returncode)
                )
            try:
                with urllib.request.urlopen(self.url + HEALTH, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.1)
        raise RuntimeError("`lepta serve %s` did not answer at %s" % (self.app_dir, self.url))

    def stop(self, timeout: float = 30) -> None:
        """Stop gracefully (SIGTERM: requests in flight finish), else kill the group."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)

    def kill(self) -> None:
        """Kill the supervisor and its workers at once (SIGKILL), as a crash would."""
        process, self.process = self.process, None
        if process is not None:
            _kill_group(process)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group this module started it in
    except ProcessLookupError:
        pass
    process.wait()


def build_once(app_dir: str | os.PathLike[str], runtime: str | None = None) -> None:
    """Build the app's bundle if it is missing or stale, before any group starts (the
    groups would otherwise race to build it)."""
    from lepta.build.bundle import ensure_built
    from lepta.server.config import load_config

    ensure_built(load_config(app_dir, runtime))


@contextmanager
def lepta_workers(
    app_dir: str | os.PathLike[str],
    env: Mapping[str, str],
    workers: int = 2,
    groups: int = 2,
    runtime: str | None = None,
) -> Iterator[list[WorkerGroup]]:
    """`groups` groups of `workers` processes each serving the app, each group on a
    free port; stopped at the end."""
    build_once(app_dir, runtime)
    started = [WorkerGroup(app_dir, env, workers, runtime) for _ in range(groups)]
    try:
        for group in started:
            group.start()
        for group in started:
            group.wait_up()
        yield started
    finally:
        for group in started:
            group.stop()


# nginx

NGINX_CONFIG = """\
daemon off;
worker_processes 1;        # one round-robin turn for every request
pid %(folder)s/nginx.pid;
error_log %(folder)s/error.log warn;

events { worker_connections 1024; }

http {
    log_format upstream '$request_method $request_uri $status $upstream_addr';
    access_log %(folder)s/access.log upstream;
    client_body_temp_path %(folder)s/body;
    proxy_temp_path %(folder)s/proxy;
    fastcgi_temp_path %(folder)s/fastcgi;
    uwsgi_temp_path %(folder)s/uwsgi;
    scgi_temp_path %(folder)s/scgi;

    upstream lepta {
%(servers)s
        keepalive 32;
        keepalive_timeout 4s;  # below the app's keep_alive_timeout (5 s): see docs/deploy.md
    }

    server {
        listen 127.0.0.1:%(port)d;

        client_max_body_size 1m;
        large_client_header_buffers 4 16k;
        client_header_timeout 10s;
        client_body_timeout 10s;

        location / {
            proxy_pass http://lepta;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;  # with the port: Origin is compared with it
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
        }
    }
}
"""


class Nginx:
    """nginx in front of `ports` of 127.0.0.1, round robin, in a folder of its own."""

    def __init__(self, ports: list[int], binary: str | None = None) -> None:
        self.ports = list(ports)
        self.binary = binary or shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = 0
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.config = ""

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    @property
    def access_log(self) -> Path:
        assert self.folder is not None, "start() nginx first"
        return self.folder / "access.log"

    def start(self) -> Nginx:
        if not os.path.exists(self.binary):
            raise FileNotFoundError(
                "no nginx: install Debian's (`apt-get install nginx`, which ./dev test does)"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="lepta-nginx-"))
        self.folder.chmod(0o755)  # run as root, nginx's workers are `nobody`
        self.port = free_port()
        servers = "\n".join("        server 127.0.0.1:%d;" % port for port in self.ports)
        self.config = NGINX_CONFIG % {
            "folder": self.folder, "servers": servers, "port": self.port
        }
        conf = self.folder / "nginx.conf"
        conf.write_text(self.config)
        self.access_log.touch()
        error_log = str(self.folder / "error.log")
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.folder), "-c", str(conf), "-e", error_log]
        )
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("nginx exited with %s: %s" % (
                    self.process.returncode, Path(error_log).read_text()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("nginx did not listen on port %d" % self.port) from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop nginx (SIGTERM, its own process) and delete its folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def log_mark(self) -> int:
        """Where the access log ends now, for `upstream_counts(since=...)`."""
        return self.access_log.stat().st_size

    def log_lines(self, since: int = 0) -> list[str]:
        """The access log's lines from `since` (a `log_mark()`): method, URI, status
        and the upstream that answered (several, comma-separated, after a retry)."""
        with self.access_log.open("rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", "replace").splitlines()

    def upstream_counts(self, since: int = 0) -> Counter[int]:
        """How many requests each upstream port answered since `since`."""
        counts: Counter[int] = Counter()
        for line in self.log_lines(since):
            upstream = line.rsplit(" ", 1)[-1].split(",")[-1].strip()
            if upstream.startswith("127.0.0.1:"):
                counts[int(upstream.rpartition(":")[2])] += 1
        return counts

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


@contextmanager
def nginx_round_robin(ports: list[int]) -> Iterator[Nginx]:
    """nginx passing requests to `ports` of 127.0.0.1 in turn; stopped at the end."""
    with Nginx(ports) as nginx:
        yield nginx


# The two together


class Deployment:
    """`groups` groups of `workers` processes serving one app behind nginx, round robin."""

    def __init__(
        self,
        app_dir: str | os.PathLike[str],
        env: Mapping[str, str],
        workers: int = 2,
        groups: int = 2,
        runtime: str | None = None,
    ) -> None:
        self.app_dir = app_dir
        self.runtime = runtime
        self.groups = [WorkerGroup(app_dir, env, workers, runtime) for _ in range(groups)]
        self.nginx = Nginx([group.port for group in self.groups])

    @property
    def url(self) -> str:
        return self.nginx.url

    def start(self) -> Deployment:
        """Start every group (the first time, after building the app once), then nginx
        if it is not running yet."""
        if self.nginx.process is None:
            build_once(self.app_dir, self.runtime)
        try:
            for group in self.groups:
                group.start()
            for group in self.groups:
                group.wait_up()
            if self.nginx.process is None:
                self.nginx.start()
        except BaseException:
            self.close()
            raise
        return self

    def stop(self) -> None:
        """Stop every group (nginx keeps running: `start()` brings them back)."""
        for group in self.groups:
            group.stop()

    def close(self) -> None:
        """Stop every group and nginx."""
        self.stop()
        self.nginx.stop()

    def groups_answering(self, since: int = 0) -> Counter[int]:
        """How many requests each group answered since `since` (a `nginx.log_mark()`),
        every group counted (0 for one that answered none)."""
        counts = self.nginx.upstream_counts(since)
        return Counter({group.port: counts[group.port] for group in self.groups})

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()


@contextmanager
def deployment(
    app_dir: str | os.PathLike[str],
    env: Mapping[str, str],
    workers: int = 2,
    groups: int = 2,
    runtime: str | None = None,
) -> Iterator[Deployment]:
    """The app served by `groups` groups of `workers` behind nginx; stopped at the end."""
    with Deployment(app_dir, env, workers, groups, runtime) as running:
        yield running
