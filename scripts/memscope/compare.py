"""compare: two runs side by side (heaptrack's --diff, for memscope's
categories).  `compare(old, new)` takes the two runs as read and
aggregated for a single report and returns NAME_compare.json, as
docs/schemas/compare.schema.json defines it: the run totals, and what
grew, shrank, appeared or went by allocation site, by named variable and
by thread.  The text and HTML outputs (outputs/compare_text.py,
outputs/compare_html.py) render this document, so they cannot disagree
with the JSON.

Matching: addresses and stack ids differ from run to run, so neither is
ever used.  Allocation sites match by their symbolized stacks (function,
file and line of every frame; a frame without a source file by its
function and object file name: the directory of a file or object may
differ between two builds), named variables by name and type name,
threads by name (the k-th thread of a name with the k-th of that name),
unnamed threads by their number, which the tool gives in creation order.

Pure: reads nothing but its arguments, writes nothing."""

from __future__ import annotations

import os
from typing import Callable, Dict, Iterable, List, Optional, Sequence, \
    Tuple

from . import __version__
from . import logreader as R
from .aggregate import Analysis
from .aggregate.synchronisation import LOCK_KINDS
from .outputs.common import (LIST_LIMIT, Report, cut, envelope, frame_label,
                             is_allocator_frame, is_system_frame,
                             leak_totals, site_label)

SCHEMA_VERSION = 1

# The totals compared, in the order they are shown: (key, label, value).
TOTALS: Tuple[Tuple[str, str, Callable[[Analysis], int]], ...] = (
    ("total_allocations", "allocations", lambda a: a.heap.allocs),
    ("total_frees", "frees", lambda a: a.heap.frees),
    ("total_bytes_allocated", "bytes allocated",
     lambda a: a.heap.bytes_allocated),
    ("peak_live_bytes", "peak live bytes", lambda a: a.heap.peak_bytes),
    ("peak_live_blocks", "peak live blocks", lambda a: a.heap.peak_blocks),
    ("live_bytes_at_exit", "live bytes at exit", lambda a: a.heap.live_bytes),
    ("live_blocks_at_exit", "live blocks at exit",
     lambda a: a.heap.live_blocks),
    ("invalid_frees", "invalid frees", lambda a: a.heap.invalid_frees),
    ("threads", "threads", lambda a: len(a.threads)),
    ("named_objects", "named objects", lambda a: len(a.names)),
    ("sync_calls", "synchronisation calls",
     lambda a: sum(t.sync_calls for t in a.threads.values())),
    ("atomic_operations", "atomic operations",
     lambda a: sum(t.atomic_operations for t in a.threads.values())),
    ("race_hints", "race hints", lambda a: a.race_hint_count),
    ("lock_order_violations", "lock-order violations",
     lambda a: a.lock_order_count),
    ("lockset_hints", "lockset hints", lambda a: a.lockset_hint_count),
    ("instructions", "instructions", lambda a: a.end_time),
)
TOTAL_LABELS = {key: label for key, label, _ in TOTALS}
LEAK_LABELS = {"definitely_lost": "definitely lost",
               "indirectly_lost": "indirectly lost",
               "possibly_lost": "possibly lost",
               "still_reachable": "still reachable"}

# Per entry: the figures compared, in the order they are shown; the first
# decides grew or shrank and the order of the lists.
SITE_FIGURES = ("bytes", "allocations", "peak_bytes", "live_bytes_at_exit")
VARIABLE_FIGURES = ("size", "objects")
ACCESS_FIGURES = ("reads", "writes", "atomic")
THREAD_FIGURES = ("bytes_allocated", "allocations", "peak_live_bytes",
                  "live_bytes_at_exit", "work_instrs", "sync_calls",
                  "blocked_instrs", "lock_contended", "lock_wait_instrs")
STATUSES = ("grew", "shrank", "new", "gone", "changed", "same")

