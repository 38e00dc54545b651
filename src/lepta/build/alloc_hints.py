"""Allocations that do not walk the same full stretch of heap again: a change to
MicroPython's `micropython.wasm`.

MicroPython's allocator (`gc_alloc`) finds room for an object of n blocks (16 bytes
each) by walking the heap's allocation table from the lowest free block until it
meets n free blocks in a row. Where it starts moves on only after an allocation of
one block, since one free block is all a later request of one block needs; for
larger objects the walk starts at the lowest free block every time. After a
collection the heap of a page with a thousand rows is full of one-block gaps, and
every object of a few blocks (the text of a string of 16 bytes or more, a tuple of
four, a closure) walks over them again: in Chromium, "update every 10th row" of
the benchmark walked 30 MB of heap in 200 such allocations, a third of its time.

The change keeps, for each size of two to eight blocks, the place after the last
object of that size, and starts the next walk for that size there (objects larger
than eight blocks start at the place for eight): the walk that put that object
found no room for its size before it, and the allocator only fills room until
something is freed. So every object goes exactly where it would have gone: where
`gc_free` or `gc_realloc` frees blocks, the places beyond them move back to the
start of the free run they join, and a collection, which frees blocks everywhere,
forgets every place. (The allocator counts the blocks allocated since the last
collection; the change tells a collection by that count going down.)

`gc_alloc`, `gc_free` and `gc_realloc` keep their code, each as a function of its
own; in their place, functions that call them: the new `gc_alloc` sets where the
walk starts (the heap area it starts from and the place in it, as the allocator
reads them) for the time of the call, then records where the object went; the new
`gc_free` and `gc_realloc` move places back after freeing.

The interpreter is MicroPython 1.27.0's published build: the three functions are
recognised by the exact bytes of their code, and anything else is refused.
"""

from __future__ import annotations

import hashlib
from typing import Callable

from .wasm_format import (
    BLOCK,
    BR,
    BR_IF,
    CALL,
    CODE,
    EMPTY_BLOCK,
    END,
    FUNCTIONS,
    GLOBAL_GET,
    GLOBAL_SET,
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
    read_u32,
    replaced_sections,
    s32,
    sections,
    u32,
    vector,
)

# SHA-256 of the code of `gc_alloc(n_bytes, flags)`, `gc_free(ptr)` and
# `gc_realloc(ptr, n_bytes, allow_move)`.
GC_ALLOC = "171edc603084d80be362c80f7299fbfe238300b3457fee529d7802eeb09fc5ee"
GC_FREE = "2780d31b0bbc5fdf8605b57ea5f093d5229dd3883d1283fb03b9513b004505d7"
GC_REALLOC = "98a31d90e9f747ab6d313688bc9485b368d752815294fdc55bc5c7732d502d23"
# Where the allocator's state is (`MP_STATE_MEM`): the first heap area, the blocks
# allocated since the last collection, and the heap area the walk starts from. A heap
# area begins with the next area, and holds where its allocation table starts (two
# bits a block: 0 is free) and its length in bytes, where its blocks start and end and
# where its walk starts (an index into the table: four blocks to a byte).
STATE = 185108
FIRST_AREA = STATE + 384
ALLOCATED = STATE + 936
START_AREA = STATE + 944
NEXT, TABLE, TABLE_LENGTH, POOL_START, POOL_END, WALK_START = 0, 4, 8, 16, 20, 24
SIZES = range(2, 9)  # sizes in blocks that get a place of their own
LONGEST_LOOK_BACK = 64  # free blocks before a freed one looked at; beyond, forget the area

