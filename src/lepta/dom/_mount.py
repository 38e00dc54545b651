"""Mounting a view into the DOM, or hydrating the server's HTML, and unmounting it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..reactive import Owner, _suspense, untrack
from ..reactive._suspense import AsyncData, KeyScope
from . import _build
from ._build import Build, HydrationMismatch, Level, report_mismatch
from ._mountable import flat, release

if TYPE_CHECKING:
    from ._protocol import Renderer

_renderer: list[Renderer] = []  # the default renderer (the browser's, or one set by tests)


def set_renderer(r: Renderer) -> None:
    """Make `r` the renderer `mount_to` and `hydrate` use when given none."""
    _renderer[:] = [r]


def _pick(r: Renderer | None) -> Renderer:
    if r is not None:
        return r
    if not _renderer:
        raise RuntimeError(
            "no renderer: pass renderer=... (for tests, lepta.testing.MemoryDOM()) or "
            "call lepta.dom.set_renderer() first; in the browser the runtime sets it"
        )
    return _renderer[0]


class MountHandle:
    """What mounting returns: `unmount()` removes the nodes and disposes the owner."""

    __slots__ = ("nodes", "owner", "renderer")

    def __init__(self, renderer: Renderer, owner: Owner, nodes: list[Any]) -> None:
        self.renderer = renderer
        self.owner = owner
        self.nodes = nodes

    def unmount(self) -> None:
        nodes = flat(self.nodes)
        for node in nodes:
            self.renderer.remove(node)
        release(self.renderer, nodes)
        self.nodes = []
        self.owner.dispose()


def mount_to(
    parent: Any, view_fn: Callable[[], Any], renderer: Renderer | None = None
) -> MountHandle:
    """Build `view_fn()` and append it to `parent`.

        handle = mount_to(dom.body, Counter, renderer=dom)
        handle.unmount()
    """
    r = _pick(renderer)
    owner = Owner()
    items = owner.run(lambda: untrack(lambda: Build(r).append(view_fn(), parent)))
    return MountHandle(r, owner, items)


def mount_to_body(view_fn: Callable[[], Any], renderer: Renderer | None = None) -> MountHandle:
    """`mount_to` the document's body."""
    r = _pick(renderer)
    return mount_to(r.body, view_fn, r)


def hydrate(
    root: Any, view_fn: Callable[[], Any], renderer: Renderer | None = None, data: Any = None
) -> MountHandle:
    """Adopt the server-rendered children of `root` for `view_fn()`, creating nothing.

    Event handlers attach, dynamic parts bind to the existing nodes. Where the HTML does
    not match the view, the mismatch is reported once (as a warning naming the
    components and the expected and found nodes) and the smallest enclosing element's
    content is rebuilt on the client; the page keeps working. (Inside
    `lepta.testing.strict_hydration()`, hydrate raises the first mismatch instead.)

        dom.load_body(render_to_string(App))   # what the server sent
        hydrate(dom.body, App, renderer=dom)

    `data` is what the page carried of the resources the server loaded (the merged
    `data-lepta-resources` scripts): resources created while hydrating start from it.
    """
    r = _pick(renderer)
    found = _build.strict_found
    before = len(found) if found is not None else 0
    owner = Owner()
    build = Build(r, hydrating=True)
    saved = _suspense.enter(KeyScope(), AsyncData.from_json(data or {}))
    try:
        start = Level(r.first_child(root), root)
        level = owner.run(lambda: untrack(lambda: build.build(view_fn(), start)))
        handle = MountHandle(r, owner, level.nodes)
    except HydrationMismatch as mismatch:  # at the top level: rebuild everything
        report_mismatch(mismatch)
        owner.dispose()
        r.clear(root)
        handle = mount_to(root, view_fn, r)
    finally:
        _suspense.leave(saved)
    if found is not None and len(found) > before:  # strict: mismatches fail
        raise found[before]
    return handle


def hydrate_body(
    view_fn: Callable[[], Any], renderer: Renderer | None = None, data: Any = None
) -> MountHandle:
    """`hydrate` the document's body."""
    r = _pick(renderer)
    return hydrate(r.body, view_fn, r, data)
