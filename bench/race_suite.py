#!/usr/bin/python3
"""race_suite.py: the race-hint suite's verdicts.  Runs every program of
tests/progs/races under memscope, Helgrind and DRD (or the tools named),
counts each tool's race errors from its XML output, calls the program
"racy" when there is at least one, and compares that with the label in
the program's header comment (`race-suite: racy` or `race-free`).  Owns
the verdict table of docs/races.md, between its race-suite markers, and
prints the same table.

Usage (from the build tree):
  bench/race_suite.py [--valgrind PATH] [--progs DIR]
                      [--tools memscope,helgrind,drd] [--doc docs/races.md]

With --repeat N, only the race-free programs run, each N times with the
default scheduler and N times with --fair-sched=yes, under the tools
named (default memscope): a verdict that depends on the schedule shows
there.  The table goes between the race-repeat markers of the doc.

Labels come from the sources beside this script (../tests/progs/races);
the programs run from --progs (built next to their sources by automake).
A tool that cannot run a program (no binary, a crash, a timeout, no
readable XML) gives "error" for that program."""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (put_section, race_tools,  # noqa: E402
                      run_race_tool, valgrind_to_run, valgrind_version,
                      verdict)

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)
SOURCES = os.path.join(SRCDIR, "tests", "progs", "races")
BEGIN, END = "<!-- race-suite:begin -->", "<!-- race-suite:end -->"
REPEAT_BEGIN = "<!-- race-repeat:begin -->"
REPEAT_END = "<!-- race-repeat:end -->"
SCHEDULERS = ((), ("--fair-sched=yes",))
TIMEOUT_S = 120

LABELS = ("racy", "race-free")


@dataclass
class Program:
    name: str
    label: str                      # "racy" or "race-free"
    variable: Optional[str]         # race-variable:, racy programs only


@dataclass
class Outcome:
    """One tool on one program.  races and others are valid when error is
    None."""
    races: int = 0
    others: Dict[str, int] = field(default_factory=dict)
    error: Optional[str] = None

    @property
    def verdict(self) -> str:
        return verdict(self.races, self.error)


def read_programs(srcdir: str) -> List[Program]:
    """The suite's programs with their labels, sorted by name; raises
    ValueError on a header without a valid label."""
    progs = []
    for fname in sorted(os.listdir(srcdir)):
        stem, ext = os.path.splitext(fname)
        if ext not in (".c", ".cpp"):
            continue
        with open(os.path.join(srcdir, fname)) as f:
            text = f.read()
        header = text[:text.find("*/")]
        label = re.search(r"^\s*race-suite:\s*(\S+)\s*$", header, re.M)
        if label is None or label.group(1) not in LABELS:
            raise ValueError(f"{fname}: no valid race-suite: label")
        var = re.search(r"^\s*race-variable:[ \t]*(\S.*?)[ \t]*$",
                        header, re.M)
        progs.append(Program(stem, label.group(1),
                             var.group(1) if var else None))
    return progs


def run_one(valgrind: str, tool: str, binary: str,
            extra: tuple = ()) -> Outcome:
    if not os.access(binary, os.X_OK):
        return Outcome(error=f"{binary} is not built")
    races, others, error = run_race_tool(valgrind, tool, [binary], extra,
                                         TIMEOUT_S)
    return Outcome(races, others, error)


def mark(label: str, verdict: str) -> str:
    """"" when the verdict matches the label (or is an error), else the
    kind of mistake."""
    if verdict == "error" or verdict == label:
        return ""
    return "false positive" if label == "race-free" else "missed"


def cell(label: str, o: Outcome) -> str:
    if o.error is not None:
        return "error"
    m = mark(label, o.verdict)
    text = f"{o.races} ({o.verdict} {'✓' if not m else '✗ ' + m})"
    if o.others:
        text += "; also " + ", ".join(f"{k} {n}"
                                      for k, n in sorted(o.others.items()))
    return text


def totals(progs: List[Program], results: Dict[str, Outcome]) -> str:
    counts = {"correct": 0, "false positive": 0, "missed": 0, "error": 0}
    for p in progs:
        v = results[p.name].verdict
        key = "error" if v == "error" else (mark(p.label, v) or "correct")
        counts[key] += 1
    text = (f"{counts['correct']}/{len(progs)} correct, "
            f"{counts['false positive']} false positives, "
            f"{counts['missed']} missed")
    if counts["error"]:
        text += f", {counts['error']} errors"
    return text


def table(progs: List[Program], tools: List[str],
          results: Dict[str, Dict[str, Outcome]], argv_note: str,
          version: str) -> List[str]:
    nracy = sum(p.label == "racy" for p in progs)
    lines = [
        f"`{argv_note}` on {datetime.date.today()} ({version}, each tool "
        f"with its default options): the {len(progs)} programs of "
        f"`tests/progs/races`, {nracy} labelled racy and "
        f"{len(progs) - nracy} race-free in their headers. A cell gives the "
        "race errors the tool reports (memscope's and Helgrind's `Race`, "
        "DRD's `ConflictingAccess`; one per error context), the verdict "
        "(racy when there is one), and ✓ or the mistake; other error "
        "kinds follow.", "",
        "| program | label | " + " | ".join(
            f"{t} hints (verdict mark)" for t in tools) + " |",
        "|---|---|" + "---|" * len(tools)]
    for p in progs:
        lines.append(f"| `{p.name}` | {p.label} | " + " | ".join(
            cell(p.label, results[t][p.name]) for t in tools) + " |")
    lines.append("| **totals** | | " + " | ".join(
        totals(progs, results[t]) for t in tools) + " |")
    return lines


