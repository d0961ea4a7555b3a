"""aggregate.hints: the tool's race, lock-order and lockset hints, for
the concurrency file: each with its object (named as it was when the
hint was written, linked to the object's row of shared objects) and its
locks named; the first HINT_LIMIT of each kind kept, all counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .. import logreader as R
from .complex_types import ComplexTypes
from .run import Category, Run
from .sharing import Sharing
from .synchronisation import LockRef, Synchronisation

# Race, lock-order and lockset hints kept with their details, of each
# kind (the tool writes one per pair of code sites, pair of locks or
# object, but a large program can have many); all are counted.
HINT_LIMIT = 10_000


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
    under_read_lock: bool         # a plain write holding only a read lock
    thread_name: str = ""         # the thread's last name, set at the end


@dataclass(slots=True)
class RaceHint:
    id: int                       # 1, 2, ... in log order
    time: int
    addr: int
    object: HintObject
    access: RaceSide              # the later access, which found the race
    other: RaceSide
    # How many times the race was found: at this pair of instructions
    # and at others of the same two source lines on the same object
    # (RACE_AGAIN records).
    occurrences: int = 1

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


class Hints(Category):

    def __init__(self, run: Run, names: ComplexTypes,
                 sync: Synchronisation, sharing: Sharing) -> None:
        self.run = run
        self.names = names
        self.sync = sync
        self.sharing = sharing
        self.races: List[RaceHint] = []
        self.race_by_id: Dict[int, RaceHint] = {}
        self.lock_orders: List[LockOrderHint] = []
        self.locksets: List[LocksetHint] = []
        self.counts = [0, 0, 0]       # race, lock order, lockset

    def handlers(self) -> dict:
        return {R.Race: self.on_race, R.RaceAgain: self.on_race_again,
                R.LockOrder: self.on_lock_order, R.Lockset: self.on_lockset}

    def hint_object(self, kind: str, start: int, size: int) -> HintObject:
        """The object of a hint, named now (a heap block: the live block
        at start, named or not; a variable: its name)."""
        b = None
        if kind == "heap":
            b = self.run.live.get(start)
            obj = HintObject(kind, start, size, "", "", 0) if b is None \
                else HintObject(kind, start, size, b.name, b.type_name,
                                b.stack_id)
        else:
            name, type_name = self.names.variable_name(start)
            obj = HintObject(kind, start, size, name, type_name, 0)
        self.sharing.link(obj, kind, start, b)
        return obj

    def race_side(self, side: R.RaceAccess) -> RaceSide:
        locks = None if side.locks is None else \
            tuple(self.sync.lock_ref(a) for a in side.locks)
        return RaceSide(side.thread, side.kind, side.size, side.atomic,
                        side.stack.id, locks, side.under_read_lock)

    def hint_id(self, kind: int, kept: list) -> Optional[int]:
        """Counts a hint of a kind (0 race, 1 lock order, 2 lockset);
        its id (1, 2, ...) when it is to be kept, else None."""
        self.counts[kind] += 1
        return self.counts[kind] if len(kept) < HINT_LIMIT else None

    def on_race(self, ev: R.Race, t: int) -> None:
        hid = self.hint_id(0, self.races)
        if hid is not None:
            self.races.append(RaceHint(
                hid, ev.time, ev.addr,
                self.hint_object(ev.object_kind, ev.object_addr,
                                 ev.object_size),
                self.race_side(ev.access), self.race_side(ev.other)))
            self.race_by_id[hid] = self.races[-1]

    def on_race_again(self, ev: R.RaceAgain, t: int) -> None:
        """A hint found again; a number this log has not listed (a forked
        child's record of its parent's hint, a hint past the limit) counts
        nowhere."""
        hint = self.race_by_id.get(ev.hint)
        if hint is not None:
            hint.occurrences += 1

    def on_lock_order(self, ev: R.LockOrder, t: int) -> None:
        hid = self.hint_id(1, self.lock_orders)
        if hid is not None:
            lock_ref = self.sync.lock_ref
            self.lock_orders.append(LockOrderHint(
                hid, ev.time, ev.thread, lock_ref(ev.lock),
                lock_ref(ev.held), ev.stack.id, ev.held_stack.id,
                ev.first_stack.id, ev.second_stack.id))

    def on_lockset(self, ev: R.Lockset, t: int) -> None:
        hid = self.hint_id(2, self.locksets)
        if hid is not None:
            self.locksets.append(LocksetHint(
                hid, ev.time, ev.thread,
                self.hint_object(ev.object_kind, ev.object_addr,
                                 ev.object_size), ev.stack.id))

    def finish(self) -> None:
        """Threads are named by their last name, as everywhere else."""
        name = self.run.thread_name
        for race in self.races:
            race.access.thread_name = name(race.access.thread)
            race.other.thread_name = name(race.other.thread)
        for hint in (*self.lock_orders, *self.locksets):
            hint.thread_name = name(hint.thread)

    def result(self) -> dict:
        return dict(race_hints=self.races, lock_orders=self.lock_orders,
                    lockset_hints=self.locksets,
                    race_hint_count=self.counts[0],
                    lock_order_count=self.counts[1],
                    lockset_hint_count=self.counts[2])
