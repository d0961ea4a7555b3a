"""What the JSON outputs share: the run and log description, stack and
site descriptions, the notes that mark derived values, and the views of
the exit heap scan (leak totals, lost blocks, composite structures, the
relationship graph) that the JSON files and the HTML page both show."""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .. import __version__
from .. import logformat as F
from .. import logreader as R
from ..aggregate import Analysis
from ..aggregate.hints import HintObject
from ..aggregate.run import Site
from ..aggregate.scans import ScanBlock, ScanDetail, ScanInfo
from ..aggregate.synchronisation import LockRef
from ..heapgraph import Structure

# Objects a JSON list holds at most where the program can make any number
# of them (frees of one kind, sites): beyond it the list is cut, sorted by
# what matters most, and the file says so.
LIST_LIMIT = 1000

WALL_MS_NOTE = ("estimated: wall-clock ms of the latest TIME record before "
                "the event (the tool samples the clock every 256 events and "
                "at thread switches)")
WORK_NOTE = ("derived: instructions executed during the thread's run "
             "slices (between the SWITCH records that start them)")
PEAK_SITE_NOTE = ("at the global peak (DHAT's t-gmax): the site's live "
                  "blocks when live bytes were highest")


@dataclass
class Report:
    """Everything a build function may use."""
    analysis: Analysis
    header: R.Header
    stacks: Dict[int, R.Stack]
    log_path: str
    log_bytes: int
    truncated_at: Optional[int]
    read_seconds: float          # time to read and aggregate the log


def hexaddr(a: int) -> str:
    return f"0x{a:x}"


SYSTEM_OBJECT_PREFIXES = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
                          "/usr/libexec/")


def is_allocator_frame(frame: R.Frame) -> bool:
    """A frame of Valgrind's preload libraries (the malloc replacement and
    memscope's wrappers)."""
    return "vgpreload_" in frame.object


def is_system_frame(frame: R.Frame) -> bool:
    return frame.object.startswith(SYSTEM_OBJECT_PREFIXES)


def frame_label(f: R.Frame) -> str:
    fn = f.function or "???"
    if f.file:
        return f"{fn} ({f.file}:{f.line})"
    return f"{fn} (in {f.object})" if f.object else fn


def site_label(stack: R.Stack) -> str:
    """The frame that best names a stack: the innermost one in the
    program's own code (outside the preload and the system's libraries),
    else the innermost outside the preload."""
    outside = [f for f in stack.frames if not is_allocator_frame(f)]
    for f in outside:
        if not is_system_frame(f):
            return frame_label(f)
    if outside:
        return frame_label(outside[0])
    return frame_label(stack.frames[0]) if stack.frames else "(no stack)"


def stack_label(report: "Report", stack_id: int, missing: str = "") -> str:
    """site_label of the stack the log gave this id, or `missing`."""
    stack = report.stacks.get(stack_id)
    return site_label(stack) if stack is not None else missing


def stack_ref(report: "Report", stack_id: int) -> dict:
    """A stack as the JSON files name one: its id and label."""
    return {"stack_id": stack_id, "label": stack_label(report, stack_id)}


def thread_label(tid: int, name: str) -> str:
    return f"#{tid} {name}".strip()


def lock_label(lock: LockRef) -> str:
    return lock.name or hexaddr(lock.addr)


def hint_object_description(report: "Report", obj: HintObject,
                            offset: Optional[int] = None) -> str:
    """A hint's object in words: its name, else the block and its
    allocation site, else the variable at its address; with an offset,
    where inside it (Memcheck's "N bytes inside a block of M")."""
    if obj.name:
        what = obj.name
    elif obj.kind == "heap":
        where = stack_label(report, obj.alloc_stack_id) \
            if obj.alloc_stack_id else ""
        what = f"a block of {obj.size:,} bytes" + \
            (f" allocated at {where}" if where else "")
    else:
        what = f"the variable of {obj.size:,} bytes at {hexaddr(obj.start)}"
    if offset is None or (obj.name and offset == 0):
        return what
    return f"{offset:,} bytes inside {what}"


def frames_json(stack: R.Stack) -> List[dict]:
    return [{"ip": hexaddr(f.ip), "function": f.function, "file": f.file,
             "directory": f.directory, "line": f.line, "object": f.object}
            for f in stack.frames]


