"""NAME_concurrency.json: the threads (who made them, what they did, how
much they ran and waited) with a load-balance summary, the locks (who
took them how often, contention, wait and hold times, misuse) and the
other synchronisation objects, atomics, hand-offs, the schedule, shared
variables, and the tool's race hints, lock-order violations and lockset
hints with their objects, locks and stacks."""

from __future__ import annotations

from typing import Callable, Optional

from ..aggregate.atomics import ATOMIC_FIELDS
from ..aggregate.hints import HintObject, RaceSide
from ..aggregate.synchronisation import LOCK_KINDS, LockRef
from .common import (WORK_NOTE, Report, cut, envelope, frames_json,
                     hexaddr, hint_object_description, site_label,
                     stack_label, stack_ref)

SCHEMA_VERSION = 7

MUTEX_TYPES = {0: "normal", 1: "recursive", 2: "errorcheck", 3: "adaptive"}
WAIT_NOTE = ("in the tool's time: instructions other threads ran while "
             "this one waited")


def build(report: Report) -> dict:
    a = report.analysis
    out = envelope(report, "concurrency", SCHEMA_VERSION)
    threads = sorted(a.threads.values(), key=lambda t: t.thread)
    out["threads"] = [{
        "thread_id": t.thread,
        "name": t.name,
        "parent_id": t.parent,
        "created_instrs": t.created,
        "exited_instrs": t.exited,
        "creation_site": site_label(t.create_stack)
        if t.create_stack.frames else "",
        "creation_stack_id": t.create_stack.id,
        "allocations": t.allocs,
        "bytes_allocated": t.bytes_allocated,
        "frees": t.frees,
        "live_blocks_at_exit": t.live_blocks,
        "live_bytes_at_exit": t.live_bytes,
        "peak_live_bytes": t.peak_live_bytes,
        "work_instrs": t.instrs,
        "run_slices": t.run_slices,
        "sync_calls": t.sync_calls,
        "blocked_instrs": t.blocked_instrs,
        "atomic_operations": t.atomic_operations,
        "fences": t.fences,
    } for t in threads]
    out["threads_field_notes"] = {
        "work_instrs": WORK_NOTE,
        "live_bytes_at_exit": "bytes of the blocks this thread allocated "
                              "that are still live, whoever holds them",
        "blocked_instrs": "time in calls that can block (lock, wait, "
                          "join, barrier, semaphore wait, once): " + WAIT_NOTE,
    }
    work = [t.instrs for t in threads if t.thread != 1] or \
        [t.instrs for t in threads]
    mean = sum(work) / len(work) if work else 0
    out["load_balance"] = {
        "threads_counted": len(work),
        "work_min_instrs": min(work) if work else 0,
        "work_max_instrs": max(work) if work else 0,
        "work_mean_instrs": mean,
        "imbalance": (max(work) / mean) if mean else None,
        "note": "derived: over the threads other than main (all threads "
                "when main is the only one); imbalance is the busiest "
                "thread's work over the mean, 1.0 when perfectly even",
    }
    # Variables only: a heap block's name belongs to that block, and the
    # allocator gives its address to others later.
    names = {n.addr: n.name for n in a.names if not n.is_heap}
    locks = sorted((s for s in a.sync.values() if s.kind in LOCK_KINDS),
                   key=lambda s: (-s.acquisitions, s.addr))
    out["locks"] = [_lock_json(s, names) for s in locks]
    out["locks_field_notes"] = {
        "wait_instrs": WAIT_NOTE,
        "hold_instrs": "in the tool's time, from each acquisition to its "
                       "release (a condition wait releases its mutex)",
        "contended": "acquisitions that found another thread holding the "
                     "lock (for try-locks: the ones that failed with EBUSY)",
        "name": "the variable's name from debug info or memscope.h, else "
                "\"\" (the address and creation site identify it)",
    }
    others = sorted((s for s in a.sync.values() if s.kind not in LOCK_KINDS),
                    key=lambda s: (s.kind, s.addr))
    out["sync_objects"] = [{
        "name": s.name or names.get(s.addr, ""),
        "address": hexaddr(s.addr),
        "kind": s.kind,
        "first_seen_at": site_label(s.stack) if s.stack.frames else "",
        "operations": dict(sorted(s.ops.items())),
        "wait_instrs": s.wait_instrs,
    } for s in others]
    out["atomics"] = _atomics_json(a)
    out["handoffs"] = [{
        "alloc_thread_id": at, "free_thread_id": ft, "blocks": n,
        "bytes": a.cross_thread_bytes.get((at, ft), 0),
        "sites": [{"stack_id": sid, "label": stack_label(report, sid),
                   "blocks": k}
                  for sid, k in sorted(
                      a.cross_thread_sites.get((at, ft), {}).items(),
                      key=lambda kv: (-kv[1], kv[0]))[:10]],
    } for (at, ft), n in sorted(a.cross_thread.items())]
    out["handoffs_note"] = ("blocks allocated by one thread and freed by "
                            "another: the producer-consumer signature")
    out["usage_handoffs"] = [
        {"alloc_thread_id": at, "user_thread_id": ut, "blocks": n,
         "bytes": size}
        for (at, ut), (n, size) in sorted(a.usage_handoffs.items())]
    out["usage_handoffs_note"] = ("heap blocks that another thread than "
                                  "the one that allocated them accessed "
                                  "most (reads, writes and atomics; the "
                                  "first such thread on a tie), with "
                                  "--track-access")
    out["schedule"] = {
        "slices": [{"thread_id": th, "start_instrs": s, "end_instrs": e}
                   for th, s, e in a.slices],
        "waits": [{"thread_id": th, "start_instrs": s, "end_instrs": e,
                   "call": op, "object": hexaddr(obj) if obj else ""}
                  for th, s, e, op, obj in a.waits],
        "complete": a.schedule_complete,
        "note": "run slices (who ran when) and waits in calls that block, "
                "in the tool's time; at most 20,000 of each",
    }
    out["shared_variables"] = _shared_json(a, names)
    out["shared_variables_field_notes"] = {
        "state": "Eraser's: exclusive (one thread), shared-read (more "
                 "threads, no write since), shared-modified",
        "common_locks": "locks held at every access since the object "
                        "became shared (empty: no lock protected it)",
        "atomic": "atomic instructions, each counted once (not also as a "
                  "read)",
        "locked": "accesses made while the thread held at least one lock",
    }
    out["exclusive_unnamed_blocks"] = a.exclusive_blocks
    _hints_json(report, out)
    return out


