"""aggregate: one pass over a log's records into everything the outputs
need, made of one module per category of the report:

  run              the clock, threads, sites, live blocks (shared rows)
  memory           heap totals, live and peak, the timeline, block lists
  lifetime         lifetimes per site, temporary blocks, the histogram
  unsafe_ffi       blocks crossing object files, bad and mismatched frees
  complex_types    names and type names (and the names others ask for)
  performance      run slices, blocked time, the schedule
  synchronisation  locks and other synchronisation objects
  atomics          atomic instructions and fences
  sharing          objects' threads, cross-thread frees, hand-offs
  hints            race, lock-order and lockset hints
  scans            heap scans and the exit scan's graph

Each category says which records it handles; analyse() builds them,
reads the records once, hands each record to the categories that handle
it, and gathers their results into one Analysis.  A category learns
what another knows only through the objects it is given here (never by
importing this module), and about ended blocks and refused frees through
the run's notices.

Pure: takes records (from logreader), opens nothing, and its memory is
bounded by the program's live blocks, its call stacks, its threads and
the categories' fixed limits, never by the number of events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from .. import logreader as R
from .atomics import AtomicSite, AtomicTarget, Atomics
from .complex_types import ComplexTypes
from .hints import Hints, LockOrderHint, LocksetHint, RaceHint
from .lifetime import Lifetime
from .memory import HeapTotals, Memory, Timeline
from .performance import Performance
from .run import BlockDetail, Run, Site, ThreadInfo
from .scans import ScanInfo, Scans
from .sharing import SharedObject, Sharing
from .synchronisation import SyncInfo, Synchronisation
from .unsafe_ffi import UnsafeFfi


@dataclass(slots=True)
class Analysis:
    # run
    threads: Dict[int, ThreadInfo]
    sites: Dict[int, Site]
    warnings: List[R.Warning]
    live: Dict[int, BlockDetail]   # live at the end of the log
    events: int                    # event records read
    end_time: int
    wall_ms: int
    end: Optional[R.End]
    # memory
    heap: HeapTotals
    blocks: List[BlockDetail]
    blocks_complete: bool          # every block is in `blocks`
    timeline: Timeline
    # lifetime
    lifetime_histogram: List[int]  # instructions, log2 buckets
    # unsafe_ffi
    crossings: Dict[Tuple[str, str], list]     # (allocating object,
    # freeing object) -> [blocks, bytes, {alloc stack: n}, {free stack: n}]
    mismatched_frees: List[Tuple[BlockDetail, R.Free]]
    invalid_frees: List[R.Record]
    # complex_types
    names: List[R.Name]
    # performance
    slices: List[Tuple[int, int, int]]         # thread, start, end
    waits: List[Tuple[int, int, int, str, int]]  # thread, start, end, op,
    # object
    schedule_complete: bool
    # synchronisation
    sync: Dict[int, SyncInfo]      # by address
    # atomics: by object (a heap block's key is (start, allocation time),
    # since the allocator recycles addresses; a variable's or an unnamed
    # address's is the address), and by stack id
    atomic_targets: Dict[object, AtomicTarget]
    atomic_sites: Dict[int, AtomicSite]
    # sharing
    shared: List[SharedObject]     # named objects, and shared blocks
    usage_handoffs: Dict[Tuple[int, int], List[int]]  # (allocator, main
    # user) -> [blocks, bytes]: blocks mostly accessed by another thread
    exclusive_blocks: int          # unnamed heap blocks one thread used
    cross_thread: Dict[Tuple[int, int], int]   # (alloc, free) threads
    cross_thread_bytes: Dict[Tuple[int, int], int]
    cross_thread_sites: Dict[Tuple[int, int], Dict[int, int]]
    # hints
    race_hints: List[RaceHint]     # the first HINT_LIMIT of each kind
    lock_orders: List[LockOrderHint]
    lockset_hints: List[LocksetHint]
    race_hint_count: int           # all of them
    lock_order_count: int
    lockset_hint_count: int
    # scans
    scans: List[ScanInfo]          # the first SCAN_LIMIT, in log order
    scan_count: int                # all of them
    exit_scan: Optional[ScanInfo]  # the last scan at exit, else the last
    # scan; with its detail


class _Pass:
    """The categories, wired, and the loop over the records."""

    def __init__(self) -> None:
        run = self.run = Run()
        self.memory = Memory(run)
        names = ComplexTypes(run)
        sync = Synchronisation(run, names)
        sharing = Sharing(run, names)
        # The order of a list is the order in which categories see a
        # record that several of them handle, and finish.
        self.categories = (run, self.memory, Lifetime(run), UnsafeFfi(run),
                           names, Performance(run), sync, Atomics(run, names),
                           sharing, Hints(run, names, sync, sharing),
                           Scans(run))
        self.timed: Dict[type, Tuple] = {}
        self.untimed: Dict[type, Tuple] = {}
        for category in self.categories:
            for table, handlers in ((self.timed, category.handlers()),
                                    (self.untimed,
                                     category.untimed_handlers())):
                for cls, handler in handlers.items():
                    table[cls] = table.get(cls, ()) + (handler,)

    def feed(self, records: Iterable[R.Record]) -> None:
        Alloc, Free = R.Alloc, R.Free
        definitions = (R.StringDef, R.FrameDef, R.StackDef)
        memory = self.memory
        on_alloc, on_free, advance = memory.on_alloc, memory.on_free, \
            memory.advance
        tl = memory.tl
        timed, untimed = self.timed, self.untimed
        events = 0
        t = self.run.time
        try:
            for ev in records:
                cls = type(ev)
                if cls is Alloc:
                    t = ev.time
                    if t // tl.width > memory.bucket:
                        advance(t)
                    on_alloc(ev, t)
                elif cls is Free:
                    t = ev.time
                    if t // tl.width > memory.bucket:
                        advance(t)
                    on_free(ev, t)
                elif cls in definitions:
                    continue
                elif cls in untimed:
                    for handler in untimed[cls]:
                        handler(ev, t)
                else:
                    t = ev.time
                    if t // tl.width > memory.bucket:
                        advance(t)
                    for handler in timed.get(cls, ()):
                        handler(ev, t)
                events += 1
        finally:
            self.run.events += events
            self.run.time = t

    def finish(self) -> Analysis:
        fields = {}
        for category in self.categories:
            category.finish()
        for category in self.categories:
            fields.update(category.result())
        return Analysis(**fields)


def analyse(records: Iterable[R.Record]) -> Analysis:
    """The whole pass: records in log order in, the Analysis out."""
    one_pass = _Pass()
    one_pass.feed(records)
    return one_pass.finish()
