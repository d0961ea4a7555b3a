"""NAME.html: the interactive report, one self-contained file that works
offline: the page is built with lxml's HTML builder (every client string
is escaped text), the chart libraries (Debian's libjs-dygraphs and
libjs-chart.js) and memscope's own script and style are inlined, the
relationship graph is laid out by Graphviz when the report is made, and a
Content-Security-Policy forbids every network fetch.

Sections: summary, memory timeline, threads, schedule, shared variables,
locks, atomics, race hints (with lock-order violations and lockset hints),
leaks (the exit scan's leak summary and lost blocks, every scan),
lifetimes, types, composite structures, relationship graph (of the exit
scan's variables and blocks, else of threads and named objects), flame
graph, allocation sites (DHAT-style records), live blocks at exit,
warnings, stacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zlib
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from lxml import etree
from lxml.builder import ElementMaker
from lxml.html import html_parser, tostring

from ..aggregate.hints import HintObject, RaceSide
from ..aggregate.synchronisation import LOCK_KINDS, LockRef
from .common import (LEAK_KEYS, WALL_MS_NOTE, Report, ending_of, exit_detail,
                     frame_label, hexaddr,
                     hint_object_description, is_allocator_frame,
                     leak_classes, leak_totals, leak_totals_note,
                     lock_label, lost_block_json, lost_blocks,
                     relationships, site_label, stack_label, thread_label,
                     xml_safe)
from .lifetime import site_json, sites_by_blocks

SCHEMA_VERSION = 1

class _SafeMaker:
    """lxml's ElementMaker with every string child and attribute made one
    XML can hold first (client names may carry control characters, which
    lxml refuses)."""

    def __init__(self, maker: ElementMaker):
        self._maker = maker

    def __getattr__(self, tag: str):
        make = getattr(self._maker, tag)

        def build(*children, **attrs):
            return make(*[xml_safe(c) if isinstance(c, str) else c
                          for c in children],
                        **{k: xml_safe(v) if isinstance(v, str) else v
                           for k, v in attrs.items()})
        return build


# HTML elements made by the HTML parser's factory, so that lxml serializes
# them as HTML (lxml.html.builder lacks the HTML5 elements).
E = _SafeMaker(ElementMaker(makeelement=html_parser.makeelement))

ASSETS = os.path.join(os.path.dirname(__file__), "assets")
# Where Debian installs the libraries (libjs-dygraphs, libjs-chart.js).
LIBRARIES = {
    "dygraphs": ["/usr/share/javascript/dygraphs/dygraph.min.js"],
    "chart.js": ["/usr/share/javascript/chart.js/chart.min.js",
                 "/usr/share/javascript/chart.js/Chart.min.js"],
}
DYGRAPH_CSS = ["/usr/share/javascript/dygraphs/dygraph.min.css"]
CSP = ("default-src 'none'; script-src 'unsafe-inline'; "
       "style-src 'unsafe-inline'; img-src data:")
TABLE_ROWS = 500          # rows per table; the JSON files hold the rest
GRAPH_NODES = 150         # the relationship graph stays readable
FLAME_MIN_FRACTION = 0.002


class MissingLibrary(Exception):
    """A JavaScript library the page inlines is not installed."""


# The Debian package that ships each library.
PACKAGES = {"dygraphs": "libjs-dygraphs", "chart.js": "libjs-chart.js"}


def _read_first(paths: Sequence[str], what: str) -> str:
    for p in paths:
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                return f.read()
    raise MissingLibrary(f"{what} is not installed ({paths[0]} is missing): "
                         f"install the Debian package {PACKAGES[what]}")


def check_libraries() -> None:
    """Raises MissingLibrary now, before any file is written, when a
    library the page inlines is not installed."""
    for name, paths in LIBRARIES.items():
        if not any(os.path.exists(p) for p in paths):
            _read_first(paths, name)


def _inline_js(code: str) -> str:
    # The page's parser ends a script at "</script": no library may hold
    # it (none does today), and source-map comments would make a browser
    # with developer tools open try to fetch.
    code = re.sub(r"//# sourceMappingURL=\S+", "", code)
    return code.replace("</script", "<\\/script")


def _json_for_script(data) -> str:
    """JSON that cannot end its <script> element nor open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


# ---- small builders -----------------------------------------------------------

def _num(n) -> str:
    if n is None:
        return "–"
    if isinstance(n, float):
        return f"{n:,.1f}"
    return f"{n:,}"


def _stack_link(stack_id: int, label: str):
    return E.a(label or "(no stack)", href=f"#stack-{stack_id}",
               **{"class": "stack-link"})


def _stack_cell(report: Report, stack_id: int):
    """A table cell linking to a stack of the Stacks section ("" when the
    log gave none), sorted by the stack's id."""
    stack = report.stacks.get(stack_id)
    if stack is None or not stack.frames:
        return "", stack_id
    return _stack_link(stack_id, site_label(stack)), stack_id


Cell = object   # text, number, or (display element/text, sort value)


def _table(table_id: str, columns: Sequence[Tuple[str, bool]],
           rows: Iterable[Sequence[Cell]], total: int,
           caption: Optional[str] = None,
           row_ids: Optional[Sequence[str]] = None):
    """A sortable, filterable table.  columns: (title, numeric); row_ids:
    an id for each row, the target of links to it."""
    head = E.tr(*[E.th(title, **{"data-numeric": "1" if numeric else "0"})
                  for title, numeric in columns])
    body = []
    for row in rows:
        cells = []
        for (title, numeric), value in zip(columns, row):
            if isinstance(value, tuple):
                shown, sort_value = value
            else:
                shown, sort_value = value, value
            if shown is None or isinstance(shown, (int, float)):
                shown = _num(shown)
            td = E.td(shown if isinstance(shown, (str, etree._Element))
                      else str(shown))
            if numeric:
                td.set("data-v", "" if sort_value is None
                       else str(sort_value))
                td.set("class", "num")
            cells.append(td)
        tr = E.tr(*cells)
        if row_ids is not None:
            tr.set("id", row_ids[len(body)])
        body.append(tr)
    parts = [E.input(type="search", placeholder="filter rows",
                     **{"class": "filter", "data-table": table_id})]
    if total > len(body):
        parts.append(E.p(f"showing {len(body):,} of {total:,} rows; the "
                         f"JSON files hold them all", **{"class": "note"}))
    table = E.table(E.thead(head), E.tbody(*body), id=table_id,
                    **{"class": "sortable"})
    if caption:
        table.insert(0, E.caption(caption))
    return E.div(*parts, table, **{"class": "table-wrap"})


