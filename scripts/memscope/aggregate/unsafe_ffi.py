"""aggregate.unsafe_ffi: memory that crosses a boundary or is released
wrongly, for the unsafe/FFI file: blocks allocated in one object file
(executable or shared library) and freed in another, frees of the wrong
family (malloc/delete, new[]/delete, ...), and frees of no block."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from .. import logreader as R
from .run import BlockDetail, Category, Run, Site

# Allocation families: a block must be released by its family's function.
ALLOC_FAMILY = {"malloc": 0, "calloc": 0, "memalign": 0, "new": 1,
                "new[]": 2, "new(align)": 3, "new[](align)": 4, "custom": 5,
                "pool": 6}
FREE_FAMILY = {"free": 0, "delete": 1, "delete[]": 2, "delete(align)": 3,
               "delete[](align)": 4, "custom": 5, "pool": 6}


def owner_object(stack: R.Stack) -> str:
    """The object file (executable or shared library) whose code made a
    call: the innermost frame outside Valgrind's preload libraries."""
    for f in stack.frames:
        if "vgpreload_" not in f.object:
            return f.object
    return ""


class UnsafeFfi(Category):

    def __init__(self, run: Run) -> None:
        self.owner_objects: Dict[int, str] = {}    # by stack id
        # (allocating object, freeing object) -> [blocks, bytes,
        # {alloc stack: n}, {free stack: n}]
        self.crossings: Dict[Tuple[str, str], list] = {}
        self.mismatched: List[Tuple[BlockDetail, R.Free]] = []
        self.invalid: List[R.Record] = []
        run.block_ended.append(self.block_ended)
        run.free_refused.append(self.invalid.append)

    def owner(self, stack: R.Stack) -> str:
        made_in = self.owner_objects.get(stack.id)
        if made_in is None:
            made_in = self.owner_objects[stack.id] = owner_object(stack)
        return made_in

    def block_ended(self, b: BlockDetail, site: Site, t: int, thread: int,
                    stack: R.Stack, free: Optional[R.Free]) -> None:
        made_in, freed_in = self.owner(site.stack), self.owner(stack)
        if made_in != freed_in and made_in and freed_in:
            key = (made_in, freed_in)
            entry = self.crossings.get(key)
            if entry is None:
                entry = self.crossings[key] = [0, 0, {}, {}]
            entry[0] += 1
            entry[1] += b.size
            entry[2][b.stack_id] = entry[2].get(b.stack_id, 0) + 1
            entry[3][stack.id] = entry[3].get(stack.id, 0) + 1
        if free is not None and \
                ALLOC_FAMILY.get(b.kind) != FREE_FAMILY.get(free.kind):
            self.mismatched.append((b, free))

    def result(self) -> dict:
        return dict(crossings=self.crossings,
                    mismatched_frees=self.mismatched,
                    invalid_frees=self.invalid)
