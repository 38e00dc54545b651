"""Exceptions that mean "not now" rather than "broken": a database refusing
connections, or restarting. A server function that raises one is answered 503 with
a message saying to try again, not 500, and the next call, once the service is back,
succeeds: nothing in the server needs restarting.

    from sqlalchemy.exc import OperationalError
    unavailable_when(OperationalError, message="the database is unavailable; try again")
"""

from __future__ import annotations

from ._errors import ServerError

DEFAULT_MESSAGE = "a service this server needs is unavailable for now; try again shortly"

# (exception class, message) in the order registered; the first that matches answers.
_kinds: list[tuple[type, str]] = []


def unavailable_when(*kinds: type, message: str = DEFAULT_MESSAGE) -> None:
    """Answer server functions that raise an instance of one of `kinds` with a 503
    and `message` (the caller gets a `ServerError` with status 503), logged as a
    warning without a traceback. Registered once per process, usually where the
    database is opened:

        unavailable_when(sqlalchemy.exc.OperationalError,
                         message="the database is unavailable; try again shortly")

    Register only kinds raised when a service is down or overloaded: an error in the
    app's own code would otherwise be answered "try again".
    """
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, BaseException)):
            raise TypeError("unavailable_when takes exception classes, not %r" % (kind,))
        _kinds.append((kind, message))


def unavailable(exc: BaseException) -> ServerError | None:
    """The 503 to answer for `exc`, if a registered kind; else None."""
    for kind, message in _kinds:
        if isinstance(exc, kind):
            return ServerError(message, status=503)
    return None
