"""aggregate.run: what every category of the pass shares and none owns
alone: the run's clock (instructions and wall-clock ms), its threads,
the allocation sites, the blocks live now, the warnings and the END
record, and the two notices the heap sends when a block ends or a free
is refused.

Each category fills its own columns of the shared rows (ThreadInfo,
Site, BlockDetail) and keeps the rest of what it counts to itself; the
rows are defined here so that no category imports another to read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from .. import logreader as R


def occupied(size: int) -> int:
    """Bytes a block counts for in live and peak figures (DHAT's rule: a
    zero-byte block occupies one)."""
    return size if size else 1


@dataclass(slots=True)
class ThreadInfo:
    thread: int
    parent: int
    created: int                 # time (instructions)
    create_stack: R.Stack
    name: str = ""
    exited: Optional[int] = None
    allocs: int = 0              # malloc-like calls and reallocs by it
    bytes_allocated: int = 0
    frees: int = 0
    live_blocks: int = 0         # blocks it allocated that are live
    live_bytes: int = 0
    peak_live_bytes: int = 0
    run_slices: int = 0          # times it was switched in
    instrs: int = 0              # instructions run during its slices
    sync_calls: int = 0          # completed synchronisation calls
    blocked_instrs: int = 0      # spent in calls that can block
    atomic_operations: int = 0   # RMW, CAS, LL, SC instructions
    fences: int = 0


@dataclass(slots=True)
class Site:
    """An allocation site: one call stack, DHAT's program point."""
    stack: R.Stack
    allocs: int = 0
    bytes: int = 0
    frees: int = 0
    freed_bytes: int = 0
    live_blocks: int = 0
    live_bytes: int = 0
    max_live_blocks: int = 0
    max_live_bytes: int = 0
    peak_blocks: int = 0         # at the global peak (t-gmax)
    peak_bytes: int = 0
    lifetime_sum: int = 0        # over freed blocks, instructions
    lifetime_max: int = 0
    lifetime_ms_sum: int = 0
    temporary: int = 0           # freed before any other allocation
    cross_thread_frees: int = 0
    reallocs: int = 0
    threads: Dict[int, int] = field(default_factory=dict)  # thread: allocs
    type_names: Dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class BlockDetail:
    addr: int
    size: int
    kind: str
    thread: int
    stack_id: int
    alloc_time: int
    alloc_wall_ms: int
    free_time: Optional[int] = None
    free_wall_ms: Optional[int] = None
    free_thread: Optional[int] = None
    free_stack_id: Optional[int] = None
    name: str = ""
    type_name: str = ""


# A block ended: (the block, its site, time, ending thread, ending stack,
# the FREE record, or None when a realloc moved the block).
BlockEnded = Callable[[BlockDetail, Site, int, int, R.Stack,
                       Optional[R.Free]], None]
# A free or realloc of no live block (INVALID_FREE, or a REALLOC of an
# address that is not a block).
FreeRefused = Callable[[R.Record], None]


class Category:
    """What the pass asks of each category: the records it handles, each
    with a handler called as handler(record, time); records that carry
    no time of their own (a scan's parts); the work left at the end of
    the log; and its fields of the Analysis."""

    def handlers(self) -> Dict[type, Callable]:
        return {}

    def untimed_handlers(self) -> Dict[type, Callable]:
        return {}

    def finish(self) -> None:
        pass

    def result(self) -> dict:
        raise NotImplementedError


class Run(Category):
    """The shared state, and the records about the run itself (threads,
    time marks, warnings, the end)."""

    def __init__(self) -> None:
        self.time = 0                 # of the latest timed record
        self.wall_ms = 0              # of the latest TIME record
        self.events = 0               # event records read
        self.threads: Dict[int, ThreadInfo] = {}
        self.sites: Dict[int, Site] = {}
        self.live: Dict[int, BlockDetail] = {}
        # Chunks of memory pools (ALLOC kind "pool"): they lie inside
        # blocks of `live`, often at the very address of the pool's
        # arena, so they have a table of their own.
        self.live_chunks: Dict[int, BlockDetail] = {}
        # The latest allocation's address, until a free or another
        # allocation (what makes a block "temporary").
        self.last_alloc_addr: Optional[int] = None
        self.warnings: List[R.Warning] = []
        self.end: Optional[R.End] = None
        self.block_ended: List[BlockEnded] = []
        self.free_refused: List[FreeRefused] = []

    def thread(self, tid: int) -> ThreadInfo:
        info = self.threads.get(tid)
        if info is None:   # only in a damaged log: keep counting anyway
            info = self.threads[tid] = ThreadInfo(tid, 0, 0, R.NO_STACK)
        return info

    def site(self, stack: R.Stack) -> Site:
        s = self.sites.get(stack.id)
        if s is None:
            s = self.sites[stack.id] = Site(stack)
        return s

    def handlers(self) -> dict:
        return {R.ThreadCreate: self.on_thread_create,
                R.ThreadExit: self.on_thread_exit,
                R.ThreadName: self.on_thread_name,
                R.TimeMark: self.on_time_mark,
                R.Warning: self.on_warning,
                R.End: self.on_end}

    def on_thread_create(self, ev: R.ThreadCreate, t: int) -> None:
        self.threads[ev.thread] = ThreadInfo(ev.thread, ev.parent, t,
                                             ev.stack)

    def on_thread_exit(self, ev: R.ThreadExit, t: int) -> None:
        self.thread(ev.thread).exited = t

    def on_thread_name(self, ev: R.ThreadName, t: int) -> None:
        self.thread(ev.thread).name = ev.name

    def on_time_mark(self, ev: R.TimeMark, t: int) -> None:
        self.wall_ms = ev.wall_ms

    def on_warning(self, ev: R.Warning, t: int) -> None:
        self.warnings.append(ev)

    def on_end(self, ev: R.End, t: int) -> None:
        self.end = ev
        self.wall_ms = ev.wall_ms

    def thread_name(self, tid: int) -> str:
        """A thread's last name, as everywhere else ("" if none)."""
        info = self.threads.get(tid)
        return info.name if info is not None else ""

    def result(self) -> dict:
        return dict(threads=self.threads, sites=self.sites,
                    warnings=self.warnings, live=self.live,
                    events=self.events, end_time=self.time,
                    wall_ms=self.wall_ms, end=self.end)
