"""The changes made to MicroPython's published files before they are served.

In `micropython.mjs`, two, both about the calls the interpreter makes through its
`setjmp` emulation (see `longjmp_wasm`), both checked against the exact text of the
pinned version:

- the published build has emscripten's assertions on, and one of them reads the
  function table a second time on each such call: it is removed;
- the JavaScript `invoke_*` functions and `longjmp`'s JavaScript throw are replaced,
  while the interpreter is instantiated, by the WebAssembly module of `longjmp_wasm`
  (kept as they are where that module cannot be compiled).

In `micropython.wasm`, two: new strings are not looked for among the program's
interned names (see `qstr_lookup`), and allocations of a few blocks start their
search for room where the last one of their size went (see `alloc_hints`).
"""

from __future__ import annotations

import base64

from ..reactive import LeptaError
from .alloc_hints import hinted_alloc
from .longjmp_wasm import imported_invokes, longjmp_module
from .qstr_lookup import patched_wasm
from .wasm_format import UnsupportedModule

TABLE_ASSERTION = (
    ',assert(wasmTable.get(funcPtr)==func,"JavaScript-side Wasm function table mirror '
    'is out of date!")'
)
# Where the interpreter's imports are complete, just before it is instantiated, and
# where its instance is handed over to the rest of the module.
IMPORTS_READY = "var trueModule=Module,info={env:wasmImports,wasi_snapshot_preview1:wasmImports};"
INSTANCE_READY = "receiveInstance(result.instance)"

# `lepta_longjmp(imports)` puts the WebAssembly module's functions in `imports` and
# returns what fills its tables once the interpreter's instance exists (or, where the
# module cannot be compiled, what leaves everything as it was).
HOOK = """\
function lepta_longjmp(imports) {
  let helper;
  try {
    const bytes = Uint8Array.from(atob("%s"), (c) => c.charCodeAt(0));
    helper = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  } catch (error) {
    return (instance) => instance;
  }
  for (const name in helper) {
    if (name.startsWith("invoke_")) imports[name] = helper[name];
  }
  imports._emscripten_throw_longjmp = helper.throw_longjmp;
  return (instance) => {
    const exports = instance.exports;
    const table = exports.__indirect_function_table;
    helper.calls.grow(table.length);
    for (let i = 0; i < table.length; i++) helper.calls.set(i, table.get(i));
    helper.support.set(0, exports.emscripten_stack_get_current);
    helper.support.set(1, exports._emscripten_stack_restore);
    helper.support.set(2, exports.setThrew);
    return instance;
  };
}
"""


class UnexpectedRuntime(LeptaError, ValueError):
    """The runtime's files are not the ones these changes were written for."""


def patched_module(module: str, wasm: bytes) -> str:
    """`micropython.mjs` (text `module`, for the interpreter `wasm`) as served."""
    for anchor in (TABLE_ASSERTION, IMPORTS_READY, INSTANCE_READY):
        if module.count(anchor) != 1:
            raise UnexpectedRuntime("micropython.mjs: expected once: %s" % anchor)
    try:
        invokes = imported_invokes(wasm)
        if not invokes:
            raise UnexpectedRuntime("micropython.wasm imports no invoke_ functions")
        helper = base64.b64encode(longjmp_module(invokes)).decode("ascii")
    except UnsupportedModule as exc:
        raise UnexpectedRuntime("micropython.wasm: %s" % exc) from None
    module = module.replace(TABLE_ASSERTION, "")
    tables = "var leptaTables=lepta_longjmp(wasmImports);"
    module = module.replace(IMPORTS_READY, IMPORTS_READY + tables)
    module = module.replace(INSTANCE_READY, "receiveInstance(leptaTables(result.instance))")
    return HOOK % helper + module


def patched_files(module: str, wasm: bytes) -> tuple[str, bytes]:
    """`micropython.mjs` (text) and `micropython.wasm` as served."""
    patched = patched_module(module, wasm)
    try:
        return patched, hinted_alloc(patched_wasm(wasm))
    except UnsupportedModule as exc:
        raise UnexpectedRuntime(str(exc)) from None
