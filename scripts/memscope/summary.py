"""summary: one pass over a log's events into the run's totals, threads and
names, counted as the tool counts them (Memcheck's "total heap usage"
semantics; live and peak bytes as DHAT's t-gmax, where a zero-byte block
occupies one byte).  Pure: takes records, opens
nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from . import logreader as R


def occupied(size: int) -> int:
    """Bytes a block counts for in live and peak figures (DHAT's rule)."""
    return size if size else 1


@dataclass
class HeapTotals:
    allocs: int = 0
    frees: int = 0
    bytes_allocated: int = 0
    live_blocks: int = 0
    live_bytes: int = 0
    peak_bytes: int = 0
    peak_blocks: int = 0
    peak_time: int = 0
    invalid_frees: int = 0


@dataclass
class ThreadInfo:
    thread: int
    parent: int
    created: int               # time
    create_stack: R.Stack
    name: str = ""
    exited: Optional[int] = None
    allocs: int = 0            # malloc-like calls and reallocs by it
    bytes_allocated: int = 0
    frees: int = 0
    run_slices: int = 0        # times it was switched in
    instrs: int = 0            # instructions it ran (from its run slices)


@dataclass
class Summary:
    heap: HeapTotals
    threads: Dict[int, ThreadInfo]
    names: List[R.Name]
    warnings: List[R.Warning]
    end_time: int
    wall_ms: int
    end: Optional[R.End]
    live: Dict[int, R.Alloc] = field(default_factory=dict)


def summarize(events: Iterable[R.Record]) -> Summary:
    heap = HeapTotals()
    threads: Dict[int, ThreadInfo] = {}
    live: Dict[int, R.Alloc] = {}
    names: List[R.Name] = []
    warnings: List[R.Warning] = []
    running: Optional[int] = None
    slice_start = 0
    time = 0
    wall_ms = 0
    end: Optional[R.End] = None

    def grew(t: int) -> None:
        if heap.live_bytes >= heap.peak_bytes:
            heap.peak_bytes = heap.live_bytes
            heap.peak_blocks = heap.live_blocks
            heap.peak_time = t

    def thread(tid: int) -> ThreadInfo:
        info = threads.get(tid)
        if info is None:   # only in a damaged log: keep counting anyway
            info = threads[tid] = ThreadInfo(tid, 0, 0, R.NO_STACK)
        return info

    for ev in events:
        t = getattr(ev, "time", None)
        if t is None:
            continue            # a definition
        time = t
        cls = type(ev)
        if cls is R.Alloc:
            heap.allocs += 1
            heap.bytes_allocated += ev.size
            heap.live_blocks += 1
            heap.live_bytes += occupied(ev.size)
            live[ev.addr] = ev
            info = thread(ev.thread)
            info.allocs += 1
            info.bytes_allocated += ev.size
            grew(t)
        elif cls is R.Free:
            heap.frees += 1
            block = live.pop(ev.addr, None)
            if block is not None:
                heap.live_blocks -= 1
                heap.live_bytes -= occupied(block.size)
            thread(ev.thread).frees += 1
        elif cls is R.InvalidFree:
            heap.frees += 1
            heap.invalid_frees += 1
            thread(ev.thread).frees += 1
        elif cls is R.Realloc:
            heap.allocs += 1
            heap.frees += 1
            heap.bytes_allocated += ev.size
            info = thread(ev.thread)
            info.allocs += 1
            info.frees += 1
            info.bytes_allocated += ev.size
            block = live.get(ev.old_addr)
            if ev.new_addr and block is not None:
                del live[ev.old_addr]
                heap.live_bytes += occupied(ev.size) - occupied(block.size)
                live[ev.new_addr] = R.Alloc(ev.offset, block.time,
                                            block.thread, block.stack,
                                            block.kind, ev.new_addr, ev.size)
                grew(t)
        elif cls is R.Switch:
            if running is not None and running in threads:
                threads[running].instrs += t - slice_start
            running, slice_start = ev.thread, t
            thread(ev.thread).run_slices += 1
        elif cls is R.ThreadCreate:
            threads[ev.thread] = ThreadInfo(ev.thread, ev.parent, t,
                                            ev.stack)
        elif cls is R.ThreadExit:
            thread(ev.thread).exited = t
        elif cls is R.ThreadName:
            thread(ev.thread).name = ev.name
        elif cls is R.Name:
            names.append(ev)
        elif cls is R.Warning:
            warnings.append(ev)
        elif cls is R.TimeMark:
            wall_ms = ev.wall_ms
        elif cls is R.End:
            end = ev
            wall_ms = ev.wall_ms
    if running is not None and running in threads:
        threads[running].instrs += time - slice_start
    return Summary(heap, threads, names, warnings, time, wall_ms, end, live)
