"""CPython benchmark of server-side HTML rendering (to a string).

    python bench/ssr.py                          # all pages, default engines
    python bench/ssr.py --pages a --engines strings,jinja2,lepta --rounds 9
    python bench/ssr.py --quick                  # 3 short rounds, a smoke test
    python bench/ssr.py --check                  # verify outputs only, no timing
    python bench/ssr.py --dump /tmp/ssr          # also write each engine's output

Pages (data in _ssr_data.py, lists of dicts, seeded):
  a  the js-framework-benchmark table: 1,000 rows, row 5 selected
     (<tr class="danger">), labels "adjective colour noun", every 50th with
     & < > " ' in it.
  b  a news front page: header (site name, nav links), 30 stories (title link,
     domain, points, user, time ago, comment count; every 7th an "Ask HN"
     without URL or domain), footer (links, a search form with an input).
  c  page a with every label holding & < > " ' (escaping on every row).

Engines (one module each, every one exports render_table(rows, selected_id)
and render_news(stories) returning str):
  strings       _ssr_strings.py  hand-written f-strings + an escape function;
                                 the baseline the others are checked against
  jinja2        _ssr_jinja2.py   compiled templates, autoescape, one template
                                 per page, row / story inline in the loop
  jinja2-macro  _ssr_jinja2.py   the same with the row / story as a macro
                                 (not in the default set)
  htpy          _ssr_htpy.py     idiomatic htpy, str(element)
  lepta         _ssr_lepta.py    lepta.html builders imported by name
                                 (`tr(td(...))`) + @component, render_to_string
  lepta-alias   _ssr_lepta_alias.py  the same pages with the builders through
                                 a module alias (`h.tr(h.td(...))`)

Correctness: before timing, every engine's output for every page is parsed
with html.parser into a tree of (tag, sorted attributes, children); comments
are dropped (lepta's hydration markers), adjacent text is merged, whitespace
is collapsed and trimmed, whitespace-only text is dropped, character
references are decoded.  Each tree must equal the `strings` tree, else the
first difference is printed and the exit status is 1.

Timing: one warm-up per engine, then --rounds rounds; in each round every
engine renders the page for --duration seconds in all, in --slices slices taken
in turns (engine order rotating each round), and its best slice gives its
renders/s for the round: other work on the machine only ever slows a slice
down, and taking turns every few milliseconds, the engines meet it alike.
Reported: the median renders/s, the median over rounds of the per-round ratio
engine/jinja2 and engine/strings (> 1: faster than the reference), the output
size in bytes (UTF-8) and the peak traced memory of one render (tracemalloc,
peak reset before the render; the returned string is included).

After timing, each engine renders once more and must still match (state
must not leak from one render into the next).

Exit status: 1 if an output differs, an engine raises, or an engine cannot be
loaded -- except that in the default engine set an ImportError raised from
lepta itself only skips the lepta engine (with a note); name it in --engines
to make that an error.
"""

import argparse
import difflib
import gc
import importlib
import os
import platform
import statistics
import sys
import time
import tracemalloc
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))
sys.path.insert(0, HERE)

import _ssr_data as data  # noqa: E402

# name -> (module, page a function, page b function)
ENGINES = {
    "strings": ("_ssr_strings", "render_table", "render_news"),
    "jinja2": ("_ssr_jinja2", "render_table", "render_news"),
    "jinja2-macro": ("_ssr_jinja2", "render_table_macro", "render_news_macro"),
    "htpy": ("_ssr_htpy", "render_table", "render_news"),
    "lepta": ("_ssr_lepta", "render_table", "render_news"),
    "lepta-alias": ("_ssr_lepta_alias", "render_table", "render_news"),
}
DEFAULT_ENGINES = ("strings", "jinja2", "htpy", "lepta", "lepta-alias")
BASELINE = "strings"
PAGES = {
    "a": "table (1,000 rows)",
    "b": "news front page (30 stories)",
    "c": "table (1,000 rows), every label to escape",
}


# --- structural comparison ------------------------------------------------------

VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)


