#!/usr/bin/env python3
"""run_demo.py: what `make demo` (and so ./setup's last step) runs.

Runs examples/advanced_metrics_demo under memscope, turns its log into the
report with memscope-report, and prints what memscope-rs's
advanced_metrics_demo prints, with this run's numbers: the log (path,
size, time the tool spent writing it), the conversion's time, each JSON
file with its size, the headline counts, the leak summary and where the
HTML report is.

Every figure comes from a file or a measurement: the writing time from
the tool's exit summary ("log: PATH (N bytes, M ms writing)"), the sizes
from the files, the counts from the JSON files (memory_analysis's
summary, complex_types's variables, concurrency's threads, shared
variables, atomic operations and race hints), the wall times measured
here.  The tool's own output (its stderr) is kept in the report's
directory as NAME.valgrind.txt.

Exit status 0 when every step worked; otherwise 1 with one line on
stderr saying which step failed.  Standard library only.  Runs on the
host, never under Valgrind.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

PROG = "run_demo"
JSON_CATEGORIES = ("memory_analysis", "lifetime", "performance",
                   "unsafe_ffi", "complex_types", "concurrency")
LEAK_CLASSES = ("definitely_lost", "indirectly_lost", "possibly_lost",
                "still_reachable")
# The tool's exit summary lines this script reads.
_LOG_LINE = re.compile(r"log: (\S+) \(([\d,]+) bytes, ([\d,]+) ms writing\)")
_ERRORS_LINE = re.compile(r"ERROR SUMMARY: ([\d,]+) errors")


class DemoError(Exception):
    """A step failed: the message is the one line printed."""


@dataclass
class ToolRun:
    wall_s: float
    stdout: str
    log_bytes: int
    write_ms: int
    errors: int


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def run_tool(valgrind: Sequence[str], program: Sequence[str], log: Path,
             stderr_file: Path) -> ToolRun:
    cmd = [*valgrind, "--tool=memscope", f"--memscope-out-file={log}",
           *program]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", stdin=subprocess.DEVNULL)
    except OSError as e:
        raise DemoError(f"cannot run {cmd[0]}: {e.strerror}") from None
    wall_s = time.monotonic() - start
    stderr_file.write_text(p.stderr)
    if p.returncode != 0:
        # The program's own last word, if any: Valgrind's lines start "==".
        said = [line for line in p.stderr.splitlines()
                if line.strip() and not line.startswith("==")]
        why = f": {said[-1]}" if said else ""
        raise DemoError(f"the demo under memscope exited with {p.returncode}"
                        f"{why} (the tool's output: {stderr_file})")
    m = _LOG_LINE.search(p.stderr)
    if m is None:
        raise DemoError(f"no 'log: ...' line in memscope's exit summary"
                        f" ({stderr_file})")
    errors = _ERRORS_LINE.search(p.stderr)
    if errors is None:
        raise DemoError(f"no ERROR SUMMARY in memscope's output"
                        f" ({stderr_file})")
    return ToolRun(wall_s, p.stdout, _int(m.group(2)), _int(m.group(3)),
                   _int(errors.group(1)))


def run_report(report: Sequence[str], log: Path, out: Path,
               base: str) -> float:
    cmd = [*report, str(log), "-o", str(out), "--base", base, "-q"]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", stdin=subprocess.DEVNULL)
    except OSError as e:
        raise DemoError(f"cannot run {cmd[0]}: {e.strerror}") from None
    wall_s = time.monotonic() - start
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["no message"])[-1]
        raise DemoError(f"memscope-report exited with {p.returncode}: {last}")
    return wall_s


def load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise DemoError(f"cannot read {path}: {e}") from None


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        raise DemoError(f"memscope-report did not write {path}") from None


def fmt_int(n: int) -> str:
    return f"{n:,}"


def print_summary(program: str, log: Path, tool: ToolRun, report_s: float,
                  out: Path, base: str, tool_output: Path) -> None:
    json_files = [out / f"{base}_{c}.json" for c in JSON_CATEGORIES]
    sizes = [file_size(p) for p in json_files]
    html = out / f"{base}.html"
    svg = out / f"{base}.svg"
    html_size, svg_size = file_size(html), file_size(svg)
    docs = {c: load_json(p) for c, p in zip(JSON_CATEGORIES, json_files)}
    summary = docs["memory_analysis"]["summary"]
    conc = docs["concurrency"]
    variables = docs["complex_types"]["variables"]
    shared = [s for s in conc["shared_variables"]
              if s["state"] != "exclusive"]
    atomic_ops = sum(t["atomic_operations"] for t in conc["threads"])
    named_threads = sum(1 for t in conc["threads"] if t["name"])
    leaks = summary["leaks"]

    width = max(len(p.name) for p in json_files)
    lines: List[str] = [
        "",
        "memscope advanced metrics demo",
        "==============================",
        f"Program: {program}",
        f"Run under memscope: {tool.wall_s:.2f} s",
        f"Log: {log} ({fmt_int(tool.log_bytes)} bytes, "
        f"{fmt_int(tool.write_ms)} ms writing)",
        f"Converted by memscope-report: {report_s:.2f} s",
        f"JSON files in {out}/:",
    ]
    for path, size in zip(json_files, sizes):
        lines.append(f"  {path.name:<{width}}  {fmt_int(size):>11} bytes")
    total = sum(sizes)
    lines.append(f"  {'total (6 files)':<{width}}  {fmt_int(total):>11} bytes"
                 f" (the log is {100.0 * tool.log_bytes / total:.1f}% of it)")
    lines += [
        "Headline counts:",
        f"  allocations:        {fmt_int(summary['total_allocations'])}",
        f"  named variables:    {fmt_int(len(variables))}",
        f"  threads:            {fmt_int(len(conc['threads']))}"
        f" ({named_threads} named)",
        f"  shared variables:   {fmt_int(len(shared))}",
        f"  atomic operations:  {fmt_int(atomic_ops)}",
        f"  race hints:         {fmt_int(conc['summary']['race_hints'])}",
        f"  Valgrind errors:    {fmt_int(tool.errors)}",
    ]
    if leaks is None:
        lines.append("Leak summary: none (the log has no heap scan)")
    else:
        lines.append("Leak summary (the heap scan at exit):")
        for cls in LEAK_CLASSES:
            label = cls.replace("_", " ") + ":"
            lines.append(f"  {label:<18} {fmt_int(leaks[cls]['bytes'])} bytes"
                         f" in {fmt_int(leaks[cls]['blocks'])} blocks")
    lines += [
        f"HTML report: {html} ({fmt_int(html_size)} bytes)",
        f"SVG quick view: {svg} ({fmt_int(svg_size)} bytes)",
        f"Tool output: {tool_output}",
    ]
    print("\n".join(lines))


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog=PROG, description="Run the advanced metrics demo under memscope "
        "and print the summary of its report.")
    ap.add_argument("--valgrind", default="./vg-in-place",
                    help="the valgrind command, split as a shell would "
                    "(default: %(default)s)")
    ap.add_argument("--program", default="examples/advanced_metrics_demo",
                    help="the demo executable (default: %(default)s)")
    ap.add_argument("--log", type=Path,
                    default=Path("examples/advanced_metrics_demo.msc"),
                    help="the memscope log to write (default: %(default)s)")
    ap.add_argument("--report", default="scripts/memscope-report",
                    help="the memscope-report command (default: %(default)s)")
    ap.add_argument("--out", type=Path,
                    default=Path("MemoryAnalysis/advanced_metrics_demo"),
                    help="the report's directory (default: %(default)s)")
    ap.add_argument("--base", default="advanced_metrics_demo",
                    help="the report's file names' start (default: "
                    "%(default)s)")
    ap.add_argument("program_args", nargs="*",
                    help="arguments for the demo (its library's path)")
    return ap.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    program = args.program
    if os.sep not in program:
        program = os.path.join(".", program)
    stderr_file = args.out / f"{args.base}.valgrind.txt"
    try:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        args.out.mkdir(parents=True, exist_ok=True)
        print(f"{PROG}: {args.valgrind} --tool=memscope {program}",
              flush=True)
        tool = run_tool(shlex.split(args.valgrind),
                        [program, *args.program_args], args.log, stderr_file)
        sys.stdout.write(tool.stdout)
        report_s = run_report(shlex.split(args.report), args.log, args.out,
                              args.base)
        print_summary(program, args.log, tool, report_s, args.out, args.base,
                      stderr_file)
    except DemoError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    except (KeyError, TypeError) as e:
        print(f"{PROG}: unexpected JSON in the report: {e!r}",
              file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
