"""MicroPython's runtime as pages get it, its `micropython.wasm` changed
(lepta.build.micropython_patch): the interpreter's `setjmp` calls kept inside it
(lepta.build.local_invokes), new strings not looked for among the program's names
(lepta.build.qstr_lookup), allocations that start where the last one of their size went
(lepta.build.alloc_hints)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lepta.build.alloc_hints import hinted_alloc
from lepta.build.bundle import served_runtime
from lepta.build.local_invokes import local_invokes, signature
from lepta.build.micropython_patch import UnexpectedRuntime, served_wasm
from lepta.build.qstr_lookup import patched_wasm
from lepta.build.runtimes import ensure_runtime
from lepta.build.wasm_format import (
    CALL,
    CODE,
    UnsupportedModule,
    bodies,
    function_imports,
    padded_u32,
    sections,
)

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js")

# Loads the runtime in `folder`, counting the calls the interpreter makes to the
# functions it imports for its `setjmp` emulation (`invoke_*`, and longjmp's throw).
# Runs CODE and prints, as JSON, that count and what the code printed.
LOAD = """
import path from "node:path";
import { pathToFileURL } from "node:url";
const [folder, code] = process.argv.slice(2);
let calls = 0;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = (bytes, given) => {
  const env = (given && given.env) || {};
  for (const name of Object.keys(env)) {
    if (name.startsWith("invoke_") || name === "_emscripten_throw_longjmp") {
      const published = env[name];
      env[name] = (...args) => {
        calls += 1;
        return published(...args);
      };
    }
  }
  return instantiate(bytes, given);
};
const { loadMicroPython } = await import(pathToFileURL(path.join(folder, "micropython.mjs")).href);
const lines = [];
const mp = await loadMicroPython({ stdout: (line) => lines.push(line), heapsize: 8 << 20 });
for (const call of code.split("\\n# next call\\n")) mp.runPython(call);
console.log(JSON.stringify({ calls, printed: lines }));
"""

# Python exceptions of every kind the interpreter raises with longjmp, caught at
# different depths, through generators and `finally`, and one that JavaScript catches.
EXCEPTIONS = """
import js
out = []
try:
    {}["missing"]
except KeyError as e:
    out.append("key")
def deep(n):
    try:
        if n:
            return deep(n - 1)
        raise ValueError("at the bottom")
    finally:
        out.append("finally") if n == 0 else None
try:
    deep(40)
except ValueError as e:
    out.append(str(e))
def gen():
    yield 1
    raise RuntimeError("from a generator")
try:
    for x in gen():
        pass
except RuntimeError as e:
    out.append(str(e))
def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RuntimeError as e:
    out.append("recursion")
def raises(x):
    raise TypeError("through JavaScript %s" % x)
