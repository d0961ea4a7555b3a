"""aggregate.scans: the heap scans, for the leak figures and the heap
graph: every scan's time, reason and leak totals, and one scan (the
exit scan) kept with its blocks, their pointers and the named roots,
whose graph heapgraph.py analyses at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .. import heapgraph
from .. import logreader as R
from .memory import BLOCK_DETAIL_LIMIT
from .run import BlockDetail, Category, Run

# Every scan is counted and the first SCAN_LIMIT listed; one scan (the
# exit scan, see on_scan) is kept with its blocks, their pointers and
# the named roots, up to these limits.
SCAN_LIMIT = 10_000
SCAN_BLOCK_LIMIT = BLOCK_DETAIL_LIMIT
SCAN_REF_LIMIT = 1_000_000
SCAN_ROOT_LIMIT = 100_000


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


class Scans(Category):

    def __init__(self, run: Run) -> None:
        self.run = run
        self.scans: List[ScanInfo] = []
        self.count = 0
        self.exit_scan: Optional[ScanInfo] = None
        self.open: Optional[ScanInfo] = None

    def handlers(self) -> dict:
        return {R.Scan: self.on_scan}

    def untimed_handlers(self) -> dict:
        """Records that carry no time of their own: a scan's parts have
        the scan's, which the clock has already passed."""
        return {R.BlockRefs: self.on_block_refs,
                R.RootRefs: self.on_scan_part, R.ScanEnd: self.on_scan_part}

    def on_scan(self, ev: R.Scan, t: int) -> None:
        """A scan begins.  Only the exit scan is kept in detail: the last
        scan at exit, else (no scan at exit) the last scan.  So a new scan
        takes over the detail unless the one kept is an exit scan and the
        new one is not; memory stays bounded by one scan."""
        self.count += 1
        info = ScanInfo(self.count, ev.time, ev.thread, ev.stack.id,
                        ev.reason, ev.blocks, ev.bytes)
        if len(self.scans) < SCAN_LIMIT:
            self.scans.append(info)
        kept = self.exit_scan
        if kept is None or ev.reason == "exit" or kept.reason != "exit":
            if kept is not None:
                kept.detail = None
            info.detail = ScanDetail()
            self.exit_scan = info
        self.open = info

    def on_block_refs(self, ev: R.BlockRefs, t: int) -> None:
        scan = self.open
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
            self.run.live_chunks.get(ev.addr) or self.run.live.get(ev.addr),
            ev.refs)

    def on_scan_part(self, ev, t: int) -> None:
        """ROOT_REFS and SCAN_END."""
        scan = self.open
        if scan is None:              # the reader lets none through
            return
        if type(ev) is R.ScanEnd:
            scan.totals = ev
            self.open = None
            return
        detail = scan.detail
        if detail is None:
            return
        if len(detail.roots) < SCAN_ROOT_LIMIT:
            detail.roots.append(ev)
        else:
            detail.complete = False

    def finish(self) -> None:
        scan = self.exit_scan
        if scan is not None and scan.detail is not None:
            scan.detail.graph = heapgraph.analyse(scan.detail)

    def result(self) -> dict:
        return dict(scans=self.scans, scan_count=self.count,
                    exit_scan=self.exit_scan)