def ending_of(end: Optional[R.End], truncated_at: Optional[int],
              thread_names: Dict[int, str]) -> dict:
    """How the process ended, for every output: run.ending in the JSON
    files (common.schema.json), the report's first screen, decode's
    summary.  `text` is the line a user reads."""
    out = {"how": "unknown", "exit_status": None, "signal": None,
           "signal_name": None, "thread": None, "thread_name": None,
           "frames": [], "text": ""}
    if end is None:
        out["how"] = "cut short"
        out["text"] = (f"cut short at byte offset {truncated_at or 0:,}: "
                       f"the process never reached the tool's exit (killed "
                       f"by SIGKILL, stopped by Valgrind, or an exec)")
        return out
    name = thread_names.get(end.thread, "") if end.thread else ""
    in_thread = ""
    if end.thread:
        out["thread"] = end.thread
        out["thread_name"] = name or None
        in_thread = f" in thread {end.thread}" + (f" ({name})" if name
                                                  else "")
    if end.ending == "exit":
        out.update(how="exit", exit_status=end.code,
                   text=f"exit status {end.code}")
    elif end.ending == "signal":
        sig = F.SIGNAL_NAMES.get(end.code) if end.code else None
        out.update(how="signal", signal=end.code or None, signal_name=sig,
                   frames=frames_json(end.stack))
        what = (f"signal {end.code} ({sig or '?'})" if end.code
                else "a signal (its number was not learnt)")
        # The program's own frame (for abort(), the caller of abort).
        where = (f", at {site_label(end.stack)}" if end.stack.frames
                 else "")
        out["text"] = f"killed by {what}{in_thread}{where}"
    else:
        out["text"] = ("not recorded (the log's format, "
                       "older than 1.10, does not say)")
    return out


def envelope(report: Report, category: str, schema_version: int) -> dict:
    h = report.header
    a = report.analysis
    return {
        "schema": f"memscope-{category}",
        "schema_version": schema_version,
        "generator": {"name": "memscope-report", "version": __version__},
        "run": {
            "tool_version": h.tool_version,
            "platform": h.platform,
            "pid": h.pid,
            "ppid": h.ppid,
            "start_unix_ms": h.start_unix_ms,
            "command": [h.exe, *h.args],
            "time_unit": h.time_unit,
            "duration_instrs": a.end_time,
            "duration_ms": a.wall_ms,
            "ending": ending_of(a.end, report.truncated_at,
                                {t: i.name for t, i in a.threads.items()}),
        },
        "log": {
            "path": report.log_path,
            "bytes": report.log_bytes,
            "format": f"{h.major}.{h.minor}",
            "complete": a.end is not None,
            "truncated_at": report.truncated_at,
        },
    }


def site_ref(site: Site) -> dict:
    return {"stack_id": site.stack.id, "label": site_label(site.stack)}


def cut(items: list, limit: int = LIST_LIMIT) -> tuple:
    """(the first `limit` items, whether all of them are there)."""
    return items[:limit], len(items) <= limit


# ---- the heap scans ---------------------------------------------------------

# Memcheck's names of the leak classes, in the order of its LEAK SUMMARY:
# the keys of summary.leaks and the values of "class".
LEAK_KEYS = {"definite": "definitely_lost", "indirect": "indirectly_lost",
             "possible": "possibly_lost", "reachable": "still_reachable"}
LOST_CLASSES = ("definite", "indirect", "possible")


def exit_detail(report: "Report") -> Optional[ScanDetail]:
    """The exit scan's blocks and roots (the last scan at exit, else the
    last scan), None when the log has no scan."""
    scan = report.analysis.exit_scan
    return scan.detail if scan is not None else None


def exit_detail_complete(report: "Report") -> bool:
    """Whether the exit scan's detail holds all of it: no limit cut it
    and the log does not end inside it."""
    scan = report.analysis.exit_scan
    return scan is None or scan.detail is None or \
        (scan.detail.complete and scan.totals is not None)


def leak_totals(scan: Optional[ScanInfo]) -> Optional[dict]:
    """A scan's SCAN_END as {class: {"blocks", "bytes"}}; None without
    one."""
    t = scan.totals if scan is not None else None
    if t is None:
        return None
    pairs = {"definite": (t.definite_blocks, t.definite_bytes),
             "indirect": (t.indirect_blocks, t.indirect_bytes),
             "possible": (t.possible_blocks, t.possible_bytes),
             "reachable": (t.reachable_blocks, t.reachable_bytes)}
    return {LEAK_KEYS[c]: {"blocks": n, "bytes": b}
            for c, (n, b) in pairs.items()}


def leak_totals_note(report: "Report") -> str:
    """Where summary.leaks comes from, or why it is null."""
    scan = report.analysis.exit_scan
    if scan is None:
        return ("null: the log has no heap scan (format 1.8 on: the tool "
                "scans at exit)")
    if scan.totals is None:
        return (f"null: the log ends inside the {scan.reason} scan at "
                f"instruction {scan.time}, before its totals")
    if scan.reason == "exit":
        return (f"Memcheck's LEAK SUMMARY, from the heap scan at exit "
                f"(instruction {scan.time})")
    return (f"Memcheck's LEAK SUMMARY, from the last heap scan "
            f"({scan.reason}, instruction {scan.time}): the log has no "
            f"scan at exit")


def leak_classes(classes: Dict[str, int]) -> Dict[str, int]:
    """Blocks per leak class, keyed and ordered as summary.leaks."""
    return {key: classes[c] for c, key in LEAK_KEYS.items() if c in classes}


def lost_blocks(detail: ScanDetail) -> List[ScanBlock]:
    """The scan's lost blocks: definitely, indirectly, then possibly
    lost, each by address."""
    order = {c: i for i, c in enumerate(LOST_CLASSES)}
    return sorted((b for b in detail.blocks.values()
                   if b.leak_class in order),
                  key=lambda b: (order[b.leak_class], b.addr))


