"""The page's address, the same on both sides: the request's on the server, the
window's in the browser.

    @component
    def App():
        page = use_location().path          # "/users/3"
        return UserPage() if page.startswith("/users/") else Home()
"""

from __future__ import annotations

from ..reactive import use_context


class Location:
    """A page address: `path` ("/users/3") and `query` ("tab=1", without the "?")."""

    __slots__ = ("path", "query")

    def __init__(self, path: str = "/", query: str = "") -> None:
        self.path = path
        self.query = query

    def __repr__(self) -> str:
        return "Location(%r, %r)" % (self.path, self.query)


def use_location() -> Location:
    """The address of the page being rendered (`Location("/")` when none was given:
    in tests, or when a view is rendered outside a page)."""
    return use_context(Location) or Location()
