"""aggregate: one pass over a log's records into everything the outputs
need: the run's totals (counted as the tool counts them: Memcheck's "total
heap usage" rules, live and peak bytes as DHAT's t-gmax), threads, sites,
a bounded memory timeline, lifetimes, names, blocks, boundary crossings,
synchronisation, shared objects, race, lock-order and lockset hints
with their objects and locks named, and the heap scans (every scan's
totals; for the exit scan, each block's leak class and pointers, and the
graph analysis of heapgraph.py).

Pure: takes records (from logreader), opens nothing, and its memory is
bounded by the program's live blocks, its call stacks, its threads and
the fixed limits below, never by the number of events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from . import heapgraph
from . import logformat as F
from . import logreader as R

# At most this many blocks are kept with all their details (for the JSON
# block lists); beyond it, blocks are only aggregated.
BLOCK_DETAIL_LIMIT = 100_000
# The memory timeline has at most this many buckets: when time runs past
# them, neighbouring buckets merge and the bucket width doubles.
TIMELINE_BUCKETS = 1024
# Lifetime histogram: bucket k holds lifetimes in [2^(k-1), 2^k)
# instructions (bucket 0: zero).
LIFETIME_HISTOGRAM_BUCKETS = 48

# The schedule (run slices and waits) keeps at most this many of each.
SCHEDULE_LIMIT = 20_000
# Race, lock-order and lockset hints kept with their details, of each
# kind (the tool writes one per pair of code sites, pair of locks or
# object, but a large program can have many); all are counted.
HINT_LIMIT = 10_000
# Heap scans: every scan is counted and the first SCAN_LIMIT listed; one
# scan (the exit scan, see on_scan) is kept with its blocks, their
# pointers and the named roots, up to these limits.
SCAN_LIMIT = 10_000
SCAN_BLOCK_LIMIT = BLOCK_DETAIL_LIMIT
SCAN_REF_LIMIT = 1_000_000
SCAN_ROOT_LIMIT = 100_000

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


def occupied(size: int) -> int:
    """Bytes a block counts for in live and peak figures (DHAT's rule: a
    zero-byte block occupies one)."""
    return size if size else 1


@dataclass(slots=True)
class HeapTotals:
    allocs: int = 0
    frees: int = 0
    bytes_allocated: int = 0
    live_blocks: int = 0
    live_bytes: int = 0
    peak_bytes: int = 0
    peak_blocks: int = 0
    peak_time: int = 0
    peak_wall_ms: int = 0
    invalid_frees: int = 0
    reallocs: int = 0


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


@dataclass(slots=True)
class LockThread:
    acquisitions: int = 0
    contended: int = 0
    failed_tries: int = 0
    wait_instrs: int = 0
    hold_instrs: int = 0


@dataclass(slots=True)
class SyncInfo:
    """A synchronisation object and what was done with it."""
    addr: int
    kind: str
    name: str
    subtype: int
    stack: R.Stack                # where it was first seen
    ops: Dict[str, int] = field(default_factory=dict)
    acquisitions: int = 0         # locks: successful lock calls
    reads: int = 0                # rwlocks: read acquisitions
    writes: int = 0
    contended: int = 0
    failed_tries: int = 0
    wait_instrs: int = 0
    hold_instrs: int = 0
    cond_reacquisitions: int = 0  # mutexes: returns from condition waits
    max_holders: int = 0
    unlock_not_held: int = 0
    destroyed_while_held: int = 0
    exit_holding: int = 0
    threads: Dict[int, LockThread] = field(default_factory=dict)
    holding: Dict[int, List[int]] = field(default_factory=dict)  # thread:
    # [depth, since]

    def per_thread(self, tid: int) -> LockThread:
        t = self.threads.get(tid)
        if t is None:
            t = self.threads[tid] = LockThread()
        return t


ACQUIRE_OPS = frozenset({
    "mutex_lock", "mutex_trylock", "mutex_timedlock", "rwlock_rdlock",
    "rwlock_wrlock", "rwlock_tryrdlock", "rwlock_trywrlock",
    "rwlock_timedrdlock", "rwlock_timedwrlock", "spin_lock",
    "spin_trylock"})
TRY_OPS = frozenset({"mutex_trylock", "rwlock_tryrdlock", "rwlock_trywrlock",
                     "spin_trylock"})
READ_OPS = frozenset({"rwlock_rdlock", "rwlock_tryrdlock",
                      "rwlock_timedrdlock"})
RELEASE_OPS = frozenset({"mutex_unlock", "rwlock_unlock", "spin_unlock"})
COND_WAIT_OPS = frozenset({"cond_wait", "cond_timedwait"})
# Calls that can block: their span is time the thread waited.
BLOCKING_OPS = (ACQUIRE_OPS - TRY_OPS) | COND_WAIT_OPS | frozenset({
    "sem_wait", "sem_timedwait", "barrier_wait", "join", "once"})
LOCK_KINDS = frozenset({"mutex", "rwlock", "spinlock"})


ATOMIC_FIELDS = ("rmw", "cas_ok", "cas_failed", "ll", "sc_ok", "sc_failed")


@dataclass(slots=True)
class AtomicTarget:
    """Atomic operations on one variable, block or unnamed address: the
    object's start, name and kind, and counts per thread."""
    addr: int
    name: str
    kind: str                     # variable, block, unnamed
    type_name: str = ""
    threads: Dict[int, List[int]] = field(default_factory=dict)
    sites: Dict[int, R.Stack] = field(default_factory=dict)


@dataclass(slots=True)
class AtomicSite:
    stack: R.Stack
    threads: Dict[int, List[int]] = field(default_factory=dict)
    fences: Dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class SharedObject:
    """A tracked object (heap block or named variable) and the threads
    that accessed it, from its ACCESS records."""
    addr: int
    size: int
    kind: str                     # heap, variable
    name: str
    type_name: str
    state: str                    # exclusive, shared-read, shared-modified
    common_locks: Tuple[int, ...]
    threads: Dict[int, R.Access] = field(default_factory=dict)