js.globalThis.leptaTestCall = raises
caught = js.eval(
    "(() => { try { globalThis.leptaTestCall(7) } catch (e) { return String(e) } })()"
)
out.append("js: " + ("through JavaScript 7" in caught and "ok" or caught))
out.append(sum(i for i in range(1000) if i % 7 == 0))
print("|".join(str(x) for x in out))
"""
EXPECTED = "key|finally|at the bottom|from a generator|recursion|js: ok|71071"


def run_node(tmp_path: Path, folder: Path, code: str) -> dict:
    script = tmp_path / "load.mjs"
    script.write_text(LOAD)
    result = subprocess.run(
        [NODE, str(script), str(folder), code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_python_exceptions_work_with_the_interpreters_own_setjmp_calls(tmp_path):
    found = run_node(tmp_path, served_runtime("micropython"), EXCEPTIONS)
    assert found["printed"] == [EXPECTED]
    assert found["calls"] == 0, "no call leaves the interpreter for its setjmp emulation"


def test_the_published_runtime_runs_the_same_code_alike_through_its_imports(tmp_path):
    found = run_node(tmp_path, ensure_runtime("micropython"), EXCEPTIONS)
    assert found["printed"] == [EXPECTED]
    assert found["calls"] > 1000


def test_the_served_files_are_the_published_ones_with_the_interpreter_changed():
    source = ensure_runtime("micropython")
    served = served_runtime("micropython")
    assert (served / "micropython.mjs").read_bytes() == (source / "micropython.mjs").read_bytes()
    published = (source / "micropython.wasm").read_bytes()
    changed = hinted_alloc(patched_wasm(local_invokes(published)))
    assert (served / "micropython.wasm").read_bytes() == changed != published


def setjmp_calls(wasm: bytes) -> dict[str, int]:
    """How many calls the interpreter's code makes to each function it imports for its
    `setjmp` emulation."""
    code = b"".join(bodies(dict(sections(wasm))[CODE]))
    names = [name for name, _ in function_imports(wasm)]
    return {
        name: code.count(bytes([CALL]) + padded_u32(index))
        for index, name in enumerate(names)
        if name.startswith("invoke_") or name == "_emscripten_throw_longjmp"
    }


def test_every_setjmp_call_calls_a_function_of_the_interpreter_instead_of_an_import():
    published = (ensure_runtime("micropython") / "micropython.wasm").read_bytes()
    before = setjmp_calls(published)
    assert before["invoke_ii"] > 10 and before["_emscripten_throw_longjmp"] == 1
    after = local_invokes(published)
    assert set(setjmp_calls(after).values()) == {0}
    names = [name for name, _ in function_imports(published)]
    first_added = len(names) + len(bodies(dict(sections(published))[CODE]))
    code = b"".join(bodies(dict(sections(after))[CODE]))
    for i, name in enumerate(before):  # (one function added for each, in import order)
        assert code.count(bytes([CALL]) + padded_u32(first_added + i)) == before[name]


def test_an_interpreter_other_than_the_published_one_is_refused():
    wasm = (ensure_runtime("micropython") / "micropython.wasm").read_bytes()
    other = bytearray(wasm)
    other[-1] ^= 1  # (the last byte of its last section)
    with pytest.raises(UnexpectedRuntime, match="not the build these changes were written for"):
        served_wasm(bytes(other))
    with pytest.raises(UnsupportedModule, match="not the build"):
        local_invokes(b"<html>")


def test_signatures_are_read_from_the_names():
    assert signature("invoke_v") == (False, 0)
    assert signature("invoke_iiii") == (True, 3)
    assert signature("invoke_viii") == (False, 3)
    for name in ("invoke_vj", "invoke_", "invoke_di", "dynCall_ii"):
        with pytest.raises(UnsupportedModule, match="unsupported signature"):
            signature(name)


# Strings made at run time (`join`, `%`, a slice, text from JavaScript) whose text
# is a name of the program (`defined_here`) or of the interpreter (`append`), used
# every way a name is used. Prints, for each, whether the new string *is* the interned
# name, then the results of using it.
STRINGS = """
import js
class Thing:
    defined_here = 1
defined_here = "module level"
def takes(defined_here=0):
    return defined_here
made = {
    "join": "".join(["defined", "_here"]),
    "format": "%s_%s" % ("defined", "here"),
    "slice": "xdefined_herex"[1:-1],
    "javascript": js.eval("'defined' + '_here'"),
}
out = []
for how, name in made.items():
    out.append("%s:%s" % (how, name is "defined_here"))
    thing = Thing()
    setattr(thing, name, 2)
    out.append(getattr(thing, name) + thing.defined_here + getattr(Thing, name))
    out.append({"defined_here": 5}[name] + takes(**{name: 6}))
    same = hash(name) == hash("defined_here") and name == "defined_here"
    out.append(name in {"defined_here"} and same)
    out.append(globals()[name])