ELSE_, BR_TABLE, RETURN, DROP = 0x05, 0x0E, 0x0F, 0x1A
I32_LOAD8_U, I32_EQ, I32_NE, I32_LT_U, I32_GT_U, I32_LE_U, I32_GE_U = (
    0x2D, 0x46, 0x47, 0x49, 0x4B, 0x4D, 0x4F
)
I32_ADD, I32_SUB, I32_AND, I32_SHL, I32_SHR_U = 0x6A, 0x6B, 0x71, 0x74, 0x76
GLOBALS = 6
# Locals of the new gc_alloc: its two parameters, then these.
BYTES, FLAGS, N, AREA, AT, SAVED_AT, SAVED_AREA, FOUND, WALK = range(9)
# Locals of `freed(ptr, n_bytes)`: its parameters, then these.
PTR, KEPT_BYTES, IN, BLOCK_AT, START, LOOKED, END_AT = range(7)


def hinted_alloc(wasm: bytes) -> bytes:
    """`micropython.wasm` whose allocations of 2 to 8 blocks start where the last one
    of their size went."""
    parts = sections(wasm)
    numbers = [number for number, _ in parts]
    if FUNCTIONS not in numbers or CODE not in numbers or GLOBALS not in numbers:
        raise UnsupportedModule("micropython.wasm has no functions or globals")
    types = function_types(parts[numbers.index(FUNCTIONS)][1])
    code = bodies(parts[numbers.index(CODE)][1])
    found = {hashlib.sha256(body).hexdigest(): i for i, body in enumerate(code)}
    if any(digest not in found for digest in (GC_ALLOC, GC_FREE, GC_REALLOC)):
        raise UnsupportedModule(
            "micropython.wasm is not the build this change was written for "
            "(MicroPython 1.27.0's): its allocator differs"
        )
    imported = sum(1 for _, _, kind in imports(wasm) if kind == 0)
    global_content = parts[numbers.index(GLOBALS)][1]
    count, at = read_u32(global_content, 0)
    places = Places(sum(1 for _, _, kind in imports(wasm) if kind == 3) + count)
    # The three keep their code as functions added last; then `freed`; their own
    # indexes get the new functions that call them.
    moved = {}
    for digest in (GC_ALLOC, GC_FREE, GC_REALLOC):
        moved[digest] = imported + len(code)
        code.append(code[found[digest]])
        types.append(types[found[digest]])
    freed = imported + len(code)
    code.append(_freed(places))
    types.append(types[found[GC_ALLOC]])  # (i32, i32) -> i32: its result is left unused
    code[found[GC_ALLOC]] = _alloc(moved[GC_ALLOC], places)
    code[found[GC_FREE]] = _free(moved[GC_FREE], freed)
    code[found[GC_REALLOC]] = _realloc(moved[GC_REALLOC], freed)
    mutable_zero = bytes([I32, 1, I32_CONST, 0, END])
    global_content = u32(count + places.count) + global_content[at:] + mutable_zero * places.count
    return replaced_sections(
        wasm,
        {
            GLOBALS: global_content,
            FUNCTIONS: vector([u32(t) for t in types]),
            CODE: vector([u32(len(body)) + body for body in code]),
        },
    )


class Places:
    """The globals the change adds, from index `first`: the count of blocks allocated
    when last seen, then an (area, place) for each of SIZES (area 0: no place)."""

    def __init__(self, first: int) -> None:
        self.seen = u32(first)
        self.first = first
        self.count = 1 + 2 * len(SIZES)

    def area(self, n: int) -> bytes:
        return u32(self.first + 1 + 2 * (n - SIZES[0]))

    def place(self, n: int) -> bytes:
        return u32(self.first + 2 + 2 * (n - SIZES[0]))


def _area_holding(pointer: int, area: int) -> list[int]:
    """Code leaving in local `area` the heap area that holds the address in local
    `pointer` (0: none), looking from the area in `area` on."""
    return [
        BLOCK, EMPTY_BLOCK,
        LOOP, EMPTY_BLOCK,
        LOCAL_GET, area, I32_EQZ, BR_IF, 1,
        LOCAL_GET, pointer, LOCAL_GET, area, I32_LOAD, 2, POOL_START, I32_GE_U,
        LOCAL_GET, pointer, LOCAL_GET, area, I32_LOAD, 2, POOL_END, I32_LT_U, I32_AND,
        BR_IF, 1,
        LOCAL_GET, area, I32_LOAD, 2, NEXT, LOCAL_SET, area,
        BR, 0,
        END,
        END,
    ]  # fmt: skip


