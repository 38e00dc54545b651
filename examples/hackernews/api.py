"""The reader's server functions: what the pages call for their data.

They answer from local data (hn_data.py, a fixture of stories) a little late, as
the Hacker News API across a network would. `lepta build` replaces them in the
browser by calls to the server and leaves hn_data out of the bundle.
"""

import asyncio

import hn_data

from lepta import ServerError
from lepta.server_fn import server

DELAY = 0.03  # seconds: a fast API, still slow enough to see each page wait for it


class NoSuchList(ServerError):
    """A list of stories other than top, new, show, ask and job."""


@server(method="GET")
async def list_stories(kind: str, page: int) -> dict:
    """30 stories of one list: {"kind", "page", "stories", "more"}."""
    await asyncio.sleep(DELAY)
    if kind not in hn_data.KINDS:
        raise NoSuchList("No list of stories called %r" % kind, status=404)
    return hn_data.stories_page(kind, max(1, page))


@server(method="GET")
async def get_story(id: int) -> dict | None:
    """A story with its comment tree, or None."""
    await asyncio.sleep(DELAY)
    return hn_data.story(id)


@server(method="GET")
async def get_user(id: str) -> dict | None:
    """A user's id, created date, karma and about, or None."""
    await asyncio.sleep(DELAY)
    return hn_data.user(id)
