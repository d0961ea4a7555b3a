"""NAME.svg: a one-page quick view: the headline figures (with the race
hints and lock-order violations, and the exit scan's leak summary when
the log has a heap scan), the memory timeline, the top types (or
sites, when the program named no types) and the work of each thread.
Built with lxml, so every client-supplied string is escaped text."""

from __future__ import annotations

from typing import List, Tuple

from lxml import etree

from .common import Report, ending_of, leak_totals, site_label, xml_safe

SCHEMA_VERSION = 1
SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 960, 660
FONT = "font-family:DejaVu Sans,Arial,sans-serif"
MAX_LABEL = 48


def _el(parent, tag: str, text: str = None, **attrs) -> etree._Element:
    e = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}",
                         {k.replace("_", "-"): xml_safe(str(v))
                          for k, v in attrs.items()})
    if text is not None:
        e.text = xml_safe(text)
    return e


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _top_types(report: Report) -> Tuple[str, List[Tuple[str, int]]]:
    a = report.analysis
    by_type = {}
    for n in a.names:
        if n.type_name:
            by_type[n.type_name] = by_type.get(n.type_name, 0) + n.size
    if by_type:
        items = sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
        return "Top types (bytes named)", items[:8]
    sites = sorted(a.sites.values(), key=lambda s: (-s.bytes, s.stack.id))
    return "Top allocation sites (bytes)", \
        [(site_label(s.stack), s.bytes) for s in sites[:8]]


def _bars(svg, x: int, y: int, w: int, title: str,
          items: List[Tuple[str, int]], fmt) -> None:
    _el(svg, "text", title, x=x, y=y, style=f"{FONT};font-size:15px;"
        "font-weight:bold")
    top = max((v for _, v in items), default=0) or 1
    for i, (label, value) in enumerate(items):
        row = y + 14 + i * 24
        bar = max(1, int((w - 10) * value / top)) if value else 0
        _el(svg, "rect", x=x, y=row, width=bar, height=18, fill="#4e79a7")
        _el(svg, "text", f"{_short(label)}: {fmt(value)}", x=x + 4,
            y=row + 13, style=f"{FONT};font-size:11px", fill="#111")
    if not items:
        _el(svg, "text", "none recorded", x=x, y=y + 28,
            style=f"{FONT};font-size:12px", fill="#666")


def build(report: Report) -> etree._Element:
    a = report.analysis
    h = a.heap
    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS},
                        width=str(WIDTH), height=str(HEIGHT),
                        viewBox=f"0 0 {WIDTH} {HEIGHT}")
    _el(svg, "rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#ffffff")
    command = " ".join([report.header.exe, *report.header.args])
    _el(svg, "text", f"memscope: {_short(command)}", x=20, y=32,
        style=f"{FONT};font-size:20px;font-weight:bold")
    status = "" if a.end is not None else "  (log truncated)"
    _el(svg, "text",
        f"{h.allocs:,} allocs, {h.frees:,} frees, "
        f"{h.bytes_allocated:,} bytes allocated; peak "
        f"{h.peak_bytes:,} bytes in {h.peak_blocks:,} blocks; "
        f"{len(a.threads)} threads{status}",
        x=20, y=56, style=f"{FONT};font-size:13px")
    ending = ending_of(a.end, report.truncated_at,
                       {t: i.name for t, i in a.threads.items()})
    abnormal = ending["how"] == "signal" or (ending["how"] == "exit"
                                             and ending["exit_status"] != 0)
    _el(svg, "text",
        f"{a.race_hint_count:,} race hints, {a.lock_order_count:,} "
        f"lock-order violations", x=20, y=76,
        style=f"{FONT};font-size:13px",
        fill="#b00020" if a.race_hint_count or a.lock_order_count
        else "#111")
    # How it ended, at the right of the same row.
    _el(svg, "text", _short(f"ended: {ending['text']}"),
        x=WIDTH - 20, y=76, style=f"{FONT};font-size:13px;text-anchor:end",
        fill="#b00020" if abnormal else "#111", id="ending")
    leaks = leak_totals(a.exit_scan)
    if leaks is not None:
        _el(svg, "text", "Leaks: " + ", ".join(
            f"{key.replace('_', ' ')} {v['bytes']:,} B in "
            f"{v['blocks']:,} blocks" for key, v in leaks.items()),
            x=20, y=96, style=f"{FONT};font-size:13px",
            fill="#b00020" if leaks["definitely_lost"]["blocks"]
            else "#111")

    # Memory timeline: the highest live bytes of each bucket.
    tx, ty, tw, th = 60, 126, WIDTH - 90, 200
    _el(svg, "text", "Live heap bytes over time (instructions)", x=20,
        y=ty - 8, style=f"{FONT};font-size:15px;font-weight:bold")
    _el(svg, "rect", x=tx, y=ty, width=tw, height=th, fill="#f7f7f7",
        stroke="#ccc")
    values = a.timeline.live_max
    top = max(values, default=0) or 1
    n = max(len(values), 1)
    points = [f"{tx + tw * i / n:.1f},{ty + th - th * v / top:.1f}"
              for i, v in enumerate(values)]
    if points:
        points.append(f"{tx + tw:.1f},{ty + th - th * values[-1] / top:.1f}")
        _el(svg, "polyline", points=" ".join(points), fill="none",
            stroke="#e15759", stroke_width=2)
    _el(svg, "text", human_bytes(top), x=tx - 4, y=ty + 10,
        style=f"{FONT};font-size:10px;text-anchor:end")
    _el(svg, "text", "0", x=tx - 4, y=ty + th,
        style=f"{FONT};font-size:10px;text-anchor:end")
    _el(svg, "text", f"{a.end_time:,}", x=tx + tw, y=ty + th + 14,
        style=f"{FONT};font-size:10px;text-anchor:end")

    title, items = _top_types(report)
    _bars(svg, 20, 362, 440, title, items, lambda v: f"{v:,} B")
    threads = sorted(a.threads.values(), key=lambda t: t.thread)[:10]
    _bars(svg, 500, 362, 440, "Work per thread (instructions)",
          [(f"#{t.thread} {t.name}".strip(), t.instrs) for t in threads],
          lambda v: f"{v:,}")
    return svg


def render(report: Report) -> bytes:
    return etree.tostring(build(report), xml_declaration=True,
                          encoding="utf-8", pretty_print=True)