def _section(sid: str, title: str, *content):
    return E.section(E.h2(title), *content, id=sid)


def _figure(label: str, value, element_id: str, title: str = ""):
    return E.div(E.div(label, **{"class": "label"}),
                 E.div(_num(value), id=element_id,
                       **{"class": "value", "data-value": str(value)}),
                 **{"class": "card", "title": title})


# ---- sections ---------------------------------------------------------------------

def _summary(report: Report):
    a = report.analysis
    h = a.heap
    cards = [
        _figure("allocations", h.allocs, "total-allocations",
                "Memcheck's count: malloc-like calls and reallocs"),
        _figure("frees", h.frees, "total-frees",
                "Memcheck's count, invalid frees and reallocs included"),
        _figure("bytes allocated", h.bytes_allocated, "total-bytes"),
        _figure("peak live bytes", h.peak_bytes, "peak-bytes",
                "DHAT's t-gmax"),
        _figure("peak live blocks", h.peak_blocks, "peak-blocks"),
        _figure("live bytes at exit", h.live_bytes, "live-bytes"),
        _figure("live blocks at exit", h.live_blocks, "live-blocks"),
        _figure("threads", len(a.threads), "thread-count"),
        _figure("named objects", len(a.names), "named-count"),
        _figure("invalid frees", h.invalid_frees, "invalid-frees"),
        _figure("warnings", len(a.warnings), "warning-count"),
        _figure("race hints", a.race_hint_count, "race-hint-count",
                "pairs of accesses to the same bytes by two threads, "
                "unordered by synchronisation (with --track-access)"),
        _figure("lock-order violations", a.lock_order_count,
                "lock-order-count",
                "pairs of locks taken in both orders: potential deadlocks"),
        _figure("instructions", a.end_time, "duration-instrs"),
    ]
    totals = leak_totals(a.exit_scan)
    if totals is not None:
        lost = totals["definitely_lost"]
        cards.insert(7, _figure(
            "definitely lost bytes", lost["bytes"], "definitely-lost-bytes",
            f"{lost['blocks']:,} blocks no pointer reaches; "
            + leak_totals_note(report)))
    return _section("summary", "Summary", E.div(*cards, **{"class": "cards"}))


def _timeline(report: Report):
    return _section(
        "timeline", "Memory timeline",
        E.p("Live heap bytes over time (guest instructions executed): the "
            "total, and per thread the bytes of the blocks it allocated. "
            "Drag to zoom, double-click to reset; hover for values.",
            **{"class": "note"}),
        E.div(E.div(id="timeline-chart"), **{"class": "chart"}),
        E.div(id="timeline-legend", **{"class": "legend"}))


def _threads(report: Report):
    a = report.analysis
    threads = sorted(a.threads.values(), key=lambda t: t.thread)
    total_work = sum(t.instrs for t in threads) or 1
    rows = []
    for t in threads:
        rows.append([
            (str(t.thread), t.thread), t.name, (str(t.parent), t.parent),
            t.allocs, t.bytes_allocated, t.frees, t.live_bytes,
            t.peak_live_bytes, t.instrs,
            (f"{100.0 * t.instrs / total_work:.1f}%", t.instrs),
            t.run_slices, t.sync_calls, t.blocked_instrs,
            (_stack_link(t.create_stack.id, site_label(t.create_stack))
             if t.create_stack.frames else "", t.create_stack.id),
        ])
    return _section(
        "threads", "Threads",
        E.p("Work is the instructions a thread executed during its run "
            "slices; a balanced pool shows bars of equal length.",
            **{"class": "note"}),
        E.div(E.canvas(id="threads-chart"), **{"class": "chart"}),
        _table("threads-table",
               [("thread", True), ("name", False), ("parent", True),
                ("allocs", True), ("bytes", True), ("frees", True),
                ("live at exit", True), ("peak live", True),
                ("work (instrs)", True), ("share", True),
                ("run slices", True), ("sync calls", True),
                ("blocked (instrs)", True), ("created at", False)],
               rows, len(rows)))


def _locks(report: Report):
    a = report.analysis
    # Variables only: a heap lock took its block's name when it was seen.
    names = {n.addr: n.name for n in a.names if not n.is_heap}
    locks = sorted((s for s in a.sync.values() if s.kind in LOCK_KINDS),
                   key=lambda s: (-s.acquisitions, s.addr))
    rows = []
    for s in locks[:TABLE_ROWS]:
        share = (100.0 * s.contended / s.acquisitions) if s.acquisitions \
            else None
        misuse = s.unlock_not_held + s.destroyed_while_held + s.exit_holding
        rows.append([
            s.name or names.get(s.addr, ""), (hexaddr(s.addr), s.addr),
            s.kind, s.acquisitions, s.contended,
            (f"{share:.1f}%" if share is not None else "–", share),
            s.failed_tries, s.wait_instrs, s.hold_instrs,
            f"{s.reads:,} / {s.writes:,}" if s.kind == "rwlock" else "",
            s.max_holders,
            ", ".join(f"#{tid}: {t.acquisitions:,}"
                      for tid, t in sorted(s.threads.items())),
            misuse,
            (_stack_link(s.stack.id, site_label(s.stack))
             if s.stack.frames else "", s.stack.id),
        ])
    return _section(
        "locks", "Locks",
        E.p("Every mutex, reader-writer lock and spinlock the program used: "
            "acquisitions, how many found the lock held by another thread, "
            "time spent waiting for it and holding it (in instructions run "
            "meanwhile), readers and writers, the most threads holding it "
            "at once, acquisitions per thread, and misuse (unlock of a lock "
            "not held, destroy of a held lock, exit while holding).",
            **{"class": "note"}),
        _table("locks-table",
               [("name", False), ("address", True), ("kind", False),
                ("acquisitions", True), ("contended", True),
                ("contended %", True), ("failed tries", True),
                ("wait (instrs)", True), ("hold (instrs)", True),
                ("reads / writes", False), ("max holders", True),
                ("per thread", False), ("misuse", True),
                ("first seen at", False)],
               rows, len(locks)))


