#!/usr/bin/env python3
"""race_programs.py: the race detectors on real multithreaded programs.

Runs Debian's multithreaded programs (pigz, xz, zstd, lbzip2, sort, git
grep, CPython's threading) on inputs it generates, under memscope,
Helgrind and DRD with their default options, each once with Valgrind's
default scheduler and once with --fair-sched=yes, and counts each run's
race errors from the tool's XML.  The programs are released software
that nobody here wrote; a race error on them is taken as a false hint
unless someone shows the race.  A program that is not installed is
listed as such and skipped.  The table goes into the marked section of
docs/races.md.

  bench/race_programs.py [--valgrind PATH] [--tools memscope,helgrind,drd]
                         [--doc docs/races.md] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (put_section, race_tools,  # noqa: E402
                      run_race_tool, valgrind_to_run, valgrind_version)

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)
BEGIN, END = "<!-- race-programs:begin -->", "<!-- race-programs:end -->"
SCHEDULERS = ((), ("--fair-sched=yes",))
TIMEOUT_S = 600

# CPython's threads: a queue between two producers and two consumers, a
# lock-protected total, an Event, and a ThreadPoolExecutor's map.
PYTHON_THREADS = """
import queue, threading, concurrent.futures
q = queue.Queue(maxsize=8)
total = 0
lock = threading.Lock()
done = threading.Event()
def produce(n):
    for i in range(n):
        q.put(i)
def consume():
    global total
    while True:
        item = q.get()
        if item is None:
            return
        with lock:
            total += item
