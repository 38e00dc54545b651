"""Describing UI: elements, components and the view tree.

Builders for elements live in `lepta.html`, `lepta.svg` and `lepta.mathml`; this
package holds what they build and `@component`.
"""

from ._component import Component, ComponentCall, ComponentError, component
from ._control import Dynamic, ErrorBoundary, For, ForEnumerate, Portal, Provider, Show
from ._nodes import Builder, Element, el

__all__ = [
    "Builder",
    "Component",
    "ComponentCall",
    "ComponentError",
    "Dynamic",
    "Element",
    "ErrorBoundary",
    "For",
    "ForEnumerate",
    "Portal",
    "Provider",
    "Show",
    "component",
    "el",
]
