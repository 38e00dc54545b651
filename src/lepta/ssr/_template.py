"""Template views: compiled builder calls that are kept as values.

A builder call that a compiled component does not render on the spot (one stored in
a variable, passed to another component, or built inside a lambda) becomes a
`TemplateView`: the generated function that renders the call's static HTML, and this
call's hole values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ._render import Renderer


class TemplateView:
    """A compiled builder call: its render function and the values of its holes."""

    __slots__ = ("render", "values")

    def __init__(self, render: Callable[..., None], values: tuple[Any, ...]) -> None:
        self.render = render
        self.values = values

    def __lepta_render__(self, r: Renderer) -> None:
        self.render(r, *self.values)

    def __repr__(self) -> str:
        return "<compiled view, %d holes>" % len(self.values)
