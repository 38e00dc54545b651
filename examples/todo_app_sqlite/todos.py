"""The todos' server functions: what the page calls to read and change the list.

The database layer is imported at the top, as any module would; `lepta build` keeps
it out of the browser, where these functions become calls to the server.
"""

from typing import Annotated

import sqlalchemy as sa
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
    db = expect_context(Database)
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(todos).order_by(todos.c.id))
        return [{"id": r.id, "title": r.title, "completed": r.completed} for r in rows]


@server
async def add_todo(title: str) -> int:
    title = title.strip()
    if not title:
        raise TitleError("Title must not be empty")
    if len(title) > MAX_TITLE:
        raise TitleError("Title must be at most %d characters" % MAX_TITLE)
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        result = await conn.execute(todos.insert().values(title=title, completed=False))
        return int(result.inserted_primary_key[0])


@server
async def delete_todo(id: TodoId) -> None:
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        await conn.execute(todos.delete().where(todos.c.id == id))