class _TreeBuilder(HTMLParser):
    """Builds [tag, attrs, children] lists; text children are str."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ["#document", (), []]
        self.stack = [self.root]
        self.errors = []

    def _where(self):
        line, col = self.getpos()
        return f"line {line}, column {col + 1}"

    def _open(self, tag, attrs, push):
        # Bare attributes (value None) and attr="" are the same attribute.
        attrs = tuple(sorted((k, "" if v is None else v) for k, v in attrs))
        node = [tag, attrs, []]
        self.stack[-1][2].append(node)
        if push:
            self.stack.append(node)

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs, tag not in VOID_ELEMENTS)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.errors.append(f"self-closing non-void <{tag}/> at {self._where()}")
        self._open(tag, attrs, False)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.errors.append(f"end tag </{tag}> of a void element at {self._where()}")
        elif len(self.stack) > 1 and self.stack[-1][0] == tag:
            self.stack.pop()
        else:
            self.errors.append(
                f"unexpected </{tag}> at {self._where()} (open: {self.stack[-1][0]})"
            )

    def handle_data(self, text):
        children = self.stack[-1][2]
        if children and isinstance(children[-1], str):
            children[-1] += text  # text split by a dropped comment joins up
        else:
            children.append(text)

    def handle_comment(self, text):
        pass

    def handle_decl(self, decl):
        self.errors.append(f"unexpected declaration <!{decl}> at {self._where()}")

    def handle_pi(self, text):
        self.errors.append(f"unexpected processing instruction at {self._where()}")


def _normalise(node):
    children = []
    for child in node[2]:
        if isinstance(child, str):
            text = " ".join(child.split())
            if text:
                children.append(text)
        else:
            children.append(_normalise(child))
    return (node[0], node[1], tuple(children))


def parse_tree(html):
    """(tree, errors): the normalised tree of an HTML fragment."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    errors = list(builder.errors)
    if len(builder.stack) > 1:
        errors.append("unclosed: " + " > ".join(n[0] for n in builder.stack[1:]))
    return _normalise(builder.root), errors


def _label(node):
    tag, attrs = node[0], dict(node[1])
    s = tag
    if "id" in attrs:
        s += "#" + attrs["id"]
    if attrs.get("class"):
        s += "." + ".".join(attrs["class"].split())
    return s


def _short(node):
    if isinstance(node, str):
        return repr(node if len(node) <= 80 else node[:77] + "...")
    attrs = "".join(f' {k}="{v}"' for k, v in node[1])
    return f"<{node[0]}{attrs}> ({len(node[2])} children)"


def first_difference(want, got, path=(), index=None):
    """None, or (path, description) of the first difference, depth first."""
    if isinstance(want, str) or isinstance(got, str):
        if want != got:
            desc = f"expected {_short(want)}\n    got      {_short(got)}"
            return (*path, f"text[{index}]"), desc
        return None
    here = path if index is None else (*path, f"{_label(want)}[{index}]")
    if want[0] != got[0]:
        return here, f"expected {_short(want)}\n    got      {_short(got)}"
    if want[1] != got[1]:
        return here, (
            f"attributes differ\n    expected {dict(want[1])}\n    got      {dict(got[1])}"
        )
    for i, (w, g) in enumerate(zip(want[2], got[2], strict=False)):
        if w != g:
            return first_difference(w, g, here, i)
    if len(want[2]) != len(got[2]):
        n = min(len(want[2]), len(got[2]))
        extra = want[2][n] if len(want[2]) > n else got[2][n]
        which = "missing" if len(want[2]) > n else "unexpected"
        return here, (
            f"{len(want[2])} children expected, {len(got[2])} found; "
            f"first {which} child [{n}]: {_short(extra)}"
        )
    return None


def _lines(node, depth=0):
    pad = "  " * depth
    if isinstance(node, str):
        yield pad + repr(node)
        return
    attrs = "".join(f' {k}="{v}"' for k, v in node[1])
    yield f"{pad}<{node[0]}{attrs}>"
    for child in node[2]:
        yield from _lines(child, depth + 1)


def explain(want, got, max_lines=40):
    path_desc = first_difference(want, got)
    if path_desc is None:
        return "trees differ (no difference located)"
    path, desc = path_desc
    where = " > ".join(path)
    diff = list(
        difflib.unified_diff(
            list(_lines(want)), list(_lines(got)), "expected", "got", n=3, lineterm=""
        )
    )
    if len(diff) > max_lines:
        diff = [*diff[:max_lines], f"... ({len(diff) - max_lines} more diff lines)"]
    return f"at {where or '(top level)'}: {desc}\n" + "\n".join("    " + d for d in diff)