@dataclass(slots=True)
class LockRef:
    addr: int
    name: str                     # SYNC_OBJECT's or the program's; "" if none


@dataclass(slots=True)
class HintObject:
    """The tracked object a race or lockset hint is about, as it was when
    the hint was written."""
    kind: str                     # heap, variable (ACCESS.kind)
    start: int
    size: int
    name: str                     # NAME record or debug info; "" if none
    type_name: str
    alloc_stack_id: int           # heap blocks: the ALLOC's stack; else 0
    shared_index: Optional[int] = None   # its entry in Analysis.shared,
    # set when the object's ACCESS records come


@dataclass(slots=True)
class RaceSide:
    """One access of a race hint."""
    thread: int
    kind: str                     # read, write, free
    size: int
    atomic: bool
    stack_id: int
    locks: Optional[Tuple[LockRef, ...]]   # held; None: unknown
    thread_name: str = ""         # the thread's last name, set at the end


@dataclass(slots=True)
class RaceHint:
    id: int                       # 1, 2, ... in log order
    time: int
    addr: int
    object: HintObject
    access: RaceSide              # the later access, which found the race
    other: RaceSide

    @property
    def offset(self) -> int:
        """Where addr is inside the object."""
        return self.addr - self.object.start


@dataclass(slots=True)
class LockOrderHint:
    """`thread` acquired `lock` at stack_id while holding `held` (taken
    at held_stack_id); earlier first_stack_id acquired `lock`, then
    second_stack_id acquired `held`."""
    id: int
    time: int
    thread: int
    lock: LockRef
    held: LockRef
    stack_id: int
    held_stack_id: int
    first_stack_id: int
    second_stack_id: int
    thread_name: str = ""


@dataclass(slots=True)
class LocksetHint:
    id: int
    time: int
    thread: int
    object: HintObject
    stack_id: int                 # the access that emptied the lockset
    thread_name: str = ""


@dataclass(slots=True)
class ScanBlock:
    """One live block of a scan (a BLOCK_REFS record)."""
    addr: int
    leak_class: str               # logformat.LEAK_CLASSES
    block: Optional[BlockDetail]  # the live block there (None only in a
    # damaged log)
    refs: Tuple[R.Ref, ...]

    @property
    def size(self) -> int:
        return self.block.size if self.block is not None else 0

    @property
    def name(self) -> str:
        return self.block.name if self.block is not None else ""

    @property
    def stack_id(self) -> int:
        return self.block.stack_id if self.block is not None else 0


@dataclass(slots=True)
class ScanDetail:
    """The heap as one scan saw it: its blocks by address (in log order)
    and its named roots, with what the limits left out."""
    blocks: Dict[int, ScanBlock] = field(default_factory=dict)
    roots: List[R.RootRefs] = field(default_factory=list)
    refs: int = 0                 # pointers kept (for the limit)
    complete: bool = True         # every block, pointer and root kept
    graph: Optional[heapgraph.HeapGraph] = None   # set at the end


@dataclass(slots=True)
class ScanInfo:
    """One heap scan: when, why, what it covered and its leak totals."""
    index: int                    # 1, 2, ... in log order
    time: int
    thread: int
    stack_id: int
    reason: str                   # logformat.SCAN_REASONS
    blocks: int
    bytes: int
    totals: Optional[R.ScanEnd] = None   # None: the log ends inside it
    detail: Optional[ScanDetail] = None  # the exit scan's only


@dataclass(slots=True)
class Timeline:
    """Live bytes over time in equal buckets of `width` instructions.
    Per bucket: the highest live bytes reached in it, live bytes at its end
    (in total and per allocating thread), allocations and bytes."""
    width: int = 1
    live_max: List[int] = field(default_factory=list)
    live_end: List[int] = field(default_factory=list)
    allocs: List[int] = field(default_factory=list)
    alloc_bytes: List[int] = field(default_factory=list)
    frees: List[int] = field(default_factory=list)
    thread_live_end: Dict[int, List[int]] = field(default_factory=dict)
    thread_allocs: Dict[int, List[int]] = field(default_factory=dict)
    wall_ms_end: List[int] = field(default_factory=list)


@dataclass(slots=True)
class Analysis:
    heap: HeapTotals
    threads: Dict[int, ThreadInfo]
    sites: Dict[int, Site]
    names: List[R.Name]
    warnings: List[R.Warning]
    blocks: List[BlockDetail]
    blocks_complete: bool          # every block is in `blocks`
    live: Dict[int, BlockDetail]   # live at the end of the log
    timeline: Timeline
    lifetime_histogram: List[int]  # instructions, log2 buckets
    cross_thread: Dict[Tuple[int, int], int]   # (alloc, free) threads
    crossings: Dict[Tuple[str, str], list]     # (allocating object,
    # freeing object) -> [blocks, bytes, {alloc stack: n}, {free stack: n}]
    mismatched_frees: List[Tuple[BlockDetail, R.Free]]
    invalid_frees: List[R.Record]
    sync: Dict[int, SyncInfo]      # by address
    # By object: a heap block's key is (start, allocation time), since
    # the allocator recycles addresses; a variable's or an unnamed
    # address's is the address.
    atomic_targets: Dict[object, AtomicTarget]
    atomic_sites: Dict[int, AtomicSite]       # by stack id
    shared: List[SharedObject]     # named objects, and shared blocks
    usage_handoffs: Dict[Tuple[int, int], List[int]]  # (allocator, main
    # user) -> [blocks, bytes]: blocks mostly accessed by another thread
    exclusive_blocks: int          # unnamed heap blocks one thread used
    cross_thread_bytes: Dict[Tuple[int, int], int]
    cross_thread_sites: Dict[Tuple[int, int], Dict[int, int]]
    slices: List[Tuple[int, int, int]]         # thread, start, end
    waits: List[Tuple[int, int, int, str, int]]  # thread, start, end, op,
    # object
    schedule_complete: bool
    race_hints: List[RaceHint]     # the first HINT_LIMIT of each kind
    lock_orders: List[LockOrderHint]
    lockset_hints: List[LocksetHint]
    race_hint_count: int           # all of them
    lock_order_count: int
    lockset_hint_count: int
    scans: List[ScanInfo]          # the first SCAN_LIMIT, in log order
    scan_count: int                # all of them
    exit_scan: Optional[ScanInfo]  # the last scan at exit, else the last
    # scan; with its detail
    events: int                    # event records read
    end_time: int
    wall_ms: int
    end: Optional[R.End]


