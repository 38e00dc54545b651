"""An app's settings: the `[tool.lepta]` table of its `pyproject.toml`.

    [tool.lepta]
    app = "app:App"          # module:Component, the root of the page's body
    runtime = "micropython"  # or "pyodide", or "auto"
    title = "My app"
    style = "style.css"      # a stylesheet linked from every page (hashed, precompressed)
    micropython_heap_mb = 24  # MicroPython's first heap, in MB (it grows when full)
    ssr = "out_of_order"     # how pages stream: or "in_order", or "async" (a Route's
                             # `ssr=` sets its own pages' mode)
    in_order_wait_ms = 10    # how long an in-order page holds its start for data
                             # (what comes in time goes in the same write); 0: none
    csp = true               # a Content-Security-Policy with a fresh nonce per page
    body_limit = 1048576     # the largest request body, in bytes (413 above)
    setup = "db:setup"       # opens what the app needs while it serves (see create_app)
    openapi = true           # /_lepta/openapi.json in production too (development: always)
    frame_ancestors = "'self'"  # who may put the pages in a frame: "'none'", "*", origins
    health = "/_lepta/health"  # the health check's path, or false for none
    url_limit = 16384        # the longest path and query, in bytes (414 above)
    header_limit = 65536     # the most bytes of request headers (431 above)
    arg_depth_limit = 32     # how deep a server function's arguments may nest (422 above)
    arg_items_limit = 10000  # the most items in one list or object of arguments (422 above)
    keep_alive_timeout = 5   # seconds an idle connection stays open
    shutdown_timeout = 30    # seconds requests in flight get to finish on SIGTERM

    [tool.lepta.headers]     # headers on every response: added, changed, or removed
    "Referrer-Policy" = "no-referrer"
    "X-Frame-Options" = false

Every response carries security headers by default (see lepta.server._headers).

The runtime can be overridden by the environment (`LEPTA_RUNTIME`) and, above that,
by the command line (`--runtime`). `LEPTA_ENV=production` hides tracebacks from error
pages (development shows them). The limits and timeouts are explained in docs/deploy.md.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..reactive import LeptaError

RUNTIME_CHOICES = ("micropython", "pyodide", "auto")
SSR_MODES = ("out_of_order", "in_order", "async")


class ConfigError(LeptaError, ValueError):
    """The app's settings are missing or wrong."""


@dataclass(frozen=True)
class AppConfig:
    root: Path  # the app's folder
    entry: str  # "module:Component"
    runtime: str  # as asked for: micropython, pyodide or auto
    title: str
    style: str = ""  # the app's stylesheet, relative to its folder
    heap_mb: int = 24  # MicroPython's first heap, in MB
    ssr: str = "out_of_order"  # how pages stream
    in_order_wait_ms: int = 10  # how long an in-order page holds what it has for data
    production: bool = False  # error pages without tracebacks
    csp: bool = False  # send a Content-Security-Policy, with a nonce on every script
    frame_ancestors: str = "'self'"  # a CSP source list: who may frame the pages
    body_limit: int = 1 << 20  # the largest request body, in bytes
    setup: str = ""  # "module:function": an async context manager yielding app context
    openapi: bool = False  # serve /_lepta/openapi.json in production too
    headers: tuple[tuple[str, str | None], ...] = ()  # [tool.lepta.headers]; None removes
    health: str = "/_lepta/health"  # the health check's path; "" for none
    url_limit: int = 16384  # the longest path and query string, in bytes
    header_limit: int = 65536  # the most bytes of request headers (names and values)
    arg_depth_limit: int = 32  # how deep a server function's arguments may nest
    arg_items_limit: int = 10000  # the most items in one list or object of arguments
    keep_alive_timeout: int = 5  # seconds an idle keep-alive connection stays open
    shutdown_timeout: int = 30  # seconds requests in flight get to finish on SIGTERM

    @property
    def module(self) -> str:
        return self.entry.partition(":")[0]

    @property
    def component(self) -> str:
        return self.entry.partition(":")[2]

    @property
    def site(self) -> Path:
        """Where `lepta build` writes the client bundle (one per runtime setting, so
        builds for two runtimes can be served side by side)."""
        return self.root / "target" / "site" / self.runtime


