#!/usr/bin/env python3
"""run_bench.py: memscope beside Valgrind's own tools and heaptrack on the
benchmark's workloads: native time, then time and peak memory under
--tool=none, memcheck, helgrind, drd, dhat, massif, heaptrack and memscope,
as medians of several runs with their range, and ratios to --tool=none and
to native measured in the same sitting; plus memscope's log figures (bytes
per heap event, write throughput).  Writes the tables into
docs/performance.md between its tool-bench markers.

Usage (from the build tree): bench/run_bench.py [--runs N]
`make bench` runs it, then report_bench.py."""

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import timed, write_section  # noqa: E402
BEGIN, END = "<!-- tool-bench:begin -->", "<!-- tool-bench:end -->"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, **kw)


def tool_commands(vg, tmp):
    """name -> (argv prefix, note); memscope's later modes are listed as
    not yet there."""
    return [
        ("native", [], ""),
        ("none", [vg, "--tool=none"], ""),
        ("memcheck", [vg, "--tool=memcheck", "--leak-check=no"], ""),
        ("helgrind", [vg, "--tool=helgrind"], ""),
        ("drd", [vg, "--tool=drd"], ""),
        ("dhat", [vg, "--tool=dhat", f"--dhat-out-file={tmp}/dhat.out"], ""),
        ("massif", [vg, "--tool=massif",
                    f"--massif-out-file={tmp}/massif.out"], ""),
        ("heaptrack", ["heaptrack", "-o", f"{tmp}/heaptrack"], ""),
        ("memscope (no access tracking)",
         [vg, "--tool=memscope", "--track-access=no",
          f"--memscope-out-file={tmp}/bench.msc"], ""),
        ("memscope (access tracking)",
         [vg, "--tool=memscope", "--race-hints=no",
          f"--memscope-out-file={tmp}/access.msc"], ""),
        ("memscope (race hints)",
         [vg, "--tool=memscope", f"--memscope-out-file={tmp}/race.msc"], ""),
    ]


NOT_YET = []


def workloads(srcdir, builddir, tmp):
    """(name, argv, description)."""
    progs = {}
    for name in ("alloc_mt", "share_mt"):
        out = os.path.join(tmp, name)
        sh(["gcc", "-O2", "-g", "-pthread", "-o", out,
            os.path.join(srcdir, "bench", f"{name}.c")])
        progs[name] = out
    data = os.path.join(tmp, "pigz-input.txt")
    with open(data, "w") as f:
        for i in range(150000):
            f.write(f"record {i} value {i * 7919 % 100003} "
                    f"{'x' * (i % 37)}\n")
    return [
        ("alloc_mt", [progs["alloc_mt"], "120"],
         "bench/alloc_mt.c 120: 4 threads, ~1.1 M malloc/calloc/realloc/free"),
        ("share_mt", [progs["share_mt"], "60000"],
         "bench/share_mt.c 60000: 4 threads, mutex, rwlock and C11 atomics "
         "over private work"),
        ("threads_demo", [os.path.join(builddir, "examples", "threads_demo")],
         "examples/threads_demo (the demo until issue 8's): 2 producers, "
         "2 consumers"),
        ("pigz -p 2", ["pigz", "-p", "2", "-k", "-f", data],
         f"Debian's pigz on a {os.path.getsize(data) // 1024} KiB text file"),
    ]


