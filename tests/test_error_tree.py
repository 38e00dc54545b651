"""Every error Lepta raises on purpose is a LeptaError: one `except` catches them all."""

import importlib
import pkgutil

import lepta
from lepta import LeptaError

# Exceptions that never leave lepta: signals caught where they are raised (private
# ones, named with a leading underscore, are skipped too). Warnings are not errors.
NOT_ERRORS = {"Uncompile", "TooLarge"}


def lepta_exceptions():
    found = {}
    for info in pkgutil.walk_packages(lepta.__path__, "lepta."):
        if "_shims" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__.startswith("lepta.")
                and not issubclass(value, Warning)
                and value.__name__ not in NOT_ERRORS
                and not value.__name__.startswith("_")
            ):
                found[value.__module__ + "." + value.__name__] = value
    return found


def test_every_lepta_error_class_is_a_lepta_error():
    found = lepta_exceptions()
    assert "lepta.server.config.ConfigError" in found
    assert "lepta.view._component.InvalidChildError" in found
    outside = sorted(name for name, kind in found.items() if not issubclass(kind, LeptaError))
    assert outside == []


def test_errors_keep_the_builtin_kind_they_had_on_cpython():
    from lepta.build.bundle import BuildError
    from lepta.server import ConfigError, NotBuiltError
    from lepta.ssr import InvalidChildError, UnsafeValueError

    assert issubclass(ConfigError, ValueError) and issubclass(UnsafeValueError, ValueError)
    assert issubclass(BuildError, RuntimeError) and issubclass(NotBuiltError, RuntimeError)
    assert issubclass(InvalidChildError, TypeError)
