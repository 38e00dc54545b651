"""One effect for the simple dynamic parts of a template's use.

A row of a list typically has a text bound to a signal (its label) and a class name
toggled by a function (its "selected" state). Each used to be an effect of its own,
with an owner to hold them; grouped (as Solid groups a template's attribute effects),
the row costs one effect and no owner (see `reactive._owner.enter_row`), to create
and to dispose. Any part's change re-runs every part of the use; each writes to the
page only when its own value changed.

The parts are what `_template` finds in the holes: a child hole holding a signal
(`TEXT`), a class name with a function (`CLASS`). A signal that comes to hold
something other than text (a view) is split off into a HoleRange of its own, which
builds it; that range is kept across this effect's later runs.
"""

from __future__ import annotations

from typing import Any

from ..reactive import RenderEffect
from ..reactive._core import DISPOSED

TEXT = 0  # [TEXT, k, signal, the text written]
CLASS = 1  # [CLASS, k, fn, whether the class is on, class name]


class TemplateParts(RenderEffect):
    """The parts of one clone `nodes`, kept up to date by one render effect."""

    __slots__ = ("build", "nodes", "parts", "split")

    def __init__(self, build: Any, nodes: Any, parts: list[list[Any]]) -> None:
        self.build = build
        self.nodes = nodes
        self.parts = parts
        self.split: list[Any] | None = None  # HoleRanges of parts split off
        RenderEffect.__init__(self, None)  # (it runs `_fn`, below)

    def run(self) -> None:
        nodes = self.nodes
        fill_text = self.build.fill_text
        for part in self.parts:
            if part[0] == TEXT:
                value = part[2]()
                t = type(value)
                if t is str:  # (`as_parsed`, written out: one per row)
                    text = value.replace("\0", "\ufffd") if "\0" in value else value
                elif t is int or t is float:
                    text = str(value)
                else:
                    self._split_off(part)
                    continue
                if text != part[3]:
                    part[3] = text
                    if fill_text is not None:
                        fill_text(nodes, part[1], text)
                    else:
                        self.build.r.set_text(nodes[part[1]], text)
            else:
                on = bool(part[2]())
                if on is not part[3]:
                    part[3] = on
                    self.build.r.toggle_class(nodes[part[1]], part[4], on)

    _fn = run

    def _split_off(self, part: list[Any]) -> None:
        """A text part's signal holds a view: from now on a HoleRange keeps the hole
        (it builds the view in place of the text)."""
        from ._build import HoleRange

        self.parts = [p for p in self.parts if p is not part]
        hole = HoleRange(self.build, part[2], self.nodes, part[1])  # (owned by this effect)
        if self.split is None:
            self.split = []
        self.split.append(hole)

    def _reset(self) -> None:
        # Before a re-run, what the last run made goes, as for any effect, but for the
        # ranges split off: they keep their holes until this effect is disposed.
        split = self.split
        if split is None or self._state == DISPOSED:
            RenderEffect._reset(self)
            return
        owned = self._owned or []
        others = [node for node in owned if node not in split]
        self._owned = others or None
        try:
            RenderEffect._reset(self)
        finally:
            self._owned = list(split)
