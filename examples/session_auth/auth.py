"""Accounts' server functions: sign up, log in, log out, and who is logged in.

Each changes or reads the visitor's session (a signed cookie, see accounts.py); none
redirects: the login and signup pages send a visitor who is logged in to the todos,
and the todos page sends one who is not to the login page, in the browser and on
the server alike.
"""

import re

import sqlalchemy as sa
from accounts import (
    check_password,
    count_failure,
    forget_failures,
    hash_password,
    log_in_as,
    refuse_if_failing,
    user_id,
)
from db import Database, users

from lepta import ServerError, expect_context, use_request
from lepta.server import use_session
from lepta.server_fn import server

USERNAME = re.compile(r"[a-z0-9_.-]{3,32}")
MIN_PASSWORD = 8


class SignupError(ServerError):
    """The account cannot be made as asked."""


class LoginError(ServerError):
    """The username or the password is wrong."""

    status = 401


@server(method="GET")
async def current_user() -> dict:
    """`{"username": ...}` for a visitor who is logged in, else `{}`."""
    found = user_id()
    if found is None:
        return {}
    db = expect_context(Database)
    async with db.engine.connect() as conn:
        name = await conn.scalar(sa.select(users.c.username).where(users.c.id == found))
    return {} if name is None else {"username": name}


@server
async def sign_up(username: str, password: str, password_confirmation: str) -> None:
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise SignupError("A username is 3 to 32 letters, digits, dots, dashes or underscores")
    if len(password) < MIN_PASSWORD:
        raise SignupError("A password has at least %d characters" % MIN_PASSWORD)
    if password != password_confirmation:
        raise SignupError("The two passwords differ")
    password_hash = await hash_password(password)
    db = expect_context(Database)
    try:
        async with db.engine.begin() as conn:
            result = await conn.execute(
                users.insert().values(username=username, password_hash=password_hash)
            )
    except sa.exc.IntegrityError:
        raise SignupError("The username %s is taken" % username) from None
    log_in_as(int(result.inserted_primary_key[0]))


@server
async def log_in(username: str, password: str) -> None:
    username = username.strip().lower()[:64]
    address = client_address()
    db = expect_context(Database)
    async with db.engine.connect() as conn:
        await refuse_if_failing(conn, username, address)  # a 429 past the limit
        account = (await conn.execute(sa.select(users).where(users.c.username == username))).first()
    if not await check_password(password, account.password_hash if account else None):
        async with db.engine.begin() as conn:
            await count_failure(conn, username, address)
        raise LoginError("Wrong username or password")
    async with db.engine.begin() as conn:
        await forget_failures(conn, username)
    log_in_as(account.id)


@server
async def log_out() -> None:
    use_session().clear()


def client_address():
    """The address the request came from (behind a proxy, uvicorn takes it from
    X-Forwarded-For when the proxy is trusted: FORWARDED_ALLOW_IPS)."""
    client = use_request().client
    return client.host if client is not None else "unknown"