builtin = "".join(["app", "end"])
out.append("builtin:%s" % (builtin is "append"))
out.append(getattr([1], builtin) is not None)
out.append(int.from_bytes(b"\\x01\\x00", "".join(["lit", "tle"])))
print("|".join(str(x) for x in out))
"""
USES = "5|11|True|module level"


def test_new_strings_with_a_programs_name_are_their_own_and_work_as_the_name(tmp_path):
    found = run_node(tmp_path, served_runtime("micropython"), STRINGS)["printed"][0].split("|")
    for how in ("join", "format", "slice", "javascript"):
        at = found.index("%s:False" % how)  # not the interned name (it was not searched)
        assert "|".join(found[at + 1 : at + 5]) == USES
    assert found[-3:] == ["builtin:True", "True", "1"]  # the interpreter's names: interned


def test_the_published_runtime_hands_out_the_programs_interned_names(tmp_path):
    found = run_node(tmp_path, ensure_runtime("micropython"), STRINGS)["printed"][0].split("|")
    for how in ("join", "format", "slice", "javascript"):
        at = found.index("%s:True" % how)
        assert "|".join(found[at + 1 : at + 5]) == USES
    assert found[-3:] == ["builtin:True", "True", "1"]


# A module of one function that does nothing: WebAssembly, but not MicroPython.
ONE_FUNCTION = bytes.fromhex("0061736d01000000" "010401600000" "03020100" "0a040102000b")


def test_a_string_search_built_otherwise_is_refused():
    wasm = (ensure_runtime("micropython") / "micropython.wasm").read_bytes()
    other = bytearray(wasm)
    # The search's code starts so (its locals, then: if not len: return 1); where it
    # reads the newest table of names (i32.const 48, i32.load offset=185108), make it
    # read one word further.
    search = wasm.index(bytes.fromhex("01087f024020010d0041010f0b200020016a210241852a"))
    reads_last_pool = wasm.index(bytes.fromhex("4130280294a68b8000"), search)
    other[reads_last_pool + 4] = 0x98
    with pytest.raises(UnsupportedModule, match="1 of its functions differ"):
        patched_wasm(bytes(other))
    with pytest.raises(UnsupportedModule, match="not the build"):
        patched_wasm(ONE_FUNCTION)


# Objects of 1 to 12 blocks made among others dropped at once, with what frees blocks
# between collections (lists and dicts that grow and move, strings built and cut to
# size), over several calls with a collection after each (one runs at the end of a
# call): prints, after each, a digest of the addresses of what was made.
PLACES = """
import gc
def size(i, seed):
    return 1 + (i * 7 + seed) % 45
def fill(seed, count):
    kept = [None] * count
    grown = []
    table = {}
    for i in range(2 * count):
        made = (i,) * size(i, seed)
        if i % 3:
            kept[i % count] = made
        if i % 5 == 0:
            grown.append(made)
            table[i] = "-".join(["%d" % (i + j) for j in range(i % 9)])
    return kept, grown, list(table.values())
def digest(*lists):
    h = 0
    for objects in lists:
        for x in objects:
            h = (h * 31 + id(x)) % 1000003
    return h
first = fill(1, 3000)
print(digest(*first))
gc.collect()
# next call
second = fill(2, 3000)
print(digest(*second))
first = None
gc.collect()
# next call
third = fill(3, 5000)
print(digest(*third), all(x == (x[0],) * size(x[0], 3) and x[0] % 5000 == j
    for j, x in enumerate(third[0]) if x))
"""


def test_objects_go_where_the_published_allocator_puts_them(tmp_path):
    served = run_node(tmp_path, served_runtime("micropython"), PLACES)["printed"]
    published = run_node(tmp_path, ensure_runtime("micropython"), PLACES)["printed"]
    assert served == published
    assert len(served) == 3 and served[-1].endswith(" True")


def test_an_allocator_built_otherwise_is_refused():
    source = ensure_runtime("micropython")
    wasm = patched_wasm((source / "micropython.wasm").read_bytes())
    # gc_alloc's code starts so (its locals; n_bytes + 15 ...; then where it reads
    # whether the collector is locked, i32.load16_u offset=185108 of 20): make it 22.
    start = wasm.index(bytes.fromhex("0a7f4100210202402000410f6a22034110490d0041142f01"))
    other = bytearray(wasm)
    other[start + 21] = 0x16
    with pytest.raises(UnsupportedModule, match="its allocator differs"):
        hinted_alloc(bytes(other))
