"""NAME_complex_types.json: the type distribution (by the type names that
memscope.h requests give, and by allocation site), the named variables,
and from the exit heap scan's pointer graph the composite structures
(linked lists, trees, other graphs, cycles) and the relationship graph
of variables and blocks."""

from __future__ import annotations

from .common import (Report, cut, envelope, exit_detail,
                     exit_detail_complete, hexaddr, relationships,
                     site_label, site_ref, structure_json)

SCHEMA_VERSION = 2


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
    detail = exit_detail(report)
    if detail is None:
        out["composite_structures"] = {
            "analysed": False, "structures": [], "structures_complete": True,
            "note": "the log has no heap scan (format 1.8 on: the tool "
                    "scans the heap at exit)"}
    else:
        found, complete = cut(detail.graph.structures)
        out["composite_structures"] = {
            "analysed": True,
            "structures": [structure_json(report, s) for s in found],
            "structures_complete": complete and
            exit_detail_complete(report),
            "note": f"from the pointers between the blocks live at the "
                    f"heap scan at instruction "
                    f"{report.analysis.exit_scan.time} (pointers to a "
                    f"block's start or inside it): cycles are strongly "
                    f"connected components; in the acyclic rest, "
                    f"components of 3 or more blocks are lists or trees "
                    f"when no block has two pointing to it, else graphs",
        }
    out["relationships"] = relationships(report)
    return out
