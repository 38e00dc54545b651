"""The todos' database: SQLite in a file beside the app by default (created on first
start), PostgreSQL when DATABASE_URL says so; the same code runs on both.

Only server code imports this module (the server functions of todos.py and the
app's setup), so it never reaches the browser.
"""

import os
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from lepta.server_fn import unavailable_when

# While the database is down (restarting), callers get a 503 "try again", not a 500.
unavailable_when(OperationalError, message="the database is unavailable; try again shortly")

DEFAULT_URL = "sqlite:///%s" % (Path(__file__).resolve().parent / "todos.db")

SCHEMA_LOCK = 5318  # the advisory lock taken while the tables are made

metadata = sa.MetaData()
todos = sa.Table(
    "todos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("completed", sa.Boolean, nullable=False, default=False),
)


def async_url(url):
    """The URL with an asyncio driver: sqlite -> aiosqlite, postgresql -> psycopg."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    if url.startswith(("postgres:", "postgresql:")):
        return "postgresql+psycopg:" + url.partition(":")[2]
    return url


class Database:
    """The app's database (one engine, a pool of connections), given to server
    functions as context."""

    def __init__(self, url):
        self.engine = create_async_engine(async_url(url))

    async def create_schema(self):
        """Make the tables that are missing. Every worker does this as it starts: on
        PostgreSQL they take turns (a lock held to the end of the transaction), or two
        could both find a table missing and both make it, and one would fail."""
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(sa.text("SELECT pg_advisory_xact_lock(%d)" % SCHEMA_LOCK))
            await conn.run_sync(metadata.create_all)

    async def close(self):
        await self.engine.dispose()


@asynccontextmanager
async def setup():
    """Open the database while the app serves; its tables are made on first start."""
    db = Database(os.environ.get("DATABASE_URL", DEFAULT_URL))
    await db.create_schema()
    try:
        yield [db]
    finally:
        await db.close()
