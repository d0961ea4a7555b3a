"""aggregate.performance: where the threads' time went, for the
performance file: each thread's run slices and the instructions run in
them, its completed synchronisation calls and the time spent in calls
that can block, and the schedule itself (run slices and waits, bounded)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from .. import logformat as F
from .. import logreader as R
from .run import Category, Run
from .synchronisation import BLOCKING_OPS

# The schedule (run slices and waits) keeps at most this many of each.
SCHEDULE_LIMIT = 20_000


class Performance(Category):

    def __init__(self, run: Run) -> None:
        self.run = run
        self.slices: List[Tuple[int, int, int]] = []   # thread, start, end
        # thread, start, end, op, object
        self.waits: List[Tuple[int, int, int, str, int]] = []
        self.schedule_complete = True
        self.running: Optional[int] = None
        self.slice_start = 0

    def handlers(self) -> dict:
        return {R.Switch: self.on_switch, R.Sync: self.on_sync}

    def end_slice(self, t: int) -> None:
        threads = self.run.threads
        if self.running is not None and self.running in threads:
            threads[self.running].instrs += t - self.slice_start
            self.note_slice(self.running, self.slice_start, t)

    def on_switch(self, ev: R.Switch, t: int) -> None:
        self.end_slice(t)
        self.running, self.slice_start = ev.thread, t
        self.run.thread(ev.thread).run_slices += 1

    def note_slice(self, thread: int, start: int, end: int) -> None:
        if end <= start:
            return
        if len(self.slices) < SCHEDULE_LIMIT:
            self.slices.append((thread, start, end))
        else:
            self.schedule_complete = False

    def on_sync(self, ev: R.Sync, t: int) -> None:
        if ev.flags & F.SYNC_FLAG_BEGIN:   # the call has not ended yet
            return
        info = self.run.thread(ev.thread)
        info.sync_calls += 1
        if ev.op not in BLOCKING_OPS:
            return
        info.blocked_instrs += ev.span
        if ev.span:
            if len(self.waits) < SCHEDULE_LIMIT:
                self.waits.append((ev.thread, t - ev.span, t, ev.op,
                                   ev.addr))
            else:
                self.schedule_complete = False

    def finish(self) -> None:
        self.end_slice(self.run.time)

    def result(self) -> dict:
        return dict(slices=self.slices, waits=self.waits,
                    schedule_complete=self.schedule_complete)
