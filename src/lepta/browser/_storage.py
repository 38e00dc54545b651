"""Signals kept in the browser's localStorage or sessionStorage, as JSON, and in sync
with the other tabs of the same origin."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from ..reactive import Effect, ReadSignal, WriteSignal, signal
from ._events import window_event_listener
from ._host import warn, window

T = TypeVar("T")


def use_local_storage(key: str, default: T) -> tuple[ReadSignal[T], WriteSignal[T]]:
    """A signal pair whose value is kept in `localStorage[key]`, as JSON.

    The signal starts as `default`; at the first flush (after hydration, so that
    the page first renders as the server did) it takes the stored value, if there
    is one. Every change is saved at the flush that follows it, and a change made
    in another tab (the window's `storage` event) sets the signal here. Stored text
    that is not JSON counts as `default`, with one warning in the console. On the
    server, a plain signal of `default`.

        todos, set_todos = use_local_storage("todos", [])
        set_todos.update(lambda ts: ts + [{"title": "milk", "completed": False}])
    """
    return _use_storage("localStorage", key, default)


def use_session_storage(key: str, default: T) -> tuple[ReadSignal[T], WriteSignal[T]]:
    """`use_local_storage`, in `sessionStorage` (one tab's, kept across its reloads).

        draft, set_draft = use_session_storage("draft", "")
    """
    return _use_storage("sessionStorage", key, default)


def _use_storage(area: str, key: str, default: T) -> tuple[ReadSignal[T], WriteSignal[T]]:
    value, set_value = signal(default)
    host = window()
    storage = _storage_of(host, area) if host is not None else None
    if storage is None:
        return value, set_value
    stored: str | None = None  # the stored text, as this runtime writes the value
    started = False
    warned = False

    def decode(raw: Any) -> Any:
        nonlocal warned
        if not isinstance(raw, str):  # null: nothing stored (Pyodide's is not None)
            return default
        try:
            return json.loads(raw)
        except ValueError:
            if not warned:
                warned = True
                warn("%s[%r] is not JSON; %r is used instead" % (area, key, default))
            return default

    def save() -> None:
        nonlocal started, stored
        data = value()
        if not started:
            started = True
            if data is default:  # not written since created: the stored value wins
                data = decode(storage.getItem(key))
                stored = json.dumps(data)
                if data is not default:
                    set_value(data)
                return
        text = json.dumps(data)
        if text != stored:
            stored = text
            try:
                storage.setItem(key, text)
            except Exception as exc:  # full, or forbidden: the signal still works
                warn("%s[%r] could not be saved: %s" % (area, key, exc))

    def changed(event: Any) -> None:
        nonlocal stored
        changed_key = event.key
        if isinstance(changed_key, str) and changed_key != key:  # null: all cleared
            return
        # Read the area itself: the event may be about the other one.
        data = decode(storage.getItem(key))
        # Compared as this runtime writes it: another runtime's spacing and key order
        # differ, and writing it back would start the tabs answering each other.
        text = json.dumps(data)
        if text == stored:
            return
        stored = text
        if data != value.get_untracked():
            set_value(data)

    Effect(save)
    window_event_listener("storage", changed)
    return value, set_value


def _storage_of(host: Any, area: str) -> Any:
    """`window.localStorage` (or sessionStorage); None if the page may not use it."""
    try:
        return getattr(host, area)
    except Exception:  # the browser's SecurityError (storage blocked)
        return None