FIELD_NOTES = {
    "change": "new minus old; a side without the entry counts 0 (its "
              "\"old\" or \"new\" is null)",
    "percent": "change as a percentage of old, rounded to two decimals; "
               "null when old is 0 or absent",
    "status": "new or gone: in one run only; grew or shrank: by the first "
              "figure (sites: bytes allocated; variables: size; threads: "
              "bytes allocated); changed: that figure is equal but "
              "another differs; same: every figure is equal",
    "sites": "matched by their symbolized stacks (function, file and line "
             "of every frame; without a source file, function and object "
             "file name), never by address or stack id; stacks with equal "
             "frames in one run are one site",
    "label": "the site's innermost frame in the program's own code, as the "
             "report labels sites; sites sharing it are told apart by "
             "their callers (\"leaf (a.c:3) < caller (a.c:9)\")",
    "variables": "objects named through memscope.h, and globals named by "
                 "debug info that --track-access saw, matched by name and "
                 "type name; size and objects sum every object of the "
                 "name",
    "accesses": "reads, writes and atomic accesses per thread "
                "(--track-access), the threads matched as in \"threads\"",
    "threads": "matched by name (the k-th thread of a name with the k-th), "
               "unnamed threads by their number (the tool numbers "
               "threads in creation order)",
    "lock_wait_instrs": "in the tool's time: instructions other threads "
                        "ran while this one waited for mutexes, rwlocks "
                        "and spinlocks",
}


def delta(old: Optional[int], new: Optional[int]) -> dict:
    """A figure in both runs: None where a run lacks the entry."""
    change = (new or 0) - (old or 0)
    return {"old": old, "new": new, "change": change,
            "percent": round(100.0 * change / old, 2) if old else None}


def status(entry: dict, figures: Sequence[str]) -> str:
    """One of STATUSES, as FIELD_NOTES["status"] says."""
    first = entry[figures[0]]
    if first["old"] is None:
        return "new"
    if first["new"] is None:
        return "gone"
    if first["change"]:
        return "grew" if first["change"] > 0 else "shrank"
    changed = any(entry[f]["change"] for f in figures[1:]) or any(
        a[f]["change"] for a in entry.get("accesses", ()) for f in
        ACCESS_FIGURES)
    return "changed" if changed else "same"


def order(entries: List[dict], figures: Sequence[str],
          name: Callable[[dict], str]) -> List[dict]:
    """Biggest absolute change of the first figure first, then of the
    others; ties by name."""
    return sorted(entries, key=lambda e: (
        *(-abs(e[f]["change"]) for f in figures), name(e)))


def by_status(entries: Iterable[dict]) -> Dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for e in entries:
        counts[e["status"]] += 1
    return counts


def pair(old: Dict, new: Dict) -> List[Tuple[object, Optional[dict],
                                             Optional[dict]]]:
    """(key, old value, new value) per key of either, old's keys first."""
    keys = list(old) + [k for k in new if k not in old]
    return [(k, old.get(k), new.get(k)) for k in keys]


def deltas(figures: Sequence[str], old: Optional[dict],
           new: Optional[dict]) -> dict:
    return {f: delta(old[f] if old is not None else None,
                     new[f] if new is not None else None) for f in figures}


# ---- the runs ---------------------------------------------------------------

def side(report: Report) -> dict:
    """What a run was: the envelope's run and log, and its events."""
    env = envelope(report, "compare", SCHEMA_VERSION)
    return {"run": env["run"], "log": env["log"],
            "events": report.analysis.events}


def totals(old: Analysis, new: Analysis) -> dict:
    return {key: delta(value(old), value(new)) for key, _, value in TOTALS}


def leaks(old: Analysis, new: Analysis) -> Tuple[Optional[dict], str]:
    """The exit scans' leak summaries compared, or None and why not."""
    o, n = leak_totals(old.exit_scan), leak_totals(new.exit_scan)
    if o is None or n is None:
        which = "neither log has" if o is None and n is None else \
            ("the old log has no" if o is None else "the new log has no")
        return None, (f"null: {which} complete heap scan (format 1.8 on: "
                      f"the tool scans the heap at exit)")
    return ({key: {"blocks": delta(o[key]["blocks"], n[key]["blocks"]),
                   "bytes": delta(o[key]["bytes"], n[key]["bytes"])}
             for key in LEAK_LABELS},
            "Memcheck's LEAK SUMMARY of each run's exit scan")


# ---- allocation sites -------------------------------------------------------

FrameKey = Tuple[object, ...]


