"""Rendering views to a live DOM: mounting, fine-grained updates, events, hydration.

Written once against a small renderer protocol (`Renderer`); the in-memory DOM of
`lepta.testing` and the browser's DOM implement it.
"""

from ..view._component import InvalidChildError
from ._build import HydrationMismatch, HydrationMismatchWarning
from ._events import event_target_checked, event_target_value
from ._mount import MountHandle, hydrate, hydrate_body, mount_to, mount_to_body, set_renderer
from ._protocol import Renderer
from ._ref import NodeRef

__all__ = [
    "HydrationMismatch",
    "HydrationMismatchWarning",
    "InvalidChildError",
    "MountHandle",
    "NodeRef",
    "Renderer",
    "event_target_checked",
    "event_target_value",
    "hydrate",
    "hydrate_body",
    "mount_to",
    "mount_to_body",
    "set_renderer",
]
