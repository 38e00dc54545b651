"""CPython driver for the reactive-core benchmark (cases in reactive_cases.py).

    python bench/reactive.py                      # lepta vs reaktiv, all cases
    python bench/reactive.py --cases kairo_deep,cellx1000 --rounds 7
    python bench/reactive.py --engines reaktiv,naive --scale 0.2 --no-memory

Per case: one warm-up run per engine, then --rounds rounds in which every
engine runs the case once (engine order rotates each round); the median is
reported.  Each run builds the graph afresh in a new root (build untimed).
The ratio columns are other/first engine (> 1: the first engine is faster);
the geometric mean covers the cases both engines finished.

Memory (tracemalloc, --mem-n objects, gc off):
  B/signal  fw.signal(0) results kept in a pre-allocated list (the list is
            not counted); "native" keeps the library's own signal object(s)
            instead of the adapter's pre-bound read/write methods.
  B/memo    a memo per signal (signals created before tracing starts), each
            read once, all under one root; its closure and dependency edges
            are counted.  "native" keeps the library's memo object.

Stores (lepta only, `--stores-only` runs just these, `--no-stores` skips them):
  a leaf three levels deep read and written through a Store field against a
  plain signal (target: within 3x), and a patch of a 1,000-item keyed list in
  which 10 items changed (checked: exactly 10 row effects re-run), against the
  same rows as signals updated by a hand-written comparison.  Fastest of
  --rounds runs (--rounds and --scale apply).

Exit status 1 if any correctness check fails or an engine cannot be loaded.
"""

import argparse
import gc
import os
import subprocess
import sys
import threading
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))
sys.path.insert(0, HERE)

import adapters  # noqa: E402
import reactive_cases  # noqa: E402


def clock():
    return time.perf_counter() * 1000.0


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def geomean(xs):
    p = 1.0
    for x in xs:
        p *= x
    return p ** (1.0 / len(xs))


def _reader(read):
    def f():
        return read()
    return f


def mem_signal(fw, n, native):
    make = fw.mem_signal if native else fw.signal
    keep = [None] * n

    def body():
        gc.collect()
        gc.disable()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            for i in range(n):
                keep[i] = make(0)
            return tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
            gc.enable()

    used, dispose = fw.root(body)
    dispose()
    return used / n


def mem_memo(fw, n, native):
    make = fw.mem_memo if native else fw.computed
    keep = [None] * n

    def body():
        reads = [fw.signal(i)[0] for i in range(n)]
        gc.collect()
        gc.disable()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            for i in range(n):
                m = make(_reader(reads[i]))
                m()
                keep[i] = m
            return tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
            gc.enable()

    used, dispose = fw.root(body)
    dispose()
    return used / n


def load_engines(names):
    engines = []
    ok = True
    for name in names:
        try:
            engines.append(adapters.ENGINES[name]())
        except Exception as e:
            print("engine %s unavailable: %s: %s" % (name, type(e).__name__, e))
            ok = False
    return engines, ok


def run_cases(engines, cases, rounds, scale, force):
    """Returns ({case: {engine: ms or error string}}, all_ok)."""
    results = {}
    all_ok = True
    for cname, fn in cases:
        res = {}
        times = {}
        active = []
        for fw in engines:
            if cname in fw.skip and not force:
                res[fw.name] = "skip"
            else:
                times[fw.name] = []
                active.append(fw)
        for r in range(rounds + 1):  # round 0 is the warm-up
            k = r % len(active) if active else 0
            for fw in active[k:] + active[:k]:
                if fw.name in res:
                    continue  # failed earlier
                gc.collect()
                try:
                    ms = reactive_cases.run_case(fw, fn, scale, clock)
                except AssertionError as e:
                    res[fw.name] = "FAIL"
                    print("FAIL %s [%s]: %s" % (cname, fw.name, e))
                    all_ok = False
                    continue
                except Exception as e:
                    res[fw.name] = "ERROR"
                    print("ERROR %s [%s]: %s: %s" % (cname, fw.name, type(e).__name__, e))
                    all_ok = False
                    continue
                if r:
                    times[fw.name].append(ms)
        for fw in active:
            if fw.name not in res:
                res[fw.name] = median(times[fw.name])
        res = dict((fw.name, res[fw.name]) for fw in engines)
        results[cname] = res
        line = "  ".join(
            "%s=%s" % (n, ("%.2f ms" % v) if isinstance(v, float) else v)
            for n, v in res.items()
        )
        print("%-18s %s" % (cname, line), flush=True)
    return results, all_ok


