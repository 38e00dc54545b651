"""Settings from the environment: what differs between machines, not between apps.

    LEPTA_ENV=production     error pages without tracebacks, Secure cookies, and a
                             secret key required (development is the default)
    LEPTA_SECRET_KEY=...     the key that signs what must come back unchanged
                             (session cookies): the same on every worker and machine
    DATABASE_URL=...         where the app's data lives, read by the app (database_url)
    LEPTA_HOST, LEPTA_PORT   where `lepta.server.run` listens (127.0.0.1, 3000)
    LEPTA_WORKERS            how many worker processes it starts (1)
    LEPTA_GC_THRESHOLD       allocations between young garbage collections in a
                             served process (10000; 0 keeps CPython's 700)
    LEPTA_RUNTIME            the browser runtime (see lepta.server.config)

Everything an app's correctness depends on comes from here or from its database,
never from a worker's memory, so any worker can answer any request.
"""

from __future__ import annotations

import logging
import os
import secrets

from .config import ConfigError

log = logging.getLogger("lepta")

ENVIRONMENTS = ("development", "production")
MIN_KEY_LENGTH = 32  # characters of a production key
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def production() -> bool:
    """Whether `LEPTA_ENV` is `production` (else the app runs for development)."""
    return os.environ.get("LEPTA_ENV", "development") == "production"


def check_environment() -> None:
    """ConfigError for an environment a server must not start with: an unknown
    `LEPTA_ENV` (a typo would serve tracebacks), or production without a good
    `LEPTA_SECRET_KEY`."""
    given = os.environ.get("LEPTA_ENV", "")
    if given and given not in ENVIRONMENTS:
        raise ConfigError(
            "LEPTA_ENV=%s: write LEPTA_ENV=production on a server, or development (the "
            "default) on your machine" % given
        )
    secret_key()


def secret_key() -> str:
    """The app's secret key, for signing what must come back unchanged (cookies).

        from lepta.server import secret_key
        signature = hmac.new(secret_key().encode(), data, "sha256").hexdigest()

    It is `LEPTA_SECRET_KEY`. In production a missing or short one is a ConfigError
    (the server refuses to start: `lepta.server.run` and `app_from_env` check it
    first). In development a missing one is replaced by a random key made once per
    process, with a warning: what it signed is void after a restart, and each worker
    process has its own (`run` shares one between its workers), so set the variable
    whenever that matters.
    """
    global _development_key
    configured = os.environ.get("LEPTA_SECRET_KEY", "")
    if production():
        if not configured:
            raise ConfigError(
                "LEPTA_SECRET_KEY is not set, and LEPTA_ENV=production needs it: set it to "
                "the same long random string on every worker and machine, for example "
                "the output of `%s`" % MAKE_A_KEY
            )
        if len(configured) < MIN_KEY_LENGTH:
            raise ConfigError(
                "LEPTA_SECRET_KEY is %d characters long: a production key needs at least "
                "%d; make one with `%s`" % (len(configured), MIN_KEY_LENGTH, MAKE_A_KEY)
            )
        return configured
    if configured:
        return configured
    if _development_key is None:
        _development_key = secrets.token_urlsafe(32)
        log.warning(
            "LEPTA_SECRET_KEY is not set: using a random key for this process, so what "
            "it signs (session cookies) ends when the server stops and is not shared "
            "with other workers. Set LEPTA_SECRET_KEY to keep them (`%s` makes one)",
            MAKE_A_KEY,
        )
    return _development_key


_development_key: str | None = None


def database_url(default: str) -> str:
    """`DATABASE_URL`, else `default`: where the app's data lives.

        from lepta.server import database_url
        engine = create_async_engine(database_url("sqlite:///todos.db"))

    Read it in the app's `setup`, which runs in each worker; `postgresql://...` on a
    server, a SQLite file on your machine.
    """
    return os.environ.get("DATABASE_URL") or default


def listen_address(host: str | None, port: int | None) -> tuple[str, int]:
    """`host` and `port`, else `LEPTA_HOST` and `LEPTA_PORT`, else 127.0.0.1:3000."""
    if port is None:
        text = os.environ.get("LEPTA_PORT", "3000")
        port = int(text) if text.isdigit() else 0
        if not 0 < port < 65536:
            raise ConfigError("LEPTA_PORT=%s: give a port number, 1 to 65535" % text)
    return host or os.environ.get("LEPTA_HOST") or "127.0.0.1", port


def worker_count(workers: int | None) -> int:
    """`workers`, else `LEPTA_WORKERS`, else 1."""
    if workers is None:
        text = os.environ.get("LEPTA_WORKERS", "1")
        workers = int(text) if text.isdigit() else 0
        if workers < 1:
            raise ConfigError("LEPTA_WORKERS=%s: give a number of processes, 1 or more" % text)
    if workers < 1:
        raise ConfigError("%d workers: give 1 or more" % workers)
    return workers


# A served page allocates thousands of objects that refcounting frees as soon as the
# page is sent; with many pages in flight at once, CPython's default (a young
# collection every 700 allocations not yet freed) collects several times per page,
# going over every live page's objects each time, for nearly nothing to free.
GC_THRESHOLD = 10_000


def gc_threshold() -> int:
    """`LEPTA_GC_THRESHOLD`, else GC_THRESHOLD: how many allocations (not yet freed)
    a served process lets pass between young garbage collections; 0 for CPython's own
    setting."""
    text = os.environ.get("LEPTA_GC_THRESHOLD", "")
    if not text:
        return GC_THRESHOLD
    if not text.isdigit():
        raise ConfigError(
            "LEPTA_GC_THRESHOLD=%s: give a number of allocations (e.g. %d), or 0 for "
            "CPython's own" % (text, GC_THRESHOLD)
        )
    return int(text)
