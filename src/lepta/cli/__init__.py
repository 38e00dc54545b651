"""The `lepta` command.

    lepta --version
    lepta new NAME [--template basic|fullstack]
                                       # a new app in the folder NAME
    lepta dev APP_DIR [--port N] [--host H] [--runtime R]
                                       # serve, rebuild and reload as files change
    lepta render app.module:App        # server-render a component to stdout
    lepta build APP_DIR [--runtime R]  # the client bundle, into APP_DIR/target/site/R
    lepta serve APP_DIR [--port N] [--host H] [--workers N] [--runtime R]
                                       # build if needed, then serve on uvicorn

R is micropython, pyodide or auto; it overrides `runtime` under [tool.lepta] in the
app's pyproject.toml and the LEPTA_RUNTIME environment variable.
"""

from __future__ import annotations

import argparse
import importlib
import socket
import sys

from .. import __version__
from ..build.bundle import BuildError, build, ensure_built
from ..build.runtimes import RuntimeFetchError
from ..server._app import NotBuiltError
from ..server._run import listen
from ..server.config import RUNTIME_CHOICES, ConfigError, load_config
from ..ssr import render_to_string
from ..view import Component
from ._new import TEMPLATES, NewProjectError, new_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lepta", description="Lepta's command line.")
    parser.add_argument("--version", action="version", version="lepta %s" % __version__)
    commands = parser.add_subparsers(dest="command")
    render = commands.add_parser("render", help="server-render a component to stdout")
    render.add_argument("target", help="module:Component, e.g. app.views:App")
    build = commands.add_parser("build", help="build an app's client bundle")
    build.add_argument("app_dir", help="the app's folder (with its pyproject.toml)")
    build.add_argument("--runtime", choices=RUNTIME_CHOICES, help="the browser runtime")
    serve = commands.add_parser("serve", help="serve an app (building it first if needed)")
    serve.add_argument("app_dir", help="the app's folder (with its pyproject.toml)")
    serve.add_argument("--runtime", choices=RUNTIME_CHOICES, help="the browser runtime")
    serve.add_argument("--port", type=int, help="default: LEPTA_PORT, else 3000")
    serve.add_argument("--host", help="default: LEPTA_HOST, else 127.0.0.1")
    serve.add_argument(
        "--workers", type=int, help="worker processes (default: LEPTA_WORKERS, else 1)"
    )
    new = commands.add_parser("new", help="make a new app in the folder NAME")
    new.add_argument("name", help="the new app's folder (its last part names the app)")
    new.add_argument("--template", choices=TEMPLATES, default="basic",
                     help="basic: a counter; fullstack: server functions, routes, SQLite")
    dev = commands.add_parser("dev", help="serve an app, rebuilding and reloading on changes")
    dev.add_argument("app_dir", help="the app's folder (with its pyproject.toml)")
    dev.add_argument("--runtime", choices=RUNTIME_CHOICES, help="the browser runtime")
    dev.add_argument("--port", type=int, default=3000)
    dev.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        if args.command == "render":
            return _render(args.target)
        if args.command == "build":
            return _build(args.app_dir, args.runtime)
        if args.command == "serve":
            return _serve(args.app_dir, args.runtime, args.host, args.port, args.workers)
        if args.command == "dev":
            return _dev(args.app_dir, args.runtime, args.host, args.port)
        if args.command == "new":
            return _new(args.name, args.template)
    except (ConfigError, BuildError, NotBuiltError, RuntimeFetchError, NewProjectError) as exc:
        print("lepta %s: %s" % (args.command, exc), file=sys.stderr)
        return 1
    parser.print_help()
    return 2


def _render(target: str) -> int:
    module_name, _, name = target.partition(":")
    if not module_name or not name:
        print("lepta render: give module:Component, e.g. app.views:App", file=sys.stderr)
        return 2
    sys.path.insert(0, ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        print("lepta render: cannot import %s: %s" % (module_name, exc), file=sys.stderr)
        return 1
    component = getattr(module, name, None)
    if not isinstance(component, Component):
        print(
            "lepta render: %s has no component %r (mark it with @component)"
            % (module_name, name),
            file=sys.stderr,
        )
        return 1
    print(render_to_string(component))
    return 0


def _build(app_dir: str, runtime: str | None) -> int:
    config = load_config(app_dir, runtime)
    manifest = build(config)
    print(
        "lepta build: %s for %s in %s (%s, %s)"
        % (config.entry, manifest.runtime, config.site, manifest.loader, manifest.bundle)
    )
    return 0


def _serve(
    app_dir: str, runtime: str | None, host: str | None, port: int | None, workers: int | None
) -> int:
    from ..server import run
    from ..server._environment import listen_address

    load_config(app_dir, runtime)  # (a folder that is no app stops here)
    host, port = listen_address(host, port)
    listening = _listen(host, port)  # first: a port in use is the first thing said
    ensure_built(load_config(app_dir, runtime))
    print("lepta serve: http://%s:%d" % (host, port), flush=True)
    return run(app_dir, host, port, workers=workers, runtime=runtime, listening=listening)


def _dev(app_dir: str, runtime: str | None, host: str, port: int) -> int:
    import uvicorn

    from ..dev import DevServer

    load_config(app_dir, runtime)  # (a folder that is no app stops here)
    listening = _listen(host, port)
    server = DevServer(app_dir, runtime, url="http://%s:%d" % (host, port))
    config = uvicorn.Config(server.app, log_level="warning", timeout_graceful_shutdown=1)
    uvicorn.Server(config).run(sockets=[listening])
    return 0


def _new(name: str, template: str) -> int:
    folder = new_project(name, template)
    print("lepta new: made %s (template %s). Next:" % (folder, template))
    print("    cd %s && pip install -e .   # lepta, pytest and playwright" % name)
    print("    lepta dev .                 # then open http://127.0.0.1:3000/")
    print("    pytest                      # its tests")
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, or ConfigError saying why it cannot."""
    return listen(host, port, host_hint="give --host an address", port_hint="pass --port N")