RACE_NOTES = {
    "access": "the access that found the race (the later one)",
    "other": "the earlier access to overlapping bytes, by another thread, "
             "not ordered before this one by happens-before; its stack is "
             "one frame (the instruction)",
    "kind": "read, write, or free (the free of the whole block)",
    "locks": "the locks the thread held at the access; null: unknown "
             "(the tool forgot them: too many lock operations since)",
    "offset": "where the address is inside the object",
    "occurrences": "how many times the race was found: at these two "
                   "instructions and at others of the same two source "
                   "lines on the same object (one hint for all)",
    "shared_variable": "the object's index in shared_variables; null "
                       "when it is not listed there",
}
LOCK_ORDER_NOTES = {
    "stack": "where the thread acquired `lock` while holding `held`",
    "held_stack": "where the thread acquired `held`",
    "first_stack": "earlier: where `lock` was acquired, before `held`",
    "second_stack": "earlier: where `held` was acquired while `lock` was "
                    "held: the opposite order, a potential deadlock",
}


def _hints_json(report: Report, out: dict) -> None:
    """The race hints, lock-order violations and lockset hints, in log
    order, with the stacks they name."""
    a = report.analysis
    out["summary"] = {"race_hints": a.race_hint_count,
                      "lock_order_violations": a.lock_order_count,
                      "lockset_hints": a.lockset_hint_count}
    _listed(out, "race_hints", a.race_hints, a.race_hint_count,
            lambda h: {
                "id": h.id,
                "time_instrs": h.time,
                "address": hexaddr(h.addr),
                "object": _object_json(report, h.object, h.offset),
                "access": _side_json(report, h.access),
                "other": _side_json(report, h.other),
                "occurrences": h.occurrences})
    out["race_hints_field_notes"] = RACE_NOTES
    _listed(out, "lock_order_violations", a.lock_orders, a.lock_order_count,
            lambda h: {
                **_hint_head(h),
                "lock": _lock_ref_json(h.lock),
                "held": _lock_ref_json(h.held),
                **{key: stack_ref(report, getattr(h, f"{key}_id"))
                   for key in LOCK_ORDER_STACKS}})
    out["lock_order_violations_field_notes"] = LOCK_ORDER_NOTES
    _listed(out, "lockset_hints", a.lockset_hints, a.lockset_hint_count,
            lambda h: {
                **_hint_head(h),
                "object": _object_json(report, h.object, None),
                "stack": stack_ref(report, h.stack_id)})
    ids = {r[key]["stack_id"] for r in out["lock_order_violations"]
           for key in LOCK_ORDER_STACKS}
    ids |= {r["stack"]["stack_id"] for r in out["lockset_hints"]}
    for r in out["race_hints"]:
        ids |= {r["access"]["stack"]["stack_id"],
                r["other"]["stack"]["stack_id"]}
    for r in out["race_hints"] + out["lockset_hints"]:
        if r["object"]["alloc_stack"] is not None:
            ids.add(r["object"]["alloc_stack"]["stack_id"])
    out["stacks"] = {str(i): frames_json(report.stacks[i])
                     for i in sorted(ids) if i in report.stacks and i}


LOCK_ORDER_STACKS = ("stack", "held_stack", "first_stack", "second_stack")


def _listed(out: dict, key: str, hints: list, count: int,
            entry: Callable[[object], dict]) -> None:
    """out[key]: the entries of the first hints (cut at the list limit),
    and out[key_complete]: whether they are all of the log's `count`."""
    listed, complete = cut(hints)
    out[key] = [entry(h) for h in listed]
    out[f"{key}_complete"] = complete and len(hints) == count


