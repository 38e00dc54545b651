"""Serving a Lepta app: an ASGI application on Starlette.

    from lepta.server import create_app
    app = create_app("examples/counter")         # uvicorn module:app
    # or inside your own Starlette / FastAPI app:
    main_app.mount("/counter", create_app("examples/counter"))

The app must have been built (`lepta build APP_DIR`; `lepta serve` builds it when
missing or stale).
"""

from ._app import NotBuiltError, create_app
from ._environment import database_url, secret_key
from ._run import app_from_env, run, uvicorn_options
from ._sessions import (
    Session,
    SessionError,
    SessionSettings,
    dump_session,
    load_session,
    use_session,
)
from .config import AppConfig, ConfigError, load_config

__all__ = [
    "AppConfig",
    "ConfigError",
    "NotBuiltError",
    "Session",
    "SessionError",
    "SessionSettings",
    "app_from_env",
    "create_app",
    "database_url",
    "dump_session",
    "load_config",
    "load_session",
    "run",
    "secret_key",
    "use_session",
    "uvicorn_options",
]
