"""The router's state: the current address as signals, navigation, and the hooks.

    @component
    def Search():
        query = use_query()
        term, set_term = query_signal("q")       # kept in sync with ?q= both ways
        navigate = use_navigate()
        return div(input_(value=term, on_input=lambda ev: set_term(event_target_value(ev))),
                   button("Home", on_click=lambda ev: navigate("/")))

In the browser, navigating pushes a history entry and updates the signals; the
views that read them update in place (see `Routes`). On the server, and in tests
without a browser, navigating only updates the signals.
"""

from __future__ import annotations

from typing import Any, Callable

from ..reactive import LeptaError, Memo, Owner, RwSignal, batch, use_context
from ..server_fn._request import mount_base
from ..view._location import Location, percent_decode
from ._path import canonical
from ._query import parse_query, with_param


class RouterState:
    """One Router's address signals and navigation (found with `use_context`)."""

    def __init__(self, location: Location, base: str, browser: Any) -> None:
        self.base = canonical(base) if base.strip("/") else ""
        self.path = RwSignal(location.path)  # below the mount point, percent-encoded
        self.query = RwSignal(location.query)
        self.hash = RwSignal("")
        self.state = RwSignal(None)
        self.browser = browser  # the page's bridge, or None (server, tests)
        self.tables: list[Any] = []  # the RouteTable of each Routes under this Router
        self.owner = Owner()  # owns the memos made on first use (the query's pairs, names)
        self._pairs: Memo[list[tuple[str, str]]] | None = None
        self.query_memos: dict[str, Memo[Any]] = {}

    @property
    def pairs(self) -> Memo[list[tuple[str, str]]]:
        """The query's (name, value) pairs, parsed once per change of the query (made
        when first read: most pages, and every server render, never ask)."""
        pairs = self._pairs
        if pairs is None:
            query = self.query  # (not `self`: a page's state is then freed without the GC)
            pairs = self._pairs = self.owner.run(lambda: Memo(lambda: parse_query(query())))
        return pairs

    @property
    def location(self) -> RouterLocation:
        """The address, read reactively (see RouterLocation)."""
        return RouterLocation(self)

    def relative(self, path: str) -> str | None:
        """`path` below the router's base, or None if it is not under it."""
        base = self.base
        if not base:
            return path
        if path == base:
            return "/"
        if path.startswith(base + "/"):
            return path[len(base) :]
        return None

    def href(self, to: str) -> str:
        """The URL of app path `to` as a link gives it: the mount point and the
        router's base before it; query and hash kept."""
        if not to.startswith("/"):
            return to  # relative, a query or a hash only: the browser resolves it
        return mount_base() + self.base + to

    def resolve(self, to: str) -> tuple[str, str, str]:
        """`to` (absolute, relative to the current path, "?query" or "#hash") as a
        canonical path, a query and a hash, all below the mount point."""
        rest, _, hash_ = to.partition("#")
        path, has_query, query = rest.partition("?")
        current = self.path.get_untracked()
        if not path:
            path = current
            if not has_query:
                query = self.query.get_untracked()
        elif not path.startswith("/"):
            path = join_relative(current, path)
        else:
            path = self.base + path
        return canonical(path), query, hash_

    def navigate(
        self, to: str, replace: bool = False, scroll: bool = True, state: Any = None
    ) -> bool:
        """Go to `to`; False if no route of this router matches it (in the browser,
        the page is then loaded from the server)."""
        path, query, hash_ = self.resolve(to)
        url = mount_base() + path + ("?" + query if query else "") + ("#" + hash_ if hash_ else "")
        if self.browser is not None and not self.routes_match(path):
            self.browser.load(url)
            return False
        if self.browser is not None:
            self.browser.push(url, replace, to_json(state))
        self.set(path, query, hash_, state)
        if self.browser is not None and scroll:
            self.browser.scrollSoon(hash_)
        return True

    def set(self, path: str, query: str, hash_: str, state: Any) -> None:
        with batch():
            self.path.set(path)
            self.query.set(query)
            self.hash.set(hash_)
            self.state.set(state)

    def routes_match(self, path: str) -> bool:
        relative = self.relative(path)
        return relative is not None and any(t.match(relative) is not None for t in self.tables)

    def pop(self, path: str, query: str, hash_: str, state: str) -> bool:
        """The browser went back or forward to `path`: show it (False: not ours)."""
        if not self.routes_match(path):
            return False
        self.set(path, query, hash_, parse_json(state))
        return True

    def query_value(self, name: str) -> Memo[Any]:
        memo = self.query_memos.get(name)
        if memo is None:
            pairs = self.pairs
            memo = self.query_memos[name] = self.owner.run(
                lambda: Memo(lambda: _last(pairs(), name))
            )
        return memo


