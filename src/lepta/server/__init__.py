"""Serving a Lepta app: an ASGI application on Starlette.

    from lepta.server import create_app
    app = create_app("examples/counter")         # uvicorn module:app
    # or inside your own Starlette / FastAPI app:
    main_app.mount("/counter", create_app("examples/counter"))

The app must have been built (`lepta build APP_DIR`; `lepta serve` builds it when
missing or stale).
"""

from ._app import NotBuiltError, create_app
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
    "create_app",
    "dump_session",
    "load_config",
    "load_session",
    "use_session",
]
