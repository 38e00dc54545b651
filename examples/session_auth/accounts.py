"""Accounts on the server: passwords, who is logged in, and the limit on failed logins.

Only the server functions of auth.py and todos.py use this module, so `lepta build`
keeps it out of the browser. Its errors reach the browser as `ServerError`s with the
same message and status.
"""

import asyncio
import base64
import hashlib
import hmac
import math
import os
import time

import sqlalchemy as sa
from db import login_failures

from lepta import ServerError
from lepta.server import use_session

# scrypt's cost: 16 MiB of memory and some 50 ms per hash, to slow down guessing
# from a stolen database.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SALT_BYTES = 16

# A failed login is counted against the account and against the client's address;
# past either limit within the window, logins are refused with a 429. An address
# may be many people (an office behind one router): its limit is higher.
WINDOW = 300  # seconds
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20


class NotLoggedIn(ServerError):
    """The caller has no session: log in first."""

    status = 401


class NotYours(ServerError):
    """The caller asked for something that belongs to another account."""

    status = 403


class TooManyFailures(ServerError):
    """Too many failed logins, for the account or from the address, of late."""

    status = 429


# Passwords


async def hash_password(password):
    """`scrypt$N$r$p$SALT$HASH` (base64) for `password`, with a salt of its own."""
    salt = os.urandom(SALT_BYTES)
    digest = await asyncio.to_thread(_scrypt, password, salt, SCRYPT)
    return "scrypt$%(n)d$%(r)d$%(p)d$" % SCRYPT + "%s$%s" % (_b64(salt), _b64(digest))


async def check_password(password, stored):
    """Whether `password` is the one `stored` was made from (compared in constant
    time). With `stored` None (no such account) a hash is still computed, so that
    the answer takes as long and does not tell which accounts exist."""
    if stored is None:
        await hash_password(password)
        return False
    _, n, r, p, salt, expected = stored.split("$")
    cost = {"n": int(n), "r": int(r), "p": int(p)}
    digest = await asyncio.to_thread(_scrypt, password, base64.b64decode(salt), cost)
    return hmac.compare_digest(digest, base64.b64decode(expected))


def _scrypt(password, salt, cost):
    return hashlib.scrypt(password.encode(), salt=salt, maxmem=64 * 2**20, dklen=32, **cost)


def _b64(data):
    return base64.b64encode(data).decode("ascii")


# Who is logged in


def log_in_as(user_id):
    """Remember in the session that this visitor is account `user_id`."""
    use_session()["user_id"] = user_id


def user_id():
    """The logged-in account's id, or None."""
    found = use_session().get("user_id")
    return found if isinstance(found, int) else None


def require_user():
    """The logged-in account's id; a 401 for a visitor not logged in."""
    found = user_id()
    if found is None:
        raise NotLoggedIn("Log in first")
    return found


# Failed logins


def failure_limits(username, address):
    """What a failed login is counted against, each with its limit."""
    return [("account:" + username, ACCOUNT_FAILURES), ("address:" + address, ADDRESS_FAILURES)]


async def refuse_if_failing(conn, username, address):
    """A 429, saying how long to wait, when the account or the address has failed to
    log in too often within the window."""
    now = time.time()
    for key, limit in failure_limits(username, address):
        recent = (
            sa.select(login_failures.c.at)
            .where(login_failures.c.key == key, login_failures.c.at > now - WINDOW)
            .order_by(login_failures.c.at.desc())
            .limit(limit)
        )
        times = (await conn.execute(recent)).scalars().all()
        if len(times) >= limit:
            wait = math.ceil((min(times) + WINDOW - now) / 60)
            raise TooManyFailures(
                "Too many failed logins. Try again in %d minute%s."
                % (wait, "" if wait == 1 else "s")
            )


async def count_failure(conn, username, address):
    """Count a failed login against the account and the address; forget old ones."""
    now = time.time()
    await conn.execute(
        login_failures.insert(),
        [{"key": key, "at": now} for key, _ in failure_limits(username, address)],
    )
    await conn.execute(login_failures.delete().where(login_failures.c.at <= now - WINDOW))


async def forget_failures(conn, username):
    """A successful login clears the account's failures (not the address's)."""
    await conn.execute(login_failures.delete().where(login_failures.c.key == "account:" + username))
