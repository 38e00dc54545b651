"""The items' database, shared by the Lepta app and its FastAPI peer
(bench/load_peer.py): SQLite in WAL mode by default (`LOAD_DB`, a file), PostgreSQL
when DATABASE_URL says so.

Database errors that mean "the database cannot be reached now" (SQLAlchemy's
OperationalError: refused connections, a server restarting, a file locked too long)
are answered 503 with a message asking to try again, not 500: see
`lepta.server_fn.unavailable_when`.
"""

import asyncio
import os
from contextlib import asynccontextmanager, nullcontext

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from lepta.server_fn import unavailable_when

SCHEMA_LOCK = 5319  # the advisory lock taken while the tables are made (PostgreSQL)
RECENT = 20  # how many items a page shows
POOL = 16  # connections a worker keeps open (see Database)

unavailable_when(OperationalError, message="the database is unavailable; try again shortly")

metadata = sa.MetaData()
items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(200), nullable=False),
)


def database_url():
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return "sqlite:///%s" % os.environ.get("LOAD_DB", "items.db")


def async_url(url):
    """The URL with an asyncio driver: sqlite -> aiosqlite, postgresql -> psycopg."""
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    if url.startswith(("postgres:", "postgresql:")):
        return "postgresql+psycopg:" + url.partition(":")[2]
    return url


class Database:
    """One engine (a pool of connections); SQLite files are put in WAL mode, so that
    readers never wait for the writer, and a writer waits up to 10 s for another.

    The pool keeps up to POOL connections open: as many as a worker serves requests
    at once under bench/load.py, so that none is opened and closed per request (with
    SQLAlchemy's default of 5, each opened by aiosqlite with a thread of its own)."""

    def __init__(self, url):
        sqlite = url.startswith("sqlite")
        options = {"connect_args": {"timeout": 10}} if sqlite else {}
        self.engine = create_async_engine(async_url(url), pool_size=POOL, **options)
        # SQLite writes one transaction at a time: a process's writers queue here, and
        # only one per process meets the others at the file's lock, where a writer that
        # finds it taken sleeps and tries again (for up to a second between tries).
        self.writing = asyncio.Lock() if sqlite else nullcontext()
        if sqlite:
            sa.event.listen(self.engine.sync_engine, "connect", _wal)

    async def create_schema(self):
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(sa.text("SELECT pg_advisory_xact_lock(%d)" % SCHEMA_LOCK))
            await conn.run_sync(metadata.create_all)

    async def recent(self):
        """The newest items, newest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(items.c.id, items.c.title).order_by(items.c.id.desc()).limit(RECENT)
            )
            return [{"id": r.id, "title": r.title} for r in rows]

    async def add(self, title):
        """Store an item; its id, once committed."""
        async with self.writing, self.engine.begin() as conn:
            result = await conn.execute(items.insert().values(title=title))
            return int(result.inserted_primary_key[0])

    async def close(self):
        await self.engine.dispose()


def _wal(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@asynccontextmanager
async def setup():
    """Open the database while the app serves; its tables are made on first start."""
    db = Database(database_url())
    await db.create_schema()
    try:
        yield [db]
    finally:
        await db.close()
