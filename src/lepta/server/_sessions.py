"""Sessions kept in a signed cookie: what the server remembers about a visitor
between requests, with nothing stored on the server.

    from lepta.server import use_session

    @server
    async def log_in(username: str, password: str) -> None:
        user = await check_password(username, password)
        use_session()["user_id"] = user.id      # Set-Cookie on this answer

    @server
    async def log_out() -> None:
        use_session().clear()                   # the cookie is deleted

The session is a dict of JSON values, signed with HMAC-SHA256 under the app's secret
key (`LEPTA_SECRET_KEY`) and stamped with the time it was written. The browser keeps
it but cannot change it: a cookie whose signature does not match, or older than the
session's max age, reads as an empty session, never as an error. Any worker holding
the key reads any visitor's session, so an app scales over workers and machines.

Each change writes the whole session onto the answer being made (`use_response()`),
replacing what an earlier change in the same request wrote: server-function answers,
pages and redirects all carry it. A page must change the session before its first
byte, as for any header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator, MutableMapping
from typing import Any

from ..reactive import LeptaError, use_context
from ..server_fn._request import ResponseOptions, use_request, use_response
from ._environment import production, secret_key

__all__ = [
    "Session",
    "SessionError",
    "SessionSettings",
    "dump_session",
    "load_session",
    "use_session",
]

COOKIE = "lepta_session"
MAX_AGE = 14 * 24 * 3600  # two weeks from the session's last change
CLOCK_SKEW = 60  # seconds a cookie may seem to come from the future (another machine)
MAX_COOKIE = 4000  # browsers keep cookies up to ~4096 bytes, name and attributes included
_SCOPE_KEY = "lepta.session"  # where a request keeps its session once read
_PURPOSE = b"lepta.session:"  # a signature made for something else never passes here


class SessionError(LeptaError, ValueError):
    """A session was used outside a request, or given what a cookie cannot hold."""


class SessionSettings:
    """The session cookie's name and lifetime, for apps that change them: give one
    as app context (`create_app(..., context=[SessionSettings(max_age=3600)])`, or
    yield it from the app's `setup`).

    `secure` marks the cookie `Secure` (sent over HTTPS only); None (the default)
    means "in production" (`LEPTA_ENV=production`).
    """

    __slots__ = ("cookie", "max_age", "secure")

    def __init__(
        self, cookie: str = COOKIE, max_age: int = MAX_AGE, secure: bool | None = None
    ) -> None:
        self.cookie = cookie
        self.max_age = max_age
        self.secure = secure


class Session(MutableMapping[str, Any]):
    """The visitor's session: a dict of JSON values (str keys). Each change is
    written to the answer at once; `clear()` deletes the cookie.

    Values are copied in as JSON, so a change inside a value (appending to a list
    read from the session) is not seen: assign the value again.
    """

    __slots__ = ("_data", "_had_cookie", "_response", "_settings")

    def __init__(
        self,
        data: dict[str, Any],
        response: ResponseOptions,
        settings: SessionSettings,
        had_cookie: bool,
    ) -> None:
        self._data = data
        self._response = response
        self._settings = settings
        self._had_cookie = had_cookie

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise SessionError("session keys are strings, not %r" % (key,))
        try:  # (a copy: what is kept is what the next request will read)
            value = json.loads(json.dumps(value))
        except (TypeError, ValueError) as exc:
            raise SessionError(
                "session[%r]: %s; keep JSON values in a session (str, int, float, bool, "
                "None, lists and dicts of them), such as an id to look the rest up with"
                % (key, exc)
            ) from None
        previous = self._data.get(key, _MISSING)
        self._data[key] = value
        try:
            self._write()
        except SessionError:
            if previous is _MISSING:
                del self._data[key]
            else:
                self._data[key] = previous
            raise

    def __delitem__(self, key: str) -> None:
        del self._data[key]
        self._write()

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return "Session(%r)" % self._data

    def clear(self) -> None:
        """Forget everything (logging out): the cookie is deleted."""
        self._data.clear()
        self._write()

    def _write(self) -> None:
        settings = self._settings
        cookies = [c for c in self._response.cookies if c[0] != settings.cookie]
        if self._data:
            value = dump_session(self._data, key=secret_key().encode())
            if len(settings.cookie) + len(value) > MAX_COOKIE:
                raise SessionError(
                    "the session is %d bytes signed, more than a cookie holds (%d): keep "
                    "an id in the session and the data in the database"
                    % (len(value), MAX_COOKIE)
                )
            secure = settings.secure
            if secure is None:
                secure = production()
            options = {
                "max_age": settings.max_age,
                "path": "/",
                "httponly": True,
                "samesite": "lax",
                "secure": secure,
            }
            cookies.append((settings.cookie, value, options))
        elif self._had_cookie:  # (no cookie was sent: nothing to delete)
            cookies.append((settings.cookie, "", {"max_age": 0, "path": "/", "httponly": True}))
        self._response.cookies = cookies


_MISSING = object()


def use_session() -> Session:
    """The session of the request being answered, read from its cookie (empty when
    there is none, or when it was tampered with or has expired). The same object
    for the whole request: in a server function, or in a page rendered on the server
    (and the server functions it calls there).

        session = use_session()
        user_id = session.get("user_id")
        session["user_id"] = 3
        session.clear()
    """
    request = use_request()
    if request is None:
        raise SessionError(
            "use_session() is for the server, while it answers a request: call it in a "
            "server function, or in a component as the server renders it"
        )
    response = use_response()
    held = request.scope.get(_SCOPE_KEY)
    if held is not None and held[0] is response:
        return held[1]  # type: ignore[no-any-return]
    # A new answer for the same request (a failed form's page rendered again) starts
    # again from the cookie: what changed before was not sent.
    settings = use_context(SessionSettings) or _DEFAULTS
    cookie = request.cookies.get(settings.cookie)
    data = load_session(cookie, key=secret_key().encode(), max_age=settings.max_age)
    session = Session(data, response, settings, cookie is not None)
    request.scope[_SCOPE_KEY] = (response, session)
    return session


_DEFAULTS = SessionSettings()


def dump_session(data: dict[str, Any], *, key: bytes, now: float | None = None) -> str:
    """`data` as a signed cookie value: `PAYLOAD.TIME.SIGNATURE`, the payload base64
    JSON, the time in seconds since the epoch (the session's age is counted from it).
    Tests use it to make a logged-in visitor's cookie."""
    payload = _b64encode(json.dumps(data, separators=(",", ":")).encode())
    stamped = "%s.%d" % (payload, int(time.time() if now is None else now))
    return "%s.%s" % (stamped, _signature(stamped, key))


def load_session(
    value: str | None, *, key: bytes, max_age: int = MAX_AGE, now: float | None = None
) -> dict[str, Any]:
    """The session in a cookie value made by `dump_session`; empty when there is
    none, when its signature is wrong (tampered with, or signed with another key),
    when it is older than `max_age` seconds, or when it is malformed."""
    if not value:
        return {}
    stamped, _, signature = value.rpartition(".")
    if not hmac.compare_digest(signature.encode(), _signature(stamped, key).encode()):
        return {}
    payload, _, written = stamped.partition(".")
    current = time.time() if now is None else now
    try:
        age = current - int(written)
        data = json.loads(_b64decode(payload))
    except ValueError:  # (signed by us, so only if the format changes)
        return {}
    if not -CLOCK_SKEW <= age <= max_age or not isinstance(data, dict):
        return {}
    return data


def _signature(stamped: str, key: bytes) -> str:
    digest = hmac.new(key, _PURPOSE + stamped.encode(), hashlib.sha256).digest()
    return _b64encode(digest)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