def _atomics(report: Report):
    a = report.analysis
    targets = sorted(a.atomic_targets.values(),
                     key=lambda t: (-sum(sum(r) for r in t.threads.values()),
                                    t.addr))
    rows = []
    for t in targets[:TABLE_ROWS]:
        totals = [sum(r[i] for r in t.threads.values()) for i in range(6)]
        rows.append([
            t.name or "(unnamed)", (hexaddr(t.addr), t.addr), t.kind,
            sum(totals), totals[0], totals[1], totals[2],
            totals[3] + totals[4] + totals[5],
            ", ".join(f"#{tid}: {sum(r):,}"
                      for tid, r in sorted(t.threads.items())),
            "; ".join(sorted(site_label(s) for s in t.sites.values())),
        ])
    fences = sum(t.fences for t in a.threads.values())
    return _section(
        "atomics", "Atomic operations",
        E.p(f"Atomic instructions by variable (named through memscope.h), "
            f"heap block or address: read-modify-writes (LOCK-prefixed "
            f"instructions, XCHG), compare-and-swaps that succeeded and "
            f"failed, load-linked/store-conditional, per thread. "
            f"{fences:,} memory fences in all.", **{"class": "note"}),
        _table("atomics-table",
               [("variable", False), ("address", True), ("kind", False),
                ("operations", True), ("read-modify-write", True),
                ("CAS ok", True), ("CAS failed", True), ("LL/SC", True),
                ("per thread", False), ("code sites", False)],
               rows, len(targets)))


SHARED_ORDER = {"shared-modified": 0, "shared-read": 1, "exclusive": 2}


def _shared_rows(report: Report) -> List[int]:
    """The indices in Analysis.shared of the objects the shared-variables
    table lists, in its order (row i has the id shared-<index>)."""
    shared = report.analysis.shared
    return sorted(range(len(shared)),
                  key=lambda i: (SHARED_ORDER[shared[i].state],
                                 shared[i].addr, i))[:TABLE_ROWS]


def _shared(report: Report):
    """The thread-by-variable access matrix."""
    a = report.analysis
    threads = sorted(a.threads)[:16]
    lock_names = {s.addr: s.name or hexaddr(s.addr) for s in a.sync.values()}
    rows = []
    listed = _shared_rows(report)
    for o in (a.shared[i] for i in listed):
        row = [o.name or "(unnamed)", (hexaddr(o.addr), o.addr), o.kind,
               o.state, ", ".join(lock_names.get(lock, hexaddr(lock))
                                  for lock in o.common_locks)]
        for tid in threads:
            r = o.threads.get(tid)
            if r is None:
                row.append(("", -1))
            else:
                row.append((f"{r.reads:,} r / {r.writes:,} w"
                            + (f" / {r.atomic:,} a" if r.atomic else "")
                            + (f" ({r.locked:,} locked)" if r.locked
                               else ""), r.reads + r.writes + r.atomic))
        rows.append(row)
    return _section(
        "shared", "Shared variables",
        E.p(f"Which threads read (r), wrote (w) and atomically updated (a) "
            f"each named variable and heap block, how many of those "
            f"accesses held a lock, the Eraser state (exclusive, "
            f"shared-read, shared-modified) and the locks held at every "
            f"access once shared. {a.exclusive_blocks:,} unnamed heap "
            f"blocks used by one thread only are left out.",
            **{"class": "note"}),
        _table("shared-table",
               [("variable", False), ("address", True), ("kind", False),
                ("state", False), ("common locks", False)]
               + [(f"#{tid}", True) for tid in threads],
               rows, len(a.shared),
               row_ids=[f"shared-{i}" for i in listed]))


SCHEDULE_WIDTH = 1100      # pixels of time axis
SCHEDULE_ROW = 22


def _pixel_runs(intervals, scale):
    """Merged [x0, x1) pixel runs covering the intervals."""
    cols = sorted((int(s * scale), max(int(s * scale) + 1, int(e * scale)))
                  for s, e in intervals)
    runs = []
    for x0, x1 in cols:
        if runs and x0 <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    return runs


def _schedule(report: Report):
    """Who ran and who waited on what, when: one row per thread, run
    slices in blue and waits in orange, drawn in SVG at pixel resolution
    (neighbouring slices merge)."""
    a = report.analysis
    threads = sorted(a.threads.values(), key=lambda t: t.thread)[:40]
    end = max(a.end_time, 1)
    scale = SCHEDULE_WIDTH / end
    label_w = 150
    height = SCHEDULE_ROW * len(threads) + 24
    svg = etree.Element("svg", id="schedule", width=str(label_w +
                        SCHEDULE_WIDTH + 10), height=str(height))
    names = {s.addr: s.name for s in a.sync.values() if s.name}
    for row, t in enumerate(threads):
        y = row * SCHEDULE_ROW
        label = etree.SubElement(svg, "text", x="0", y=str(y + 15))
        label.text = xml_safe(f"#{t.thread} {t.name}".strip()[:22])
        runs = _pixel_runs([(s, e) for th, s, e in a.slices
                            if th == t.thread], scale)
        for x0, x1 in runs:
            etree.SubElement(svg, "rect", x=str(label_w + x0), y=str(y + 3),
                             width=str(x1 - x0), height="14",
                             fill="#4e79a7")
        waits = [(s, e, op, obj) for th, s, e, op, obj in a.waits
                 if th == t.thread]
        for s, e, op, obj in waits:
            x0 = int(s * scale)
            w = max(1, int(e * scale) - x0)
            g = etree.SubElement(svg, "g")
            title = etree.SubElement(g, "title")
            what = names.get(obj, hexaddr(obj) if obj else "")
            title.text = xml_safe(
                f"thread {t.thread} waited in {op} {what} for "
                f"{e - s:,} instructions (from {s:,})".strip())
            etree.SubElement(g, "rect", x=str(label_w + x0), y=str(y + 8),
                             width=str(w), height="9", fill="#f28e2b")
    axis = etree.SubElement(svg, "text", x=str(label_w),
                            y=str(height - 4))
    axis.text = f"0 … {a.end_time:,} instructions"
    note = ("" if a.schedule_complete else
            " Only the first 20,000 slices and waits are drawn.")
    return _section(
        "schedule", "Schedule",
        E.p("Who ran when (blue: run slices) and who waited on what "
            "(orange: time in lock, condition, semaphore, barrier, join "
            "and once calls; hover for the call and object), over the "
            "tool's time." + note, **{"class": "note"}),
        E.div(svg, **{"class": "graph"}))


def _types(report: Report):
    return _section(
        "types", "Type distribution",
        E.p("Bytes by the type names that memscope.h requests gave, and by "
            "allocation site.", **{"class": "note"}),
        E.div(E.div(E.h3("By type"), E.canvas(id="types-chart"),
                    **{"class": "chart half"}),
              E.div(E.h3("By allocation site"), E.canvas(id="sites-chart"),
                    **{"class": "chart half"}),
              **{"class": "row"}))


