"""NAME_memory_analysis.json: the run's totals with the exit scan's leak
summary, every block (up to the aggregation's detail limit), the lost
blocks, every heap scan, and the allocation sites with their stacks."""

from __future__ import annotations

from ..aggregate.memory import BLOCK_DETAIL_LIMIT
from ..aggregate.run import BlockDetail
from .common import (PEAK_SITE_NOTE, WALL_MS_NOTE, Report, cut, envelope,
                     exit_detail, exit_detail_complete, frames_json,
                     hexaddr, leak_totals, leak_totals_note,
                     lost_block_json, lost_blocks, scan_json, site_label,
                     stack_label)

SCHEMA_VERSION = 2


def block_json(b: BlockDetail, report: Report) -> dict:
    return {
        "address": hexaddr(b.addr),
        "size": b.size,
        "kind": b.kind,
        "var_name": b.name,
        "type_name": b.type_name,
        "thread_id": b.thread,
        "allocation_site": {"stack_id": b.stack_id,
                            "label": stack_label(report, b.stack_id)},
        "alloc_time_instrs": b.alloc_time,
        "alloc_time_ms": b.alloc_wall_ms,
        "freed": b.free_time is not None,
        "free_time_instrs": b.free_time,
        "free_time_ms": b.free_wall_ms,
        "free_thread_id": b.free_thread,
        "free_stack_id": b.free_stack_id,
    }


def build(report: Report) -> dict:
    a = report.analysis
    h = a.heap
    out = envelope(report, "memory-analysis", SCHEMA_VERSION)
    out["summary"] = {
        "total_allocations": h.allocs,
        "total_frees": h.frees,
        "total_bytes_allocated": h.bytes_allocated,
        "peak_live_bytes": h.peak_bytes,
        "peak_live_blocks": h.peak_blocks,
        "peak_time_instrs": h.peak_time,
        "peak_time_ms": h.peak_wall_ms,
        "live_blocks_at_exit": h.live_blocks,
        "live_bytes_at_exit": h.live_bytes,
        "threads": len(a.threads),
        "reallocations": h.reallocs,
        "invalid_frees": h.invalid_frees,
        "named_objects": len(a.names),
        "warnings": len(a.warnings),
        "leaks": leak_totals(a.exit_scan),
        "field_notes": {
            "leaks": leak_totals_note(report),
            "total_allocations": "Memcheck's count: malloc-like calls "
                                 "and reallocs",
            "total_frees": "Memcheck's count: free-like calls of non-NULL "
                           "pointers, valid or not, and reallocs",
            "peak_live_bytes": "DHAT's t-gmax: a zero-byte block counts "
                               "one byte",
            "peak_time_ms": WALL_MS_NOTE,
        },
    }
    blocks = sorted(a.blocks, key=lambda b: b.alloc_time)
    out["blocks"] = [block_json(b, report) for b in blocks]
    out["blocks_complete"] = a.blocks_complete
    out["blocks_note"] = None if a.blocks_complete else (
        f"only the first {BLOCK_DETAIL_LIMIT} blocks to end (and then the "
        f"live ones) are listed; every block is counted in the summary and "
        f"the sites")
    out["blocks_field_notes"] = {"alloc_time_ms": WALL_MS_NOTE,
                                 "free_time_ms": WALL_MS_NOTE}
    sites = sorted(a.sites.values(), key=lambda s: (-s.bytes, s.stack.id))
    listed, complete = cut(sites)
    out["sites"] = [{
        "stack_id": s.stack.id,
        "label": site_label(s.stack),
        "allocations": s.allocs,
        "bytes": s.bytes,
        "frees": s.frees,
        "live_blocks_at_exit": s.live_blocks,
        "live_bytes_at_exit": s.live_bytes,
        "max_live_blocks": s.max_live_blocks,
        "max_live_bytes": s.max_live_bytes,
        "peak_blocks": s.peak_blocks,
        "peak_bytes": s.peak_bytes,
    } for s in listed]
    out["sites_complete"] = complete
    out["sites_field_notes"] = {"peak_bytes": PEAK_SITE_NOTE,
                                "peak_blocks": PEAK_SITE_NOTE}
    detail = exit_detail(report)
    lost = lost_blocks(detail) if detail is not None else []
    owners = detail.graph.owners if detail is not None else {}
    leaks, complete = cut(lost)
    out["leaks"] = [lost_block_json(report, b, owners) for b in leaks]
    out["leaks_complete"] = complete and exit_detail_complete(report)
    out["leaks_field_notes"] = {
        "held_by": "indirectly lost blocks: the definitely lost block they "
                   "are reached from through the pointers between blocks "
                   "(the first in address order, as Memcheck's loss "
                   "records), null when no definitely lost block reaches "
                   "them",
        "size": "the requested size, as Memcheck reports it",
    }
    scans, complete = cut(a.scans)
    out["snapshots"] = [scan_json(report, scan) for scan in scans]
    out["snapshots_complete"] = complete and len(a.scans) == a.scan_count
    ids = {s.stack.id for s in listed} | {b.stack_id for b in blocks} | \
        {b.free_stack_id for b in blocks if b.free_stack_id is not None} | \
        {b.stack_id for b in leaks} | \
        {scan.stack_id for scan in scans if scan.stack_id}
    out["stacks"] = {str(i): frames_json(report.stacks[i])
                     for i in sorted(ids) if i in report.stacks}
    return out
