"""The reactive benchmark cases on lepta under MicroPython (run by bench/reactive.py).

    python tools/micropython.py exec bench/reactive_micropython.py [SCALE] [--stores|--all]

Prints one line per case (ms, median of 3) and exits non-zero if a check fails.
--stores runs the store cases only (field against signal, fastest of 3), --all
both.
Portable: runs under CPython too, which is how its output can be compared.
"""

import sys
import time

import reactive_cases
from adapters import LeptaAdapter


def clock():
    ticks_us = getattr(time, "ticks_us", None)
    if ticks_us is not None:
        return ticks_us() / 1000.0
    return time.perf_counter() * 1000.0


def main(scale, engine_cases, store_cases):
    failed = 0
    print("lepta under %s, scale %s" % (sys.implementation.name, scale))
    if engine_cases:
        failed += run_engine_cases(scale)
    if store_cases:
        failed += run_store_cases(scale)
    return failed


def run_store_cases(scale):
    failed = 0
    for name, case in reactive_cases.STORE_CASES:
        try:
            for row, store_ms, signal_ms, note in case(scale, clock, 3):
                ratio = store_ms / signal_ms if signal_ms > 0 else 0.0
                print("%-34s store %8.1f ms  signals %8.1f ms  ratio %5.2f  %s"
                      % (row, store_ms, signal_ms, ratio, note))
        except Exception as exc:
            failed += 1
            print("%-34s FAILED: %s: %s" % (name, type(exc).__name__, exc))
    return failed


def run_engine_cases(scale):
    fw = LeptaAdapter()
    failed = 0
    for name, case in reactive_cases.CASES:
        try:
            times = sorted(reactive_cases.run_case(fw, case, scale, clock) for _ in range(3))
            print("%-18s %10.2f ms" % (name, times[1]))
        except Exception as exc:
            failed += 1
            print("%-18s FAILED: %s: %s" % (name, type(exc).__name__, exc))
    return failed


argv = globals().get("ARGV") or sys.argv  # ARGV: set by tools/micropython.py
args = [a for a in argv[1:] if not a.startswith("-")]
flags = [a for a in argv[1:] if a.startswith("-")]
EXIT_CODE = 1 if main(
    float(args[0]) if args else 0.05,
    "--stores" not in flags,
    "--stores" in flags or "--all" in flags,
) else 0
if sys.implementation.name != "micropython":
    sys.exit(EXIT_CODE)