def _last(pairs: list[tuple[str, str]], name: str) -> str | None:
    found = None
    for n, v in pairs:
        if n == name:
            found = v
    return found


def join_relative(current: str, to: str) -> str:
    """`to` resolved against the directory of `current`, as a browser resolves a
    relative link ("edit" from "/contacts/3" is "/contacts/edit"; "../x", "./x")."""
    parts = [p for p in current.split("/") if p][:-1]
    for part in to.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/" + "/".join(parts)


class RouterLocation:
    """The router's address, read reactively: `path` (percent-encoded, below the
    mount point), `query` (the raw query string), `hash`, `state` (what the
    navigation passed), `decoded_path`, `segments`."""

    __slots__ = ("_state",)

    def __init__(self, state: RouterState) -> None:
        self._state = state

    @property
    def path(self) -> str:
        return self._state.path()

    @property
    def query(self) -> str:
        return self._state.query()

    @property
    def hash(self) -> str:
        return self._state.hash()

    @property
    def state(self) -> Any:
        return self._state.state()

    @property
    def decoded_path(self) -> str:
        return percent_decode(self.path)

    @property
    def segments(self) -> list[str]:
        return [percent_decode(part) for part in self.path.split("/") if part]

    def __repr__(self) -> str:
        return "RouterLocation(%r, %r)" % (
            self._state.path.get_untracked(),
            self._state.query.get_untracked(),
        )


def use_router() -> RouterState:
    """The nearest Router's state, or a clear error outside one."""
    state = use_context(RouterState)
    if state is None:
        raise LeptaError("this needs a Router: put Router(...) around the app's routes and links")
    return state


def use_location() -> Any:
    """The page's address: under a Router, read reactively (views that read
    `location.path` follow navigation); elsewhere, the page's fixed Location."""
    state = use_context(RouterState)
    if state is not None:
        return state.location
    from ..view._location import use_location as fixed

    return fixed()


def use_navigate() -> Callable[..., bool]:
    """A function to navigate: `navigate(path, replace=False, scroll=True, state=None)`.

        navigate = use_navigate()
        button("Cancel", on_click=lambda ev: navigate("/contacts"))
    """
    return use_router().navigate


class Query:
    """The page's query parameters, read reactively: `query["page"]` (None when
    absent; the last value when repeated) follows that parameter only."""

    __slots__ = ("_state",)

    def __init__(self, state: RouterState) -> None:
        self._state = state

    def __getitem__(self, name: str) -> str | None:
        value: str | None = self._state.query_value(name)()
        return value

    def get(self, name: str, type: Callable[[str], Any] = str, default: Any = None) -> Any:
        """Parameter `name` as `type` (int, float, ...); `default` if absent or not
        convertible."""
        return convert(self[name], type, default)

    def all(self) -> list[tuple[str, str]]:
        """Every (name, value) pair, in order (follows any change of the query)."""
        return self._state.pairs()


def use_query() -> Query:
    """The page's query parameters (see `Query`)."""
    return Query(use_router())


def query_signal(name: str) -> tuple[Callable[[], str | None], Callable[[Any], None]]:
    """A signal kept in sync with query parameter `name`, both ways: reading it
    follows the address; setting it navigates (None removes the parameter).

        page, set_page = query_signal("page")
        set_page(str(int(page() or 1) + 1))
    """
    state = use_router()
    memo = state.query_value(name)

    def set_value(value: Any) -> None:
        query = with_param(state.query.get_untracked(), name, None if value is None else str(value))
        path = state.relative(state.path.get_untracked()) or "/"
        state.navigate(path + ("?" + query if query else ""), scroll=False)

    return memo.get, set_value


def convert(value: str | None, type: Callable[[str], Any], default: Any) -> Any:
    if value is None:
        return default
    try:
        return type(value)
    except (ValueError, TypeError):
        return default


def to_json(value: Any) -> str:
    import json

    return json.dumps(value)


def parse_json(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        return None