def frame_key(f: R.Frame) -> FrameKey:
    if f.file:
        return (f.function, f.file, f.line)
    return (f.function, os.path.basename(f.object))


def site_figures(a: Analysis) -> Dict[Tuple[FrameKey, ...], dict]:
    """The sites of a run by their frames' keys, stacks with equal keys
    summed."""
    out: Dict[Tuple[FrameKey, ...], dict] = {}
    for s in sorted(a.sites.values(), key=lambda s: s.stack.id):
        key = tuple(frame_key(f) for f in s.stack.frames)
        entry = out.get(key)
        if entry is None:
            entry = out[key] = {"stack": s.stack, "stack_ids": [],
                                **dict.fromkeys(SITE_FIGURES, 0)}
        entry["stack_ids"].append(s.stack.id)
        entry["bytes"] += s.bytes
        entry["allocations"] += s.allocs
        entry["peak_bytes"] += s.peak_bytes
        entry["live_bytes_at_exit"] += s.live_bytes
    return out


def label_frames(stack: R.Stack) -> List[R.Frame]:
    """The frame site_label names, then its callers."""
    outside = [f for f in stack.frames if not is_allocator_frame(f)]
    for i, f in enumerate(outside):
        if not is_system_frame(f):
            return outside[i:]
    return outside or list(stack.frames)