def _dot_quote(*lines: str) -> str:
    """A DOT string of these lines: client text stays text (control and
    direction characters escaped as in the tables, then quotes and
    backslashes escaped, so no escape sequence of Graphviz's survives)."""
    out = []
    for text in lines:
        text = xml_safe(text).replace("\t", " ").replace("\n", " ") \
            .replace("\r", " ")
        out.append(text.replace("\\", "\\\\").replace('"', '\\"'))
    return '"' + "\\n".join(out) + '"'


DOT_HEAD = ["digraph memscope {", "rankdir=LR;",
            'node [fontname="DejaVu Sans", fontsize=10];',
            'edge [fontname="DejaVu Sans", fontsize=9];']
LOST_FILL = "#f6c6c0"     # a node holding lost blocks


def _heap_graph_dot(rel: dict) -> Tuple[str, int]:
    """The exit scan's relationship graph in DOT: named globals and
    variables (landmarks), named blocks, and unnamed blocks grouped by
    allocation site; edges labelled with the pointers between them."""
    lines = list(DOT_HEAD)
    dot_ids = {}
    for i, node in enumerate(rel["nodes"][:GRAPH_NODES]):
        dot_ids[node["id"]] = f"h{i}"
        lost = {k: n for k, n in node["classes"].items()
                if k != "still_reachable"}
        detail = [f"{n:,} {_class_text(k)}" for k, n in lost.items()]
        if node["kind"] in ("global", "variable"):
            attrs = 'shape=ellipse, style="filled,bold", fillcolor="#dbe9f6"'
            label = _dot_quote(node["label"], f"({node['kind']} "
                               f"{node['address']})")
        else:
            shape = "box" if node["kind"] == "block" else "note"
            fill = LOST_FILL if lost else "#f2f2f2"
            attrs = f'shape={shape}, style=filled, fillcolor="{fill}"'
            label = _dot_quote(node["label"],
                               f"{node['blocks']:,} blocks, "
                               f"{node['bytes']:,} B", *detail)
        lines.append(f"h{i} [{attrs}, label={label}];")
    for edge in rel["edges"]:
        src, dst = dot_ids.get(edge["from"]), dot_ids.get(edge["to"])
        if src is not None and dst is not None:
            lines.append(f"{src} -> {dst} [label=\"{edge['pointers']:,}\"];")
    lines.append("}")
    return "\n".join(lines), len(dot_ids)


def _graph_dot(report: Report) -> Tuple[str, int]:
    """Without a heap scan, the relationship graph in DOT: threads, named
    objects, and the unnamed live blocks grouped by site; edges for who
    allocated or named what and for pointer variables to the blocks they
    point to."""
    a = report.analysis
    lines = list(DOT_HEAD)
    nodes = 0
    for t in sorted(a.threads.values(), key=lambda t: t.thread):
        if nodes >= GRAPH_NODES:
            break
        lines.append(f"t{t.thread} [shape=box, style=filled, "
                     f"fillcolor=\"#dbe9f6\", label="
                     f"{_dot_quote(f'thread {t.thread} {t.name}'.strip())}];")
        nodes += 1
    by_key: Dict[Tuple[int, int], str] = {}
    var_of_time: Dict[Tuple[int, int], str] = {}
    for i, n in enumerate(a.names):
        if nodes >= GRAPH_NODES:
            break
        node = f"n{i}"
        shape = "ellipse" if n.is_variable else "box"
        kind = "variable" if n.is_variable else (
            "block" if n.is_heap else "object")
        label = _dot_quote(f"{n.name or '(unnamed)'} ({kind}, "
                           f"{n.size:,} B)" +
                           (f" : {n.type_name}" if n.type_name else ""))
        lines.append(f"{node} [shape={shape}, label={label}];")
        nodes += 1
        by_key[(n.addr, n.time)] = node
        if n.is_variable:
            var_of_time[(n.time, n.stack.id)] = node
            lines.append(f"t{n.thread} -> {node} [label=\"names\", "
                         f"color=\"#888888\"];")
        elif n.is_pointee and (n.time, n.stack.id) in var_of_time:
            lines.append(f"{var_of_time[(n.time, n.stack.id)]} -> {node} "
                         f"[label=\"points to\"];")
        else:
            lines.append(f"t{n.thread} -> {node} [label=\"names\", "
                         f"color=\"#888888\"];")
    # Locks and atomic variables, with the threads that used them: what
    # the threads share.
    shared = [(f"l{i}", s.name or hexaddr(s.addr), s.kind,
               {tid: t.acquisitions for tid, t in s.threads.items()
                if t.acquisitions})
              for i, s in enumerate(sorted(
                  (s for s in a.sync.values() if s.kind in LOCK_KINDS),
                  key=lambda s: -s.acquisitions))]
    shared += [(f"a{i}", t.name or hexaddr(t.addr), "atomic " + t.kind,
                {tid: sum(r) for tid, r in t.threads.items()})
               for i, t in enumerate(sorted(
                   (t for t in a.atomic_targets.values() if t.name),
                   key=lambda t: t.addr))]
    shared += [(f"s{i}", o.name or hexaddr(o.addr), o.state,
                {tid: r.reads + r.writes + r.atomic
                 for tid, r in o.threads.items()})
               for i, o in enumerate(sorted(
                   (o for o in a.shared
                    if o.state != "exclusive" and o.name),
                   key=lambda o: o.addr))]
    for node, label, kind, users in shared:
        if nodes >= GRAPH_NODES or not users:
            continue
        lines.append(f"{node} [shape=hexagon, style=filled, "
                     f"fillcolor=\"#fde2c4\", "
                     f"label={_dot_quote(f'{label} ({kind})')}];")
        nodes += 1
        for tid, n in sorted(users.items()):
            lines.append(f"t{tid} -> {node} [label=\"{n:,}\", "
                         f"color=\"#d07000\"];")
    # Unnamed live blocks, grouped by site, from the thread that made them.
    groups: Dict[Tuple[int, int], List[int]] = {}
    for b in a.live.values():
        if not b.name:
            g = groups.setdefault((b.thread, b.stack_id), [0, 0])
            g[0] += 1
            g[1] += b.size
    for (thread, stack_id), (count, size) in sorted(
            groups.items(), key=lambda kv: -kv[1][1]):
        if nodes >= GRAPH_NODES:
            break
        label = _dot_quote(f"{count:,} live blocks, {size:,} B from "
                           f"{stack_label(report, stack_id, '?')}")
        lines.append(f"g{thread}_{stack_id} [shape=note, label={label}];")
        lines.append(f"t{thread} -> g{thread}_{stack_id} "
                     f"[label=\"allocated\", color=\"#888888\"];")
        nodes += 1
    lines.append("}")
    return "\n".join(lines), nodes