def log_figures(path, srcdir):
    """(log bytes, heap events, all event records, ms in write())."""
    sys.path.insert(0, os.path.join(srcdir, "scripts"))
    from memscope import logreader as R
    heap = events = 0
    definitions = (R.StringDef, R.FrameDef, R.StackDef)
    with R.LogReader(path) as log:
        for rec in log.records():
            if isinstance(rec, (R.Alloc, R.Free, R.Realloc, R.InvalidFree)):
                heap += 1
            if not isinstance(rec, definitions):
                events += 1
        end = log.end
    size = os.path.getsize(path)
    write_ms = end.log_write_us / 1000 if end and end.log_write_us else None
    return size, heap, events, write_ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.getcwd())
    ap.add_argument("--srcdir", default=os.path.dirname(HERE))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    vg = os.path.join(args.builddir, "vg-in-place")
    if not shutil.which("heaptrack"):
        sys.exit("run_bench.py: heaptrack is not installed (Debian package "
                 "heaptrack)")
    sections = []
    with tempfile.TemporaryDirectory(prefix="memscope-bench-") as tmp:
        for name, argv, about in workloads(args.srcdir, args.builddir, tmp):
            # Rounds of every tool once, not every run of one tool in a
            # row: a burst of load from the machine's other users then
            # slows all tools of a round alike, and the ratios of the
            # medians hold (run back to back, one tool's runs could all
            # fall into one burst).
            tools = tool_commands(vg, tmp)
            runs = {tool: [] for tool, _, _ in tools}
            for _ in range(args.runs):
                for tool, prefix, _ in tools:
                    runs[tool].append(timed(prefix + argv, tmp))
            results = {}
            for tool, _, _ in tools:
                t = [r[0] for r in runs[tool]]
                m = [r[1] for r in runs[tool]]
                results[tool] = (statistics.median(t), min(t), max(t),
                                 statistics.median(m))
                print(f"{name:>12} {tool:<26} {results[tool][0]:7.2f} s "
                      f"({min(t):.2f}-{max(t):.2f}) "
                      f"{results[tool][3]:7.0f} MiB", flush=True)
            size, heap, events, write_ms = log_figures(
                os.path.join(tmp, "bench.msc"), args.srcdir)
            sections.append((name, argv, about, results, size, heap,
                             events, write_ms))
    lines = [BEGIN,
             f"Measured {datetime.date.today()} on {platform.node()} "
             f"({os.cpu_count()} cores; Valgrind "
             f"{sh(['valgrind', '--version']).stdout.strip()}), "
             f"`bench/run_bench.py --runs {args.runs}`: median wall time of "
             f"{args.runs} runs with the range (the tools taking turns, a "
             f"run of each per round), peak RSS (median), and "
             f"ratios of the medians to `--tool=none` and to the native run "
             f"of the same sitting.", ""]
    for name, argv, about, results, size, heap, events, write_ms in sections:
        none, native = results["none"][0], results["native"][0]
        lines += [f"### {name}", "", f"{about}.", "",
                  "| tool | seconds | range | × none | × native | "
                  "peak RSS MiB |", "|---|---:|---:|---:|---:|---:|"]
        for tool, (med, lo, hi, rss) in results.items():
            x_none = f"{med / none:.2f}" if none > 0 else "–"
            x_native = f"{med / native:.1f}" if native > 0 else "–"
            lines.append(f"| {tool} | {med:.2f} | {lo:.2f}-{hi:.2f} | "
                         f"{x_none} | {x_native} | {rss:.0f} |")
        for tool, why in NOT_YET:
            lines.append(f"| {tool} | – | – | – | – | {why} |")
        per_event = f"{size / events:.1f}" if events else "–"
        throughput = (f"{size / 1e6 / (write_ms / 1000):,.0f} MB/s "
                      f"({write_ms:.1f} ms in write())"
                      if write_ms and write_ms >= 1.0 else
                      "too small to measure (under 1 ms in write())")
        lines += ["", f"memscope's log: {size:,} bytes for {events:,} event "
                  f"records, {heap:,} of them heap events ({per_event} bytes "
                  f"per event, strings and stacks included); write "
                  f"throughput {throughput}.", ""]
    lines += ["### Targets", "",
              "| workload | no access tracking: × none (target ≤ 1.5) | "
              "÷ DHAT (target < 1) | ÷ Massif (target < 1) | "
              "log bytes per event (target < 24) |",
              "|---|---:|---:|---:|---:|"]
    for name, argv, about, results, size, heap, events, write_ms in sections:
        ms = results["memscope (no access tracking)"][0]
        lines.append(
            f"| {name} | {ms / results['none'][0]:.2f} | "
            f"{ms / results['dhat'][0]:.2f} | "
            f"{ms / results['massif'][0]:.2f} | "
            f"{(size / events) if events else float('nan'):.1f} |")
    lines += ["", "| workload | access tracking: ÷ Helgrind (target < 1) "
              "| ÷ DRD (target < 1) | ÷ Memcheck (target ≤ 2) |",
              "|---|---:|---:|---:|"]
    for name, argv, about, results, size, heap, events, write_ms in sections:
        ms = results["memscope (access tracking)"][0]
        lines.append(f"| {name} | {ms / results['helgrind'][0]:.2f} | "
                     f"{ms / results['drd'][0]:.2f} | "
                     f"{ms / results['memcheck'][0]:.2f} |")
    lines += ["", "| workload | race hints (the default): ÷ Helgrind "
              "(target < 1) | ÷ DRD (target < 1) | × access tracking alone |",
              "|---|---:|---:|---:|"]
    for name, argv, about, results, size, heap, events, write_ms in sections:
        ms = results["memscope (race hints)"][0]
        lines.append(f"| {name} | {ms / results['helgrind'][0]:.2f} | "
                     f"{ms / results['drd'][0]:.2f} | "
                     f"{ms / results['memscope (access tracking)'][0]:.2f} |")
    lines += [""]
    lines.append(END)
    write_section(args.srcdir, BEGIN, END, lines)


if __name__ == "__main__":
    sys.exit(main())