def repeat_table(progs: List[Program], tools: List[str], n: int,
                 runs: Dict[str, Dict[str, List[List[Outcome]]]],
                 argv_note: str, version: str) -> List[str]:
    """runs[tool][program][scheduler] holds its n outcomes."""
    lines = [
        f"`{argv_note}` on {datetime.date.today()} ({version}): each of the "
        f"{len(progs)} race-free programs of `tests/progs/races` {n} times "
        "with the default scheduler and "
        f"{n} times with `--fair-sched=yes`; a cell lists the race errors "
        "of each run (any other than 0 is a false positive that depends on "
        "the schedule, or on nothing).", "",
        "| program | " + " | ".join(
            f"{t} default | {t} fair" for t in tools) + " |",
        "|---|" + "---|---|" * len(tools)]
    bad = {t: 0 for t in tools}

    def show(o: Outcome) -> str:
        return "error" if o.error is not None else str(o.races)

    for p in progs:
        cells = []
        for t in tools:
            for outcomes in runs[t][p.name]:
                cells.append(" ".join(show(o) for o in outcomes))
                bad[t] += sum(o.error is not None or o.races > 0
                              for o in outcomes)
        lines.append(f"| `{p.name}` | " + " | ".join(cells) + " |")
    lines.append("| **runs with a hint or an error** | " + " | ".join(
        f"{bad[t]} of {len(progs) * 2 * n} | " for t in tools) + "|")
    return lines


def run_repeat(args, valgrind: str, tools: List[str],
               progs: List[Program]) -> int:
    progs = [p for p in progs if p.label == "race-free"]
    n = args.repeat
    runs: Dict[str, Dict[str, List[List[Outcome]]]] = {
        t: {p.name: [[Outcome()] * n for _ in SCHEDULERS] for p in progs}
        for t in tools}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(run_one, valgrind, t,
                               os.path.join(args.progs, p.name), extra):
                   (t, p.name, k, i)
                   for t in tools for p in progs
                   for k, extra in enumerate(SCHEDULERS) for i in range(n)}
        for fut in concurrent.futures.as_completed(futures):
            t, name, k, i = futures[fut]
            try:
                o = fut.result()
            except Exception as e:  # a bug here must not lose the others
                o = Outcome(error=f"race_suite.py failed: {e!r}")
            runs[t][name][k][i] = o
            if o.error is not None or o.races:
                print(f"race_suite.py: {t} on {name} "
                      f"{' '.join(SCHEDULERS[k]) or 'default'} run {i + 1}: "
                      f"{o.error or f'{o.races} race errors'}",
                      file=sys.stderr)
    note = f"bench/race_suite.py --tools {','.join(tools)} --repeat {n}"
    lines = repeat_table(progs, tools, n, runs, note,
                         valgrind_version(valgrind))
    print("\n".join(lines))
    put_section(args.doc, REPEAT_BEGIN, REPEAT_END, lines)
    print(f"updated {args.doc}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--valgrind", default=None,
                    help="valgrind or vg-in-place to run (default "
                    "./vg-in-place if it exists, else valgrind)")
    ap.add_argument("--progs", default=os.path.join("tests", "progs", "races"),
                    help="directory of the built programs "
                    "(default tests/progs/races)")
    ap.add_argument("--tools", default="memscope,helgrind,drd",
                    help="comma-separated tools (default %(default)s)")
    ap.add_argument("--doc", default=os.path.join(SRCDIR, "docs", "races.md"),
                    help="document whose race-suite section is rewritten "
                    "(default docs/races.md of the source tree)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="runs at once (default: the number of CPUs)")
    ap.add_argument("--repeat", type=int, default=0, metavar="N",
                    help="run each race-free program N times per scheduler "
                    "(default tools then: memscope)")
    args = ap.parse_args()
    if args.repeat < 0:
        ap.error("--repeat: give a count of 1 or more")
    valgrind = valgrind_to_run(args.valgrind)
    if args.repeat and "--tools" not in " ".join(sys.argv):
        args.tools = "memscope"
    tools = race_tools(ap, args.tools)
    progs = read_programs(SOURCES)
    if args.repeat:
        return run_repeat(args, valgrind, tools, progs)

    results: Dict[str, Dict[str, Outcome]] = {t: {} for t in tools}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(run_one, valgrind, t,
                               os.path.join(args.progs, p.name)): (t, p.name)
                   for t in tools for p in progs}
        for fut in concurrent.futures.as_completed(futures):
            t, name = futures[fut]
            try:
                o = fut.result()
            except Exception as e:  # a bug here must not lose the others
                o = Outcome(error=f"race_suite.py failed: {e!r}")
            results[t][name] = o
            if o.error is not None:
                print(f"race_suite.py: {t} on {name}: {o.error}",
                      file=sys.stderr)

    note = f"bench/race_suite.py --tools {','.join(tools)}"
    lines = table(progs, tools, results, note, valgrind_version(valgrind))
    print("\n".join(lines))
    put_section(args.doc, BEGIN, END, lines)
    print(f"updated {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