def _strip_namespaces(root: etree._Element) -> etree._Element:
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
        for k in list(el.attrib):
            local = etree.QName(k).localname
            if local != k:
                el.attrib[local] = el.attrib.pop(k)
    etree.cleanup_namespaces(root)
    return root


def _graph(report: Report):
    rel = relationships(report, GRAPH_NODES)
    if rel["analysed"]:
        dot_source, nodes = _heap_graph_dot(rel)
        what = (f"The exit heap scan's pointers: named globals and "
                f"variables (blue, the landmarks), named blocks, and "
                f"unnamed blocks grouped by allocation site (red when "
                f"some are lost); edges are labelled with the pointers "
                f"from one to the other. {nodes} nodes (at most "
                f"{GRAPH_NODES}).")
    else:
        dot_source, nodes = _graph_dot(report)
        what = (f"Threads (blue), the objects the program named through "
                f"memscope.h, pointer variables to the blocks they point "
                f"to, the locks, named atomic variables and named shared "
                f"variables the threads share (orange, edges labelled with "
                f"acquisitions or accesses), and unnamed live blocks "
                f"grouped by allocation site; {nodes} nodes (at most "
                f"{GRAPH_NODES}). With a heap scan (format 1.8 on) the "
                f"graph shows the pointers between variables and blocks.")
    content = []
    dot = shutil.which("dot")
    if dot is None:
        content.append(E.p("Graphviz (dot) is not installed, so the graph "
                           "was not laid out: install the Debian package "
                           "graphviz.", **{"class": "note"}))
    else:
        try:
            done = subprocess.run([dot, "-Tsvg"], input=dot_source.encode(),
                                  capture_output=True, timeout=60)
            parser = etree.XMLParser(resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=False)
            root = etree.fromstring(done.stdout, parser)
            svg = _strip_namespaces(root)
            svg.set("id", "relationship-graph")
            for bad in svg.iter("script", "foreignObject"):
                bad.getparent().remove(bad)
            content.append(E.div(svg, **{"class": "graph"}))
        except (subprocess.SubprocessError, OSError, etree.XMLSyntaxError) \
                as e:
            content.append(E.p(f"Graphviz failed to lay the graph out "
                               f"({type(e).__name__}).", **{"class": "note"}))
    return _section("graph", "Variable relationship graph",
                    E.p(what, **{"class": "note"}), *content)


def _flame_tree(report: Report) -> dict:
    """Sites merged into a call tree, outermost frame first; weight bytes."""
    root = {"name": "all", "bytes": 0, "allocs": 0, "children": {}}
    for s in report.analysis.sites.values():
        frames = [f for f in s.stack.frames if not is_allocator_frame(f)]
        node = root
        root["bytes"] += s.bytes
        root["allocs"] += s.allocs
        for f in reversed(frames):
            name = f.function or "???"
            where = f"{f.file}:{f.line}" if f.file else f.object
            key = f"{name} ({where})" if where else name
            child = node["children"].get(key)
            if child is None:
                child = node["children"][key] = {
                    "name": key, "bytes": 0, "allocs": 0, "children": {}}
            child["bytes"] += s.bytes
            child["allocs"] += s.allocs
            node = child
    return root


def _flame(report: Report):
    """An icicle-style flame graph (root on top), in SVG; the script
    zooms into a frame on click."""
    tree = _flame_tree(report)
    total = tree["bytes"] or 1
    row_h = 18
    rects = []
    depth_max = 0

    def walk(node, left: float, depth: int) -> None:
        nonlocal depth_max
        width = node["bytes"] / total
        if width < FLAME_MIN_FRACTION and depth > 0:
            return
        depth_max = max(depth_max, depth)
        pct = 100.0 * node["bytes"] / total
        title = (f"{node['name']}: {node['bytes']:,} bytes in "
                 f"{node['allocs']:,} allocations ({pct:.1f}%)")
        g = E.g(etree.Element("title"), **{
            "class": "frame", "data-l": f"{left:.6f}",
            "data-w": f"{width:.6f}", "data-d": str(depth)})
        g[0].text = xml_safe(title)
        # A hash of the name that is the same in every run (Python's
        # hash() of a str is salted per process).
        hue = 20 + zlib.crc32(node["name"].encode("utf-8", "replace")) % 40
        g.append(etree.Element("rect", y=str(depth * row_h),
                               height=str(row_h - 1),
                               fill=f"hsl({hue},80%,60%)"))
        label = etree.Element("text", y=str(depth * row_h + 13))
        label.text = xml_safe(node["name"])
        g.append(label)
        rects.append(g)
        x = left
        for child in sorted(node["children"].values(),
                            key=lambda c: c["name"]):
            walk(child, x, depth + 1)
            x += child["bytes"] / total

    walk(tree, 0.0, 0)
    svg = etree.Element("svg", id="flame-graph", width="100%",
                        height=str((depth_max + 1) * row_h))
    for g in rects:
        svg.append(g)
    return _section(
        "flame", "Allocation flame graph",
        E.p("Bytes allocated by call stack, callers above callees (as "
            "heaptrack draws them); width is the share of all bytes. Click "
            "a frame to zoom into it, the top bar to zoom out.",
            **{"class": "note"}),
        E.div(svg, **{"class": "flame"}))


def _sites(report: Report):
    a = report.analysis
    sites = sorted(a.sites.values(), key=lambda s: (-s.bytes, s.stack.id))
    rows = []
    for s in sites[:TABLE_ROWS]:
        avg = s.lifetime_sum / s.frees if s.frees else None
        rows.append([
            (_stack_link(s.stack.id, site_label(s.stack)), s.stack.id),
            s.allocs, s.bytes, s.peak_blocks, s.peak_bytes, s.live_blocks,
            s.live_bytes, s.max_live_bytes,
            (_num(avg) if avg is not None else "–", avg),
            s.temporary, s.cross_thread_frees,
            ", ".join(f"#{t}" for t in sorted(s.threads)),
        ])
    return _section(
        "sites", "Allocation sites",
        E.p("One row per allocation stack, as DHAT's program points: in "
            "total, at the global peak (t-gmax), at exit, the most live at "
            "once, the average lifetime of freed blocks (instructions), "
            "temporary allocations (freed before any other allocation) and "
            "frees by another thread.", **{"class": "note"}),
        _table("sites-table",
               [("site", False), ("blocks", True), ("bytes", True),
                ("blocks at peak", True), ("bytes at peak", True),
                ("blocks at exit", True), ("bytes at exit", True),
                ("max live bytes", True), ("avg lifetime", True),
                ("temporary", True), ("freed by other thread", True),
                ("threads", False)],
               rows, len(sites)))


