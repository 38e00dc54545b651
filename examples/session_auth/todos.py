"""Todos' server functions: each account sees and changes only its own.

A call without a session is a 401 (`NotLoggedIn`); removing another account's todo
is a 403 (`NotYours`).
"""

from typing import Annotated

import sqlalchemy as sa
from accounts import NotYours, require_user
from db import Database, todos
from pydantic import Field

from lepta import ServerError, expect_context
from lepta.server_fn import server

MAX_TITLE = 200

# A todo's id, as SQLite's 64-bit INTEGER holds it: a larger number is refused with a
# 422 naming the field, not passed on to the driver to fail with.
TodoId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class TitleError(ServerError):
    """The title given cannot be a todo's."""


@server(method="GET")
async def list_todos() -> list[dict]:
    owner = require_user()
    db = expect_context(Database)
    async with db.engine.connect() as conn:
        mine = sa.select(todos.c.id, todos.c.title).where(todos.c.user_id == owner)
        rows = await conn.execute(mine.order_by(todos.c.id))
        return [{"id": row.id, "title": row.title} for row in rows]


@server
async def add_todo(title: str) -> int:
    owner = require_user()
    title = title.strip()
    if not title:
        raise TitleError("Title must not be empty")
    if len(title) > MAX_TITLE:
        raise TitleError("Title must be at most %d characters" % MAX_TITLE)
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        result = await conn.execute(todos.insert().values(user_id=owner, title=title))
        return int(result.inserted_primary_key[0])


@server
async def delete_todo(id: TodoId) -> None:
    owner = require_user()
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        found = await conn.scalar(sa.select(todos.c.user_id).where(todos.c.id == id))
        if found is not None and found != owner:
            raise NotYours("That todo is not yours")
        await conn.execute(todos.delete().where(todos.c.id == id))