def distinct_labels(stacks: Sequence[R.Stack]) -> List[str]:
    """site_label of each stack; stacks sharing one get their callers
    added ("leaf (a.c:3) < caller (a.c:9)") until they differ or have
    no more frames."""
    labels = [site_label(s) for s in stacks]
    groups: Dict[str, List[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        chains = [[frame_label(f) for f in label_frames(stacks[i])]
                  for i in members]
        longest = max(len(c) for c in chains)
        for depth in range(2, longest + 1):
            named = [" < ".join(c[:depth]) for c in chains]
            if len(set(named)) == len(named) or depth == longest:
                break
        for i, text in zip(members, named):
            labels[i] = text
    return labels


def sites(old: Analysis, new: Analysis) -> List[dict]:
    paired = pair(site_figures(old), site_figures(new))
    stacks = [(nn or oo)["stack"] for _, oo, nn in paired]
    entries = []
    for (_, oo, nn), stack, label in zip(paired, stacks,
                                         distinct_labels(stacks)):
        entry = {
            "label": label,
            "status": "",
            "frames": [{"function": f.function, "file": f.file,
                        "line": f.line, "object": f.object}
                       for f in stack.frames],
            "old_stack_ids": oo["stack_ids"] if oo else [],
            "new_stack_ids": nn["stack_ids"] if nn else [],
            **deltas(SITE_FIGURES, oo, nn),
        }
        entry["status"] = status(entry, SITE_FIGURES)
        entries.append(entry)
    return order(entries, SITE_FIGURES, lambda e: e["label"])


# ---- threads ----------------------------------------------------------------

def thread_keys(a: Analysis) -> Dict[int, Tuple[tuple, str]]:
    """Each thread's (matching key, label): its name (the k-th thread of
    a name: "name [k]"), else "#N"."""
    seen: Dict[str, int] = {}
    out = {}
    for tid in sorted(a.threads):
        name = a.threads[tid].name
        if not name:
            out[tid] = (("number", tid), f"#{tid}")
            continue
        k = seen[name] = seen.get(name, 0) + 1
        out[tid] = (("name", name, k), name if k == 1 else f"{name} [{k}]")
    return out


def thread_figures(a: Analysis) -> Dict[tuple, dict]:
    waits: Dict[int, List[int]] = {}
    for obj in a.sync.values():
        if obj.kind in LOCK_KINDS:
            for tid, t in obj.threads.items():
                w = waits.setdefault(tid, [0, 0])
                w[0] += t.contended
                w[1] += t.wait_instrs
    out = {}
    for tid, (key, label) in thread_keys(a).items():
        t = a.threads[tid]
        contended, wait = waits.get(tid, (0, 0))
        out[key] = {"thread": label, "name": t.name, "thread_id": tid,
                    "matched_by": "creation_order" if key[0] == "number"
                    else "name",
                    "bytes_allocated": t.bytes_allocated,
                    "allocations": t.allocs,
                    "peak_live_bytes": t.peak_live_bytes,
                    "live_bytes_at_exit": t.live_bytes,
                    "work_instrs": t.instrs, "sync_calls": t.sync_calls,
                    "blocked_instrs": t.blocked_instrs,
                    "lock_contended": contended, "lock_wait_instrs": wait}
    return out


def threads(old: Analysis, new: Analysis) -> List[dict]:
    entries = []
    for _, oo, nn in pair(thread_figures(old), thread_figures(new)):
        either = nn or oo
        entry = {
            "thread": either["thread"], "status": "", "name": either["name"],
            "matched_by": either["matched_by"],
            "old_thread_id": oo["thread_id"] if oo else None,
            "new_thread_id": nn["thread_id"] if nn else None,
            **deltas(THREAD_FIGURES, oo, nn),
        }
        entry["status"] = status(entry, THREAD_FIGURES)
        entries.append(entry)
    return order(entries, THREAD_FIGURES, lambda e: e["thread"])


# ---- named variables --------------------------------------------------------

def variable_figures(a: Analysis) -> Dict[Tuple[str, str], dict]:
    """Named objects by (name, type name): their kind, count and bytes,
    and the accesses to them by thread label."""
    out: Dict[Tuple[str, str], dict] = {}

    def entry(name: str, type_name: str, kind: str) -> dict:
        e = out.get((name, type_name))
        if e is None:
            e = out[(name, type_name)] = {
                "kind": kind, "objects": 0, "size": 0, "accesses": {}}
        return e

    for n in a.names:
        e = entry(n.name, n.type_name, "variable" if n.is_variable else
                  ("pointee" if n.is_pointee else "block"))
        e["objects"] += 1
        e["size"] += n.size
    labels = {tid: label for tid, (_, label) in thread_keys(a).items()}
    for obj in a.shared:
        if not obj.name:
            continue
        key = (obj.name, obj.type_name)
        if key not in out:       # a global named by debug info
            e = entry(obj.name, obj.type_name,
                      "global" if obj.kind == "variable" else "block")
            e["objects"] += 1
            e["size"] += obj.size
        accesses = out[key]["accesses"]
        for tid, r in sorted(obj.threads.items()):
            label = labels.get(tid, f"#{tid}")
            row = accesses.setdefault(label, dict.fromkeys(ACCESS_FIGURES,
                                                           0))
            row["reads"] += r.reads
            row["writes"] += r.writes
            row["atomic"] += r.atomic
    return out


def variables(old: Analysis, new: Analysis) -> List[dict]:
    entries = []
    for key, oo, nn in pair(variable_figures(old), variable_figures(new)):
        accesses = [{"thread": label, **deltas(ACCESS_FIGURES, ao, an)}
                    for label, ao, an in pair(
                        oo["accesses"] if oo else {},
                        nn["accesses"] if nn else {})]
        entry = {"name": key[0], "type_name": key[1], "status": "",
                 "kind": (nn or oo)["kind"],
                 **deltas(VARIABLE_FIGURES, oo, nn), "accesses": accesses}
        entry["status"] = status(entry, VARIABLE_FIGURES)
        entries.append(entry)
    return order(entries, VARIABLE_FIGURES,
                 lambda e: (e["name"], e["type_name"]))


# ---- the document -----------------------------------------------------------

def compare(old: Report, new: Report) -> dict:
    """NAME_compare.json: `old` and `new`, each read and aggregated by the
    one reader and the one pass."""
    a, b = old.analysis, new.analysis
    leak_deltas, leaks_note = leaks(a, b)
    out = {
        "schema": "memscope-compare",
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "memscope-report", "version": __version__},
        "old": side(old),
        "new": side(new),
        "totals": totals(a, b),
        "leaks": leak_deltas,
        "leaks_note": leaks_note,
    }
    for key, entries in (("sites", sites(a, b)),
                         ("variables", variables(a, b)),
                         ("threads", threads(a, b))):
        listed, complete = cut(entries, LIST_LIMIT)
        out[key] = listed
        out[f"{key}_complete"] = complete
        out[f"{key}_by_status"] = by_status(entries)
    out["field_notes"] = FIELD_NOTES
    return out
