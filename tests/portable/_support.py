"""Helpers shared by the portable tests (they run under pytest and MicroPython)."""

from lepta import render_to_string
from lepta.reactive import _core


class Safe:
    """Marked-safe text (markupsafe's protocol; markupsafe is absent on MicroPython)."""

    def __init__(self, s):
        self.s = s

    def __html__(self):
        return self.s


def render(view):
    """The server's HTML of `view`."""
    return render_to_string(lambda: view)


class raises:
    """`with raises(ValueError, "part of the message"):` like pytest.raises."""

    def __init__(self, kind, match=None):
        self.kind = kind
        self.match = match
        self.value = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            raise AssertionError("expected %s, nothing was raised" % self.kind.__name__)
        if not issubclass(kind, self.kind):
            return False
        if self.match is not None and self.match not in str(value):
            raise AssertionError("%r does not contain %r" % (str(value), self.match))
        self.value = value
        return True


def after_test(clean_only=False):
    """Each test must leave no effect pending; clear the queue either way."""
    pending = len(_core._queue)
    del _core._queue[:]
    del _core._unhandled[:]
    _core._scheduled = False
    if pending and not clean_only:
        raise AssertionError("the test left %d effects pending; flush() them" % pending)