class _Aggregator:
    """The pass itself; `feed` takes records in order."""

    def __init__(self) -> None:
        self.heap = HeapTotals()
        self.threads: Dict[int, ThreadInfo] = {}
        self.sites: Dict[int, Site] = {}
        self.live: Dict[int, BlockDetail] = {}
        # Chunks of memory pools (ALLOC kind "pool"): they lie inside
        # blocks of self.live, often at the very address of the pool's
        # arena, so they have a table of their own.
        self.live_chunks: Dict[int, BlockDetail] = {}
        self.names: List[R.Name] = []
        self.warnings: List[R.Warning] = []
        self.blocks: List[BlockDetail] = []
        self.blocks_complete = True
        self.tl = Timeline()
        self.bucket = 0              # index of the bucket being filled
        self.bucket_live_max = 0
        self.bucket_allocs = 0
        self.bucket_alloc_bytes = 0
        self.bucket_frees = 0
        self.bucket_thread_allocs: Dict[int, int] = {}
        self.histogram = [0] * LIFETIME_HISTOGRAM_BUCKETS
        self.cross_thread: Dict[Tuple[int, int], int] = {}
        self.owner_objects: Dict[int, str] = {}
        self.crossings: Dict[Tuple[str, str], list] = {}
        self.cross_thread_bytes: Dict[Tuple[int, int], int] = {}
        self.cross_thread_sites: Dict[Tuple[int, int], Dict[int, int]] = {}
        self.slices: List[Tuple[int, int, int]] = []
        self.waits: List[Tuple[int, int, int, str, int]] = []
        self.schedule_complete = True
        self.mismatched: List[Tuple[BlockDetail, R.Free]] = []
        self.invalid: List[R.Record] = []
        self.sync: Dict[int, SyncInfo] = {}
        self.atomic_targets: Dict[object, AtomicTarget] = {}
        self.shared: List[SharedObject] = []
        self.global_names: Dict[int, str] = {}
        # The latest name of each non-heap object, by its start: ACCESS
        # and ATOMIC summaries come at exit, one per object, and must not
        # search the whole list of names each.
        self.var_names: Dict[int, R.Name] = {}
        self.exclusive_blocks = 0
        self.access_open: Optional[SharedObject] = None
        self.access_open_owner = 0        # allocating thread of the block
        self.usage_handoffs: Dict[Tuple[int, int], List[int]] = {}
        self.access_open_time = -1
        self.access_open_block: Optional[BlockDetail] = None
        self.access_open_index: Optional[int] = None   # in self.shared
        self.atomic_sites: Dict[int, AtomicSite] = {}
        self.race_hints: List[RaceHint] = []
        self.lock_orders: List[LockOrderHint] = []
        self.lockset_hints: List[LocksetHint] = []
        self.hint_counts = [0, 0, 0]      # race, lock order, lockset
        # Hint objects waiting for their object's ACCESS records (which
        # come when the object ends), by (kind, start).
        self.hints_pending: Dict[Tuple[str, int],
                                 List[Tuple[HintObject,
                                            Optional[BlockDetail]]]] = {}
        self.scans: List[ScanInfo] = []
        self.scan_count = 0
        self.exit_scan: Optional[ScanInfo] = None
        self.scan_open: Optional[ScanInfo] = None
        self.running: Optional[int] = None
        self.slice_start = 0
        self.time = 0
        self.wall_ms = 0
        self.events = 0
        self.last_alloc_addr: Optional[int] = None
        self.end: Optional[R.End] = None

    # -- helpers ------------------------------------------------------------

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

    def advance(self, t: int) -> None:
        """Closes the buckets before the one holding time t."""
        tl = self.tl
        idx = t // tl.width
        while idx > self.bucket:
            self.close_bucket()
            if len(tl.live_end) >= TIMELINE_BUCKETS:
                self.halve()
                idx = t // tl.width
        return None

    def close_bucket(self) -> None:
        tl = self.tl
        live = self.heap.live_bytes
        tl.live_max.append(max(self.bucket_live_max, live))
        tl.live_end.append(live)
        tl.allocs.append(self.bucket_allocs)
        tl.alloc_bytes.append(self.bucket_alloc_bytes)
        tl.frees.append(self.bucket_frees)
        tl.wall_ms_end.append(self.wall_ms)
        n = len(tl.live_end)
        for tid, info in self.threads.items():
            series = tl.thread_live_end.get(tid)
            if series is None:
                series = tl.thread_live_end[tid] = [0] * (n - 1)
                tl.thread_allocs[tid] = [0] * (n - 1)
            series.append(info.live_bytes)
            tl.thread_allocs[tid].append(self.bucket_thread_allocs.get(tid, 0))
        self.bucket += 1
        self.bucket_live_max = live
        self.bucket_allocs = self.bucket_alloc_bytes = self.bucket_frees = 0
        self.bucket_thread_allocs = {}

    def halve(self) -> None:
        """Merges neighbouring buckets: half as many, twice as wide."""
        tl = self.tl

        def pairs(values, combine):
            return [combine(values[i], values[i + 1]) if i + 1 < len(values)
                    else values[i] for i in range(0, len(values), 2)]

        def last(a, b):
            return b

        tl.live_max = pairs(tl.live_max, max)
        tl.live_end = pairs(tl.live_end, last)
        tl.allocs = pairs(tl.allocs, int.__add__)
        tl.alloc_bytes = pairs(tl.alloc_bytes, int.__add__)
        tl.frees = pairs(tl.frees, int.__add__)
        tl.wall_ms_end = pairs(tl.wall_ms_end, last)
        for tid in tl.thread_live_end:
            tl.thread_live_end[tid] = pairs(tl.thread_live_end[tid], last)
            tl.thread_allocs[tid] = pairs(tl.thread_allocs[tid], int.__add__)
        tl.width *= 2
        self.bucket = len(tl.live_end)

    def note_growth(self, t: int) -> None:
        heap = self.heap
        if heap.live_bytes >= heap.peak_bytes:
            heap.peak_bytes = heap.live_bytes
            heap.peak_blocks = heap.live_blocks
            heap.peak_time = t
            heap.peak_wall_ms = self.wall_ms
            self.peak_pending = True
        if heap.live_bytes > self.bucket_live_max:
            self.bucket_live_max = heap.live_bytes

    def leave_peak(self) -> None:
        """Live bytes are about to drop from the peak: remember each site's
        share of it (as DHAT does, only when leaving a peak)."""
        if self.peak_pending and self.heap.live_bytes == self.heap.peak_bytes:
            for s in self.sites.values():
                s.peak_blocks = s.live_blocks
                s.peak_bytes = s.live_bytes
        self.peak_pending = False

    def add_block(self, b: BlockDetail, site: Site) -> None:
        occ = occupied(b.size)
        site.live_blocks += 1
        site.live_bytes += occ
        if site.live_bytes > site.max_live_bytes:
            site.max_live_bytes = site.live_bytes
        if site.live_blocks > site.max_live_blocks:
            site.max_live_blocks = site.live_blocks
        info = self.thread(b.thread)
        info.live_blocks += 1
        info.live_bytes += occ
        if info.live_bytes > info.peak_live_bytes:
            info.peak_live_bytes = info.live_bytes
        self.heap.live_blocks += 1
        self.heap.live_bytes += occ
        self.live[b.addr] = b

    def drop_block(self, b: BlockDetail, site: Site,
                   leaves_peak: bool = True) -> None:
        occ = occupied(b.size)
        if leaves_peak:
            self.leave_peak()
        site.live_blocks -= 1
        site.live_bytes -= occ
        info = self.thread(b.thread)
        info.live_blocks -= 1
        info.live_bytes -= occ
        self.heap.live_blocks -= 1
        self.heap.live_bytes -= occ

    def keep_detail(self, b: BlockDetail) -> None:
        if len(self.blocks) < BLOCK_DETAIL_LIMIT:
            self.blocks.append(b)
        else:
            self.blocks_complete = False

    # -- the pass -----------------------------------------------------------

    peak_pending = False

    def feed(self, records: Iterable[R.Record]) -> None:
        Alloc, Free, Realloc = R.Alloc, R.Free, R.Realloc
        BlockRefs = R.BlockRefs
        definitions = (R.StringDef, R.FrameDef, R.StackDef)
        scan_parts = (R.RootRefs, R.ScanEnd)
        on_alloc, on_free = self.on_alloc, self.on_free
        tl = self.tl
        events = 0
        t = self.time
        try:
            for ev in records:
                cls = type(ev)
                if cls is Alloc:
                    t = ev.time
                    if t // tl.width > self.bucket:
                        self.advance(t)
                    on_alloc(ev, t)
                elif cls is Free:
                    t = ev.time
                    if t // tl.width > self.bucket:
                        self.advance(t)
                    on_free(ev, t)
                elif cls in definitions:
                    continue
                elif cls is BlockRefs:
                    # One per live block at a scan: its time is the
                    # scan's, which the clock has already passed.
                    self.on_block_refs(ev)
                elif cls in scan_parts:
                    self.on_scan_part(ev)
                else:
                    t = ev.time
                    if t // tl.width > self.bucket:
                        self.advance(t)
                    if cls is Realloc:
                        self.on_realloc(ev, t)
                    else:
                        self.on_other(ev, cls, t)
                events += 1
        finally:
            self.events += events
            self.time = t

    def on_alloc(self, ev: R.Alloc, t: int) -> None:
        # The hot path: add_block, thread() and site() inline.
        heap = self.heap
        size = ev.size
        tid = ev.thread
        occ = size if size else 1
        heap.allocs += 1
        heap.bytes_allocated += size
        site = self.sites.get(ev.stack.id)
        if site is None:
            site = self.site(ev.stack)
        site.allocs += 1
        site.bytes += size
        threads = site.threads
        threads[tid] = threads.get(tid, 0) + 1
        site.live_blocks += 1
        site.live_bytes += occ
        if site.live_bytes > site.max_live_bytes:
            site.max_live_bytes = site.live_bytes
        if site.live_blocks > site.max_live_blocks:
            site.max_live_blocks = site.live_blocks
        info = self.threads.get(tid) or self.thread(tid)
        info.allocs += 1
        info.bytes_allocated += size
        info.live_blocks += 1
        info.live_bytes += occ
        if info.live_bytes > info.peak_live_bytes:
            info.peak_live_bytes = info.live_bytes
        heap.live_blocks += 1
        heap.live_bytes += occ
        (self.live_chunks if ev.kind == "pool" else self.live)[ev.addr] = \
            BlockDetail(ev.addr, size, ev.kind, tid, ev.stack.id, t,
                        self.wall_ms)
        if heap.live_bytes >= heap.peak_bytes:
            self.note_growth(t)
        elif heap.live_bytes > self.bucket_live_max:
            self.bucket_live_max = heap.live_bytes
        self.last_alloc_addr = ev.addr
        self.bucket_allocs += 1
        self.bucket_alloc_bytes += size
        bta = self.bucket_thread_allocs
        bta[tid] = bta.get(tid, 0) + 1

    def retire(self, b: BlockDetail, t: int, thread: int,
               stack: R.Stack) -> Site:
        """Lifetime accounting for a block that ends at time t."""
        site = self.sites[b.stack_id]
        life = t - b.alloc_time
        site.lifetime_sum += life
        site.lifetime_ms_sum += self.wall_ms - b.alloc_wall_ms
        if life > site.lifetime_max:
            site.lifetime_max = life
        self.histogram[min(life.bit_length(),
                           LIFETIME_HISTOGRAM_BUCKETS - 1)] += 1
        if thread != b.thread:
            site.cross_thread_frees += 1
            key = (b.thread, thread)
            self.cross_thread[key] = self.cross_thread.get(key, 0) + 1
            self.cross_thread_bytes[key] = \
                self.cross_thread_bytes.get(key, 0) + b.size
            per_site = self.cross_thread_sites.setdefault(key, {})
            per_site[b.stack_id] = per_site.get(b.stack_id, 0) + 1
        owners = self.owner_objects
        made_in = owners.get(b.stack_id)
        if made_in is None:
            made_in = owners[b.stack_id] = owner_object(site.stack)
        freed_in = owners.get(stack.id)
        if freed_in is None:
            freed_in = owners[stack.id] = owner_object(stack)
        if made_in != freed_in and made_in and freed_in:
            key2 = (made_in, freed_in)
            entry = self.crossings.get(key2)
            if entry is None:
                entry = self.crossings[key2] = [0, 0, {}, {}]
            entry[0] += 1
            entry[1] += b.size
            entry[2][b.stack_id] = entry[2].get(b.stack_id, 0) + 1
            entry[3][stack.id] = entry[3].get(stack.id, 0) + 1
        b.free_time = t
        b.free_wall_ms = self.wall_ms
        b.free_thread = thread
        b.free_stack_id = stack.id
        return site

    def on_free(self, ev: R.Free, t: int) -> None:
        # The hot path: drop_block and thread() inline.
        heap = self.heap
        tid = ev.thread
        info = self.threads.get(tid) or self.thread(tid)
        # A pool chunk's end is not a free (Memcheck does not count it).
        if ev.kind != "pool":
            heap.frees += 1
            info.frees += 1
            self.bucket_frees += 1
        b = (self.live_chunks if ev.kind == "pool" else self.live).pop(
            ev.addr, None)
        if b is None:              # only in a damaged log
            return
        site = self.retire(b, t, tid, ev.stack)
        size = b.size
        occ = size if size else 1
        site.frees += 1
        site.freed_bytes += size
        if self.last_alloc_addr == ev.addr:
            site.temporary += 1
        self.last_alloc_addr = None
        if self.peak_pending:
            self.leave_peak()
        site.live_blocks -= 1
        site.live_bytes -= occ
        owner = info if b.thread == tid else self.thread(b.thread)
        owner.live_blocks -= 1
        owner.live_bytes -= occ
        heap.live_blocks -= 1
        heap.live_bytes -= occ
        if ALLOC_FAMILY.get(b.kind) != FREE_FAMILY.get(ev.kind):
            self.mismatched.append((b, ev))
        if len(self.blocks) < BLOCK_DETAIL_LIMIT:
            self.blocks.append(b)
        else:
            self.blocks_complete = False

    def on_realloc(self, ev: R.Realloc, t: int) -> None:
        heap = self.heap
        heap.allocs += 1
        heap.frees += 1
        heap.reallocs += 1
        heap.bytes_allocated += ev.size
        info = self.thread(ev.thread)
        info.allocs += 1
        info.frees += 1
        info.bytes_allocated += ev.size
        self.bucket_allocs += 1
        self.bucket_alloc_bytes += ev.size
        self.bucket_frees += 1
        old = self.live.get(ev.old_addr)
        if old is None:
            if ev.new_addr:        # only in a damaged log
                return
            self.invalid.append(ev)
            return
        if not ev.new_addr:        # failed: the old block stays
            return
        # The old block ends here; the new one starts here, at the
        # realloc's site, as Memcheck and heaptrack count a realloc (DHAT
        # keeps the first site).
        del self.live[ev.old_addr]
        site_old = self.retire(old, t, ev.thread, ev.stack)
        site_old.frees += 1
        site_old.freed_bytes += old.size
        # Only a shrinking realloc can leave a peak.
        self.drop_block(old, site_old,
                        leaves_peak=occupied(ev.size) < occupied(old.size))
        self.keep_detail(old)
        site = self.site(ev.stack)
        site.allocs += 1
        site.reallocs += 1
        site.bytes += ev.size
        site.threads[ev.thread] = site.threads.get(ev.thread, 0) + 1
        new = BlockDetail(ev.new_addr, ev.size, old.kind, ev.thread,
                          ev.stack.id, t, self.wall_ms,
                          name=old.name, type_name=old.type_name)
        self.add_block(new, site)
        self.note_growth(t)
        self.last_alloc_addr = ev.new_addr

    def on_other(self, ev: R.Record, cls: type, t: int) -> None:
        if cls is R.Switch:
            if self.running is not None and self.running in self.threads:
                self.threads[self.running].instrs += t - self.slice_start
                self.note_slice(self.running, self.slice_start, t)
            self.running, self.slice_start = ev.thread, t
            self.thread(ev.thread).run_slices += 1
        elif cls is R.TimeMark:
            self.wall_ms = ev.wall_ms
        elif cls is R.ThreadCreate:
            self.threads[ev.thread] = ThreadInfo(ev.thread, ev.parent, t,
                                                 ev.stack)
        elif cls is R.ThreadExit:
            self.thread(ev.thread).exited = t
        elif cls is R.ThreadName:
            self.thread(ev.thread).name = ev.name
        elif cls is R.Name and ev.is_debuginfo:
            self.global_names[ev.addr] = ev.name
        elif cls is R.Name:
            self.names.append(ev)
            if not ev.is_heap:
                self.var_names[ev.addr] = ev
            if ev.is_heap:
                b = self.live.get(ev.addr)
                if b is not None:
                    b.name, b.type_name = ev.name, ev.type_name
                    if ev.type_name:
                        tn = self.sites[b.stack_id].type_names
                        tn[ev.type_name] = tn.get(ev.type_name, 0) + 1
        elif cls is R.InvalidFree:
            self.heap.frees += 1
            self.heap.invalid_frees += 1
            self.thread(ev.thread).frees += 1
            self.invalid.append(ev)
        elif cls is R.Sync:
            self.on_sync(ev, t)
        elif cls is R.Atomic:
            self.on_atomic(ev)
        elif cls is R.Access:
            self.on_access(ev)
        elif cls is R.Resize:
            b = self.live.get(ev.addr)
            if b is not None:
                heap = self.heap
                delta = occupied(ev.new_size) - occupied(b.size)
                if delta < 0:
                    self.leave_peak()
                site = self.sites[b.stack_id]
                site.live_bytes += delta
                owner = self.thread(b.thread)
                owner.live_bytes += delta
                heap.live_bytes += delta
                b.size = ev.new_size
                if delta > 0:
                    self.note_growth(t)
        elif cls is R.Race:
            self.on_race(ev)
        elif cls is R.LockOrder:
            self.on_lock_order(ev)
        elif cls is R.Lockset:
            self.on_lockset(ev)
        elif cls is R.Scan:
            self.on_scan(ev)
        elif cls is R.Fence:
            self.thread(ev.thread).fences += ev.count
            site = self.atomic_sites.get(ev.stack.id)
            if site is None:
                site = self.atomic_sites[ev.stack.id] = AtomicSite(ev.stack)
            site.fences[ev.thread] = site.fences.get(ev.thread, 0) + ev.count
        elif cls is R.SyncObject:
            known = self.sync.get(ev.addr)
            if known is None or known.kind != ev.kind:
                # A lock at a heap block's start takes the block's name now:
                # a later block at a recycled address is another object.
                name = ev.name
                b = self.live.get(ev.addr)
                if not name and b is not None:
                    name = b.name
                self.sync[ev.addr] = SyncInfo(ev.addr, ev.kind, name,
                                              ev.subtype, ev.stack)
            elif ev.subtype:
                known.subtype = ev.subtype
        elif cls is R.Warning:
            self.warnings.append(ev)
        elif cls is R.End:
            self.end = ev
            self.wall_ms = ev.wall_ms

    def on_sync(self, ev: R.Sync, t: int) -> None:
        if ev.flags & F.SYNC_FLAG_BEGIN:
            self.on_wait_begins(ev)
            return
        info = self.thread(ev.thread)
        op = ev.op
        info.sync_calls += 1
        if op in BLOCKING_OPS:
            info.blocked_instrs += ev.span
            if ev.span:
                if len(self.waits) < SCHEDULE_LIMIT:
                    self.waits.append((ev.thread, t - ev.span, t, op,
                                       ev.addr))
                else:
                    self.schedule_complete = False
        obj = self.sync.get(ev.addr) if ev.addr else None
        if obj is None:
            return
        obj.ops[op] = obj.ops.get(op, 0) + 1
        tid = ev.thread
        if op in ACQUIRE_OPS:
            per = obj.per_thread(tid)
            if ev.contended:
                obj.contended += 1
                per.contended += 1
            if ev.result != 0:
                if op in TRY_OPS:
                    obj.failed_tries += 1
                    per.failed_tries += 1
                return
            obj.acquisitions += 1
            per.acquisitions += 1
            if op not in TRY_OPS:
                obj.wait_instrs += ev.span
                per.wait_instrs += ev.span
            if op in READ_OPS:
                obj.reads += 1
            elif obj.kind == "rwlock":
                obj.writes += 1
            self.hold(obj, tid, t)
        elif op in RELEASE_OPS:
            if ev.flags & F.SYNC_FLAG_NOT_HELD:
                obj.unlock_not_held += 1
                return
            obj.hold_instrs += ev.span
            obj.per_thread(tid).hold_instrs += ev.span
            self.unhold(obj, tid)
        elif op in COND_WAIT_OPS:
            # The wait returns holding its mutex again.
            obj.wait_instrs += ev.span
            mutex = self.sync.get(ev.arg)
            if mutex is not None:
                mutex.cond_reacquisitions += 1
                self.hold(mutex, tid, t)
        elif op == "exit_holding":
            obj.exit_holding += 1
            obj.hold_instrs += ev.span
            obj.holding.pop(tid, None)
        elif op.endswith("_destroy"):
            if ev.flags & F.SYNC_FLAG_HELD:
                obj.destroyed_while_held += 1
        elif op in ("sem_wait", "sem_timedwait", "barrier_wait"):
            obj.wait_instrs += ev.span

    def on_access(self, ev: R.Access) -> None:
        """ACCESS records of one object come together, one per thread and
        all at one time: they are gathered into one SharedObject (a later
        object at the same address comes at another time)."""
        obj = self.access_open
        if obj is None or obj.addr != ev.addr or ev.thread in obj.threads \
                or obj.kind != ev.kind or self.access_open_time != ev.time:
            self.close_access_group()
            name = type_name = ""
            self.access_open_owner = 0
            b = None
            if ev.kind == "heap":
                b = self.live.get(ev.addr)
                if b is not None:
                    name, type_name = b.name, b.type_name
                    self.access_open_owner = b.thread
            else:
                name, type_name = self.variable_name(ev.addr)
            obj = SharedObject(ev.addr, ev.size, ev.kind, name, type_name,
                               ev.state, ev.common_locks)
            self.access_open = obj
            self.access_open_time = ev.time
            self.access_open_block = b
            self.access_open_index = None
            if ev.kind == "variable" or name or ev.state != "exclusive":
                self.access_open_index = len(self.shared)
                self.shared.append(obj)
            else:
                self.exclusive_blocks += 1
            # The hints about this object (for a block: this very block,
            # not an earlier one at the same address) point to its row.
            for hint_object, block in self.hints_pending.pop(
                    (ev.kind, ev.addr), ()):
                if block is b:
                    hint_object.shared_index = self.access_open_index
        obj.threads[ev.thread] = ev

    def variable_name(self, addr: int) -> Tuple[str, str]:
        """(name, type name) of the variable starting at addr: the
        program's latest NAME for it, else debug info's."""
        n = self.var_names.get(addr)
        if n is not None:
            return n.name, n.type_name
        return self.global_names.get(addr, ""), ""

    def hint_object(self, kind: str, start: int, size: int) -> HintObject:
        """The object of a hint, named now (a heap block: the live block
        at start, named or not; a variable: its name)."""
        b = None
        if kind == "heap":
            b = self.live.get(start)
            obj = HintObject(kind, start, size, "", "", 0) if b is None \
                else HintObject(kind, start, size, b.name, b.type_name,
                                b.stack_id)
        else:
            name, type_name = self.variable_name(start)
            obj = HintObject(kind, start, size, name, type_name, 0)
        if b is not None and b is self.access_open_block:
            # The block's ACCESS records came already: the race of its
            # free, found after them.
            obj.shared_index = self.access_open_index
        else:
            self.hints_pending.setdefault((kind, start), []).append((obj, b))
        return obj

    def lock_ref(self, addr: int) -> LockRef:
        """A lock by address, named as SYNC_OBJECT named it, else as the
        program or debug info named the variable."""
        obj = self.sync.get(addr)
        if obj is not None and obj.name:
            return LockRef(addr, obj.name)
        return LockRef(addr, self.variable_name(addr)[0])

    def race_side(self, side: R.RaceAccess) -> RaceSide:
        locks = None if side.locks is None else \
            tuple(self.lock_ref(a) for a in side.locks)
        return RaceSide(side.thread, side.kind, side.size, side.atomic,
                        side.stack.id, locks)

    def hint_id(self, kind: int, kept: list) -> Optional[int]:
        """Counts a hint of a kind (0 race, 1 lock order, 2 lockset);
        its id (1, 2, ...) when it is to be kept, else None."""
        self.hint_counts[kind] += 1
        return self.hint_counts[kind] if len(kept) < HINT_LIMIT else None

    def on_race(self, ev: R.Race) -> None:
        hid = self.hint_id(0, self.race_hints)
        if hid is not None:
            self.race_hints.append(RaceHint(
                hid, ev.time, ev.addr,
                self.hint_object(ev.object_kind, ev.object_addr,
                                 ev.object_size),
                self.race_side(ev.access), self.race_side(ev.other)))

    def on_lock_order(self, ev: R.LockOrder) -> None:
        hid = self.hint_id(1, self.lock_orders)
        if hid is not None:
            self.lock_orders.append(LockOrderHint(
                hid, ev.time, ev.thread, self.lock_ref(ev.lock),
                self.lock_ref(ev.held), ev.stack.id, ev.held_stack.id,
                ev.first_stack.id, ev.second_stack.id))

    def on_lockset(self, ev: R.Lockset) -> None:
        hid = self.hint_id(2, self.lockset_hints)
        if hid is not None:
            self.lockset_hints.append(LocksetHint(
                hid, ev.time, ev.thread,
                self.hint_object(ev.object_kind, ev.object_addr,
                                 ev.object_size), ev.stack.id))

    def on_scan(self, ev: R.Scan) -> None:
        """A scan begins.  Only the exit scan is kept in detail: the last
        scan at exit, else (no scan at exit) the last scan.  So a new scan
        takes over the detail unless the one kept is an exit scan and the
        new one is not; memory stays bounded by one scan."""
        self.scan_count += 1
        info = ScanInfo(self.scan_count, ev.time, ev.thread, ev.stack.id,
                        ev.reason, ev.blocks, ev.bytes)
        if len(self.scans) < SCAN_LIMIT:
            self.scans.append(info)
        kept = self.exit_scan
        if kept is None or ev.reason == "exit" or kept.reason != "exit":
            if kept is not None:
                kept.detail = None
            info.detail = ScanDetail()
            self.exit_scan = info
        self.scan_open = info

    def on_block_refs(self, ev: R.BlockRefs) -> None:
        scan = self.scan_open
        detail = scan.detail if scan is not None else None
        if detail is None:
            return
        if len(detail.blocks) >= SCAN_BLOCK_LIMIT or \
                detail.refs + len(ev.refs) > SCAN_REF_LIMIT:
            detail.complete = False
            return
        detail.refs += len(ev.refs)
        # A scan leaves a pool's arena out and lists its chunks: at an
        # address both have, the chunk is meant.
        detail.blocks[ev.addr] = ScanBlock(
            ev.addr, ev.leak_class,
            self.live_chunks.get(ev.addr) or self.live.get(ev.addr), ev.refs)

    def on_scan_part(self, ev) -> None:
        """ROOT_REFS and SCAN_END."""
        scan = self.scan_open
        if scan is None:              # the reader lets none through
            return
        if type(ev) is R.ScanEnd:
            scan.totals = ev
            self.scan_open = None
            return
        detail = scan.detail
        if detail is None:
            return
        if len(detail.roots) < SCAN_ROOT_LIMIT:
            detail.roots.append(ev)
        else:
            detail.complete = False

    def name_hint_threads(self) -> None:
        """Threads are named by their last name, as everywhere else."""
        def name(tid: int) -> str:
            info = self.threads.get(tid)
            return info.name if info is not None else ""
        for race in self.race_hints:
            race.access.thread_name = name(race.access.thread)
            race.other.thread_name = name(race.other.thread)
        for hint in (*self.lock_orders, *self.lockset_hints):
            hint.thread_name = name(hint.thread)

    def close_access_group(self) -> None:
        """A heap block accessed most by a thread other than the one that
        allocated it is a hand-off (the producer-consumer signature, even
        when the allocating thread frees it); a tie with the allocating
        thread is not."""
        obj = self.access_open
        owner = self.access_open_owner
        if obj is None or obj.kind != "heap" or owner == 0:
            return
        use = {tid: r.reads + r.writes + r.atomic
               for tid, r in obj.threads.items()}
        total = sum(use.values())
        if total == 0:
            return
        user = max(sorted(use), key=lambda tid: use[tid])
        if user != owner and use[user] > use.get(owner, 0):
            entry = self.usage_handoffs.setdefault((owner, user), [0, 0])
            entry[0] += 1
            entry[1] += obj.size

    def atomic_target(self, ev: R.Atomic) -> AtomicTarget:
        """The variable or block an atomic address belongs to: a live
        heap block (named or not), a variable named through memscope.h,
        else the address itself."""
        if ev.block:
            # Written just before the block's FREE: the live block at that
            # address is the one (an earlier block there is another).
            b = self.live.get(ev.block)
            key = (ev.block, b.alloc_time if b is not None else None)
            target = self.atomic_targets.get(key)
            if target is None:
                name = b.name if b is not None else ""
                target = self.atomic_targets[key] = AtomicTarget(
                    ev.block, name, "block",
                    b.type_name if b is not None else "")
            return target
        # The variable starting there, else one that covers the address
        # (a field of a named struct, an element of a named array).
        exact = self.var_names.get(ev.addr)
        candidates = [exact] if exact is not None else reversed(self.names)
        for n in candidates:
            if not n.is_heap and n.addr <= ev.addr < n.addr + max(n.size, 1):
                target = self.atomic_targets.get(n.addr)
                if target is None:
                    target = self.atomic_targets[n.addr] = AtomicTarget(
                        n.addr, n.name, "variable", n.type_name)
                return target
        target = self.atomic_targets.get(ev.addr)
        if target is None:
            target = self.atomic_targets[ev.addr] = AtomicTarget(
                ev.addr, "", "unnamed")
        return target

    def on_atomic(self, ev: R.Atomic) -> None:
        counts = (ev.rmw, ev.cas_ok, ev.cas_failed, ev.ll, ev.sc_ok,
                  ev.sc_failed)
        self.thread(ev.thread).atomic_operations += sum(counts)
        target = self.atomic_target(ev)
        target.sites[ev.stack.id] = ev.stack
        site = self.atomic_sites.get(ev.stack.id)
        if site is None:
            site = self.atomic_sites[ev.stack.id] = AtomicSite(ev.stack)
        for table in (target.threads, site.threads):
            row = table.get(ev.thread)
            if row is None:
                row = table[ev.thread] = [0] * len(ATOMIC_FIELDS)
            for i, n in enumerate(counts):
                row[i] += n

    def note_slice(self, thread: int, start: int, end: int) -> None:
        if end <= start:
            return
        if len(self.slices) < SCHEDULE_LIMIT:
            self.slices.append((thread, start, end))
        else:
            self.schedule_complete = False

    def on_wait_begins(self, ev: R.Sync) -> None:
        """A condition wait began: its mutex (arg) is free until the wait
        returns; span is how long this thread held it."""
        mutex = self.sync.get(ev.arg)
        if mutex is None or ev.flags & F.SYNC_FLAG_NOT_HELD:
            return
        mutex.hold_instrs += ev.span
        mutex.per_thread(ev.thread).hold_instrs += ev.span
        self.unhold(mutex, ev.thread)

    @staticmethod
    def hold(obj: SyncInfo, tid: int, t: int) -> None:
        held = obj.holding.get(tid)
        if held is None:
            obj.holding[tid] = [1, t]
            if len(obj.holding) > obj.max_holders:
                obj.max_holders = len(obj.holding)
        else:
            held[0] += 1

    @staticmethod
    def unhold(obj: SyncInfo, tid: int) -> None:
        held = obj.holding.get(tid)
        if held is not None:
            held[0] -= 1
            if held[0] <= 0:
                del obj.holding[tid]

    def finish(self) -> Analysis:
        self.close_access_group()
        self.access_open = None
        self.name_hint_threads()
        if self.running is not None and self.running in self.threads:
            self.threads[self.running].instrs += self.time - self.slice_start
            self.note_slice(self.running, self.slice_start, self.time)
        if self.heap.live_bytes == self.heap.peak_bytes:
            self.peak_pending = True
            self.leave_peak()
        self.close_bucket()
        for b in list(self.live.values()) + list(self.live_chunks.values()):
            self.keep_detail(b)
        scan = self.exit_scan
        if scan is not None and scan.detail is not None:
            scan.detail.graph = heapgraph.analyse(scan.detail)
        return Analysis(self.heap, self.threads, self.sites, self.names,
                        self.warnings, self.blocks, self.blocks_complete,
                        self.live, self.tl, self.histogram,
                        self.cross_thread, self.crossings, self.mismatched,
                        self.invalid,
                        self.sync, self.atomic_targets, self.atomic_sites,
                        self.shared, self.usage_handoffs,
                        self.exclusive_blocks,
                        self.cross_thread_bytes, self.cross_thread_sites,
                        self.slices, self.waits, self.schedule_complete,
                        self.race_hints, self.lock_orders,
                        self.lockset_hints, *self.hint_counts,
                        self.scans, self.scan_count, self.exit_scan,
                        self.events, self.time, self.wall_ms, self.end)


def analyse(records: Iterable[R.Record]) -> Analysis:
    """The whole pass: records in log order in, the Analysis out."""
    agg = _Aggregator()
    agg.feed(records)
    return agg.finish()
