"""NAME_lifetime.json: how long blocks live, per block and per allocation
site (DHAT's per-site view), short-lived ("temporary") allocations as
heaptrack defines them, and a lifetime histogram."""

from __future__ import annotations

from ..aggregate.run import Site
from .common import (WALL_MS_NOTE, Report, cut, envelope, hexaddr,
                     site_label, stack_label)

SCHEMA_VERSION = 1

TEMPORARY_NOTE = ("heaptrack's definition: a block freed before any other "
                  "allocation happened after it")


def site_json(s: Site) -> dict:
    """A site's lifetimes, DHAT's way (the HTML page's lifetime table
    shows the same)."""
    return {
        "stack_id": s.stack.id,
        "label": site_label(s.stack),
        "blocks": s.allocs,
        "bytes": s.bytes,
        "freed": s.frees,
        "live_at_exit": s.live_blocks,
        "avg_lifetime_instrs": (s.lifetime_sum / s.frees) if s.frees
        else None,
        "max_lifetime_instrs": s.lifetime_max if s.frees else None,
        "avg_lifetime_ms": (s.lifetime_ms_sum / s.frees) if s.frees
        else None,
        "max_live_blocks": s.max_live_blocks,
        "max_live_bytes": s.max_live_bytes,
        "temporary": s.temporary,
        "freed_by_other_thread": s.cross_thread_frees,
    }


def sites_by_blocks(report: Report) -> list:
    """The sites in the order the file lists them: most blocks first."""
    return sorted(report.analysis.sites.values(),
                  key=lambda s: (-s.allocs, s.stack.id))


def build(report: Report) -> dict:
    a = report.analysis
    out = envelope(report, "lifetime", SCHEMA_VERSION)
    temporary = sum(s.temporary for s in a.sites.values())
    total_freed = sum(s.frees for s in a.sites.values())
    life_sum = sum(s.lifetime_sum for s in a.sites.values())
    out["summary"] = {
        "blocks_freed": total_freed,
        "blocks_live_at_exit": a.heap.live_blocks,
        "temporary_allocations": temporary,
        "mean_lifetime_instrs": (life_sum / total_freed) if total_freed
        else None,
        "max_lifetime_instrs": max((s.lifetime_max for s in a.sites.values()),
                                   default=None),
        "field_notes": {"temporary_allocations": TEMPORARY_NOTE},
    }
    hist = []
    for k, n in enumerate(a.lifetime_histogram):
        lo = 0 if k == 0 else 1 << (k - 1)
        hi = 0 if k == 0 else (1 << k) - 1
        hist.append({"min_instrs": lo, "max_instrs": hi, "blocks": n})
    while hist and hist[-1]["blocks"] == 0:
        hist.pop()
    out["histogram"] = hist
    listed, complete = cut(sites_by_blocks(report))
    out["sites"] = [site_json(s) for s in listed]
    out["sites_complete"] = complete
    out["sites_field_notes"] = {
        "avg_lifetime_ms": WALL_MS_NOTE,
        "temporary": TEMPORARY_NOTE,
        "avg_lifetime_instrs": "over the site's freed blocks; live blocks "
                               "are not counted",
    }
    blocks = sorted(a.blocks, key=lambda b: b.alloc_time)
    out["blocks"] = [{
        "address": hexaddr(b.addr),
        "size": b.size,
        "stack_id": b.stack_id,
        "label": stack_label(report, b.stack_id),
        "thread_id": b.thread,
        "freed": b.free_time is not None,
        "lifetime_instrs": (b.free_time - b.alloc_time)
        if b.free_time is not None else None,
        "lifetime_ms": (b.free_wall_ms - b.alloc_wall_ms)
        if b.free_wall_ms is not None else None,
    } for b in blocks]
    out["blocks_complete"] = a.blocks_complete
    out["blocks_field_notes"] = {"lifetime_ms": WALL_MS_NOTE}
    return out
