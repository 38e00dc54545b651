"""A component in a module whose globals shadow builtins the compiled code tests
values with (test_runs.py)."""

import builtins

from lepta import component
from lepta.html import p, span


def type(value):  # a module may well have a function of this name
    return builtins.str


str = "not the builtin"
int = float = bool = None


@component
def Shadowed(v):
    return p(v, span(v, title=v), f"{v}")
