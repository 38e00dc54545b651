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

from ..reactive import LeptaError

I32 = 0x7F
FUNCREF = 0x70
FUNC_TYPE = 0x60
EMPTY_BLOCK = 0x40

# Instructions (the legacy exception-handling encoding: `try`, `catch`, `throw`).
TRY, CATCH, THROW, END = 0x06, 0x07, 0x08, 0x0B
CALL_INDIRECT, LOCAL_GET, LOCAL_SET, I32_CONST = 0x11, 0x20, 0x21, 0x41

# Entries of the `support` table.
STACK_GET, STACK_RESTORE, SET_THREW = 0, 1, 2

PREFIX = "invoke_"


class UnsupportedModule(LeptaError, ValueError):
    """Not a WebAssembly module, or one importing an `invoke_` function whose signature
    is not made of i32 values (`i`) and `v`."""


def _u32(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _s32(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def _vector(items: list[bytes]) -> bytes:
    return _u32(len(items)) + b"".join(items)


def _name(text: str) -> bytes:
    data = text.encode()
    return _u32(len(data)) + data


def _section(number: int, content: bytes) -> bytes:
    return bytes([number]) + _u32(len(content)) + content


def _func_type(params: int, returns: bool) -> bytes:
    return bytes([FUNC_TYPE]) + _vector([bytes([I32])] * params) + _vector([bytes([I32])] * returns)


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
        code += bytes([I32_CONST]) + _s32(STACK_GET)
        code += bytes([CALL_INDIRECT]) + _u32(stack_get) + _u32(1)
        code += bytes([LOCAL_SET]) + _u32(sp)
        code += bytes([TRY, I32 if returns else EMPTY_BLOCK])
        for arg in range(1, count + 1):
            code += bytes([LOCAL_GET]) + _u32(arg)
        code += bytes([LOCAL_GET]) + _u32(0)
        code += bytes([CALL_INDIRECT]) + _u32(called) + _u32(0)
        code += bytes([CATCH]) + _u32(0)  # longjmp's tag: restore the stack, flag it
        code += bytes([LOCAL_GET]) + _u32(sp)
        code += bytes([I32_CONST]) + _s32(STACK_RESTORE)
        code += bytes([CALL_INDIRECT]) + _u32(stack_restore) + _u32(1)
        code += bytes([I32_CONST]) + _s32(1) + bytes([I32_CONST]) + _s32(0)
        code += bytes([I32_CONST]) + _s32(SET_THREW)
        code += bytes([CALL_INDIRECT]) + _u32(set_threw) + _u32(1)
        if returns:
            code += bytes([I32_CONST]) + _s32(0)
        code += bytes([END, END])
        locals_ = _vector([_u32(1) + bytes([I32])])
        body = locals_ + bytes(code)
        bodies.append(_u32(len(body)) + body)
        exports.append(_name(name) + bytes([0x00]) + _u32(len(functions) - 1))

    functions.append(tag_type)  # throw_longjmp
    body = _vector([]) + bytes([THROW]) + _u32(0) + bytes([END])
    bodies.append(_u32(len(body)) + body)
    exports.append(_name("throw_longjmp") + bytes([0x00]) + _u32(len(functions) - 1))
    exports.append(_name("calls") + bytes([0x01]) + _u32(0))
    exports.append(_name("support") + bytes([0x01]) + _u32(1))

    table = bytes([FUNCREF, 0x00]) + _u32(0)  # no maximum: grown to the interpreter's
    support = bytes([FUNCREF, 0x01]) + _u32(3) + _u32(3)
    return b"".join(
        [
            b"\0asm",
            bytes([1, 0, 0, 0]),
            _section(1, _vector(types)),
            _section(3, _vector([_u32(t) for t in functions])),
            _section(4, _vector([table, support])),
            _section(13, _vector([bytes([0x00]) + _u32(tag_type)])),
            _section(7, _vector(exports)),
            _section(10, _vector(bodies)),
        ]
    )


def imported_invokes(wasm: bytes) -> list[str]:
    """The names of the `invoke_` functions the module `wasm` imports."""
    return [name for _, name, kind in _imports(wasm) if kind == 0 and name.startswith(PREFIX)]


def _imports(wasm: bytes) -> list[tuple[str, str, int]]:
    """(module, name, kind) of each import of `wasm` (kind 0: a function)."""
    if wasm[:4] != b"\0asm":
        raise UnsupportedModule("not a WebAssembly module")
    at = 8
    while at < len(wasm):
        number = wasm[at]
        size, at = _read_u32(wasm, at + 1)
        if number != 2:
            at += size
            continue
        count, at = _read_u32(wasm, at)
        found = []
        for _ in range(count):
            module, at = _read_name(wasm, at)
            name, at = _read_name(wasm, at)
            kind = wasm[at]
            at += 1
            at = _skip_import(wasm, at, kind)
            found.append((module, name, kind))
        return found
    return []


def _skip_import(wasm: bytes, at: int, kind: int) -> int:
    if kind == 0:  # function: its type index
        return _read_u32(wasm, at)[1]
    if kind == 1:  # table: element type, limits
        return _skip_limits(wasm, at + 1)
    if kind == 2:  # memory: limits
        return _skip_limits(wasm, at)
    if kind == 3:  # global: value type, mutability
        return at + 2
    if kind == 4:  # tag: attribute, type index
        return _read_u32(wasm, at + 1)[1]
    raise UnsupportedModule("unknown import kind %d" % kind)


def _skip_limits(wasm: bytes, at: int) -> int:
    flags = wasm[at]
    _, at = _read_u32(wasm, at + 1)
    if flags & 1:
        _, at = _read_u32(wasm, at)
    return at


def _read_u32(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _read_name(data: bytes, at: int) -> tuple[str, int]:
    size, at = _read_u32(data, at)
    return data[at : at + size].decode(), at + size
