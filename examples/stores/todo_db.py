"""The todos' database: SQLite in a file beside the app by default (created, with a
few todos, on first start), PostgreSQL when DATABASE_URL says so.

Only server code imports this module (the server functions of todo_api.py and the
app's setup), so it never reaches the browser.
"""

import os
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

DEFAULT_URL = "sqlite:///%s" % (Path(__file__).resolve().parent / "stores.db")

# What a new database starts with: label, done, assignee.
FIRST_TODOS = [
    ("Write the store example", False, "Ada"),
    ("Review the router", True, "Grace"),
    ("Measure a keyed patch", False, "Alan"),
]

metadata = sa.MetaData()
todos = sa.Table(
    "todos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("done", sa.Boolean, nullable=False, default=False),
    sa.Column("assignee", sa.String(100), nullable=False),
)


def async_url(url):
    """The URL with an asyncio driver: sqlite -> aiosqlite, postgresql -> psycopg."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    if url.startswith(("postgres:", "postgresql:")):
        return "postgresql+psycopg:" + url.partition(":")[2]
    return url


class Database:
    """The app's database, given to server functions as context."""

    def __init__(self, url):
        self.engine = create_async_engine(async_url(url))

    async def create_schema(self):
        """Make the table on first start, with FIRST_TODOS in it."""
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            if (await conn.execute(sa.select(sa.func.count()).select_from(todos))).scalar():
                return
            rows = [{"label": t, "done": d, "assignee": a} for t, d, a in FIRST_TODOS]
            await conn.execute(todos.insert(), rows)

    async def close(self):
        await self.engine.dispose()


@asynccontextmanager
async def setup():
    """Open the database while the app serves."""
    db = Database(os.environ.get("DATABASE_URL", DEFAULT_URL))
    await db.create_schema()
    try:
        yield [db]
    finally:
        await db.close()