def lost_block_json(report: "Report", b: ScanBlock,
                    owners: Dict[int, int]) -> dict:
    owner = owners.get(b.addr)
    block = b.block
    return {
        "address": hexaddr(b.addr),
        "size": b.size,
        "class": LEAK_KEYS[b.leak_class],
        "thread_id": block.thread if block is not None else 0,
        "name": b.name,
        "type_name": block.type_name if block is not None else "",
        "allocation_site": stack_ref(report, b.stack_id),
        "held_by": hexaddr(owner) if owner is not None else None,
    }


def scan_json(report: "Report", scan: ScanInfo) -> dict:
    """One entry of "snapshots"."""
    return {
        "index": scan.index,
        "time_instrs": scan.time,
        "reason": scan.reason,
        "thread_id": scan.thread,
        "stack": stack_ref(report, scan.stack_id),
        "blocks": scan.blocks,
        "bytes": scan.bytes,
        "leaks": leak_totals(scan),
        "analysed": scan is report.analysis.exit_scan,
    }


def structure_json(report: "Report", s: Structure) -> dict:
    return {
        "kind": s.kind,
        "nodes": len(s.nodes),
        "bytes": s.bytes,
        "depth": s.depth,
        "root": hexaddr(s.root),
        "root_variable": s.root_variable,
        "allocation_sites": [stack_ref(report, i) for i in s.stack_ids],
        "classes": leak_classes(s.classes),
    }


ROOT_GROUPS = ("global", "variable")


def relationships(report: "Report", limit: int = LIST_LIMIT) -> dict:
    """The exit scan's relationship graph: named roots and named blocks
    as landmarks, unnamed blocks grouped by allocation site ("site:" and
    the site's label: sites with one label are one node), edges counting
    the pointers from group to group.  The roots first, then the groups
    with most bytes, at most `limit` nodes."""
    detail = exit_detail(report)
    if detail is None or detail.graph is None:
        return {"analysed": False, "nodes": [], "edges": [],
                "complete": True,
                "note": "the log has no heap scan (format 1.8 on)"}
    graph = detail.graph
    nodes: Dict[str, dict] = {}
    ids = {}
    for key, g in graph.groups.items():
        if g.kind == "site":
            label = stack_label(report, g.stack_id, "(no stack)")
            node_id = f"site:{label}"
        else:
            label = g.name
            node_id = f"{g.kind}:{g.name}"
        ids[key] = node_id
        node = nodes.get(node_id)
        if node is None:
            node = nodes[node_id] = {
                "id": node_id, "kind": g.kind, "label": label,
                "address": None if g.kind == "site" else hexaddr(g.address),
                "stack_ids": [], "blocks": 0, "bytes": 0, "classes": {}}
        if g.kind == "site":
            node["stack_ids"].append(g.stack_id)
        node["blocks"] += g.blocks
        node["bytes"] += g.bytes
        for c, n in g.classes.items():
            node["classes"][c] = node["classes"].get(c, 0) + n
    # Every variable the program named is a landmark, pointer or not.
    for name in report.analysis.names:
        if name.is_heap or name.is_pointee:
            continue
        node_id = f"variable:{name.name}"
        if node_id not in nodes:
            nodes[node_id] = {
                "id": node_id, "kind": "variable", "label": name.name,
                "address": hexaddr(name.addr), "stack_ids": [], "blocks": 0,
                "bytes": 0, "classes": {}}
    ordered = sorted(nodes.values(),
                     key=lambda n: (n["kind"] not in ROOT_GROUPS,
                                    -n["bytes"], n["id"]))
    kept = ordered[:limit]
    for n in kept:
        n["stack_ids"].sort()
        n["classes"] = leak_classes(n["classes"])
    kept_ids = {n["id"] for n in kept}
    edges: Dict[Tuple[str, str], int] = {}
    for (src, dst), pointers in graph.group_edges.items():
        pair = (ids[src], ids[dst])
        if pair[0] in kept_ids and pair[1] in kept_ids:
            edges[pair] = edges.get(pair, 0) + pointers
    return {
        "analysed": True,
        "nodes": kept,
        "edges": [{"from": f, "to": t, "pointers": n} for (f, t), n in
                  sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))],
        "complete": len(kept) == len(ordered) and
        exit_detail_complete(report),
        "note": f"from the heap scan at instruction "
                f"{report.analysis.exit_scan.time}",
    }


# What lxml refuses in text and attributes: C0 controls but tab, newline
# and carriage return, lone surrogates (from undecodable names), and the
# two non-characters; and what a page must not obey: the Unicode
# direction controls (marks, embeddings, overrides, isolates), with which
# a name could show its text reordered.  Client names may hold any of
# them; the HTML and SVG show them escaped, the JSON files hold them as
# they are.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
                        "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def xml_safe(value):
    """value with every string made one XML can hold (the refused
    characters written as \\xNN or \\uNNNN); dicts and lists through."""
    if isinstance(value, str):
        return XML_UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if
                              ord(m.group()) < 0x100 else
                              f"\\u{ord(m.group()):04x}", value)
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [xml_safe(v) for v in value]
    return value
