"""NAME_complex_types.json: the type distribution (by the type names that
memscope.h requests give, and by allocation site), the named variables,
and composite structures (a later analysis: the file says so)."""

from __future__ import annotations

from .common import Report, cut, envelope, hexaddr, site_label, site_ref

SCHEMA_VERSION = 1


def build(report: Report) -> dict:
    a = report.analysis
    out = envelope(report, "complex-types", SCHEMA_VERSION)
    by_type = {}
    for n in a.names:
        entry = by_type.setdefault(n.type_name, {"objects": 0, "bytes": 0,
                                                  "heap_blocks": 0,
                                                  "variables": 0})
        entry["objects"] += 1
        entry["bytes"] += n.size
        entry["heap_blocks"] += 1 if n.is_heap else 0
        entry["variables"] += 1 if n.is_variable else 0
    out["by_type"] = [dict(type_name=t, **v) for t, v in
                      sorted(by_type.items(),
                             key=lambda kv: (-kv[1]["bytes"], kv[0]))]
    out["by_type_note"] = ("objects named through memscope.h, by the type "
                           "name given; \"\" for none")
    sites = sorted(a.sites.values(), key=lambda s: (-s.bytes, s.stack.id))
    listed, complete = cut(sites)
    out["by_site"] = [dict(site_ref(s), blocks=s.allocs, bytes=s.bytes,
                           type_names=sorted(s.type_names))
                      for s in listed]
    out["by_site_complete"] = complete
    names, complete = cut(a.names)
    out["variables"] = [{
        "name": n.name,
        "type_name": n.type_name,
        "address": hexaddr(n.addr),
        "size": n.size,
        "kind": "variable" if n.is_variable else
                ("pointee" if n.is_pointee else "block"),
        "heap": n.is_heap,
        "thread_id": n.thread,
        "time_instrs": n.time,
        "stack_id": n.stack.id,
        "label": site_label(n.stack),
    } for n in names]
    out["variables_complete"] = complete
    out["composite_structures"] = {
        "analysed": False,
        "structures": [],
        "note": "lists, trees and cycles found from the pointer graph are "
                "not analysed by this version",
    }
    return out
