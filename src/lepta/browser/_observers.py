"""An element's size and visibility, through the browser's observers."""

from __future__ import annotations

from typing import Any

from ..dom import NodeRef
from ..reactive import Effect, ReadSignal, on_cleanup, signal
from ._host import js_function, release, window


def use_element_size(node_ref: NodeRef) -> tuple[ReadSignal[float], ReadSignal[float]]:
    """The width and height (CSS pixels, without borders and padding) of the element
    of `node_ref`, as two signals, kept current by a ResizeObserver while the owner
    lives. 0 on the server and until the element exists.

        box = NodeRef()
        width, height = use_element_size(box)
        div(textarea(node_ref=box), p(lambda: "%d px wide" % width()))
    """
    width, set_width = signal(0.0)
    height, set_height = signal(0.0)
    host = window()
    if host is None:
        return width, height

    def resized(entries: Any, *rest: Any) -> None:
        if not entries.length:
            return
        box = entries[entries.length - 1].contentRect
        if box.width != width.get_untracked():
            set_width(box.width)
        if box.height != height.get_untracked():
            set_height(box.height)

    _observe(node_ref, host.ResizeObserver, resized, None)
    return width, height


def use_intersection(
    node_ref: NodeRef, root_margin: str = "0px", threshold: float = 0.0
) -> ReadSignal[bool]:
    """Whether the element of `node_ref` is in view (intersects the viewport, grown
    by `root_margin`, by more than `threshold` of its area), kept current by an
    IntersectionObserver while the owner lives. False on the server and until the
    browser first reports.

        sentinel = NodeRef()
        near_end = use_intersection(sentinel, root_margin="200px")
        Effect(lambda: near_end() and load_more())
    """
    visible, set_visible = signal(False)
    host = window()
    if host is None:
        return visible

    def seen(entries: Any, *rest: Any) -> None:
        if entries.length:
            now = bool(entries[entries.length - 1].isIntersecting)
            if now != visible.get_untracked():
                set_visible(now)

    options = None
    if root_margin != "0px" or threshold:
        options = host.Object.new()
        options.rootMargin = root_margin
        options.threshold = threshold
    _observe(node_ref, host.IntersectionObserver, seen, options)
    return visible


def _observe(node_ref: NodeRef, kind: Any, callback: Any, options: Any) -> None:
    """Observe the element of `node_ref` with a new observer of `kind`, following
    the ref to whatever element it holds; disconnected with the owner."""
    function = js_function(callback)
    observer = kind.new(function) if options is None else kind.new(function, options)

    def follow() -> None:
        node = node_ref()
        observer.disconnect()
        if node is not None:
            observer.observe(getattr(node, "js", node))  # the page's node, not its mirror

    def stop() -> None:
        observer.disconnect()
        release(function)

    Effect(follow)
    on_cleanup(stop)