def print_table(engines, cases, results):
    names = [fw.name for fw in engines]
    base = names[0]
    others = names[1:]
    head = ["case"] + ["%s ms" % n for n in names] + [
        "ratio (%s/%s)" % (o, base) for o in others
    ]
    rows = []
    ratios = dict((o, []) for o in others)
    for cname, _ in cases:
        res = results[cname]
        row = [cname]
        for n in names:
            v = res[n]
            row.append("%.2f" % v if isinstance(v, float) else v)
        for o in others:
            a, b = res[base], res[o]
            if isinstance(a, float) and isinstance(b, float) and a > 0:
                ratios[o].append(b / a)
                row.append("%.2f" % (b / a))
            else:
                row.append("-")
        rows.append(row)
    if others:
        row = ["geomean"] + [""] * len(names)
        for o in others:
            row.append("%.2f (%d cases)" % (geomean(ratios[o]), len(ratios[o]))
                       if ratios[o] else "-")
        rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r):
        cells = zip(r, widths, strict=False)
        return "| " + " | ".join(
            (c.ljust(w) if i == 0 else c.rjust(w)) for i, (c, w) in enumerate(cells)
        ) + " |"
    print(fmt(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(fmt(r))


STORE_TARGET = 3.0  # a field read or write within 3x of a plain signal's


def run_store_cases(rounds, scale):
    """Print the store cases' table; False if a check failed (targets are reported,
    not enforced)."""
    rows = []
    ok = True
    for cname, fn in reactive_cases.STORE_CASES:
        gc.collect()
        try:
            rows.extend(fn(scale, clock, rounds))
        except AssertionError as e:
            print("FAIL %s: %s" % (cname, e))
            ok = False
    print("stores: fastest of %d, scale %g" % (rounds, scale))
    print("| case | store ms | signals ms | ratio (store/signals) | |")
    print("|---|---:|---:|---:|---|")
    for name, store_ms, signal_ms, note in rows:
        ratio = store_ms / signal_ms if signal_ms > 0 else float("inf")
        target = ""
        if name.startswith(("read", "write")):
            target = "; target <= %gx: %s" % (
                STORE_TARGET, "met" if ratio <= STORE_TARGET else "MISSED")
        print("| %s | %.2f | %.2f | %.2f | %s%s |" % (
            name, store_ms, signal_ms, ratio, note, target))
    return ok


def run_micropython(scale, which):
    """lepta's cases under MicroPython (Node): which = "" (the engine cases),
    "stores" (the store cases only) or "all"."""
    print()
    sys.stdout.flush()
    tool = os.path.join(os.path.dirname(HERE), "tools", "micropython.py")
    script = os.path.join(HERE, "reactive_micropython.py")
    extra = ["--" + which] if which else []
    return subprocess.call([sys.executable, tool, "exec", script, str(scale)] + extra) == 0


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="",
                    help="comma-separated case names (default: all); "
                         + ", ".join(n for n, _ in reactive_cases.CASES))
    ap.add_argument("--engines", default="lepta,reaktiv",
                    help="comma-separated, first is the ratio baseline; "
                         "known: " + ", ".join(adapters.ENGINES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--force", action="store_true",
                    help="also run cases an adapter marks as skipped")
    ap.add_argument("--mem-n", type=int, default=100000)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--no-stores", action="store_true", help="skip the store cases")
    ap.add_argument("--stores-only", action="store_true",
                    help="run only the store cases (lepta, CPython and MicroPython)")
    ap.add_argument("--micropython-scale", type=float, default=0.2,
                    help="also run lepta's cases under MicroPython (Node) at this "
                         "scale; 0 skips it")
    args = ap.parse_args(argv)

    cases = reactive_cases.CASES
    if args.cases:
        wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
        known = dict(cases)
        bad = [c for c in wanted if c not in known]
        if bad:
            ap.error("unknown case(s): %s" % ", ".join(bad))
        cases = [(c, known[c]) for c in wanted]
    names = [e.strip() for e in args.engines.split(",") if e.strip()]
    bad = [e for e in names if e not in adapters.ENGINES]
    if bad:
        ap.error("unknown engine(s): %s" % ", ".join(bad))
    return args, cases, names


def main(args, cases, names):
    if args.stores_only:
        ok = run_store_cases(args.rounds, args.scale)
        if args.micropython_scale > 0:
            ok = run_micropython(args.micropython_scale, "stores") and ok
        print()
        print("OK" if ok else "FAILED")
        return 0 if ok else 1
    engines, ok = load_engines(names)
    if not engines:
        return 1
    print("python %s, scale %g, rounds %d (+1 warm-up), engines: %s"
          % (sys.version.split()[0], args.scale, args.rounds,
             ", ".join(fw.name for fw in engines)))

    if not args.no_timing:
        results, cases_ok = run_cases(engines, cases, args.rounds, args.scale, args.force)
        ok = ok and cases_ok
        print()
        print_table(engines, cases, results)

    if not args.no_memory:
        n = args.mem_n
        print()
        print("memory, tracemalloc, n=%d (bytes per object)" % n)
        print("| engine | signal (adapter) | signal (native) | memo (adapter) | memo (native) |")
        print("|---|---:|---:|---:|---:|")
        for fw in engines:
            cols = []
            for fn, native in ((mem_signal, False), (mem_signal, True),
                               (mem_memo, False), (mem_memo, True)):
                if native and (fw.mem_signal is None or fw.mem_memo is None):
                    cols.append("-")
                    continue
                try:
                    cols.append("%.1f" % fn(fw, n, native))
                except Exception as e:
                    cols.append("ERROR")
                    print("memory ERROR [%s]: %s: %s" % (fw.name, type(e).__name__, e))
                    ok = False
            print("| %s | %s |" % (fw.name, " | ".join(cols)))

    if not args.no_stores:
        print()
        ok = run_store_cases(args.rounds, args.scale) and ok

    if args.micropython_scale > 0:
        ok = run_micropython(args.micropython_scale, "" if args.no_stores else "all") and ok

    print()
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    # Deep graphs (cellx: thousands of layers) recurse deeply in pull/push
    # implementations: give the run a large stack and recursion limit.
    sys.setrecursionlimit(200000)
    threading.stack_size(512 * 1024 * 1024)
    parsed = parse_args()
    box = [1]
    t = threading.Thread(target=lambda: box.__setitem__(0, main(*parsed)))
    t.start()
    t.join()
    sys.exit(box[0])
