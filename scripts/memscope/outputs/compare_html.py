"""NAME_compare.html: `memscope-report --compare OLD NEW` as one page:
the two runs, the totals, the leak summaries, and tables of the
allocation sites, named variables and threads with their changes, from
the comparison document (compare.py).

One file that works offline: the main report's style sheet inlined, no
script at all, and a Content-Security-Policy that forbids every fetch.
Built with lxml's element builder, so every client string is text; the
characters XML cannot hold (control characters a program may put in a
thread name) are shown as escapes."""

from __future__ import annotations

import os
import re
from typing import Callable, List, Optional, Sequence, Tuple, Union

from lxml import etree
from lxml.html import tostring

from ..compare import LEAK_LABELS, TOTAL_LABELS
from .common import xml_safe
from .compare_text import counts_text, num, percent, signed
from .html import ASSETS, TABLE_ROWS, E

CSP = "default-src 'none'; style-src 'unsafe-inline'"
EXTRA_CSS = """
td.grew { color: #a1260d; } td.shrank { color: #1f6f2b; }
tr.new td:first-child { color: #a1260d; font-weight: bold; }
tr.gone td:first-child { color: #1f6f2b; font-weight: bold; }
tr.same { color: #777; }
"""

Cell = Union[str, etree._Element, Tuple[str, str]]   # or (text, class)


def _change(d: dict) -> Cell:
    c = d["change"]
    return signed(c), "num " + ("grew" if c > 0 else "shrank" if c < 0
                                else "")


def _figure(d: dict) -> List[Cell]:
    """old, new, change, percent."""
    return [(num(d["old"]), "num"), (num(d["new"]), "num"), _change(d),
            (percent(d["percent"]), "num")]


def _table(table_id: str, head: Sequence[str], rows: List[List[Cell]],
           row_classes: Optional[List[str]] = None):
    body = []
    for i, row in enumerate(rows):
        cells = [E.td(c[0], **{"class": c[1].strip()})
                 if isinstance(c, tuple) else E.td(c) for c in row]
        tr = E.tr(*cells)
        if row_classes is not None:
            tr.set("class", row_classes[i])
        body.append(tr)
    return E.div(E.table(E.thead(E.tr(*[E.th(h) for h in head])),
                         E.tbody(*body), id=table_id),
                 **{"class": "table-wrap"})


def _section(sid: str, title: str, *content):
    return E.section(E.h2(title), *content, id=sid)


def _note(text: str):
    return E.p(text, **{"class": "note"})


def _listed(entries: list, complete: bool) -> List:
    """A note when the table does not show every entry."""
    if len(entries) > TABLE_ROWS or not complete:
        return [_note(f"showing {min(len(entries), TABLE_ROWS):,} rows; "
                      f"the JSON file holds up to 1,000, most changed "
                      f"first")]
    return []


def _run(which: str, side: dict):
    run, log = side["run"], side["log"]
    return E.p(E.strong(f"{which}: "), E.code(" ".join(run["command"])),
               f" pid {run['pid']}; log {log['path']} ({log['bytes']:,} "
               f"bytes, format {log['format']}); {side['events']:,} events, "
               f"{run['duration_instrs']:,} instructions",
               **{"class": "meta"})


def _banners(doc: dict) -> List:
    out = []
    for which in ("old", "new"):
        log = doc[which]["log"]
        if not log["complete"]:
            out.append(E.p(
                f"The {which} log was cut short at byte offset "
                f"{log['truncated_at']:,} (the run did not end normally): "
                f"the comparison covers what it holds.",
                id=f"truncated-{which}", **{"class": "banner"}))
    return out


def _totals(doc: dict):
    rows = [[TOTAL_LABELS[key], *_figure(d)]
            for key, d in doc["totals"].items()]
    return _section("totals", "Totals",
                    _table("totals-table",
                           ["figure", "old", "new", "change", "%"], rows))


def _leaks(doc: dict):
    if doc["leaks"] is None:
        return _section("leaks", "Leaks", _note(doc["leaks_note"]))
    rows = [[LEAK_LABELS[key], *_figure(d["blocks"])[:3], *_figure(d["bytes"])]
            for key, d in doc["leaks"].items()]
    return _section(
        "leaks", "Leaks", _note(doc["leaks_note"]),
        _table("leaks-table",
               ["class", "old blocks", "new blocks", "change", "old bytes",
                "new bytes", "change", "%"], rows))


