"""aggregate.synchronisation: the synchronisation objects, for the
concurrency file: each mutex, rwlock, spinlock, condition variable,
semaphore, barrier and once with its operations, acquisitions,
contention, failed tries, wait and hold times (in total and per thread),
the most holders at once and its misuses; and locks named for the hints
that list them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from .. import logformat as F
from .. import logreader as R
from .complex_types import ComplexTypes
from .run import Category, Run

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

    def hold(self, tid: int, t: int) -> None:
        held = self.holding.get(tid)
        if held is None:
            self.holding[tid] = [1, t]
            if len(self.holding) > self.max_holders:
                self.max_holders = len(self.holding)
        else:
            held[0] += 1

    def unhold(self, tid: int) -> None:
        held = self.holding.get(tid)
        if held is not None:
            held[0] -= 1
            if held[0] <= 0:
                del self.holding[tid]


@dataclass(slots=True)
class LockRef:
    addr: int
    name: str                     # SYNC_OBJECT's or the program's; "" if none


class Synchronisation(Category):

    def __init__(self, run: Run, names: ComplexTypes) -> None:
        self.run = run
        self.names = names
        self.sync: Dict[int, SyncInfo] = {}        # by address

    def handlers(self) -> dict:
        return {R.SyncObject: self.on_sync_object, R.Sync: self.on_sync}

    def on_sync_object(self, ev: R.SyncObject, t: int) -> None:
        known = self.sync.get(ev.addr)
        if known is None or known.kind != ev.kind:
            # A lock at a heap block's start takes the block's name now:
            # a later block at a recycled address is another object.
            name = ev.name
            b = self.run.live.get(ev.addr)
            if not name and b is not None:
                name = b.name
            self.sync[ev.addr] = SyncInfo(ev.addr, ev.kind, name,
                                          ev.subtype, ev.stack)
        elif ev.subtype:
            known.subtype = ev.subtype

    def on_sync(self, ev: R.Sync, t: int) -> None:
        if ev.flags & F.SYNC_FLAG_BEGIN:
            self.on_wait_begins(ev)
            return
        obj = self.sync.get(ev.addr) if ev.addr else None
        if obj is None:
            return
        op = ev.op
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
            obj.hold(tid, t)
        elif op in RELEASE_OPS:
            if ev.flags & F.SYNC_FLAG_NOT_HELD:
                obj.unlock_not_held += 1
                return
            obj.hold_instrs += ev.span
            obj.per_thread(tid).hold_instrs += ev.span
            obj.unhold(tid)
        elif op in COND_WAIT_OPS:
            # The wait returns holding its mutex again.
            obj.wait_instrs += ev.span
            mutex = self.sync.get(ev.arg)
            if mutex is not None:
                mutex.cond_reacquisitions += 1
                mutex.hold(tid, t)
        elif op == "exit_holding":
            obj.exit_holding += 1
            obj.hold_instrs += ev.span
            obj.holding.pop(tid, None)
        elif op.endswith("_destroy"):
            if ev.flags & F.SYNC_FLAG_HELD:
                obj.destroyed_while_held += 1
        elif op in ("sem_wait", "sem_timedwait", "barrier_wait"):
            obj.wait_instrs += ev.span

    def on_wait_begins(self, ev: R.Sync) -> None:
        """A condition wait began: its mutex (arg) is free until the wait
        returns; span is how long this thread held it."""
        mutex = self.sync.get(ev.arg)
        if mutex is None or ev.flags & F.SYNC_FLAG_NOT_HELD:
            return
        mutex.hold_instrs += ev.span
        mutex.per_thread(ev.thread).hold_instrs += ev.span
        mutex.unhold(ev.thread)

    def lock_ref(self, addr: int) -> LockRef:
        """A lock by address, named as SYNC_OBJECT named it, else as the
        program or debug info named the variable."""
        obj = self.sync.get(addr)
        if obj is not None and obj.name:
            return LockRef(addr, obj.name)
        return LockRef(addr, self.names.variable_name(addr)[0])

    def result(self) -> dict:
        return dict(sync=self.sync)
