"""aggregate.memory: the heap over the run, for the memory-analysis
file: totals counted as the tool counts them (Memcheck's "total heap
usage" rules, live and peak bytes as DHAT's t-gmax), each site's and
each thread's live and peak figures, the bounded memory timeline and the
blocks kept with their details.

It owns the live-block tables' changes (ALLOC, FREE, REALLOC, RESIZE,
INVALID_FREE) and tells the other categories, through the run's
notices, when a block ends and when a free is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from .. import logreader as R
from .run import BlockDetail, Category, Run, Site, occupied

# At most this many blocks are kept with all their details (for the JSON
# block lists); beyond it, blocks are only aggregated.
BLOCK_DETAIL_LIMIT = 100_000
# The memory timeline has at most this many buckets: when time runs past
# them, neighbouring buckets merge and the bucket width doubles.
TIMELINE_BUCKETS = 1024


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


class Memory(Category):

    def __init__(self, run: Run) -> None:
        self.run = run
        self.heap = HeapTotals()
        self.blocks: List[BlockDetail] = []
        self.blocks_complete = True
        self.tl = Timeline()
        self.bucket = 0              # index of the bucket being filled
        self.bucket_live_max = 0
        self.bucket_allocs = 0
        self.bucket_alloc_bytes = 0
        self.bucket_frees = 0
        self.bucket_thread_allocs: Dict[int, int] = {}
        # Live bytes reached a peak that the sites' shares have not been
        # taken of yet.
        self.peak_pending = False

    def handlers(self) -> dict:
        # ALLOC and FREE come first in the pass's own loop (the hot path).
        return {R.Realloc: self.on_realloc, R.Resize: self.on_resize,
                R.InvalidFree: self.on_invalid_free}

    # -- the timeline --------------------------------------------------------

    def advance(self, t: int) -> None:
        """Closes the buckets before the one holding time t."""
        tl = self.tl
        idx = t // tl.width
        while idx > self.bucket:
            self.close_bucket()
            if len(tl.live_end) >= TIMELINE_BUCKETS:
                self.halve()
                idx = t // tl.width

    def close_bucket(self) -> None:
        tl = self.tl
        live = self.heap.live_bytes
        tl.live_max.append(max(self.bucket_live_max, live))
        tl.live_end.append(live)
        tl.allocs.append(self.bucket_allocs)
        tl.alloc_bytes.append(self.bucket_alloc_bytes)
        tl.frees.append(self.bucket_frees)
        tl.wall_ms_end.append(self.run.wall_ms)
        n = len(tl.live_end)
        for tid, info in self.run.threads.items():
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

    # -- live and peak -------------------------------------------------------

    def note_growth(self, t: int) -> None:
        heap = self.heap
        if heap.live_bytes >= heap.peak_bytes:
            heap.peak_bytes = heap.live_bytes
            heap.peak_blocks = heap.live_blocks
            heap.peak_time = t
            heap.peak_wall_ms = self.run.wall_ms
            self.peak_pending = True
        if heap.live_bytes > self.bucket_live_max:
            self.bucket_live_max = heap.live_bytes

    def leave_peak(self) -> None:
        """Live bytes are about to drop from the peak: remember each site's
        share of it (as DHAT does, only when leaving a peak)."""
        if self.peak_pending and self.heap.live_bytes == self.heap.peak_bytes:
            for s in self.run.sites.values():
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
        info = self.run.thread(b.thread)
        info.live_blocks += 1
        info.live_bytes += occ
        if info.live_bytes > info.peak_live_bytes:
            info.peak_live_bytes = info.live_bytes
        self.heap.live_blocks += 1
        self.heap.live_bytes += occ
        self.run.live[b.addr] = b

    def drop_block(self, b: BlockDetail, site: Site,
                   leaves_peak: bool = True) -> None:
        occ = occupied(b.size)
        if leaves_peak:
            self.leave_peak()
        site.live_blocks -= 1
        site.live_bytes -= occ
        info = self.run.thread(b.thread)
        info.live_blocks -= 1
        info.live_bytes -= occ
        self.heap.live_blocks -= 1
        self.heap.live_bytes -= occ

    def keep_detail(self, b: BlockDetail) -> None:
        if len(self.blocks) < BLOCK_DETAIL_LIMIT:
            self.blocks.append(b)
        else:
            self.blocks_complete = False

    def end_block(self, b: BlockDetail, t: int, thread: int,
                  stack: R.Stack, free) -> Site:
        """A block ends at time t: the other categories are told, then
        the block records its end."""
        run = self.run
        site = run.sites[b.stack_id]
        for notice in run.block_ended:
            notice(b, site, t, thread, stack, free)
        b.free_time = t
        b.free_wall_ms = run.wall_ms
        b.free_thread = thread
        b.free_stack_id = stack.id
        return site

    # -- the records ---------------------------------------------------------

    def on_alloc(self, ev: R.Alloc, t: int) -> None:
        # The hot path: add_block, thread() and site() inline.
        run = self.run
        heap = self.heap
        size = ev.size
        tid = ev.thread
        occ = size if size else 1
        heap.allocs += 1
        heap.bytes_allocated += size
        site = run.sites.get(ev.stack.id)
        if site is None:
            site = run.site(ev.stack)
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
        info = run.threads.get(tid) or run.thread(tid)
        info.allocs += 1
        info.bytes_allocated += size
        info.live_blocks += 1
        info.live_bytes += occ
        if info.live_bytes > info.peak_live_bytes:
            info.peak_live_bytes = info.live_bytes
        heap.live_blocks += 1
        heap.live_bytes += occ
        (run.live_chunks if ev.kind == "pool" else run.live)[ev.addr] = \
            BlockDetail(ev.addr, size, ev.kind, tid, ev.stack.id, t,
                        run.wall_ms)
        if heap.live_bytes >= heap.peak_bytes:
            self.note_growth(t)
        elif heap.live_bytes > self.bucket_live_max:
            self.bucket_live_max = heap.live_bytes
        run.last_alloc_addr = ev.addr
        self.bucket_allocs += 1
        self.bucket_alloc_bytes += size
        bta = self.bucket_thread_allocs
        bta[tid] = bta.get(tid, 0) + 1

    def on_free(self, ev: R.Free, t: int) -> None:
        # The hot path: drop_block and thread() inline.
        run = self.run
        heap = self.heap
        tid = ev.thread
        info = run.threads.get(tid) or run.thread(tid)
        # A pool chunk's end is not a free (Memcheck does not count it).
        if ev.kind != "pool":
            heap.frees += 1
            info.frees += 1
            self.bucket_frees += 1
        b = (run.live_chunks if ev.kind == "pool" else run.live).pop(
            ev.addr, None)
        if b is None:              # only in a damaged log
            return
        site = self.end_block(b, t, tid, ev.stack, ev)
        size = b.size
        occ = size if size else 1
        site.frees += 1
        site.freed_bytes += size
        run.last_alloc_addr = None
        if self.peak_pending:
            self.leave_peak()
        site.live_blocks -= 1
        site.live_bytes -= occ
        owner = info if b.thread == tid else run.thread(b.thread)
        owner.live_blocks -= 1
        owner.live_bytes -= occ
        heap.live_blocks -= 1
        heap.live_bytes -= occ
        if len(self.blocks) < BLOCK_DETAIL_LIMIT:
            self.blocks.append(b)
        else:
            self.blocks_complete = False

    def on_realloc(self, ev: R.Realloc, t: int) -> None:
        run = self.run
        heap = self.heap
        heap.allocs += 1
        heap.frees += 1
        heap.reallocs += 1
        heap.bytes_allocated += ev.size
        info = run.thread(ev.thread)
        info.allocs += 1
        info.frees += 1
        info.bytes_allocated += ev.size
        self.bucket_allocs += 1
        self.bucket_alloc_bytes += ev.size
        self.bucket_frees += 1
        old = run.live.get(ev.old_addr)
        if old is None:
            if ev.new_addr:        # only in a damaged log
                return
            for notice in run.free_refused:
                notice(ev)
            return
        if not ev.new_addr:        # failed: the old block stays
            return
        # The old block ends here; the new one starts here, at the
        # realloc's site, as Memcheck and heaptrack count a realloc (DHAT
        # keeps the first site).
        del run.live[ev.old_addr]
        site_old = self.end_block(old, t, ev.thread, ev.stack, None)
        site_old.frees += 1
        site_old.freed_bytes += old.size
        # Only a shrinking realloc can leave a peak.
        self.drop_block(old, site_old,
                        leaves_peak=occupied(ev.size) < occupied(old.size))
        self.keep_detail(old)
        site = run.site(ev.stack)
        site.allocs += 1
        site.reallocs += 1
        site.bytes += ev.size
        site.threads[ev.thread] = site.threads.get(ev.thread, 0) + 1
        new = BlockDetail(ev.new_addr, ev.size, old.kind, ev.thread,
                          ev.stack.id, t, run.wall_ms,
                          name=old.name, type_name=old.type_name)
        self.add_block(new, site)
        self.note_growth(t)
        run.last_alloc_addr = ev.new_addr

    def on_resize(self, ev: R.Resize, t: int) -> None:
        run = self.run
        b = run.live.get(ev.addr)
        if b is None:
            return
        delta = occupied(ev.new_size) - occupied(b.size)
        if delta < 0:
            self.leave_peak()
        run.sites[b.stack_id].live_bytes += delta
        run.thread(b.thread).live_bytes += delta
        self.heap.live_bytes += delta
        b.size = ev.new_size
        if delta > 0:
            self.note_growth(t)

    def on_invalid_free(self, ev: R.InvalidFree, t: int) -> None:
        self.heap.frees += 1
        self.heap.invalid_frees += 1
        self.run.thread(ev.thread).frees += 1
        for notice in self.run.free_refused:
            notice(ev)

    def finish(self) -> None:
        run = self.run
        if self.heap.live_bytes == self.heap.peak_bytes:
            self.peak_pending = True
            self.leave_peak()
        self.close_bucket()
        for b in list(run.live.values()) + list(run.live_chunks.values()):
            self.keep_detail(b)

    def result(self) -> dict:
        return dict(heap=self.heap, blocks=self.blocks,
                    blocks_complete=self.blocks_complete, timeline=self.tl)
