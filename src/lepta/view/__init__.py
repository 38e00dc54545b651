"""Describing UI: elements, components and the view tree.

Builders for elements live in `lepta.html`, `lepta.svg` and `lepta.mathml`; this
package holds what they build and `@component`.
"""

from ._component import Component, ComponentCall, ComponentError, component
from ._control import (
    Await,
    Dynamic,
    ErrorBoundary,
    For,
    ForEnumerate,
    Portal,
    Provider,
    Show,
    Suspense,
    Transition,
)
from ._location import Location, PageNonce, use_location, use_nonce
from ._nodes import Builder, Element, el

__all__ = [
    "Await",
    "Builder",
    "Component",
    "ComponentCall",
    "ComponentError",
    "Dynamic",
    "Element",
    "ErrorBoundary",
    "For",
    "ForEnumerate",
    "Location",
    "PageNonce",
    "Portal",
    "Provider",
    "Show",
    "Suspense",
    "Transition",
    "component",
    "el",
    "use_location",
    "use_nonce",
]
