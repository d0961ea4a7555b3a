#!/usr/bin/env python3
"""report_bench.py: memscope-report's speed and memory on logs of 10^5,
10^6 and 10^7 heap events (made by running alloc_events under the
in-place memscope), median and spread of several runs, written as a
Markdown table into docs/performance.md between its report-bench markers.

Usage (from the build tree): bench/report_bench.py [--runs N] [--sizes ...]
`make bench-report` runs it."""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import timed, write_section  # noqa: E402
BEGIN, END = "<!-- report-bench:begin -->", "<!-- report-bench:end -->"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.getcwd())
    ap.add_argument("--srcdir", default=os.path.dirname(HERE))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+",
                    default=[10**5, 10**6, 10**7])
    args = ap.parse_args()
    vg = os.path.join(args.builddir, "vg-in-place")
    rep = os.path.join(args.builddir, "scripts", "memscope-report")
    rows = []
    with tempfile.TemporaryDirectory(prefix="memscope-bench-") as tmp:
        prog = os.path.join(tmp, "alloc_events")
        run(["gcc", "-O1", "-g", "-o", prog,
             os.path.join(args.srcdir, "bench", "alloc_events.c")])
        for n in args.sizes:
            log = os.path.join(tmp, f"events_{n}.msc")
            run([vg, "--tool=memscope", f"--memscope-out-file={log}", prog,
                 str(n)])
            size = os.path.getsize(log)
            times, rss = [], []
            for _ in range(args.runs):
                out = os.path.join(tmp, "out")
                t, m = timed([rep, log, "-o", out, "-q"])
                times.append(t)
                rss.append(m)
            med = statistics.median(times)
            rows.append((n, size, med, min(times), max(times),
                         statistics.median(rss)))
            print(f"{n:>10,} events: {med:.2f} s median "
                  f"({min(times):.2f}-{max(times):.2f}), "
                  f"{n / med:,.0f} events/s, "
                  f"{statistics.median(rss):.0f} MiB", flush=True)
    table = [BEGIN,
             f"Measured {datetime.date.today()} on {platform.node()} "
             f"({os.cpu_count()} cores, Python {platform.python_version()}), "
             f"`bench/report_bench.py --runs {args.runs}`: "
             f"`memscope-report LOG -o DIR -q`, all outputs written; median "
             f"of {args.runs} runs with the range.",
             "",
             "| heap events | log bytes | bytes/event | seconds (median) "
             "| range | events/s | peak RSS MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, size, med, lo, hi, rss in rows:
        table.append(f"| {n:,} | {size:,} | {size / n:.1f} | {med:.2f} | "
                     f"{lo:.2f}-{hi:.2f} | {n / med:,.0f} | {rss:.0f} |")
    table.append(END)
    write_section(args.srcdir, BEGIN, END, table)


if __name__ == "__main__":
    sys.exit(main())
