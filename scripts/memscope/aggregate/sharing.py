"""aggregate.sharing: how blocks and variables pass between threads, for
the concurrency file: each tracked object with the threads that
accessed it (its ACCESS records) and its Eraser state, blocks freed by
another thread than the one that allocated them, and blocks handed off
(used most by another thread).  Hint objects are linked to the object's
row here, whenever its ACCESS records come."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .. import logreader as R
from .complex_types import ComplexTypes
from .run import BlockDetail, Category, Run, Site


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


class Sharing(Category):

    def __init__(self, run: Run, names: ComplexTypes) -> None:
        self.run = run
        self.names = names
        self.shared: List[SharedObject] = []   # named objects, shared blocks
        self.exclusive_blocks = 0              # unnamed, one thread used
        # (allocator, main user) -> [blocks, bytes]
        self.usage_handoffs: Dict[Tuple[int, int], List[int]] = {}
        # Frees by another thread, by (allocating, freeing) thread: blocks,
        # bytes, and blocks per allocation site.
        self.cross_thread: Dict[Tuple[int, int], int] = {}
        self.cross_thread_bytes: Dict[Tuple[int, int], int] = {}
        self.cross_thread_sites: Dict[Tuple[int, int], Dict[int, int]] = {}
        # The object whose ACCESS records are being read (they come
        # together, one per thread, all at one time).
        self.open: Optional[SharedObject] = None
        self.open_owner = 0                    # the block's allocator
        self.open_time = -1
        self.open_block: Optional[BlockDetail] = None
        self.open_index: Optional[int] = None  # in self.shared
        # Objects (anything with a shared_index) waiting for their
        # object's ACCESS records, which come when the object ends, by
        # (kind, start), each with the live block it was about.
        self.pending: Dict[Tuple[str, int], list] = {}
        run.block_ended.append(self.block_ended)

    def handlers(self) -> dict:
        return {R.Access: self.on_access}

    def block_ended(self, b: BlockDetail, site: Site, t: int, thread: int,
                    stack: R.Stack, free: Optional[R.Free]) -> None:
        if thread == b.thread:
            return
        site.cross_thread_frees += 1
        key = (b.thread, thread)
        self.cross_thread[key] = self.cross_thread.get(key, 0) + 1
        self.cross_thread_bytes[key] = \
            self.cross_thread_bytes.get(key, 0) + b.size
        per_site = self.cross_thread_sites.setdefault(key, {})
        per_site[b.stack_id] = per_site.get(b.stack_id, 0) + 1

    def on_access(self, ev: R.Access, t: int) -> None:
        """ACCESS records of one object come together, one per thread and
        all at one time: they are gathered into one SharedObject (a later
        object at the same address comes at another time)."""
        obj = self.open
        if obj is None or obj.addr != ev.addr or ev.thread in obj.threads \
                or obj.kind != ev.kind or self.open_time != ev.time:
            self.close_group()
            name = type_name = ""
            self.open_owner = 0
            b = None
            if ev.kind == "heap":
                b = self.run.live.get(ev.addr)
                if b is not None:
                    name, type_name = b.name, b.type_name
                    self.open_owner = b.thread
            else:
                name, type_name = self.names.variable_name(ev.addr)
            obj = SharedObject(ev.addr, ev.size, ev.kind, name, type_name,
                               ev.state, ev.common_locks)
            self.open = obj
            self.open_time = ev.time
            self.open_block = b
            self.open_index = None
            if ev.kind == "variable" or name or ev.state != "exclusive":
                self.open_index = len(self.shared)
                self.shared.append(obj)
            else:
                self.exclusive_blocks += 1
            # The hints about this object (for a block: this very block,
            # not an earlier one at the same address) point to its row.
            for waiting, block in self.pending.pop((ev.kind, ev.addr), ()):
                if block is b:
                    waiting.shared_index = self.open_index
        obj.threads[ev.thread] = ev

    def link(self, waiting, kind: str, start: int,
             block: Optional[BlockDetail]) -> None:
        """Sets waiting.shared_index to the row of the object at start
        (for a heap block, `block`, the one live now) when its ACCESS
        records come, or now if they came already."""
        if block is not None and block is self.open_block:
            # The block's ACCESS records came already: the race of its
            # free, found after them.
            waiting.shared_index = self.open_index
        else:
            self.pending.setdefault((kind, start), []).append(
                (waiting, block))

    def close_group(self) -> None:
        """A heap block accessed most by a thread other than the one that
        allocated it is a hand-off (the producer-consumer signature, even
        when the allocating thread frees it); a tie with the allocating
        thread is not."""
        obj = self.open
        owner = self.open_owner
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

    def finish(self) -> None:
        self.close_group()
        self.open = None

    def result(self) -> dict:
        return dict(shared=self.shared, usage_handoffs=self.usage_handoffs,
                    exclusive_blocks=self.exclusive_blocks,
                    cross_thread=self.cross_thread,
                    cross_thread_bytes=self.cross_thread_bytes,
                    cross_thread_sites=self.cross_thread_sites)