def _kind(block: int) -> list[int]:
    """Code leaving the table's two bits for local `block` of the area in local IN."""
    return [
        LOCAL_GET, IN, I32_LOAD, 2, TABLE, LOCAL_GET, block, I32_CONST, 2, I32_SHR_U, I32_ADD,
        I32_LOAD8_U, 0, 0,
        LOCAL_GET, block, I32_CONST, 3, I32_AND, I32_CONST, 1, I32_SHL, I32_SHR_U,
        I32_CONST, 3, I32_AND,
    ]  # fmt: skip


def _freed(places: Places) -> bytes:
    """The code of `freed(ptr, n_bytes) -> 0`, called after `gc_free(ptr)` (n_bytes 0)
    or `gc_realloc(ptr, n_bytes)`: blocks from the one at `ptr` on may have been freed
    (all of them, if that block is free now; else those after its first n_bytes). The
    run of free blocks they are part of may make room for sizes up to its length:
    the places of those sizes beyond its start move back to it."""
    largest = SIZES[-1]
    code = [
        # the area holding ptr (none: nothing of the heap's)
        I32_CONST, *s32(FIRST_AREA), LOCAL_SET, IN,
        *_area_holding(PTR, IN),
        LOCAL_GET, IN, I32_EQZ, IF, EMPTY_BLOCK, I32_CONST, 0, RETURN, END,
        LOCAL_GET, PTR, LOCAL_GET, IN, I32_LOAD, 2, POOL_START, I32_SUB, I32_CONST, 4, I32_SHR_U,
        LOCAL_TEE, BLOCK_AT, LOCAL_SET, START,
        *_kind(BLOCK_AT),
        IF, EMPTY_BLOCK,
        # still in use (resized in place): what follows its n_bytes
        LOCAL_GET, BLOCK_AT, LOCAL_GET, KEPT_BYTES, I32_CONST, 15, I32_ADD, I32_CONST, 4,
        I32_SHR_U, I32_ADD, LOCAL_SET, START,
        ELSE_,
        # freed: the run starts at the first of the free blocks before it
        BLOCK, EMPTY_BLOCK,
        LOOP, EMPTY_BLOCK,
        LOCAL_GET, START, I32_EQZ, BR_IF, 1,
        LOCAL_GET, START, I32_CONST, 1, I32_SUB, LOCAL_SET, BLOCK_AT,
        *_kind(BLOCK_AT), BR_IF, 1,
        LOCAL_GET, BLOCK_AT, LOCAL_SET, START,
        LOCAL_GET, LOOKED, I32_CONST, 1, I32_ADD, LOCAL_TEE, LOOKED,
        I32_CONST, *s32(LONGEST_LOOK_BACK), I32_LT_U, BR_IF, 0,
        # a long free run: every place in this area is forgotten
        *[x for n in SIZES for x in (
            GLOBAL_GET, *places.area(n), LOCAL_GET, IN, I32_EQ,
            IF, EMPTY_BLOCK, I32_CONST, 0, GLOBAL_SET, *places.area(n), END)],
        I32_CONST, 0, RETURN,
        END,
        END,
        END,
        # its length, as far as the largest size (and the end of the area)
        LOCAL_GET, START, LOCAL_SET, END_AT,
        BLOCK, EMPTY_BLOCK,
        LOOP, EMPTY_BLOCK,
        LOCAL_GET, END_AT, LOCAL_GET, START, I32_SUB, I32_CONST, *s32(largest), I32_GE_U,
        BR_IF, 1,
        LOCAL_GET, END_AT, LOCAL_GET, IN, I32_LOAD, 2, TABLE_LENGTH, I32_CONST, 2, I32_SHL,
        I32_GE_U, BR_IF, 1,
        *_kind(END_AT), BR_IF, 1,
        LOCAL_GET, END_AT, I32_CONST, 1, I32_ADD, LOCAL_SET, END_AT,
        BR, 0,
        END,
        END,
        LOCAL_GET, END_AT, LOCAL_GET, START, I32_SUB, LOCAL_SET, END_AT,
        LOCAL_GET, START, I32_CONST, 2, I32_SHR_U, LOCAL_SET, START,
        *[x for n in SIZES for x in (
            GLOBAL_GET, *places.area(n), LOCAL_GET, IN, I32_EQ,
            GLOBAL_GET, *places.place(n), LOCAL_GET, START, I32_GT_U, I32_AND,
            LOCAL_GET, END_AT, I32_CONST, *s32(n), I32_GE_U, I32_AND,
            IF, EMPTY_BLOCK, LOCAL_GET, START, GLOBAL_SET, *places.place(n), END)],
        I32_CONST, 0, END,
    ]  # fmt: skip
    return vector([u32(END_AT - IN + 1) + bytes([I32])]) + bytes(code)


