"""The todos' server functions. The page changes its store at once and tells the
server; `load_todos` gives the server's current list, which the page patches into
its store.

The database layer is imported at the top, as any module would; `lepta build` keeps
it out of the browser, where these functions become calls to the server.
"""

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field
from todo_db import Database, todos

from lepta import ServerError, expect_context
from lepta.server_fn import server

MAX_LABEL = 200

# A todo's id, as SQLite's 64-bit INTEGER holds it: a larger number is refused with a
# 422 naming the field, not passed on to the driver to fail with.
TodoId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class LabelError(ServerError):
    """The label given cannot be a todo's."""


def as_todo(row):
    """A row of the table as the store holds it: the assignee is a nested record."""
    return {
        "id": row.id,
        "label": row.label,
        "done": row.done,
        "assignee": {"name": row.assignee},
    }


def checked_label(label):
    label = label.strip()
    if not label:
        raise LabelError("A todo needs a label")
    if len(label) > MAX_LABEL:
        raise LabelError("A label has at most %d characters" % MAX_LABEL)
    return label


@server(method="GET")
async def load_todos() -> list[dict]:
    db = expect_context(Database)
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(todos).order_by(todos.c.id))
        return [as_todo(row) for row in rows]


@server
async def add_todo(label: str, assignee: str) -> dict:
    label = checked_label(label)
    assignee = assignee.strip() or "nobody"
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        result = await conn.execute(
            todos.insert().values(label=label, done=False, assignee=assignee[:100])
        )
        id = int(result.inserted_primary_key[0])
        row = (await conn.execute(sa.select(todos).where(todos.c.id == id))).one()
        return as_todo(row)


@server
async def rename_todo(id: TodoId, label: str) -> None:
    label = checked_label(label)
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        await conn.execute(todos.update().where(todos.c.id == id).values(label=label))


@server
async def set_done(id: TodoId, done: bool) -> None:
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        await conn.execute(todos.update().where(todos.c.id == id).values(done=done))


@server
async def remove_todo(id: TodoId) -> None:
    db = expect_context(Database)
    async with db.engine.begin() as conn:
        await conn.execute(todos.delete().where(todos.c.id == id))