def load_config(app_dir: str | os.PathLike[str], runtime: str | None = None) -> AppConfig:
    """Read `app_dir`'s settings; `runtime`, when given, wins over everything else."""
    root = Path(app_dir).resolve()
    if not root.is_dir():
        raise ConfigError("%s is not a folder: give the folder of a Lepta app" % app_dir)
    table: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("%s is not valid TOML: %s" % (pyproject, exc)) from None
        table = data.get("tool", {}).get("lepta", {})
    entry = str(table.get("app", "app:App"))
    module, _, component = entry.partition(":")
    if not module or not component:
        raise ConfigError(
            'app = %r in %s: write it as "module:Component", e.g. "app:App"' % (entry, pyproject)
        )
    chosen = runtime or os.environ.get("LEPTA_RUNTIME") or str(table.get("runtime", "micropython"))
    if chosen not in RUNTIME_CHOICES:
        raise ConfigError(
            "unknown runtime %r: choose one of %s" % (chosen, ", ".join(RUNTIME_CHOICES))
        )
    title = str(table.get("title", root.name))
    heap = table.get("micropython_heap_mb", 24)
    if not isinstance(heap, int) or not 4 <= heap <= 2048:
        raise ConfigError(
            "micropython_heap_mb = %r in %s: give a whole number of megabytes, 4 to 2048"
            % (heap, pyproject)
        )
    ssr = _ssr_mode(table.get("ssr", "out_of_order"), "ssr", pyproject)
    if "ssr_paths" in table:
        raise ConfigError(
            "[tool.lepta.ssr_paths] in %s: a page's streaming mode is now set on its route, "
            'Route("/reports", Reports, ssr="async"); remove the table' % pyproject
        )
    return AppConfig(
        root=root,
        entry=entry,
        runtime=chosen,
        title=title,
        style=_relative_file(table.get("style", ""), "style", pyproject),
        heap_mb=heap,
        ssr=ssr,
        in_order_wait_ms=_milliseconds(table, "in_order_wait_ms", pyproject),
        csp=_flag(table.get("csp", False), "csp", pyproject),
        frame_ancestors=_frame_ancestors(table.get("frame_ancestors", "'self'"), pyproject),
        headers=_headers(table.get("headers", {}), pyproject),
        body_limit=_whole(table, "body_limit", 1 << 20, pyproject),
        health=_health(table.get("health", AppConfig.health), pyproject),
        url_limit=_whole(table, "url_limit", AppConfig.url_limit, pyproject),
        header_limit=_whole(table, "header_limit", AppConfig.header_limit, pyproject),
        arg_depth_limit=_whole(table, "arg_depth_limit", AppConfig.arg_depth_limit, pyproject),
        arg_items_limit=_whole(table, "arg_items_limit", AppConfig.arg_items_limit, pyproject),
        keep_alive_timeout=_whole(
            table, "keep_alive_timeout", AppConfig.keep_alive_timeout, pyproject
        ),
        shutdown_timeout=_whole(table, "shutdown_timeout", AppConfig.shutdown_timeout, pyproject),
        setup=_target(table.get("setup", ""), "setup", pyproject),
        openapi=_flag(table.get("openapi", False), "openapi", pyproject),
        production=os.environ.get("LEPTA_ENV", "development") == "production",
    )


def _flag(value: object, where: str, pyproject: Path) -> bool:
    if not isinstance(value, bool):
        raise ConfigError("%s = %r in %s: write true or false" % (where, value, pyproject))
    return value


def _ssr_mode(value: object, where: str, pyproject: Path) -> str:
    if value not in SSR_MODES:
        raise ConfigError(
            "%s = %r in %s: choose one of %s" % (where, value, pyproject, ", ".join(SSR_MODES))
        )
    return str(value)


def _relative_file(value: object, key: str, pyproject: Path) -> str:
    if not isinstance(value, str) or value.startswith("/") or ".." in value.split("/"):
        raise ConfigError(
            '%s = %r in %s: give a file in the app\'s folder, e.g. "style.css"'
            % (key, value, pyproject)
        )
    return value


def _target(value: object, key: str, pyproject: Path) -> str:
    if value == "":
        return ""
    if not isinstance(value, str) or value.count(":") != 1 or not all(value.split(":")):
        raise ConfigError(
            '%s = %r in %s: write it as "module:name", e.g. "db:setup"' % (key, value, pyproject)
        )
    return value


# What each whole-number setting counts, for the message that asks for one.
_WHOLE = {
    "body_limit": "the largest request body to accept, in bytes",
    "url_limit": "the longest path and query string to accept, in bytes",
    "header_limit": "the most bytes of request headers to accept",
    "arg_depth_limit": "how deep a server function's arguments may nest",
    "arg_items_limit": "the most items one list or object of arguments may hold",
    "keep_alive_timeout": "how many seconds an idle connection stays open",
    "shutdown_timeout": "how many seconds requests in flight get to finish on SIGTERM",
}


def _whole(table: dict[str, object], key: str, default: int, pyproject: Path) -> int:
    """A setting that must be a whole number of at least 1."""
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(
            "%s = %r in %s: give %s, a whole number of at least 1 (the default is %d)"
            % (key, value, pyproject, _WHOLE[key], default)
        )
    return value


def _milliseconds(table: dict[str, object], key: str, pyproject: Path) -> int:
    """A duration in milliseconds, 0 to 1000."""
    value = table.get(key, getattr(AppConfig, key))
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
        raise ConfigError(
            "%s = %r in %s: give a whole number of milliseconds, 0 to 1000 (the default "
            "is %d)" % (key, value, pyproject, getattr(AppConfig, key))
        )
    return value


def _health(value: object, pyproject: Path) -> str:
    if value is False:
        return ""
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or value.startswith("/_lepta/fn/")
        or not value.isascii()
        or any(c in value for c in "?# \t\r\n")
    ):
        raise ConfigError(
            'health = %r in %s: give the path of the health check, e.g. "/_lepta/health" '
            '(not below /_lepta/fn/), or false for none' % (value, pyproject)
        )
    return value


def _frame_ancestors(value: object, pyproject: Path) -> str:
    if not isinstance(value, str) or not value.strip() or any(c in value for c in ";,\r\n"):
        raise ConfigError(
            "frame_ancestors = %r in %s: give a CSP source list such as \"'self'\", "
            '"\'none\'", "*" or "https://example.com"' % (value, pyproject)
        )
    return value.strip()


_TOKEN = set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _headers(value: object, pyproject: Path) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(value, dict):
        raise ConfigError("[tool.lepta.headers] in %s must be a table" % pyproject)
    headers: list[tuple[str, str | None]] = []
    for name, given in value.items():
        if not name or not set(name) <= _TOKEN:
            raise ConfigError(
                "%r in [tool.lepta.headers] of %s is not a header name" % (name, pyproject)
            )
        if given is False:
            headers.append((name, None))
        elif isinstance(given, str) and given.isascii() and given.isprintable():
            headers.append((name, given))
        else:
            raise ConfigError(
                '"%s" = %r in [tool.lepta.headers] of %s: give the header\'s value as one '
                "line of text, or false to send no such header" % (name, given, pyproject)
            )
    return tuple(headers)
