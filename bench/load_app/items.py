"""The items' server functions: one reads the newest, one stores an item."""

import asyncio
from typing import Annotated

from db import Database
from pydantic import StringConstraints

from lepta import expect_context
from lepta.server_fn import server

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]


@server(method="GET")
async def recent_items() -> list[dict]:
    return await expect_context(Database).recent()


@server(method="GET")
async def slow_items(delay_ms: int = 500) -> list[dict]:
    """The newest items, late: what a slow query or a remote service would be."""
    await asyncio.sleep(min(delay_ms, 5000) / 1000)
    return await expect_context(Database).recent()


@server
async def add_item(title: Title) -> int:
    return await expect_context(Database).add(title)
