"""MicroPython's exceptions without a trip through JavaScript: a small WebAssembly module.

MicroPython raises a Python exception with `longjmp`, and its WebAssembly build
emulates `setjmp` and `longjmp` in JavaScript: a function that calls `setjmp` (the
interpreter's loop does, for every Python call) makes each of its calls through an
imported JavaScript function `invoke_<signature>(index, args...)`, which saves the
stack pointer (a call back into WebAssembly), calls the table entry `index` and
catches the JavaScript exception `longjmp` throws. So most of what the interpreter
does crosses into JavaScript and back: measured in Chromium, a fifth of a
list's creation time went to these crossings (docs/browser.md).

The module written here provides the same imports in WebAssembly itself, with the
exception-handling instructions every current browser and Node have: `invoke_*`
calls the entry of its copy of the interpreter's function table inside `try`, and
`longjmp`'s throw is a WebAssembly exception of its own tag, caught there; any other
exception (a JavaScript error) goes through, as before. The served `micropython.mjs`
compiles it while it instantiates the interpreter (see `micropython_patch`), fills
its tables from the interpreter's exports, and keeps the JavaScript versions where
the module cannot be compiled.

    module = longjmp_module(["invoke_ii", "invoke_v"])   # bytes of a .wasm module

Exports: one `invoke_<signature>` per name given, `throw_longjmp`, the table `calls`
(empty: the interpreter's table is copied into it) and the table `support` (three
entries: the interpreter's `emscripten_stack_get_current`, `_emscripten_stack_restore`
and `setThrew`).
"""

from __future__ import annotations

from .wasm_format import (
    EMPTY_BLOCK,
    END,
    I32,
    I32_CONST,
    LOCAL_GET,
    LOCAL_SET,
    UnsupportedModule,
    encode_name,
    imports,
    s32,
    section,
    u32,
    vector,
)

FUNCREF = 0x70
FUNC_TYPE = 0x60

# Instructions (the legacy exception-handling encoding: `try`, `catch`, `throw`).
TRY, CATCH, THROW, CALL_INDIRECT = 0x06, 0x07, 0x08, 0x11

# Entries of the `support` table.
STACK_GET, STACK_RESTORE, SET_THREW = 0, 1, 2

PREFIX = "invoke_"


def _func_type(params: int, returns: bool) -> bytes:
    return bytes([FUNC_TYPE]) + vector([bytes([I32])] * params) + vector([bytes([I32])] * returns)


def signature(name: str) -> tuple[bool, int]:
    """(returns a value, number of arguments) of the function `invoke_<sig>` calls:
    `sig` is its result (`i` or `v`), then one letter per argument."""
    sig = name[len(PREFIX) :]
    if not name.startswith(PREFIX) or not sig or sig[0] not in "iv" or set(sig[1:]) - {"i"}:
        raise UnsupportedModule("unsupported signature: %s" % name)
    return sig[0] == "i", len(sig) - 1


def longjmp_module(invokes: list[str]) -> bytes:
    """The module's bytes, with an `invoke_` function for each name in `invokes`."""
    types: list[bytes] = []

    def type_index(params: int, returns: bool) -> int:
        encoded = _func_type(params, returns)
        if encoded not in types:
            types.append(encoded)
        return types.index(encoded)

    tag_type = type_index(0, False)
    stack_get = type_index(0, True)
    stack_restore = type_index(1, False)
    set_threw = type_index(2, False)

    functions: list[int] = []  # each defined function's type
    bodies: list[bytes] = []
    exports: list[bytes] = []
    for name in invokes:
        returns, count = signature(name)
        called = type_index(count, returns)
        functions.append(type_index(count + 1, returns))  # (index, args...)
        sp = count + 1  # the local after the parameters
        code = bytearray()
        code += bytes([I32_CONST]) + s32(STACK_GET)
        code += bytes([CALL_INDIRECT]) + u32(stack_get) + u32(1)
        code += bytes([LOCAL_SET]) + u32(sp)
        code += bytes([TRY, I32 if returns else EMPTY_BLOCK])
        for arg in range(1, count + 1):
            code += bytes([LOCAL_GET]) + u32(arg)
        code += bytes([LOCAL_GET]) + u32(0)
        code += bytes([CALL_INDIRECT]) + u32(called) + u32(0)
        code += bytes([CATCH]) + u32(0)  # longjmp's tag: restore the stack, flag it
        code += bytes([LOCAL_GET]) + u32(sp)
        code += bytes([I32_CONST]) + s32(STACK_RESTORE)
        code += bytes([CALL_INDIRECT]) + u32(stack_restore) + u32(1)
        code += bytes([I32_CONST]) + s32(1) + bytes([I32_CONST]) + s32(0)
        code += bytes([I32_CONST]) + s32(SET_THREW)
        code += bytes([CALL_INDIRECT]) + u32(set_threw) + u32(1)
        if returns:
            code += bytes([I32_CONST]) + s32(0)
        code += bytes([END, END])
        locals_ = vector([u32(1) + bytes([I32])])
        body = locals_ + bytes(code)
        bodies.append(u32(len(body)) + body)
        exports.append(encode_name(name) + bytes([0x00]) + u32(len(functions) - 1))

    functions.append(tag_type)  # throw_longjmp
    body = vector([]) + bytes([THROW]) + u32(0) + bytes([END])
    bodies.append(u32(len(body)) + body)
    exports.append(encode_name("throw_longjmp") + bytes([0x00]) + u32(len(functions) - 1))
    exports.append(encode_name("calls") + bytes([0x01]) + u32(0))
    exports.append(encode_name("support") + bytes([0x01]) + u32(1))

    table = bytes([FUNCREF, 0x00]) + u32(0)  # no maximum: grown to the interpreter's
    support = bytes([FUNCREF, 0x01]) + u32(3) + u32(3)
    return b"".join(
        [
            b"\0asm",
            bytes([1, 0, 0, 0]),
            section(1, vector(types)),
            section(3, vector([u32(t) for t in functions])),
            section(4, vector([table, support])),
            section(13, vector([bytes([0x00]) + u32(tag_type)])),
            section(7, vector(exports)),
            section(10, vector(bodies)),
        ]
    )


def imported_invokes(wasm: bytes) -> list[str]:
    """The names of the `invoke_` functions the module `wasm` imports."""
    return [name for _, name, kind in imports(wasm) if kind == 0 and name.startswith(PREFIX)]
