"""MicroPython's `setjmp` calls kept inside the interpreter: a change to `micropython.wasm`.

MicroPython raises a Python exception with `longjmp`. Its WebAssembly build emulates
`setjmp` as emscripten does: a function that calls `setjmp` makes each of its calls
through an imported function `invoke_<signature>(index, args...)`, which saves the
stack pointer, calls the function table's entry `index` inside a `try`, and catches
what `longjmp` throws (then restores the stack pointer and says so with `setThrew`).
The interpreter's loop, `mp_execute_bytecode`, calls `setjmp`, so nearly every call a
Python program makes goes through one of them; the published build imports them from
JavaScript.

This change writes those functions into the interpreter itself, in WebAssembly: the
stack pointer is the interpreter's own global, the call goes through its own table,
`longjmp` throws a WebAssembly exception of a tag of the interpreter's own, which only
they catch (a JavaScript error goes through them, as before). Every call to the
imported functions, and to the imported throw, calls them instead; the imports stay
(nothing calls them any more). Calls are written with five-byte (linker-padded)
indexes, so each changes in place. In Chromium, creating and updating rows of the
benchmark app took 15% to 18% less time than with the same functions in a module of
their own (docs/browser.md).

The interpreter is MicroPython 1.27.0's published build, recognised by its SHA-256;
anything else is refused. The result needs WebAssembly's exception handling (every
browser since 2022).

    served = local_invokes(published_wasm)
"""

from __future__ import annotations

import hashlib

from .wasm_format import (
    CALL,
    CODE,
    EMPTY_BLOCK,
    END,
    FUNCTIONS,
    GLOBAL_GET,
    GLOBAL_SET,
    I32,
    I32_CONST,
    LOCAL_GET,
    LOCAL_SET,
    UnsupportedModule,
    bodies,
    function_imports,
    function_types,
    padded_u32,
    read_name,
    read_u32,
    s32,
    section,
    sections,
    u32,
    vector,
)

# SHA-256 of MicroPython 1.27.0's published `micropython.wasm`; its global that is
# the stack pointer (what `emscripten_stack_get_current` returns).
PUBLISHED = "06338c955b03c5700aa0069015d3e392d76836ef8e2ce25bedbe59b88ccd373c"
STACK_POINTER = 0
PREFIX = "invoke_"
THROW_LONGJMP = "_emscripten_throw_longjmp"

TYPES, MEMORY, EXPORTS, TAGS = 1, 5, 7, 13
FUNC_TYPE = 0x60
# Instructions (the exception-handling ones in the encoding every browser reads).
TRY, CATCH, THROW, CALL_INDIRECT = 0x06, 0x07, 0x08, 0x11


def local_invokes(wasm: bytes) -> bytes:
    """`micropython.wasm` whose `setjmp` calls stay inside it (see the module docstring)."""
    if hashlib.sha256(wasm).hexdigest() != PUBLISHED:
        raise UnsupportedModule(
            "micropython.wasm is not the build these changes were written for "
            "(MicroPython 1.27.0's published one)"
        )
    in_order = sections(wasm)
    parts = dict(in_order)
    encoded_types, types = _types(parts[TYPES])
    imported = function_imports(wasm)
    functions = function_types(parts[FUNCTIONS])
    code = bodies(parts[CODE])
    set_threw = _exported_function(parts[EXPORTS], "setThrew")
    tag_type = types.index((0, 0))  # () -> (): the tag's type

    redirect = {}  # an imported function -> the function added in its place
    for index, (name, type_index) in enumerate(imported):
        if name == THROW_LONGJMP:
            body = vector([]) + bytes([THROW]) + u32(0) + bytes([END])
        elif name.startswith(PREFIX):
            returns, count = signature(name)
            if types[type_index] != (count + 1, int(returns)):
                raise UnsupportedModule("%s has an unexpected type" % name)
            body = _invoke(count, returns, _type_index(types, count, int(returns)), set_threw)
        else:
            continue
        redirect[index] = len(imported) + len(code)  # (the index of the function added)
        functions.append(type_index)
        code.append(body)

    calls = {bytes([CALL]) + padded_u32(old): bytes([CALL]) + padded_u32(new)
             for old, new in redirect.items()}  # fmt: skip
    for i, body in enumerate(code[: len(code) - len(redirect)]):
        for old, new in calls.items():
            body = body.replace(old, new)
        code[i] = body

    out = [wasm[:8]]
    for number, content in in_order:
        if number == TYPES:
            added = [_encode_type(p, r) for p, r in types[len(encoded_types) :]]
            content = vector(encoded_types + added)
        elif number == FUNCTIONS:
            content = vector([u32(t) for t in functions])
        elif number == CODE:
            content = vector([u32(len(body)) + body for body in code])
        out.append(section(number, content))
        if number == MEMORY:  # (the tag section goes right after the memory section)
            out.append(section(TAGS, vector([bytes([0]) + u32(tag_type)])))
    return b"".join(out)