producers = [threading.Thread(target=produce, args=(300,)) for _ in range(2)]
consumers = [threading.Thread(target=consume) for _ in range(2)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    q.put(None)
for t in consumers:
    t.join()
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    squares = sum(pool.map(lambda x: x * x, range(200)))
done.set()
print(total, squares, done.is_set())
"""


@dataclass
class RealProgram:
    name: str
    needs: str                                  # the executable
    command: Callable[[str], List[str]]         # workdir -> argv
    what: str


def text_input(workdir: str) -> str:
    """A 1.3 MB text file, the same every time."""
    path = os.path.join(workdir, "input.txt")
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(40000):
                f.write(f"record {i} value {i * 7919 % 100003} "
                        f"{'x' * (i % 37)}\n")
    return path


def git_repository(workdir: str) -> str:
    """A repository of 40 committed text files."""
    repo = os.path.join(workdir, "repo")
    if os.path.isdir(repo):
        return repo
    os.makedirs(repo)
    for i in range(40):
        with open(os.path.join(repo, f"file{i:02}.txt"), "w") as f:
            for j in range(500):
                f.write(f"line {j} of file {i}: value {(i * j) % 97}\n")
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@x",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="b@x")
    for argv in (["git", "init", "-q"], ["git", "add", "."],
                 ["git", "commit", "-q", "-m", "bench"]):
        subprocess.run(argv, cwd=repo, env=env, check=True,
                       stdin=subprocess.DEVNULL, capture_output=True)
    return repo


PROGRAMS = [
    RealProgram("pigz", "pigz",
                lambda w: ["pigz", "-p", "2", "-c", text_input(w)],
                "`pigz -p 2 -c`"),
    RealProgram("xz", "xz",
                lambda w: ["xz", "-T2", "-c", text_input(w)], "`xz -T2 -c`"),
    RealProgram("zstd", "zstd",
                lambda w: ["zstd", "-q", "-T2", "-c", text_input(w)],
                "`zstd -q -T2 -c`"),
    RealProgram("lbzip2", "lbzip2",
                lambda w: ["lbzip2", "-n", "2", "-c", text_input(w)],
                "`lbzip2 -n 2 -c`"),
    RealProgram("sort", "sort",
                lambda w: ["sort", "--parallel=2", "-S", "64M",
                           text_input(w)], "`sort --parallel=2`"),
    RealProgram("git grep", "git",
                lambda w: ["git", "-C", git_repository(w), "grep",
                           "--threads=2", "-c", "value 7"],
                "`git grep --threads=2` in a repository of 40 files"),
    RealProgram("python3 threading", "/usr/bin/python3",
                lambda w: ["/usr/bin/python3", "-c", PYTHON_THREADS],
                "Debian's CPython: a queue, a lock, an Event, a thread pool"),
]

Result = Tuple[int, Dict[str, int], Optional[str]]


def cell(runs: List[Result]) -> str:
    """The race errors of each run ("0 0"), "error" for a failed run."""
    return " ".join("error" if err else str(races)
                    for races, _, err in runs)


def table(progs: List[RealProgram], tools: List[str],
          results: Dict[str, Dict[str, List[Result]]], missing: List[str],
          version: str) -> List[str]:
    date = datetime.date.today().isoformat()
    lines = [f"`bench/race_programs.py --tools {','.join(tools)}` on {date} "
             f"({version}, each tool with its default options): each "
             "program run twice per tool, with the default scheduler and "
             "with `--fair-sched=yes`; a cell gives the race errors of each "
             "run (one per error context: memscope's and Helgrind's `Race`, "
             "DRD's `ConflictingAccess`). The programs are Debian's; a race "
             "error on them counts as a false hint.",
             "",
             "| program | what runs | "
             + " | ".join(f"{t} race errors" for t in tools) + " |",
             "|---|---|" + "---|" * len(tools)]
    for p in progs:
        lines.append(f"| {p.name} | {p.what} | "
                     + " | ".join(cell(results[t][p.name]) for t in tools)
                     + " |")
    totals = []
    for t in tools:
        runs = [r for p in progs for r in results[t][p.name]]
        hinted = sum(1 for races, _, err in runs if err is None and races)
        failed = sum(1 for _, _, err in runs if err is not None)
        text = f"{hinted} of {len(runs)}"
        if failed:
            text += f", {failed} failed"
        totals.append(text)
    lines.append("| **runs with a race error** | | " + " | ".join(totals)
                 + " |")
    if missing:
        lines += ["", "Not installed, skipped: "
                  + ", ".join(f"`{m}`" for m in missing) + "."]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--valgrind", default=None,
                    help="valgrind or vg-in-place to run (default "
                    "./vg-in-place if it exists, else valgrind)")
    ap.add_argument("--tools", default="memscope,helgrind,drd",
                    help="comma-separated tools (default %(default)s)")
    ap.add_argument("--doc", default=os.path.join(SRCDIR, "docs", "races.md"),
                    help="document whose race-programs section is "
                    "rewritten (default docs/races.md of the source tree)")
    ap.add_argument("--only", default="",
                    help="comma-separated program names to run (default: "
                    "all), without rewriting the document")
    args = ap.parse_args()
    valgrind = valgrind_to_run(args.valgrind)
    if os.sep in valgrind:              # the runs happen in a work dir
        valgrind = os.path.abspath(valgrind)
    tools = race_tools(ap, args.tools)
    only = [n for n in args.only.split(",") if n]
    names = [p.name for p in PROGRAMS]
    bad = [n for n in only if n not in names]
    if bad:
        ap.error(f"--only: unknown {', '.join(bad)}; choose among "
                 + ", ".join(names))
    chosen = [p for p in PROGRAMS if not only or p.name in only]
    progs = [p for p in chosen if shutil.which(p.needs)]
    missing = [p.needs for p in chosen if not shutil.which(p.needs)]
    results: Dict[str, Dict[str, List[Result]]] = {t: {} for t in tools}
    with tempfile.TemporaryDirectory(prefix="race-programs-") as work:
        for p in progs:
            try:
                command = p.command(work)
            except (OSError, subprocess.CalledProcessError) as e:
                for t in tools:
                    results[t][p.name] = [(0, {}, f"set-up failed: {e}")]
                continue
            for t in tools:
                runs = []
                for extra in SCHEDULERS:
                    r = run_race_tool(valgrind, t, command, extra, TIMEOUT_S,
                                      cwd=work)
                    runs.append(r)
                    print(f"race_programs.py: {p.name} {t} "
                          f"{' '.join(extra) or 'default'}: "
                          f"{r[2] or str(r[0]) + ' race errors'}",
                          file=sys.stderr)
                results[t][p.name] = runs
    lines = table(progs, tools, results, missing, valgrind_version(valgrind))
    print("\n".join(lines))
    if not only:
        put_section(args.doc, BEGIN, END, lines)
        print(f"updated {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
