"""NAME_unsafe_ffi.json: what crosses boundaries or breaks the allocator's
rules: blocks freed by another thread than the one that allocated them,
blocks allocated in one object file and freed in another, invalid frees,
frees by the wrong family (malloc/free, new/delete, new[]/delete[])."""

from __future__ import annotations

from .. import logreader as R
from .common import (Report, cut, envelope, hexaddr, site_label, site_ref,
                     stack_label)

SCHEMA_VERSION = 2


def build(report: Report) -> dict:
    a = report.analysis
    out = envelope(report, "unsafe-ffi", SCHEMA_VERSION)
    cross_sites = sorted((s for s in a.sites.values()
                          if s.cross_thread_frees),
                         key=lambda s: (-s.cross_thread_frees, s.stack.id))
    failed_reallocs = sum(1 for e in a.invalid_frees if isinstance(e, R.Realloc))
    out["summary"] = {
        "cross_thread_frees": sum(a.cross_thread.values()),
        "invalid_frees": a.heap.invalid_frees,
        "invalid_reallocs": failed_reallocs,
        "mismatched_frees": len(a.mismatched_frees),
    }
    out["cross_thread_frees"] = [
        {"alloc_thread_id": at, "free_thread_id": ft, "blocks": n}
        for (at, ft), n in sorted(a.cross_thread.items())]
    listed, complete = cut(cross_sites)
    out["cross_thread_sites"] = [dict(site_ref(s),
                                      blocks=s.cross_thread_frees)
                                 for s in listed]
    out["cross_thread_sites_complete"] = complete
    invalid, complete = cut(a.invalid_frees)
    out["invalid_frees"] = [{
        "address": hexaddr(e.addr if isinstance(e, R.InvalidFree)
                           else e.old_addr),
        "call": e.kind if isinstance(e, R.InvalidFree) else "realloc",
        "thread_id": e.thread,
        "stack_id": e.stack.id,
        "label": site_label(e.stack),
        "time_instrs": e.time,
    } for e in invalid]
    out["invalid_frees_complete"] = complete
    mismatched, complete = cut(a.mismatched_frees)
    out["mismatched_frees"] = [{
        "address": hexaddr(b.addr),
        "size": b.size,
        "allocated_with": b.kind,
        "freed_with": f.kind,
        "alloc_thread_id": b.thread,
        "free_thread_id": f.thread,
        "alloc_stack_id": b.stack_id,
        "alloc_label": stack_label(report, b.stack_id),
        "free_stack_id": f.stack.id,
        "free_label": site_label(f.stack),
    } for b, f in mismatched]
    out["mismatched_frees_complete"] = complete
    out["library_boundaries"] = {
        "analysed": True,
        "crossings": [{
            "allocated_in": made_in,
            "freed_in": freed_in,
            "blocks": n,
            "bytes": size,
            "alloc_sites": [{"stack_id": sid, "label": stack_label(report, sid),
                             "blocks": k}
                            for sid, k in sorted(allocs.items(),
                                                 key=lambda kv: -kv[1])[:10]],
            "free_sites": [{"stack_id": sid, "label": stack_label(report, sid),
                            "blocks": k}
                           for sid, k in sorted(frees.items(),
                                                key=lambda kv: -kv[1])[:10]],
        } for (made_in, freed_in), (n, size, allocs, frees)
            in sorted(a.crossings.items())],
        "note": "blocks allocated by code in one object file (the "
                "executable or a shared library: the innermost frame "
                "outside Valgrind's preload) and freed by code in another",
    }
    return out
