"""Fine-grained reactivity: signals, memos, effects, owners, context and async data.

Portable: this package runs unchanged on CPython, Pyodide and MicroPython, and
imports nothing else from lepta.
"""

from ._action import Action, MultiAction, Submission
from ._context import ErrorHandler
from ._core import (
    Effect,
    Memo,
    ReadSignal,
    RenderEffect,
    WriteSignal,
    current_scope,
    flush,
    graph_stats,
    set_debug,
    signal,
)
from ._errors import (
    CycleError,
    DisposedError,
    EffectErrors,
    EffectLoopError,
    LeptaError,
    MissingContextError,
    NoOwnerError,
)
from ._owner import Owner, expect_context, on_cleanup, provide_context, use_context
from ._resource import AsyncDerived, LocalResource, OnceResource, Resource
from ._scheduling import batch, set_scheduler, tick, untrack
from ._selector import Selector
from ._signal import RwSignal
from ._spawn import spawn
from ._stored import StoredValue
from ._suspense import ResourceError
from ._trigger import Trigger
from ._watch import watch

__all__ = [
    "Action",
    "AsyncDerived",
    "CycleError",
    "DisposedError",
    "Effect",
    "EffectErrors",
    "EffectLoopError",
    "ErrorHandler",
    "LeptaError",
    "LocalResource",
    "Memo",
    "MissingContextError",
    "MultiAction",
    "NoOwnerError",
    "OnceResource",
    "Owner",
    "ReadSignal",
    "RenderEffect",
    "Resource",
    "ResourceError",
    "RwSignal",
    "Selector",
    "StoredValue",
    "Submission",
    "Trigger",
    "WriteSignal",
    "batch",
    "current_scope",
    "expect_context",
    "flush",
    "graph_stats",
    "on_cleanup",
    "provide_context",
    "set_debug",
    "set_scheduler",
    "signal",
    "spawn",
    "tick",
    "untrack",
    "use_context",
    "watch",
]
