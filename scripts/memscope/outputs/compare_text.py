"""The text of `memscope-report --compare OLD NEW` on stdout: the two runs,
a table of the totals (old, new, change, percent), then the allocation
sites, named variables and threads that changed most, from the
comparison document (compare.py), for a terminal.

Client strings (function, variable, type and thread names) are made
inert: control and formatting characters (escape sequences, bidi
overrides) print as escapes, never reach the terminal.  memscope's own
text is ASCII ("-": the run has no such entry; "chg": change)."""

from __future__ import annotations

import unicodedata
from typing import Callable, List, Optional, Sequence

from ..compare import LEAK_LABELS, TOTAL_LABELS

TOP = 20              # rows per list
LABEL_WIDTH = 72      # longer names are cut (the JSON has them whole)


def inert(text: str) -> str:
    """text with every character a terminal would act on escaped (C0 and
    C1 controls, DEL, Unicode format characters, line separators); a
    backslash doubled so that an escape cannot be forged."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn",
                                          "Zl", "Zp"):
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o < 0x100 else
                       f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")
        else:
            out.append(ch)
    return "".join(out)


def shown(text: str, width: int = LABEL_WIDTH) -> str:
    text = inert(text)
    return text if len(text) <= width else text[:width - 3] + "..."


def num(n: Optional[int]) -> str:
    return "-" if n is None else f"{n:,}"


def signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


def percent(p: Optional[float]) -> str:
    if p is None:
        return "-"
    return f"{p:+,.1f}%" if p else "0.0%"


def table(head: Sequence[str], rows: List[Sequence[str]],
          last_left: bool = True) -> List[str]:
    """Columns right-aligned but the first (and the last, a name),
    two spaces apart."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for r in [head, *rows]:
        cells = []
        for i, (cell, w) in enumerate(zip(r, widths)):
            left = i == 0 or (last_left and i == len(r) - 1)
            cells.append(cell.ljust(w) if left else cell.rjust(w))
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def run_line(which: str, side: dict) -> str:
    run, log = side["run"], side["log"]
    line = (f"  {which}: {shown(log['path'], 200)}: "
            f"{shown(' '.join(run['command']), 200)} (pid {run['pid']}), "
            f"{side['events']:,} events, {run['duration_instrs']:,} "
            f"instructions")
    if not log["complete"]:
        line += (f"; truncated at byte offset {log['truncated_at']:,}: "
                 f"compares what it holds")
    return line


def totals_lines(doc: dict) -> List[str]:
    rows = [[TOTAL_LABELS[key], num(d["old"]), num(d["new"]),
             signed(d["change"]), percent(d["percent"])]
            for key, d in doc["totals"].items()]
    for key, d in (doc["leaks"] or {}).items():
        b = d["bytes"]
        rows.append([f"{LEAK_LABELS[key]} bytes", num(b["old"]),
                     num(b["new"]), signed(b["change"]),
                     percent(b["percent"])])
    lines = ["Totals"] + table(["", "old", "new", "change", "%"], rows,
                               last_left=False)
    if doc["leaks"] is None:
        lines.append(f"  leaks: {doc['leaks_note']}")
    return lines


def counts_text(by_status: dict) -> str:
    return ", ".join(f"{n:,} {s}" for s, n in by_status.items() if n) \
        or "none in either run"


def list_lines(title: str, doc: dict, key: str, head: Sequence[str],
               row: Callable[[dict], Sequence[str]], what: str) -> List[str]:
    entries = doc[key]
    changed = [e for e in entries if e["status"] != "same"]
    lines = [f"{title}: {counts_text(doc[f'{key}_by_status'])}"]
    if not changed:
        if entries:
            lines.append("  no change")
        return lines
    lines[0] += f" (top {min(TOP, len(changed))} by change in {what})"
    lines += table(head, [row(e) for e in changed[:TOP]])
    counts = doc[f"{key}_by_status"]
    more = sum(counts.values()) - counts["same"] - TOP
    if more > 0:
        lines.append(f"  ... and {more:,} more that changed (the JSON file "
                     f"lists up to 1,000 entries)")
    return lines


def site_row(e: dict) -> List[str]:
    b = e["bytes"]
    return [e["status"], num(b["old"]), num(b["new"]), signed(b["change"]),
            percent(b["percent"]), signed(e["allocations"]["change"]),
            signed(e["peak_bytes"]["change"]),
            signed(e["live_bytes_at_exit"]["change"]), shown(e["label"])]


def variable_row(e: dict) -> List[str]:
    s = e["size"]
    accesses = sum(a[f]["change"] for a in e["accesses"]
                   for f in ("reads", "writes", "atomic"))
    name = e["name"] + (f" ({e['type_name']})" if e["type_name"] else "")
    return [e["status"], num(s["old"]), num(s["new"]), signed(s["change"]),
            signed(e["objects"]["change"]), signed(accesses), e["kind"],
            shown(name)]


def thread_row(e: dict) -> List[str]:
    b = e["bytes_allocated"]
    return [e["status"], num(b["old"]), num(b["new"]), signed(b["change"]),
            signed(e["allocations"]["change"]),
            signed(e["work_instrs"]["change"]),
            signed(e["lock_wait_instrs"]["change"]), shown(e["thread"])]


def render(doc: dict) -> str:
    lines = ["memscope-report: comparing two runs",
             run_line("old", doc["old"]), run_line("new", doc["new"]), ""]
    lines += totals_lines(doc)
    lines.append("")
    lines += list_lines(
        "Allocation sites", doc, "sites",
        ["status", "old bytes", "new bytes", "change", "%", "allocs chg",
         "at peak chg", "at exit chg", "site"], site_row, "bytes allocated")
    lines.append("")
    lines += list_lines(
        "Named variables", doc, "variables",
        ["status", "old size", "new size", "change", "objects chg",
         "accesses chg", "kind", "name (type)"], variable_row, "size")
    lines.append("")
    lines += list_lines(
        "Threads", doc, "threads",
        ["status", "old bytes", "new bytes", "change", "allocs chg",
         "work chg", "lock wait chg", "thread"], thread_row,
        "bytes allocated")
    return "\n".join(lines) + "\n"