def _free(original: int, freed: int) -> bytes:
    """The code of `gc_free(ptr)`: `original(ptr)`, then `freed(ptr, 0)`."""
    code = [LOCAL_GET, 0, CALL, *u32(original), LOCAL_GET, 0, I32_CONST, 0, CALL, *u32(freed)]
    return vector([]) + bytes([*code, DROP, END])


def _realloc(original: int, freed: int) -> bytes:
    """The code of `gc_realloc(ptr, n_bytes, allow_move)`: `original(...)`, then
    `freed(ptr, n_bytes)`."""
    code = [LOCAL_GET, 0, LOCAL_GET, 1, LOCAL_GET, 2, CALL, *u32(original)]
    code += [LOCAL_GET, 0, LOCAL_GET, 1, CALL, *u32(freed), DROP, END]
    return vector([]) + bytes(code)


def _alloc(original: int, places: Places) -> bytes:
    """The code of `gc_alloc(n_bytes, flags) -> pointer`, which calls `original` with
    the walk started where the last allocation of the same size went (of the largest
    of SIZES, for larger objects: no room for that size means none for them either)."""
    seen, area_of, place_of = places.seen, places.area, places.place
    smallest, largest = SIZES[0], SIZES[-1]

    def by_size(body: Callable[[int], list[int]]) -> list[int]:
        """`body(size)` for this call's size (the largest of SIZES for any larger),
        chosen by one jump: a block per size, the jump leaving the one of its size,
        whose code follows it, then jumps past the rest."""
        count = len(SIZES)
        out = [BLOCK, EMPTY_BLOCK] * (count + 1)
        out += [LOCAL_GET, N, I32_CONST, *s32(smallest), I32_SUB]
        out += [BR_TABLE, *u32(count), *[x for depth in range(count) for x in u32(depth)]]
        out += u32(count - 1)  # (larger sizes)
        for depth, n in enumerate(SIZES):
            out += [END, *body(n), BR, *u32(count - 1 - depth)]
        return out + [END]

    code = [
        # fewer blocks allocated than when last seen: a collection ran, forget every
        # place (looked at on every call: the first after a collection may be of one block)
        I32_CONST, *s32(ALLOCATED), I32_LOAD, 2, 0, GLOBAL_GET, *seen, I32_LT_U,
        IF, EMPTY_BLOCK,
        *[x for n in SIZES for x in (I32_CONST, 0, GLOBAL_SET, *area_of(n))],
        I32_CONST, *s32(ALLOCATED), I32_LOAD, 2, 0, GLOBAL_SET, *seen,
        END,
        # n = (n_bytes + 15) >> 4; a single block goes straight through (its walk
        # starts after the last single block anyway)
        LOCAL_GET, BYTES, I32_CONST, 15, I32_ADD, I32_CONST, 4, I32_SHR_U, LOCAL_TEE, N,
        I32_CONST, 2, I32_LT_U,
        IF, EMPTY_BLOCK,
        LOCAL_GET, BYTES, LOCAL_GET, FLAGS, CALL, *u32(original), RETURN,
        END,
        *by_size(lambda n: [GLOBAL_GET, *area_of(n), LOCAL_SET, AREA,
                            GLOBAL_GET, *place_of(n), LOCAL_SET, AT]),
        # the place is used if its area is the one the walk starts from, or a later one
        I32_CONST, *s32(START_AREA), I32_LOAD, 2, 0, LOCAL_TEE, SAVED_AREA, LOCAL_SET, WALK,
        BLOCK, EMPTY_BLOCK,
        BLOCK, EMPTY_BLOCK,
        LOCAL_GET, AREA, I32_EQZ, BR_IF, 0,
        LOOP, EMPTY_BLOCK,
        LOCAL_GET, WALK, I32_EQZ, BR_IF, 1,
        LOCAL_GET, WALK, LOCAL_GET, AREA, I32_EQ, BR_IF, 2,
        LOCAL_GET, WALK, I32_LOAD, 2, NEXT, LOCAL_SET, WALK,
        BR, 0,
        END,
        END,
        I32_CONST, 0, LOCAL_SET, AREA,  # (not used)
        END,
        # the walk starts there (or where it would anyway, if that is further on)
        LOCAL_GET, AREA,
        IF, EMPTY_BLOCK,
        LOCAL_GET, AREA, I32_LOAD, 2, WALK_START, LOCAL_SET, SAVED_AT,
        LOCAL_GET, AT, LOCAL_GET, SAVED_AT, I32_GT_U,
        IF, EMPTY_BLOCK,
        LOCAL_GET, AREA, LOCAL_GET, AT, I32_STORE, 2, WALK_START,
        END,
        I32_CONST, *s32(START_AREA), LOCAL_GET, AREA, I32_STORE, 2, 0,
        END,
        LOCAL_GET, BYTES, LOCAL_GET, FLAGS, CALL, *u32(original), LOCAL_SET, FOUND,
        # put back what was changed (gc_alloc changes neither for more than one block)
        LOCAL_GET, AREA,
        IF, EMPTY_BLOCK,
        LOCAL_GET, AREA, LOCAL_GET, SAVED_AT, I32_STORE, 2, WALK_START,
        I32_CONST, *s32(START_AREA), LOCAL_GET, SAVED_AREA, I32_STORE, 2, 0,
        END,
        # record where it went, for its size: the area holding it, the place after it
        LOCAL_GET, FOUND, I32_CONST, 0, I32_NE,
        LOCAL_GET, N, I32_CONST, *s32(largest), I32_LE_U, I32_AND,
        IF, EMPTY_BLOCK,
        LOCAL_GET, SAVED_AREA, LOCAL_SET, WALK,
        *_area_holding(FOUND, WALK),
        LOCAL_GET, WALK,
        IF, EMPTY_BLOCK,
        LOCAL_GET, FOUND, LOCAL_GET, WALK, I32_LOAD, 2, POOL_START, I32_SUB,
        I32_CONST, 4, I32_SHR_U, LOCAL_GET, N, I32_ADD, I32_CONST, 2, I32_SHR_U, LOCAL_SET, AT,
        *by_size(lambda n: [LOCAL_GET, WALK, GLOBAL_SET, *area_of(n),
                            LOCAL_GET, AT, GLOBAL_SET, *place_of(n)]),
        END,
        END,
        I32_CONST, *s32(ALLOCATED), I32_LOAD, 2, 0, GLOBAL_SET, *seen,
        LOCAL_GET, FOUND, END,
    ]  # fmt: skip
    locals_ = vector([u32(WALK - N + 1) + bytes([I32])])
    return locals_ + bytes(code)