def signature(name: str) -> tuple[bool, int]:
    """(returns a value, number of arguments) of the function `invoke_<sig>` calls:
    `sig` is its result (`i` or `v`), then one letter per argument."""
    sig = name[len(PREFIX) :]
    if not name.startswith(PREFIX) or not sig or sig[0] not in "iv" or set(sig[1:]) - {"i"}:
        raise UnsupportedModule("unsupported signature: %s" % name)
    return sig[0] == "i", len(sig) - 1


def _invoke(count: int, returns: bool, called: int, set_threw: int) -> bytes:
    """The code of `invoke_*(index, args...)`: table entry `index` called with `args`;
    if it throws the tag, the stack pointer as it was, `setThrew(1, 0)`, and 0."""
    sp = count + 1  # (the local after the parameters)
    code = bytearray([GLOBAL_GET]) + u32(STACK_POINTER) + bytes([LOCAL_SET]) + u32(sp)
    code += bytes([TRY, I32 if returns else EMPTY_BLOCK])
    for arg in range(1, count + 1):
        code += bytes([LOCAL_GET]) + u32(arg)
    code += bytes([LOCAL_GET]) + u32(0)
    code += bytes([CALL_INDIRECT]) + u32(called) + u32(0)
    code += bytes([CATCH]) + u32(0)
    code += bytes([LOCAL_GET]) + u32(sp) + bytes([GLOBAL_SET]) + u32(STACK_POINTER)
    code += bytes([I32_CONST]) + s32(1) + bytes([I32_CONST]) + s32(0)
    code += bytes([CALL]) + u32(set_threw)
    if returns:
        code += bytes([I32_CONST]) + s32(0)
    code += bytes([END, END])
    return vector([u32(1) + bytes([I32])]) + bytes(code)


def _types(content: bytes) -> tuple[list[bytes], list[tuple[int, int]]]:
    """Each type as encoded, and as (parameters, results) when all are i32s (the only
    types this change uses or adds; (-1, -1) for the others)."""
    count, at = read_u32(content, 0)
    encoded, shapes = [], []
    for _ in range(count):
        if content[at] != FUNC_TYPE:
            raise UnsupportedModule("unknown type form")
        start = at
        counts, kinds = [], b""
        at += 1
        for _ in range(2):
            n, at = read_u32(content, at)
            counts.append(n)
            kinds += content[at : at + n]
            at += n
        encoded.append(content[start:at])
        shapes.append((-1, -1) if set(kinds) - {I32} else (counts[0], counts[1]))
    return encoded, shapes


def _type_index(types: list[tuple[int, int]], params: int, results: int) -> int:
    """The index of the type of i32s `(params) -> (results)`, added if missing."""
    if (params, results) not in types:
        types.append((params, results))
    return types.index((params, results))


def _encode_type(params: int, results: int) -> bytes:
    return bytes([FUNC_TYPE]) + vector([bytes([I32])] * params) + vector([bytes([I32])] * results)


def _exported_function(content: bytes, wanted: str) -> int:
    count, at = read_u32(content, 0)
    for _ in range(count):
        name, at = read_name(content, at)
        kind = content[at]
        index, at = read_u32(content, at + 1)
        if name == wanted and kind == 0:
            return index
    raise UnsupportedModule("micropython.wasm exports no function %s" % wanted)