def _live(report: Report):
    a = report.analysis
    live = sorted(a.live.values(), key=lambda b: (-b.size, b.addr))
    rows = []
    for b in live[:TABLE_ROWS]:
        rows.append([
            (hexaddr(b.addr), b.addr), b.size, b.kind, b.name, b.type_name,
            (str(b.thread), b.thread),
            (_stack_link(b.stack_id, stack_label(report, b.stack_id)),
             b.stack_id),
            b.alloc_time,
        ])
    return _section(
        "live", "Live blocks at exit",
        _table("live-table",
               [("address", True), ("size", True), ("kind", False),
                ("name", False), ("type", False), ("thread", True),
                ("allocated at", False), ("time (instrs)", True)],
               rows, len(live)))


def _class_text(key: str) -> str:
    """"definitely lost" for definitely_lost."""
    return key.replace("_", " ")


NO_SCAN = ("No heap scan in this log: the tool scans the heap at exit "
           "(log format 1.8 on), and at MEMSCOPE_SNAPSHOT().")


def _leaks(report: Report):
    """Memcheck's LEAK SUMMARY from the exit scan, the lost blocks (each
    with its allocation stack, an indirectly lost one with the definitely
    lost block holding it), and every scan."""
    a = report.analysis
    detail = exit_detail(report)
    source = leak_totals_note(report)
    if source.startswith("null: "):
        source = "No leak summary: " + source[len("null: "):]
    content = [E.p("Every live block is classified as Memcheck's leak "
                   "check does: still reachable (a chain of pointers to "
                   "its start from a root: globals, stacks, registers), "
                   "possibly lost (reached only through pointers inside "
                   "it), indirectly lost (not reached, but pointed to by "
                   "a lost block), definitely lost (not reached, and no "
                   "lost block points to it). " + source + ".",
                   **{"class": "note"})]
    if detail is None:
        content.append(E.p(NO_SCAN, id="leaks-empty", **{"class": "empty"}))
        return _section("leaks", "Leaks", *content)
    totals = leak_totals(a.exit_scan)
    if totals is not None:
        content.append(_table(
            "leak-summary-table",
            [("class", False), ("blocks", True), ("bytes", True)],
            [[_class_text(key), v["blocks"], v["bytes"]]
             for key, v in totals.items()], len(totals),
            caption="LEAK SUMMARY"))
    lost = lost_blocks(detail)
    listed = lost[:TABLE_ROWS]
    shown = {b.addr for b in listed}
    rows = []
    for b in listed:
        j = lost_block_json(report, b, detail.graph.owners)
        owner = detail.graph.owners.get(b.addr)
        held = "" if owner is None else (
            (E.a(j["held_by"], href=f"#leak-{j['held_by']}",
                 **{"class": "leak-link"}), owner)
            if owner in shown else (j["held_by"], owner))
        rows.append([
            (j["address"], b.addr), _class_text(j["class"]), j["size"],
            j["name"], j["type_name"], (str(j["thread_id"]), j["thread_id"]),
            _stack_cell(report, b.stack_id), held])
    if rows:
        content.append(_table(
            "leaks-table",
            [("address", True), ("class", False), ("size", True),
             ("name", False), ("type", False), ("thread", True),
             ("allocated at", False), ("held by", True)],
            rows, len(lost),
            caption="Lost blocks: definitely, indirectly, then possibly "
                    "lost; \"held by\" is the definitely lost block an "
                    "indirectly lost one is reached from.",
            row_ids=[f"leak-{hexaddr(b.addr)}" for b in listed]))
    else:
        content.append(E.p("No lost blocks: every live block was still "
                           "reachable.", id="leaks-none",
                           **{"class": "empty"}))
    rows = []
    for scan in a.scans[:TABLE_ROWS]:
        scan_totals = leak_totals(scan) or {}
        rows.append([
            (str(scan.index), scan.index), scan.reason, scan.time,
            (str(scan.thread), scan.thread),
            _stack_cell(report, scan.stack_id), scan.blocks, scan.bytes,
            *[scan_totals.get(key, {}).get("bytes")
              for key in LEAK_KEYS.values()]])
    content.append(E.h3("Heap scans"))
    content.append(_table(
        "snapshots-table",
        [("#", True), ("reason", False), ("time (instrs)", True),
         ("thread", True), ("at", False), ("blocks", True), ("bytes", True)]
        + [(f"{_class_text(key)} (bytes)", True)
           for key in LEAK_KEYS.values()],
        rows, a.scan_count))
    return _section("leaks", "Leaks", *content)


def _lifetimes(report: Report):
    """DHAT's per-site lifetimes, as NAME_lifetime.json lists them."""
    sites = sites_by_blocks(report)
    rows = []
    for s in sites[:TABLE_ROWS]:
        j = site_json(s)
        rows.append([
            (_stack_link(s.stack.id, j["label"]), s.stack.id), j["blocks"],
            j["bytes"], j["freed"], j["avg_lifetime_instrs"],
            j["max_lifetime_instrs"], j["max_live_blocks"],
            j["max_live_bytes"], j["temporary"], j["freed_by_other_thread"],
            j["live_at_exit"]])
    return _section(
        "lifetimes", "Lifetimes",
        E.p("How long each site's blocks lived, as DHAT shows it: the "
            "average and longest lifetime of the freed blocks "
            "(instructions), the most live at once, short-lived blocks "
            "(freed before any other allocation) and blocks freed by "
            "another thread.", **{"class": "note"}),
        _table("lifetime-table",
               [("site", False), ("blocks", True), ("bytes", True),
                ("freed", True), ("avg lifetime", True),
                ("max lifetime", True), ("max live blocks", True),
                ("max live bytes", True), ("short-lived", True),
                ("freed by other thread", True), ("live at exit", True)],
               rows, len(sites)))