def _frames_text(e: dict) -> str:
    return "\n".join(
        f"{f['function'] or '???'} ({f['file']}:{f['line']})" if f["file"]
        else f"{f['function'] or '???'} (in {f['object']})"
        for f in e["frames"])


def _list_section(doc: dict, key: str, title: str, note: str,
                  head: Sequence[str], row: Callable[[dict], List[Cell]]):
    """The section of one list of the document: how many entries have
    each status, then a row per entry (most changed first)."""
    entries = doc[key][:TABLE_ROWS]
    return _section(
        key, title, _note(f"{counts_text(doc[f'{key}_by_status'])}. {note}"),
        *_listed(doc[key], doc[f"{key}_complete"]),
        _table(f"{key}-table", head, [row(e) for e in entries],
               [e["status"] for e in entries]))


def _site_row(e: dict) -> List[Cell]:
    return [e["status"], E.span(e["label"], title=_frames_text(e)),
            *_figure(e["bytes"]), *_figure(e["allocations"])[:3],
            _change(e["peak_bytes"]), _change(e["live_bytes_at_exit"])]


def _accesses_text(e: dict) -> str:
    return "; ".join(
        f"{a['thread']}: " + ", ".join(
            f"{f} {num(a[f]['old'])}→{num(a[f]['new'])}"
            for f in ("reads", "writes", "atomic")
            if a[f]["old"] or a[f]["new"])
        for a in e["accesses"])


def _variable_row(e: dict) -> List[Cell]:
    return [e["status"], e["name"], e["type_name"], e["kind"],
            *_figure(e["size"]), _change(e["objects"]), _accesses_text(e)]


def _thread_row(e: dict) -> List[Cell]:
    return [e["status"], e["thread"], num(e["old_thread_id"]),
            num(e["new_thread_id"]), *_figure(e["bytes_allocated"]),
            _change(e["allocations"]), *_figure(e["work_instrs"])[:3],
            _change(e["lock_contended"]), _change(e["lock_wait_instrs"])]


def _lists(doc: dict) -> List:
    return [
        _list_section(
            doc, "sites", "Allocation sites",
            "Sites are matched by their stacks' functions, files and lines "
            "(hover a site for its frames); most changed in bytes "
            "allocated first.",
            ["status", "site", "old bytes", "new bytes", "change", "%",
             "old allocs", "new allocs", "change", "at peak ±",
             "at exit ±"], _site_row),
        _list_section(
            doc, "variables", "Named variables",
            "Matched by name and type name; accesses per thread with "
            "--track-access.",
            ["status", "name", "type", "kind", "old size", "new size",
             "change", "%", "objects ±", "accesses (old→new)"],
            _variable_row),
        _list_section(
            doc, "threads", "Threads",
            "Matched by name, unnamed threads by number (creation order). "
            "Work and lock waits in instructions.",
            ["status", "thread", "old #", "new #", "old bytes", "new bytes",
             "change", "%", "allocs ±", "old work", "new work", "change",
             "contended ±", "lock wait ±"], _thread_row),
    ]


def build(doc: dict) -> etree._Element:
    doc = xml_safe(doc)
    with open(os.path.join(ASSETS, "report.css"), encoding="utf-8") as f:
        css = f.read() + EXTRA_CSS
    commands = [" ".join(doc[w]["run"]["command"]) for w in ("old", "new")]
    head = E.head(
        E.meta(charset="utf-8"),
        E.meta(**{"http-equiv": "Content-Security-Policy", "content": CSP}),
        E.meta(name="viewport", content="width=device-width"),
        E.title(f"memscope comparison: {commands[0]} → {commands[1]}"),
        E.style(css))
    nav = E.nav(*[E.a(title, href=f"#{sid}") for sid, title in (
        ("totals", "Totals"), ("leaks", "Leaks"), ("sites", "Sites"),
        ("variables", "Variables"), ("threads", "Threads"))])
    body = E.body(
        E.header(E.h1("memscope comparison"), _run("old", doc["old"]),
                 _run("new", doc["new"]), *_banners(doc)),
        nav, _totals(doc), _leaks(doc), *_lists(doc))
    return E.html(head, body, lang="en")


def render(doc: dict) -> bytes:
    return tostring(build(doc), doctype="<!DOCTYPE html>",
                    encoding="utf-8", method="html")
