"""NAME_concurrency.json: the threads (who made them, what they did, how
much they ran) with a load-balance summary; shared variables, locks,
atomics and race hints are later analyses: the file says so."""

from __future__ import annotations

from .common import WORK_NOTE, Report, envelope, site_label

SCHEMA_VERSION = 1


def _not_yet(what: str) -> dict:
    return {"analysed": False,
            "note": f"{what} are not analysed by this version"}


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
    } for t in threads]
    out["threads_field_notes"] = {
        "work_instrs": WORK_NOTE,
        "live_bytes_at_exit": "bytes of the blocks this thread allocated "
                              "that are still live, whoever holds them",
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
    out["shared_variables"] = []
    out["locks"] = []
    out["atomics"] = []
    out["race_hints"] = []
    out["not_analysed"] = {
        "shared_variables": _not_yet("accesses to shared variables"),
        "locks": _not_yet("locks"),
        "atomics": _not_yet("atomic instructions"),
        "race_hints": _not_yet("data races"),
    }
    return out