def _structures(report: Report):
    """The exit scan's linked lists, trees, graphs and cycles."""
    detail = exit_detail(report)
    content = [E.p("Composite structures found in the pointers between "
                   "the blocks live at the exit scan: cycles (strongly "
                   "connected blocks, or a block pointing to itself), "
                   "then linked lists, trees and other graphs of 3 or more "
                   "blocks. Depth: blocks on the longest path from the "
                   "root; for a cycle, on the shortest cycle through it. "
                   "The root variable is the named global or variable "
                   "pointing to the root, else the root block's name.",
                   **{"class": "note"})]
    found = detail.graph.structures if detail is not None else []
    if not found:
        content.append(E.p(NO_SCAN if detail is None else
                           "No composite structures: no cycle, and no 3 "
                           "blocks linked together.",
                           id="structures-empty", **{"class": "empty"}))
        return _section("structures", "Composite structures", *content)
    rows = []
    for st in found[:TABLE_ROWS]:
        sites = E.span()
        for i, stack_id in enumerate(st.stack_ids):
            if i:
                sites.append(E.br())
            link, _ = _stack_cell(report, stack_id)
            sites.append(E.span("(no stack)") if isinstance(link, str)
                         else link)
        rows.append([
            st.kind, len(st.nodes), st.bytes, st.depth,
            (hexaddr(st.root), st.root), st.root_variable or "",
            (sites, len(st.stack_ids)),
            ", ".join(f"{n:,} {_class_text(key)}"
                      for key, n in leak_classes(st.classes).items())])
    content.append(_table(
        "structures-table",
        [("kind", False), ("blocks", True), ("bytes", True),
         ("depth", True), ("root", True), ("root variable", False),
         ("allocation sites", False), ("leak classes", False)],
        rows, len(found)))
    return _section("structures", "Composite structures", *content)


def _locks_text(locks: Optional[Sequence[LockRef]]) -> str:
    if locks is None:
        return "unknown"
    return ", ".join(lock_label(lock) for lock in locks) or "none"


def _access_text(side: RaceSide) -> str:
    """"#3 worker: write 4 bytes", atomic or not."""
    return (f"{thread_label(side.thread, side.thread_name)}: {side.kind} "
            f"{side.size:,} bytes" + (" (atomic)" if side.atomic else "")
            + (" holding only a read lock" if side.under_read_lock else ""))


def _object_cell(report: Report, obj: HintObject, offset: Optional[int],
                 listed: set):
    """The object in words, linked to its row of the shared-variables
    table when that table lists it."""
    text = hint_object_description(report, obj, offset)
    if obj.shared_index in listed:
        return E.a(text, href=f"#shared-{obj.shared_index}",
                   **{"class": "shared-link"}), text
    return text


def _races(report: Report):
    """Race hints, lock-order violations and lockset hints: one row each,
    the objects linked to the shared-variables table, the stacks to the
    Stacks section."""
    a = report.analysis
    listed = set(_shared_rows(report))
    content = [E.p("The tool's race hints: two threads accessed the same "
                   "bytes, at least one writing, not both atomically, and "
                   "no synchronisation ordered one before the other. Race "
                   "hints need --track-access=yes and cover what this run "
                   "did, not every schedule.", **{"class": "note"})]
    if a.race_hints:
        rows = [[
            (str(h.id), h.id),
            _object_cell(report, h.object, h.offset, listed),
            (hexaddr(h.addr), h.addr),
            _access_text(h.access), _locks_text(h.access.locks),
            _stack_cell(report, h.access.stack_id),
            _access_text(h.other), _locks_text(h.other.locks),
            _stack_cell(report, h.other.stack_id),
            (f"{h.occurrences:,}", h.occurrences),
        ] for h in a.race_hints[:TABLE_ROWS]]
        content.append(_table(
            "races-table",
            [("#", True), ("variable", False), ("address", True),
             ("access", False), ("locks held", False), ("at", False),
             ("other access", False), ("other's locks", False),
             ("other at", False), ("times", True)],
            rows, a.race_hint_count,
            row_ids=[f"race-{h.id}" for h in a.race_hints[:TABLE_ROWS]]))
    else:
        content.append(E.p("No race hints: no two threads made unordered "
                           "conflicting accesses that the tool saw.",
                           id="races-empty", **{"class": "empty"}))
    content.append(E.h3("Lock order"))
    if a.lock_orders:
        rows = [[
            (str(h.id), h.id), thread_label(h.thread, h.thread_name),
            lock_label(h.lock), _stack_cell(report, h.stack_id),
            lock_label(h.held), _stack_cell(report, h.held_stack_id),
            _stack_cell(report, h.first_stack_id),
            _stack_cell(report, h.second_stack_id),
        ] for h in a.lock_orders[:TABLE_ROWS]]
        content.append(_table(
            "lock-order-table",
            [("#", True), ("thread", False), ("acquires", False),
             ("at", False), ("while holding", False),
             ("held since", False), ("earlier, first took it at", False),
             ("then the other at", False)],
            rows, a.lock_order_count,
            caption="Locks taken in both orders: each row could deadlock "
                    "with the earlier order.",
            row_ids=[f"lock-order-{h.id}"
                     for h in a.lock_orders[:TABLE_ROWS]]))
    else:
        content.append(E.p("No lock-order violations: the tool saw no two "
                           "locks taken in both orders.",
                           id="lock-order-empty", **{"class": "empty"}))
    if a.lockset_hints:
        content.append(E.h3("Lockset hints"))
        rows = [[
            (str(h.id), h.id),
            _object_cell(report, h.object, None, listed),
            thread_label(h.thread, h.thread_name),
            _stack_cell(report, h.stack_id),
        ] for h in a.lockset_hints[:TABLE_ROWS]]
        content.append(_table(
            "lockset-table",
            [("#", True), ("variable", False), ("thread", False),
             ("lockset emptied at", False)],
            rows, a.lockset_hint_count,
            caption="Eraser: shared, modified, and no lock held at every "
                    "access since it became shared."))
    return _section("races", "Race hints", *content)


def _warnings(report: Report):
    a = report.analysis
    items = [E.li(f"thread {w.thread}, instruction {w.time:,}: {w.text}")
             for w in a.warnings[:TABLE_ROWS]]
    if not items:
        items = [E.li("none")]
    return _section("warnings", "Warnings", E.ul(*items, id="warning-list"))


def _hint_stacks(report: Report) -> set:
    a = report.analysis
    used = set()
    for h in a.race_hints[:TABLE_ROWS]:
        used |= {h.access.stack_id, h.other.stack_id,
                 h.object.alloc_stack_id}
    for o in a.lock_orders[:TABLE_ROWS]:
        used |= {o.stack_id, o.held_stack_id, o.first_stack_id,
                 o.second_stack_id}
    for k in a.lockset_hints[:TABLE_ROWS]:
        used |= {k.stack_id, k.object.alloc_stack_id}
    return used


