"""The parts of the WebAssembly binary format that lepta's changes to MicroPython's
runtime read and write (see `local_invokes`, `qstr_lookup` and `alloc_hints`): LEB128
numbers, vectors, names and sections."""

from __future__ import annotations

from ..reactive import LeptaError

I32 = 0x7F
EMPTY_BLOCK = 0x40  # a block that leaves no value
# Instructions the changes write (more than one of them).
END, LOCAL_GET, LOCAL_SET, I32_CONST = 0x0B, 0x20, 0x21, 0x41
BLOCK, LOOP, IF, BR, BR_IF, CALL, LOCAL_TEE = 0x02, 0x03, 0x04, 0x0C, 0x0D, 0x10, 0x22
GLOBAL_GET, GLOBAL_SET = 0x23, 0x24
I32_LOAD, I32_STORE, I32_EQZ = 0x28, 0x36, 0x45
# Sections the changes rewrite: the function section (each function's type) and the
# code section (each function's code).
FUNCTIONS, CODE = 3, 10


class UnsupportedModule(LeptaError, ValueError):
    """Not a WebAssembly module, or not one these changes were written for."""


def u32(n: int) -> bytes:
    """`n` as an unsigned LEB128 number."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def padded_u32(n: int) -> bytes:
    """`n` as an unsigned LEB128 number of five bytes, as a linker leaves the indexes
    it may have to change (so that one can be changed in place)."""
    return bytes([(n >> shift) & 0x7F | 0x80 for shift in (0, 7, 14, 21)] + [n >> 28])


def s32(n: int) -> bytes:
    """`n` as a signed LEB128 number."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vector(items: list[bytes]) -> bytes:
    return u32(len(items)) + b"".join(items)


def section(number: int, content: bytes) -> bytes:
    return bytes([number]) + u32(len(content)) + content


def read_u32(data: bytes, at: int) -> tuple[int, int]:
    """The unsigned LEB128 number at `at`, and where what follows it starts."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def read_name(data: bytes, at: int) -> tuple[str, int]:
    size, at = read_u32(data, at)
    return data[at : at + size].decode(), at + size


def sections(wasm: bytes) -> list[tuple[int, bytes]]:
    """The module's sections in order: (number, content)."""
    if wasm[:4] != b"\0asm":
        raise UnsupportedModule("not a WebAssembly module")
    found = []
    at = 8
    while at < len(wasm):
        number = wasm[at]
        size, at = read_u32(wasm, at + 1)
        found.append((number, wasm[at : at + size]))
        at += size
    return found


def imports(wasm: bytes) -> list[tuple[str, str, int]]:
    """(module, name, kind) of each import of `wasm` (kind 0: a function)."""
    return [(module, name, kind) for module, name, kind, _ in _imports(wasm)]


def function_imports(wasm: bytes) -> list[tuple[str, int]]:
    """(name, type) of each function `wasm` imports, in the order of their indexes."""
    return [(name, type_index) for _, name, kind, type_index in _imports(wasm) if kind == 0]


def _imports(wasm: bytes) -> list[tuple[str, str, int, int]]:
    """(module, name, kind, type) of each import (type: a function's, else -1)."""
    for number, content in sections(wasm):
        if number != 2:
            continue
        count, at = read_u32(content, 0)
        found = []
        for _ in range(count):
            module, at = read_name(content, at)
            field, at = read_name(content, at)
            kind = content[at]
            type_index = read_u32(content, at + 1)[0] if kind == 0 else -1
            at = _skip_import(content, at + 1, kind)
            found.append((module, field, kind, type_index))
        return found
    return []


def _skip_import(data: bytes, at: int, kind: int) -> int:
    if kind == 0:  # function: its type index
        return read_u32(data, at)[1]
    if kind == 1:  # table: element type, limits
        return _skip_limits(data, at + 1)
    if kind == 2:  # memory: limits
        return _skip_limits(data, at)
    if kind == 3:  # global: value type, mutability
        return at + 2
    if kind == 4:  # tag: attribute, type index
        return read_u32(data, at + 1)[1]
    raise UnsupportedModule("unknown import kind %d" % kind)


def _skip_limits(data: bytes, at: int) -> int:
    flags = data[at]
    _, at = read_u32(data, at + 1)
    if flags & 1:
        _, at = read_u32(data, at)
    return at


def replaced_sections(wasm: bytes, contents: dict[int, bytes]) -> bytes:
    """`wasm` with the content of the sections numbered in `contents` replaced."""
    out = [wasm[:8]]
    for number, content in sections(wasm):
        out.append(section(number, contents.get(number, content)))
    return b"".join(out)


def function_types(content: bytes) -> list[int]:
    """The type of each function the function section declares."""
    count, at = read_u32(content, 0)
    types = []
    for _ in range(count):
        t, at = read_u32(content, at)
        types.append(t)
    return types


def bodies(content: bytes) -> list[bytes]:
    """Each function's code (its locals and instructions), from the code section."""
    count, at = read_u32(content, 0)
    bodies = []
    for _ in range(count):
        size, at = read_u32(content, at)
        bodies.append(content[at : at + size])
        at += size
    return bodies