# --- engines and pages ------------------------------------------------------------


def load_engines(names, explicit):
    """{name: (page a fn, page b fn)}, skipped {name: reason}, failed {name: reason}."""
    loaded, skipped, failed = {}, {}, {}
    for name in names:
        module_name, fa, fb = ENGINES[name]
        try:
            module = importlib.import_module(module_name)
            loaded[name] = (getattr(module, fa), getattr(module, fb))
        except ImportError as e:
            # Only lepta's own modules may be missing quietly (its view layer
            # is being written); a missing jinja2 / htpy is an error.
            quiet = not explicit and (e.name or "").split(".")[0] == "lepta"
            (skipped if quiet else failed)[name] = f"{type(e).__name__}: {e}"
        except Exception as e:
            failed[name] = f"{type(e).__name__}: {e}"
    return loaded, skipped, failed


def page_callables(page, fns):
    """{engine: zero-argument render function} for page 'a', 'b' or 'c'."""
    if page in ("a", "c"):
        rows = data.table_rows(tricky_every=1 if page == "c" else data.TRICKY_EVERY)
        selected = data.TABLE_SELECTED
        return {name: (lambda f=f[0]: f(rows, selected)) for name, f in fns.items()}
    stories = data.news_stories()
    return {name: (lambda f=f[1]: f(stories)) for name, f in fns.items()}


def renders_per_second(render, duration):
    n = 0
    t0 = time.perf_counter()
    deadline = t0 + duration
    while True:
        render()
        n += 1
        t = time.perf_counter()
        if t >= deadline:
            return n / (t - t0)


def peak_memory(render):
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        out = render()
        peak = tracemalloc.get_traced_memory()[1] - base
        del out
    finally:
        tracemalloc.stop()
    return peak


def check_page(page, renders, dump_dir):
    """Render once per engine, compare with the baseline: (outputs, baseline tree, ok)."""
    outputs = {name: render() for name, render in renders.items()}
    if dump_dir:
        os.makedirs(dump_dir, exist_ok=True)
        for name, html in outputs.items():
            with open(os.path.join(dump_dir, f"{page}-{name}.html"), "w", encoding="utf-8") as f:
                f.write(html)
    want, errors = parse_tree(outputs[BASELINE])
    ok = True
    if errors:
        ok = False
        print(f"FAIL page {page}: baseline {BASELINE} is not well formed: {errors[:5]}")
    for name, html in outputs.items():
        if not isinstance(html, str):
            ok = False
            print(f"FAIL page {page}, {name}: returned {type(html).__name__}, not str")
            continue
        got, errors = parse_tree(html)
        if errors:
            ok = False
            print(f"FAIL page {page}, {name}: malformed HTML: {'; '.join(errors[:5])}")
        if name != BASELINE and got != want:
            ok = False
            print(f"FAIL page {page}, {name}: output differs from {BASELINE}\n  "
                  + explain(want, got))
    return outputs, want, ok


def recheck(page, renders, outputs, want):
    """After timing: a fresh render must still match (no state leaking across renders)."""
    ok = True
    for name, render in renders.items():
        html = render()
        if html == outputs[name]:
            continue
        got, errors = parse_tree(html)
        if errors or got != want:
            ok = False
            print(f"FAIL page {page}, {name}: output changed after repeated renders\n  "
                  + (f"malformed: {errors[:5]}" if errors else explain(want, got)))
    return ok


def bench_page(renders, engines, rounds, duration, slices):
    for name in engines:  # warm-up
        renders_per_second(renders[name], min(duration, 0.1))
    rps = {name: [] for name in engines}
    ratio_j = {name: [] for name in engines}
    ratio_s = {name: [] for name in engines}
    for r in range(rounds):
        k = r % len(engines)
        order = engines[k:] + engines[:k]
        this = dict.fromkeys(engines, 0.0)
        for _ in range(slices):
            for name in order:
                gc.collect()
                this[name] = max(this[name], renders_per_second(renders[name], duration / slices))
        for name in engines:
            rps[name].append(this[name])
            if "jinja2" in this:
                ratio_j[name].append(this[name] / this["jinja2"])
            if "strings" in this:
                ratio_s[name].append(this[name] / this["strings"])
    med = statistics.median
    return {
        name: (
            med(rps[name]),
            med(ratio_j[name]) if ratio_j[name] else None,
            med(ratio_s[name]) if ratio_s[name] else None,
        )
        for name in engines
    }