def _scan_stacks(report: Report) -> set:
    """The stacks the leak and structure tables link to."""
    used = {scan.stack_id for scan in report.analysis.scans[:TABLE_ROWS]}
    detail = exit_detail(report)
    if detail is not None:
        used |= {b.stack_id for b in lost_blocks(detail)[:TABLE_ROWS]}
        for st in detail.graph.structures[:TABLE_ROWS]:
            used.update(st.stack_ids)
    return used


def _stacks(report: Report):
    used = set(report.analysis.sites)
    used |= {t.create_stack.id for t in report.analysis.threads.values()}
    used |= {b.stack_id for b in report.analysis.live.values()}
    used |= {s.stack.id for s in report.analysis.sync.values()}
    used |= _hint_stacks(report)
    used |= _scan_stacks(report)
    items = []
    for sid in sorted(used):
        stack = report.stacks.get(sid)
        if stack is None or not stack.frames:
            continue
        frames = E.ol(*[E.li(f.describe()) for f in stack.frames])
        items.append(E.details(E.summary(f"stack {sid}: {site_label(stack)}"),
                               frames, id=f"stack-{sid}"))
    return _section("stacks", "Stacks", *items)


def _chart_data(report: Report) -> dict:
    a = report.analysis
    tl = a.timeline
    threads = sorted(a.threads.values(), key=lambda t: t.thread)
    by_type: Dict[str, int] = {}
    for n in a.names:
        by_type[n.type_name or "(no type)"] = \
            by_type.get(n.type_name or "(no type)", 0) + n.size
    sites = sorted(a.sites.values(), key=lambda s: (-s.bytes, s.stack.id))
    return {
        "timeline": {
            "width": tl.width,
            "total": tl.live_max,
            "threads": [{"id": t.thread,
                         "label": f"#{t.thread} {t.name}".strip(),
                         "live": tl.thread_live_end.get(t.thread, [])}
                        for t in threads[:12]],
        },
        "threads": [{"id": t.thread, "label": f"#{t.thread} {t.name}".strip(),
                     "work": t.instrs, "allocs": t.allocs}
                    for t in threads],
        "types": sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))[:15],
        "sites": [[site_label(s.stack), s.bytes] for s in sites[:15]],
    }


def _ending(report: Report) -> etree._Element:
    """How the program ended, on the first screen: a banner for a fatal
    signal (with the top of the stack it struck) or a non-zero exit
    status, a quiet line otherwise."""
    a = report.analysis
    ending = ending_of(a.end, report.truncated_at,
                       {t: i.name for t, i in a.threads.items()})
    text = xml_safe(ending["text"])
    if ending["how"] == "signal":
        top = [E.li(xml_safe(frame_label(f)))
               for f in a.end.stack.frames[:5]]
        return E.div(E.p(f"The program was {text}."),
                     *([E.ol(*top)] if top else []),
                     id="ending", **{"class": "banner"})
    if ending["how"] == "exit" and ending["exit_status"] != 0:
        return E.p(f"The program ended with {text}.", id="ending",
                   **{"class": "banner"})
    return E.p(f"Ended: {text}.", id="ending", **{"class": "meta"})


def build(report: Report) -> etree._Element:
    a = report.analysis
    libs = {name: _inline_js(_read_first(paths, name))
            for name, paths in LIBRARIES.items()}
    with open(os.path.join(ASSETS, "report.js"), encoding="utf-8") as f:
        own_js = _inline_js(f.read())
    with open(os.path.join(ASSETS, "report.css"), encoding="utf-8") as f:
        own_css = f.read()
    try:
        dy_css = _read_first(DYGRAPH_CSS, "dygraphs")
    except MissingLibrary:
        dy_css = ""
    command = " ".join([report.header.exe, *report.header.args])
    banner = []
    if a.end is None:
        banner.append(E.p(
            f"This log was cut short at byte offset {report.truncated_at:,} "
            f"(the run did not end normally): the report covers what it "
            f"holds.", id="truncated", **{"class": "banner"}))
    else:
        banner.append(_ending(report))
    nav = E.nav(*[E.a(title, href=f"#{sid}") for sid, title in (
        ("summary", "Summary"), ("timeline", "Timeline"),
        ("threads", "Threads"), ("schedule", "Schedule"),
        ("shared", "Shared"), ("locks", "Locks"),
        ("atomics", "Atomics"), ("races", "Races"),
        ("leaks", "Leaks"), ("lifetimes", "Lifetimes"),
        ("types", "Types"), ("structures", "Structures"),
        ("graph", "Graph"),
        ("flame", "Flame graph"), ("sites", "Sites"), ("live", "Live"),
        ("warnings", "Warnings"),
        ("stacks", "Stacks"))])
    head = E.head(
        E.meta(charset="utf-8"),
        E.meta(**{"http-equiv": "Content-Security-Policy", "content": CSP}),
        E.meta(name="viewport", content="width=device-width"),
        E.title(f"memscope: {command}"),
        E.style(dy_css + "\n" + own_css))
    data = E.script(type="application/json", id="memscope-data")
    data.text = _json_for_script(_chart_data(report))
    scripts = []
    for name in ("dygraphs", "chart.js"):
        s = E.script()
        s.text = libs[name]
        scripts.append(s)
    own = E.script()
    own.text = own_js
    body = E.body(
        E.header(E.h1("memscope report"),
                 E.p(E.code(command), id="command"),
                 E.p(f"pid {report.header.pid}, memscope "
                     f"{report.header.tool_version}, "
                     f"{report.header.platform}; log {report.log_path} "
                     f"({report.log_bytes:,} bytes, format "
                     f"{report.header.major}.{report.header.minor}); "
                     f"{a.end_time:,} instructions, {a.wall_ms:,} ms",
                     **{"class": "meta", "title": WALL_MS_NOTE}),
                 *banner),
        nav,
        _summary(report), _timeline(report), _threads(report),
        _schedule(report), _shared(report), _locks(report),
        _atomics(report), _races(report), _leaks(report),
        _lifetimes(report), _types(report), _structures(report),
        _graph(report), _flame(report), _sites(report),
        _live(report), _warnings(report), _stacks(report),
        data, *scripts, own)
    return E.html(head, body, lang="en")


def render(report: Report) -> bytes:
    return tostring(build(report), doctype="<!DOCTYPE html>",
                    encoding="utf-8", method="html")
