"""NodeRef: the element a view created, once it exists."""

from __future__ import annotations

from typing import Any

from ..reactive import RwSignal


class NodeRef:
    """Pass as `node_ref=ref`; after mounting, `ref()` / `ref.get()` is the element.

    Reading it inside an effect re-runs the effect when the element appears.

        field = NodeRef()
        input(node_ref=field)
        Effect(lambda: field() and field().focus())
    """

    __slots__ = ("_node",)

    def __init__(self) -> None:
        self._node: RwSignal[Any] = RwSignal(None)

    def get(self) -> Any:
        return self._node.get()

    __call__ = get

    def get_untracked(self) -> Any:
        return self._node.get_untracked()

    def load(self, node: Any) -> None:
        """Called by the renderer with the element."""
        self._node.set(node)