def _ratio(v):
    if v is None:
        return "-"
    return f"{v:.2f}x" if v >= 0.1 else f"{v:.3f}x"


def _version(dist):
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:
        return "?"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--pages", default="a,b,c", help="comma-separated: a (table), b (news), c (escaping)"
    )
    ap.add_argument("--engines", default=None,
                    help=f"comma-separated, of {','.join(ENGINES)} "
                         f"(default {','.join(DEFAULT_ENGINES)})")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--duration", type=float, default=0.3,
                    help="seconds each engine renders per round")
    ap.add_argument("--slices", type=int, default=10,
                    help="turns each engine takes per round (its best one counts)")
    ap.add_argument("--quick", action="store_true", help="3 rounds of 0.1 s")
    ap.add_argument("--check", action="store_true", help="verify outputs only")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--dump", metavar="DIR", help="write each engine's output to DIR")
    args = ap.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 3, 0.1

    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    for p in pages:
        if p not in PAGES:
            ap.error(f"unknown page {p!r} (choose from {', '.join(PAGES)})")
    explicit = args.engines is not None
    names = [e.strip() for e in args.engines.split(",")] if explicit else list(DEFAULT_ENGINES)
    for e in names:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r} (choose from {', '.join(ENGINES)})")
    to_load = names if BASELINE in names else [BASELINE, *names]
    fns, skipped, failed = load_engines(to_load, explicit)
    for name, why in skipped.items():
        print(f"note: engine {name} skipped ({why})", file=sys.stderr)
    for name, why in failed.items():
        print(f"FAIL engine {name}: {why}")
    if BASELINE not in fns:
        return 1
    engines = [e for e in names if e in fns]

    print(
        f"CPython {platform.python_version()} ({platform.machine()}, {os.cpu_count()} cpus); "
        f"jinja2 {_version('jinja2')}, htpy {_version('htpy')}, "
        f"markupsafe {_version('markupsafe')}, lepta {_version('lepta')}"
    )
    if not args.check:
        print(f"{args.rounds} rounds x {args.duration:g} s per engine in {args.slices} turns "
              "(the best counts); medians; ratios are renders/s of the engine over the "
              "reference, per round")

    ok = not failed
    for page in pages:
        renders = page_callables(page, fns)
        try:
            outputs, want, page_ok = check_page(page, renders, args.dump)
        except Exception as e:  # an engine raising while rendering
            print(f"FAIL page {page}: {type(e).__name__}: {e}")
            ok = False
            continue
        ok = ok and page_ok
        if args.check:
            print(f"page {page} ({PAGES[page]}): "
                  + ("all outputs match" if page_ok else "MISMATCH"))
            continue
        timed = {name: renders[name] for name in engines}
        results = bench_page(timed, engines, args.rounds, args.duration, args.slices)
        memory = {} if args.no_memory else {n: peak_memory(renders[n]) for n in engines}
        ok = recheck(page, timed, outputs, want) and ok
        sizes = {name: len(html.encode("utf-8")) for name, html in outputs.items()}
        print(f"\n### Page {page}: {PAGES[page]}\n")
        print("| engine       | renders/s | vs jinja2 | vs strings | bytes   | peak KiB/render |")
        print("|--------------|----------:|----------:|-----------:|--------:|----------------:|")
        for name in engines:
            r, vj, vs = results[name]
            mem = f"{memory[name] / 1024:.1f}" if name in memory else "-"
            print(
                f"| {name:<12} | {r:9.1f} | {_ratio(vj):>9} | {_ratio(vs):>10} "
                f"| {sizes[name]:7d} | {mem:>15} |"
            )
    if skipped:
        print(f"\n(skipped: {', '.join(skipped)})")
    if not ok:
        print("\nFAILED: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
