"""aggregate.atomics: atomic instructions and fences, for the concurrency
file: counts per object (a heap block, a named variable or the bare
address) and per code site, each per thread, and every thread's totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from .. import logreader as R
from .complex_types import ComplexTypes
from .run import Category, Run

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


class Atomics(Category):

    def __init__(self, run: Run, names: ComplexTypes) -> None:
        self.run = run
        self.names = names
        # By object: a heap block's key is (start, allocation time), since
        # the allocator recycles addresses; a variable's or an unnamed
        # address's is the address.
        self.targets: Dict[object, AtomicTarget] = {}
        self.sites: Dict[int, AtomicSite] = {}     # by stack id

    def handlers(self) -> dict:
        return {R.Atomic: self.on_atomic, R.Fence: self.on_fence}

    def site(self, stack: R.Stack) -> AtomicSite:
        site = self.sites.get(stack.id)
        if site is None:
            site = self.sites[stack.id] = AtomicSite(stack)
        return site

    def target(self, ev: R.Atomic) -> AtomicTarget:
        """The variable or block an atomic address belongs to: a live
        heap block (named or not), a variable named through memscope.h,
        else the address itself."""
        targets = self.targets
        if ev.block:
            # Written just before the block's FREE: the live block at that
            # address is the one (an earlier block there is another).
            b = self.run.live.get(ev.block)
            key = (ev.block, b.alloc_time if b is not None else None)
            target = targets.get(key)
            if target is None:
                name = b.name if b is not None else ""
                target = targets[key] = AtomicTarget(
                    ev.block, name, "block",
                    b.type_name if b is not None else "")
            return target
        n = self.names.variable_at(ev.addr)
        if n is not None:
            target = targets.get(n.addr)
            if target is None:
                target = targets[n.addr] = AtomicTarget(
                    n.addr, n.name, "variable", n.type_name)
            return target
        target = targets.get(ev.addr)
        if target is None:
            target = targets[ev.addr] = AtomicTarget(ev.addr, "", "unnamed")
        return target

    def on_atomic(self, ev: R.Atomic, t: int) -> None:
        counts = (ev.rmw, ev.cas_ok, ev.cas_failed, ev.ll, ev.sc_ok,
                  ev.sc_failed)
        self.run.thread(ev.thread).atomic_operations += sum(counts)
        target = self.target(ev)
        target.sites[ev.stack.id] = ev.stack
        site = self.site(ev.stack)
        for table in (target.threads, site.threads):
            row = table.get(ev.thread)
            if row is None:
                row = table[ev.thread] = [0] * len(ATOMIC_FIELDS)
            for i, n in enumerate(counts):
                row[i] += n

    def on_fence(self, ev: R.Fence, t: int) -> None:
        self.run.thread(ev.thread).fences += ev.count
        fences = self.site(ev.stack).fences
        fences[ev.thread] = fences.get(ev.thread, 0) + ev.count

    def result(self) -> dict:
        return dict(atomic_targets=self.targets, atomic_sites=self.sites)