def _hint_head(h) -> dict:
    """The fields a lock-order or lockset hint starts with."""
    return {"id": h.id, "time_instrs": h.time, "thread_id": h.thread,
            "thread_name": h.thread_name}


def _lock_ref_json(lock: LockRef) -> dict:
    return {"address": hexaddr(lock.addr), "name": lock.name}


def _object_json(report: Report, obj: HintObject,
                 offset: Optional[int]) -> dict:
    """offset None: the hint is about the whole object."""
    return {
        "kind": obj.kind,
        "name": obj.name,
        "type_name": obj.type_name,
        "start": hexaddr(obj.start),
        "size": obj.size,
        "offset": offset or 0,
        "description": hint_object_description(report, obj, offset),
        "alloc_stack": stack_ref(report, obj.alloc_stack_id)
        if obj.alloc_stack_id else None,
        "shared_variable": obj.shared_index,
    }


def _side_json(report: Report, side: RaceSide) -> dict:
    return {
        "thread_id": side.thread,
        "thread_name": side.thread_name,
        "kind": side.kind,
        "size": side.size,
        "atomic": side.atomic,
        "under_read_lock": side.under_read_lock,
        "stack": stack_ref(report, side.stack_id),
        "locks": None if side.locks is None
        else [_lock_ref_json(lock) for lock in side.locks],
    }


def _shared_json(a, names) -> list:
    lock_names = {s.addr: s.name or names.get(s.addr, "")
                  for s in a.sync.values()}
    return [{
        "name": o.name,
        "type_name": o.type_name,
        "address": hexaddr(o.addr),
        "size": o.size,
        "kind": o.kind,
        "state": o.state,
        "common_locks": [lock_names.get(lock) or hexaddr(lock)
                         for lock in o.common_locks],
        "threads": [{
            "thread_id": tid,
            "reads": r.reads,
            "writes": r.writes,
            "read_bytes": r.read_bytes,
            "write_bytes": r.write_bytes,
            "atomic": r.atomic,
            "locked": r.locked,
            "first_instrs": r.first,
            "last_instrs": r.last,
        } for tid, r in sorted(o.threads.items())],
    } for o in a.shared]


def _counts(row) -> dict:
    return dict(zip(ATOMIC_FIELDS, row))


def _atomics_json(a) -> dict:
    targets = sorted(a.atomic_targets.values(),
                     key=lambda t: (-sum(sum(r) for r in t.threads.values()),
                                    t.addr))
    sites = sorted(a.atomic_sites.values(),
                   key=lambda s: (-sum(sum(r) for r in s.threads.values())
                                  - sum(s.fences.values()), s.stack.id))
    return {
        "by_variable": [{
            "name": t.name,
            "address": hexaddr(t.addr),
            "kind": t.kind,
            "type_name": t.type_name,
            "operations": sum(sum(r) for r in t.threads.values()),
            "sites": sorted(site_label(s) for s in t.sites.values()),
            "threads": [dict(thread_id=tid, **_counts(row))
                        for tid, row in sorted(t.threads.items())],
        } for t in targets],
        "by_site": [{
            "stack_id": s.stack.id,
            "label": site_label(s.stack),
            "operations": sum(sum(r) for r in s.threads.values()),
            "fences": sum(s.fences.values()),
            "threads": [dict(thread_id=tid, fences=s.fences.get(tid, 0),
                             **_counts(s.threads.get(tid, [0] * 6)))
                        for tid in sorted(set(s.threads) | set(s.fences))],
        } for s in sites],
        "field_notes": {
            "rmw": "LOCK-prefixed read-modify-writes and XCHG (a retried "
                   "one counts once)",
            "cas_failed": "compare-and-swaps that found another value",
            "fences": "memory fences, including GCC's 'lock or $0,(%rsp)' "
                      "idiom for a sequentially consistent fence",
            "kind": "variable: named through memscope.h; block: a heap "
                    "block (named or not); unnamed: neither, by address",
        },
    }


def _lock_json(s, names) -> dict:
    return {
        "name": s.name or names.get(s.addr, ""),
        "address": hexaddr(s.addr),
        "kind": s.kind,
        "type": MUTEX_TYPES.get(s.subtype, str(s.subtype))
        if s.kind == "mutex" else "",
        "created_at": site_label(s.stack) if s.stack.frames else "",
        "acquisitions": s.acquisitions,
        "read_acquisitions": s.reads,
        "write_acquisitions": s.writes,
        "contended": s.contended,
        "failed_tries": s.failed_tries,
        "cond_reacquisitions": s.cond_reacquisitions,
        "wait_instrs": s.wait_instrs,
        "hold_instrs": s.hold_instrs,
        "max_holders": s.max_holders,
        "misuse": {"unlock_not_held": s.unlock_not_held,
                   "destroyed_while_held": s.destroyed_while_held,
                   "exit_holding": s.exit_holding},
        "threads": [{"thread_id": tid, "acquisitions": t.acquisitions,
                     "contended": t.contended,
                     "failed_tries": t.failed_tries,
                     "wait_instrs": t.wait_instrs,
                     "hold_instrs": t.hold_instrs}
                    for tid, t in sorted(s.threads.items())],
    }
