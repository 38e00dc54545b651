"""Serving an app with uvicorn: one process, or several worker processes.

    from lepta.server import run
    run("my_app", port=8000, workers=4)

Any worker can answer any request (nothing a page relies on lives in a worker's
memory), so workers need no coordination: uvicorn starts them, each on a socket of
its own on the same port where the system spreads connections across such sockets
(Linux: see port_for_workers), else on one shared socket, and each imports the app
through `app_from_env`, which reads the app's folder from `LEPTA_APP_DIR` (set by
`run`). gunicorn does the same with uvicorn's worker class, on a shared socket
(docs/deploy.md).

On SIGTERM (or Ctrl-C) a worker stops accepting connections, lets the requests in
flight finish (streamed pages to their last chunk) for up to `shutdown_timeout`
seconds, runs the app's `setup` to its end, and exits 0.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette

from ._app import create_app
from ._environment import (
    check_environment,
    gc_threshold,
    listen_address,
    production,
    secret_key,
    worker_count,
)
from .config import AppConfig, ConfigError, load_config

APP_DIR_ENV = "LEPTA_APP_DIR"
FACTORY = "lepta.server:app_from_env"
# Room for the request line and the rest of a request's head beyond the app's limits,
# so that uvicorn's own parser (h11) never refuses before the app can say why.
HEAD_ROOM = 1024


def run(
    app_dir: str | os.PathLike[str],
    host: str | None = None,
    port: int | None = None,
    *,
    workers: int | None = None,
    runtime: str | None = None,
    build: Callable[[AppConfig], Any] | None = None,
    listening: socket.socket | None = None,
    log_level: str = "warning",
) -> int:
    """Serve the app in `app_dir` with uvicorn until SIGTERM or Ctrl-C; the exit status.

        run("examples/todo_app_sqlite", "0.0.0.0", 8000, workers=4)

    `host` and `port` default to `LEPTA_HOST` and `LEPTA_PORT` (else 127.0.0.1 and
    3000), `workers` to `LEPTA_WORKERS` (else 1); `workers > 1` starts that many
    uvicorn worker processes. `build(config)`, when given, makes the
    client bundle first if it is missing or stale (`lepta.build.bundle.ensure_built`;
    this layer does not build by itself). `listening` is a socket already bound (the
    command line binds first, to report a port in use before anything else).
    Each serving process runs young garbage collections less often than CPython
    would (`LEPTA_GC_THRESHOLD`, see `collect_less_often`).

    Everything is checked before the first worker starts: the environment (production
    needs `LEPTA_SECRET_KEY`), the settings, the build, and that the app imports; a
    problem is a ConfigError (or NotBuiltError) saying what to change.
    """
    host, port = listen_address(host, port)
    workers = worker_count(workers)
    threshold = gc_threshold()
    check_environment()
    config = load_config(app_dir, runtime)
    if build is not None:
        build(config)
    app = create_app(config.root, config.runtime)  # (fails here, once, if anything is wrong)
    sock = listening or listen(host, port)
    if workers == 1:
        freeze_startup_heap()
        collect_less_often(threshold)
        return serve(app, config, sock, workers, log_level)
    # What the workers' app_from_env reads (for as long as they run).
    given = {APP_DIR_ENV: str(config.root), "LEPTA_RUNTIME": config.runtime}
    if not production() and not os.environ.get("LEPTA_SECRET_KEY"):
        given["LEPTA_SECRET_KEY"] = secret_key()  # one random key for all the workers
    before = {name: os.environ.get(name) for name in given}
    os.environ.update(given)
    try:
        return serve(FACTORY, config, sock, workers, log_level)
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def app_from_env() -> Starlette:
    """The app whose folder `LEPTA_APP_DIR` names (its runtime: `LEPTA_RUNTIME`), for
    servers that import an app by name in each worker process:

        LEPTA_APP_DIR=my_app uvicorn --factory lepta.server:app_from_env --workers 4
        LEPTA_APP_DIR=my_app gunicorn -k uvicorn_worker.UvicornWorker -w 4 \\
            'lepta.server:app_from_env()'

    The environment is checked as `run` checks it (production needs
    `LEPTA_SECRET_KEY`); the app must have been built (`lepta build my_app`).
    """
    folder = os.environ.get(APP_DIR_ENV)
    if not folder:
        raise ConfigError(
            "%s is not set: set it to the folder of the Lepta app to serve" % APP_DIR_ENV
        )
    check_environment()
    threshold = gc_threshold()
    app = create_app(folder)
    freeze_startup_heap()
    collect_less_often(threshold)
    return app


def freeze_startup_heap() -> None:
    """Set what the process made while starting (modules, settings, the app's tables
    and schemas, all kept until it exits) apart from garbage collection, so that the
    full collections a busy server runs now and then do not go over all of it again
    each time (CPython's `gc.freeze`; the garbage made so far is collected first)."""
    import gc

    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        gc.collect()
        freeze()


def collect_less_often(threshold: int) -> None:
    """Let `threshold` allocations (not yet freed) pass between young garbage
    collections (`gc.set_threshold`; 0: keep the process's setting). A busy server
    has many pages in flight, each holding thousands of objects that refcounting
    frees once it is sent: CPython's 700 runs collections that go over all of them
    several times per page, to free almost nothing (LEPTA_GC_THRESHOLD)."""
    import gc

    if threshold > 0 and hasattr(gc, "set_threshold"):
        gc.set_threshold(threshold, *gc.get_threshold()[1:])


def uvicorn_options(config: AppConfig) -> dict[str, Any]:
    """uvicorn's settings for the app's limits and timeouts, for `uvicorn.Config` or
    `uvicorn.run`:

        uvicorn.run(create_app("my_app"), **uvicorn_options(load_config("my_app")))
    """
    return {
        "timeout_keep_alive": config.keep_alive_timeout,
        "timeout_graceful_shutdown": config.shutdown_timeout,
        "h11_max_incomplete_event_size": config.url_limit + config.header_limit + HEAD_ROOM,
    }


def serve(
    app: Starlette | str, config: AppConfig, sock: socket.socket, workers: int, log_level: str
) -> int:
    """Run uvicorn on `sock`: `app` in this process, or `workers` processes importing it
    by name. 0 once stopped by a signal, 1 if the app did not start."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    options = uvicorn_options(config)
    handled = [signal.SIGINT, signal.SIGTERM]
    previous = {sig: signal.getsignal(sig) for sig in handled}
    # uvicorn raises the signal that stopped it again once done, for the handler that
    # was there before: ignoring it then makes a stop on SIGTERM an exit with status 0.
    for sig in handled:
        signal.signal(sig, _ignore)
    try:
        if workers == 1:
            server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, **options))
            server.run(sockets=[sock])
            return 0 if server.started else 1
        settings = uvicorn.Config(
            app, workers=workers, factory=True, log_level=log_level, **options
        )
        placeholder = port_for_workers(sock)
        if placeholder is not None:
            sock = placeholder  # (closed below, when serving ends)
            supervisor = Multiprocess(settings, sockets=SocketPerWorker([sock]))
        else:
            supervisor = Multiprocess(settings, sockets=[sock])
        supervisor.run()
        failed = any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes)
        return 1 if failed else 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def _ignore(sig: int, frame: Any) -> None:
    pass


# Worker processes each listen on a socket of their own, on the same port.
#
# With one listening socket shared by every worker, the worker whose event loop wakes
# first takes every connection waiting (asyncio accepts up to the backlog at once).
# Clients that open their keep-alive connections together, such as a proxy's pool of
# upstream connections or a load generator, can then all land on one worker while the
# others idle. With a socket per worker, bound with SO_REUSEPORT, Linux spreads new
# connections across them (by a hash of the client's address and port).


def port_for_workers(sock: socket.socket) -> socket.socket | None:
    """Where the system spreads connections across sockets sharing a port (Linux):
    close `sock` and return a socket bound to its address with SO_REUSEPORT but not
    listening, which holds the port for the workers' own sockets (SocketPerWorker).
    Elsewhere None, and the workers share `sock`."""
    if sys.platform != "linux" or not hasattr(socket, "SO_REUSEPORT"):
        return None
    family, address = sock.family, sock.getsockname()
    sock.close()
    try:
        return _bound(family, address)
    except OSError as exc:
        raise ConfigError(
            "cannot listen on %s again for the workers: %s" % (address, exc.strerror)
        ) from None


class SocketPerWorker(list):  # type: ignore[type-arg]
    """The sockets uvicorn hands each worker process: `[placeholder]` here; once
    pickled into a spawned worker, a new socket of its own, listening on the same
    address (see port_for_workers)."""

    def __reduce__(self) -> tuple[Any, ...]:
        placeholder = self[0]
        return (_listen_in_worker, (placeholder.family, placeholder.getsockname()))


def _listen_in_worker(family: int, address: Any) -> list[socket.socket]:
    sock = _bound(family, address)
    sock.listen(2048)
    return [sock]


def _bound(family: int, address: Any) -> socket.socket:
    # (TCP named: asyncio turns Nagle's algorithm off only on sockets that say so,
    # else a response written in two parts waits for the client's delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def listen(
    host: str,
    port: int,
    host_hint: str = "give a host address",
    port_hint: str = "give another port",
) -> socket.socket:
    """A socket listening on host:port, or ConfigError saying why it cannot (and what to
    do: the hints, as the caller's user gives a host or a port)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError("cannot listen on %s: %s; %s" % (host, exc, host_hint)) from None
    family, kind, proto, _, address = infos[0]
    listening = socket.socket(family, kind, proto)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                "port %d on %s is in use: stop what listens there, or %s" % (port, host, port_hint)
            ) from None
        raise ConfigError("cannot listen on %s:%d: %s" % (host, port, exc.strerror)) from None
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening
