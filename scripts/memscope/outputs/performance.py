"""NAME_performance.json: allocation rates over time (in total and per
thread), the hottest sites by count and by bytes, and the run's own
figures (events, log size, time to read)."""

from __future__ import annotations

from .common import WALL_MS_NOTE, WORK_NOTE, Report, envelope, site_ref

SCHEMA_VERSION = 1
HOT_SITES = 20


def build(report: Report) -> dict:
    a = report.analysis
    tl = a.timeline
    out = envelope(report, "performance", SCHEMA_VERSION)
    out["timeline"] = {
        "bucket_instrs": tl.width,
        "buckets": [{
            "start_instrs": i * tl.width,
            "allocations": tl.allocs[i],
            "bytes_allocated": tl.alloc_bytes[i],
            "frees": tl.frees[i],
            "live_bytes_max": tl.live_max[i],
            "live_bytes_end": tl.live_end[i],
            "wall_ms_end": tl.wall_ms_end[i],
        } for i in range(len(tl.live_end))],
        "field_notes": {"wall_ms_end": WALL_MS_NOTE},
    }
    threads = []
    for t in sorted(a.threads.values(), key=lambda t: t.thread):
        threads.append({
            "thread_id": t.thread,
            "name": t.name,
            "allocations": t.allocs,
            "bytes_allocated": t.bytes_allocated,
            "work_instrs": t.instrs,
            "allocations_per_million_instrs":
                (t.allocs * 1e6 / t.instrs) if t.instrs else None,
            "allocations_per_bucket": tl.thread_allocs.get(t.thread, []),
        })
    out["threads"] = threads
    out["threads_field_notes"] = {"work_instrs": WORK_NOTE}

    def hot(key):
        sites = sorted(a.sites.values(), key=key)[:HOT_SITES]
        return [dict(site_ref(s), allocations=s.allocs, bytes=s.bytes,
                     temporary=s.temporary) for s in sites]
    out["hot_sites_by_count"] = hot(lambda s: (-s.allocs, s.stack.id))
    for entry in out["hot_sites_by_count"]:
        entry["allocations_per_million_instrs"] = \
            (entry["allocations"] * 1e6 / a.end_time) if a.end_time else None
    out["hot_sites_by_bytes"] = hot(lambda s: (-s.bytes, s.stack.id))
    secs = report.read_seconds
    out["run_figures"] = {
        "events": a.events,
        "log_bytes": report.log_bytes,
        "log_bytes_per_event": (report.log_bytes / a.events) if a.events
        else None,
        "log_write_ms": (a.end.log_write_us / 1000.0)
        if a.end is not None and a.end.log_write_us is not None else None,
        "report_read_seconds": round(secs, 3),
        "report_events_per_second": round(a.events / secs) if secs > 0
        else None,
        "field_notes": {
            "log_write_ms": "measured by the tool: time spent in write() "
                            "before its END record (null for a truncated "
                            "log or a format 1.0 log)",
            "report_read_seconds": "measured by memscope-report: reading "
                                   "and aggregating the log",
            "log_bytes_per_event": "all records (strings and stacks "
                                   "included) over event records",
        },
    }
    return out
