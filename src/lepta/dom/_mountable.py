"""Parts of a built view whose nodes change over time."""

from __future__ import annotations

from typing import Any


class Mountable:
    """A part of a view whose nodes change over time (a dynamic range, a keyed list).

    Lists of built nodes hold the part itself, not its nodes, so whoever moves or
    removes them later gets the nodes it has *now* (see `flat`).
    """

    __slots__ = ()

    def flatten(self, out: list[Any]) -> None:
        raise NotImplementedError


def flat(items: list[Any]) -> list[Any]:
    """The DOM nodes of `items` (nodes and Mountables), as they are now."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Mountable):
            item.flatten(out)
        else:
            out.append(item)
    return out


def release(r: Any, nodes: list[Any]) -> None:
    """Tell renderer `r` that `nodes` are gone for good (the browser's frees them)."""
    free = getattr(r, "release", None)
    if free is not None and nodes:
        free(nodes)
