"""Runs the portable test modules without pytest (used under MicroPython).

Each `test_*` function of each `test_*.py` module is called; coroutines are awaited.
Prints one line per failure with its traceback, then `N passed, N failed`.
"""

import os
import sys


def _print_exception(exc):
    printer = getattr(sys, "print_exception", None)
    if printer is not None:
        printer(exc)
    else:
        import traceback

        traceback.print_exception(exc)


async def main(folder, only=()):
    import _support

    files = os.listdir(folder)
    names = sorted(n[:-3] for n in files if n.startswith("test_") and n.endswith(".py"))
    if only:
        names = [n for n in names if n in only]
    passed = failed = 0
    for name in names:
        module = __import__(name)
        for attr in sorted(dir(module)):
            if not attr.startswith("test_"):
                continue
            test = getattr(module, attr)
            if not callable(test):
                continue
            try:
                result = test()
                if result is not None and hasattr(result, "send"):
                    await result
                _support.after_test()
                passed += 1
            except Exception as exc:
                failed += 1
                print("FAILED %s.%s" % (name, attr))
                _print_exception(exc)
                _support.after_test(clean_only=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0
