"""New strings without a search through every name the program defined: a change to
MicroPython's `micropython.wasm`.

MicroPython keeps one copy of each name (an interned string, a "qstr"): its own, in
tables built into the interpreter, and those of the program it runs (every module's
identifiers and short literals), added at run time to tables of their own, in the
order they come. Before making a new string (`str(n)`, `%`, `+`, `join`, a slice,
text from JavaScript), the interpreter looks for an interned string with the same
text, to hand out instead: a binary search through its own tables, which are
sorted, but a walk through every entry of the program's, which are not. With
lepta's modules loaded the program's are about 1,500, so each new string walks
1,500 entries; a row of a list makes three strings or more (its label, its id's
text, the operation that sends it to the page), and without the walks appending
1,000 rows takes 15% less time in Node, 6% in Chromium (docs/browser.md).

Only two places make new strings: `mp_obj_new_str_type_from_vstr` and `mp_obj_new_str`.
The change adds one function, which runs the same search over the interpreter's own
tables only (it hides the program's for the time of the call), and makes those two
call it. A string whose text is one of the program's names is then a string of its
own rather than the interned one, which Python cannot tell apart (the interpreter
compares such strings by their text, as it must for one made before the name was
interned). Everything else (interning itself, the parser, loading modules) searches
every table, as before.

The interpreter is MicroPython 1.27.0's published build: the three functions involved
are recognised by the exact bytes of their code, and anything else is refused.
"""

from __future__ import annotations

import hashlib

from .wasm_format import (
    BLOCK,
    BR,
    BR_IF,
    CALL,
    CODE,
    EMPTY_BLOCK,
    END,
    FUNCTIONS,
    I32,
    I32_CONST,
    I32_EQZ,
    I32_LOAD,
    I32_STORE,
    IF,
    LOCAL_GET,
    LOCAL_SET,
    LOCAL_TEE,
    LOOP,
    UnsupportedModule,
    bodies,
    function_types,
    imports,
    padded_u32,
    replaced_sections,
    s32,
    sections,
    u32,
    vector,
)

# SHA-256 of the code of `qstr_find_strn(str, len)` (the search), and of the two
# functions that make new strings, each calling it once: `mp_obj_new_str_type_from_vstr`
# (where `type` is `str`) and `mp_obj_new_str`.
SEARCH = "7c216b054d43f68fc485bea9562adb7fff3cec25bbc5fb768596974a7971ca61"
NEW_STRING_MAKERS = (
    "62cb9b2e8a852ba8fcf4f0075dcb2d611efe07983067feac9b23e14d29f6544a",
    "278749ec32e1ce5964a3033d3d2d27753928b582424196c3fc232357cfc00214",
)
# Where the search reads the newest table from (`MP_STATE_VM(last_pool)`): each table
# starts with the one before it, then a word whose top bit says it is sorted.
LAST_POOL = 185156

I32_LT_S = 0x48


def patched_wasm(wasm: bytes) -> bytes:
    """`micropython.wasm` whose new strings search only the interpreter's own names."""
    parts = sections(wasm)
    numbers = [number for number, _ in parts]
    if FUNCTIONS not in numbers or CODE not in numbers:
        raise UnsupportedModule("micropython.wasm has no functions")
    types = function_types(parts[numbers.index(FUNCTIONS)][1])
    code = bodies(parts[numbers.index(CODE)][1])
    found = {hashlib.sha256(body).hexdigest(): i for i, body in enumerate(code)}
    missing = [h for h in (SEARCH, *NEW_STRING_MAKERS) if h not in found]
    if missing:
        raise UnsupportedModule(
            "micropython.wasm is not the build these changes were written for "
            "(MicroPython 1.27.0's): %d of its functions differ" % len(missing)
        )
    imported = sum(1 for _, _, kind in imports(wasm) if kind == 0)
    search = imported + found[SEARCH]
    builtin_only = imported + len(code)  # (the function added, last)
    call_search = bytes([CALL]) + padded_u32(search)
    for digest in NEW_STRING_MAKERS:  # (each calls it once: the call is the same length)
        i = found[digest]
        code[i] = code[i].replace(call_search, bytes([CALL]) + padded_u32(builtin_only))
    code.append(_builtin_search(search))
    types.append(types[found[SEARCH]])  # (str, len) -> qstr, as the search
    return replaced_sections(
        wasm,
        {
            FUNCTIONS: vector([u32(t) for t in types]),
            CODE: vector([u32(len(body)) + body for body in code]),
        },
    )


def _builtin_search(search: int) -> bytes:
    """The code of a function `(str, len) -> qstr` that calls `search` with the newest
    sorted table as the newest table: the program's tables, made at run time, are
    never sorted, and come before the interpreter's in the chain (when none is sorted,
    the search runs over every table)."""
    code = [
        I32_CONST, *s32(LAST_POOL), I32_LOAD, 2, 0,
        LOCAL_TEE, 2, LOCAL_SET, 3,                 # saved = pool = last_pool
        BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK,                  # while pool and not pool.is_sorted:
        LOCAL_GET, 3, I32_EQZ, BR_IF, 1,
        LOCAL_GET, 3, I32_LOAD, 2, 4, I32_CONST, 0, I32_LT_S, BR_IF, 1,
        LOCAL_GET, 3, I32_LOAD, 2, 0, LOCAL_SET, 3,  # pool = pool.prev
        BR, 0, END, END,
        LOCAL_GET, 3, I32_EQZ, IF, EMPTY_BLOCK, LOCAL_GET, 2, LOCAL_SET, 3, END,
        I32_CONST, *s32(LAST_POOL), LOCAL_GET, 3, I32_STORE, 2, 0,  # last_pool = pool
        LOCAL_GET, 0, LOCAL_GET, 1, CALL, *u32(search), LOCAL_SET, 4,
        I32_CONST, *s32(LAST_POOL), LOCAL_GET, 2, I32_STORE, 2, 0,  # last_pool = saved
        LOCAL_GET, 4, END,
    ]  # fmt: skip
    locals_ = vector([u32(3) + bytes([I32])])  # saved, pool, found (after str, len)
    return locals_ + bytes(code)

