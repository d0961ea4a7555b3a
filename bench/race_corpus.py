#!/usr/bin/python3
"""race_corpus.py: the SV-COMP data-race corpus verdicts.  Finds the
sv-benchmarks tasks (`.yml`, format 2.0) of a corpus directory whose
properties include `no-data-race.prp` with an expected verdict, builds
each task's C input natively with stubs for the SV-COMP verifier
functions, drops the tasks that do not build or do not end quickly
natively, runs the rest under memscope, Helgrind and DRD (or the tools
named), counts each tool's race errors from its XML output, calls the task
"racy" when there is at least one, and compares that with the expected
verdict (true: race-free, false: racy).  Owns the results JSON (--json)
and the section of a Markdown file between the race-corpus markers
(--doc).

Usage:
  bench/race_corpus.py --corpus DIR --valgrind PATH
                       [--tools memscope,helgrind,drd] [--timeout 20]
                       [--jobs 1] [--doc FILE] [--json OUT] [--keep-going]
                       [--limit N] [--native-timeout 5] [--keep DIR]

The corpus is not part of this repository: DIR is a copy of (part of)
sosy-lab/sv-benchmarks laid out as there; a MANIFEST.txt in DIR, lines of
`path commit`, names the commits the copy came from.

Rules the numbers depend on:
- Inputs are compiled 64-bit (`gcc -g -O0 -pthread -w -fno-strict-aliasing
  -std=gnu11`).  An `.i` input whose `.c` (same stem) sits next to it is
  compiled from the `.c`: sv-benchmarks' `.i` files are preprocessed for
  ILP32, and their 32-bit struct layouts (pthread_attr_t is 36 bytes there,
  56 here) do not fit the 64-bit C library.
- `__VERIFIER_nondet_*` return values from a per-thread generator seeded
  from the task's path, in 0..7; `__VERIFIER_nondet_pointer` returns a
  fresh zeroed 4 KiB block.  `__VERIFIER_assume(0)` ends the program with
  status 0 (the path is infeasible); `reach_error`, `__VERIFIER_error` and a
  failed `assert` print a line and end it with status 0 (an assertion is not
  a data race).  `__VERIFIER_atomic_begin`/`_end` lock and unlock one
  recursive pthread mutex.  Functions named `__VERIFIER_atomic_*` that a
  task defines itself run as ordinary functions.
- Skipped before any tool runs: a task whose input does not compile or
  link ("does not build"), one that does not end within --native-timeout
  seconds natively ("does not terminate"), one killed by a signal natively
  ("crashes natively").
- A tool's verdict is "error" on a timeout, an exit by signal, a Valgrind
  internal error, or XML that is missing or unreadable; errors are counted
  apart from TP/FP/TN/FN."""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import time
import traceback
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (RACE_KIND, put_section, race_tool_argv,  # noqa: E402
                      valgrind_version, verdict, xml_errors)

BEGIN, END = "<!-- race-corpus: begin -->", "<!-- race-corpus: end -->"
PROPERTY = "no-data-race.prp"
CFLAGS = ["-g", "-O0", "-pthread", "-w", "-fno-strict-aliasing",
          "-std=gnu11", "-m64"]
COMPILE_TIMEOUT_S = 120


# Valgrind's own failures, which its exit status does not tell apart from
# the client's.
VALGRIND_PANICS = ("the 'impossible' happened", "VALGRIND INTERNAL ERROR",
                   "Valgrind's memory management: out of memory")

STUBS = r"""
/* race_corpus.py stubs: the SV-COMP verifier functions for native runs.
   All weak, so that a task's own definition (reach_error often) wins. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define W __attribute__((weak))

/* One generator per thread, every thread seeded alike: a shared state
   would be a data race of the stubs themselves, and a lock around it a
   synchronisation the program does not have. */
static __thread uint64_t corpus_state;
static __thread int corpus_seeded;

static uint64_t corpus_next(void)
{
    uint64_t z;
    if (!corpus_seeded) {
        corpus_state = RACE_CORPUS_SEED;
        corpus_seeded = 1;
    }
    z = (corpus_state += 0x9E3779B97F4A7C15ull);       /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Small values: tasks use nondeterministic values as loop bounds, array
   indices and thread counts; any value is a legal choice, and small ones
   keep runs short and indices in bounds. */
#define SMALL (corpus_next() % 8)

W int __VERIFIER_nondet_int(void) { return (int)SMALL; }
W unsigned int __VERIFIER_nondet_uint(void) { return (unsigned int)SMALL; }
W unsigned int __VERIFIER_nondet_unsigned(void) { return (unsigned int)SMALL; }
W long __VERIFIER_nondet_long(void) { return (long)SMALL; }
W unsigned long __VERIFIER_nondet_ulong(void) { return (unsigned long)SMALL; }
W long long __VERIFIER_nondet_longlong(void) { return (long long)SMALL; }
W unsigned long long __VERIFIER_nondet_ulonglong(void) { return SMALL; }
W __int128 __VERIFIER_nondet_int128(void) { return (__int128)SMALL; }
W unsigned __int128 __VERIFIER_nondet_uint128(void) { return SMALL; }
W char __VERIFIER_nondet_char(void) { return (char)SMALL; }
W unsigned char __VERIFIER_nondet_uchar(void) { return (unsigned char)SMALL; }
W short __VERIFIER_nondet_short(void) { return (short)SMALL; }
W unsigned short __VERIFIER_nondet_ushort(void) { return (unsigned short)SMALL; }
W uint32_t __VERIFIER_nondet_u32(void) { return (uint32_t)SMALL; }
W _Bool __VERIFIER_nondet_bool(void) { return corpus_next() & 1; }
W _Bool __VERIFIER_nondet__Bool(void) { return corpus_next() & 1; }
W size_t __VERIFIER_nondet_size_t(void) { return (size_t)SMALL; }
W long __VERIFIER_nondet_loff_t(void) { return (long)SMALL; }
W unsigned long __VERIFIER_nondet_sector_t(void) { return SMALL; }
W pthread_t __VERIFIER_nondet_pthread_t(void) { return (pthread_t)SMALL; }
W float __VERIFIER_nondet_float(void) { return (float)SMALL / 2; }
W double __VERIFIER_nondet_double(void) { return (double)SMALL / 2; }
/* A fresh block rather than NULL or garbage: the tasks dereference it (a
   mutex, a list node), and a crash would end the run before any race. */
W void *__VERIFIER_nondet_pointer(void) { return calloc(1, 4096); }
W char *__VERIFIER_nondet_pchar(void) { return calloc(1, 4096); }

W void __VERIFIER_assume(int cond)
{
    if (!cond)
        exit(0);
}

static void corpus_reached(const char *what)
{
    fprintf(stderr, "race_corpus: %s reached\n", what);
    exit(0);
}

W void __VERIFIER_error(void) { corpus_reached("__VERIFIER_error"); }
W void reach_error(void) { corpus_reached("reach_error"); }
W void __assert_fail(const char *assertion, const char *file,
                     unsigned int line, const char *function)
{
    fprintf(stderr, "race_corpus: assertion %s failed at %s:%u (%s)\n",
            assertion, file, line, function);
    exit(0);
}

/* A real pthread mutex, so that every tool sees the atomic sections as
   lock and unlock; recursive, for nested sections. */
static pthread_mutex_t corpus_atomic = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
W void __VERIFIER_atomic_begin(void) { pthread_mutex_lock(&corpus_atomic); }
W void __VERIFIER_atomic_end(void) { pthread_mutex_unlock(&corpus_atomic); }
"""


@dataclass
class Task:
    yml: str                        # path relative to the corpus
    name: str                       # yml path without ".yml": the short name
    expected: str                   # "racy" or "race-free"
    inputs: List[str]               # as the yml names them, corpus-relative
    data_model: Optional[str] = None


@dataclass
class ToolRun:
    """One tool on one task.  races is valid when error is None."""
    races: int = 0
    other_kinds: Dict[str, int] = field(default_factory=dict)
    error: Optional[str] = None
    seconds: float = 0.0
    exit_status: Optional[int] = None

    @property
    def verdict(self) -> str:
        return verdict(self.races, self.error)


@dataclass
class TaskResult:
    task: Task
    compiled: List[str] = field(default_factory=list)
    skip_reason: Optional[str] = None          # None: kept
    skip_detail: Optional[str] = None
    native_seconds: Optional[float] = None
    runs: Dict[str, ToolRun] = field(default_factory=dict)


# ---------------------------------------------------------------- tasks

def yaml_scalar(text: str) -> str:
    """The value of a one-line YAML scalar, quotes and comment removed."""
    text = text.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        end = text.find(quote, 1)
        return text[1:end] if end > 0 else text[1:]
    return text.split(" #", 1)[0].strip()


def read_task_yaml(text: str) -> dict:
    """The parts of an sv-benchmarks task definition this script uses:
    format_version, input_files (a list), properties (a list of dicts),
    options (a dict).  Not a YAML parser: these files are flat mappings,
    one list of scalars and one list of small mappings."""
    task: dict = {"input_files": [], "properties": [], "options": {}}
    key = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0] if raw.lstrip().startswith("#") else raw
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if indent == 0:
            key, _, value = body.partition(":")
            key, value = key.strip(), value.strip()
            if value and key == "input_files":
                task["input_files"].append(yaml_scalar(value))
            elif value:
                task[key] = yaml_scalar(value)
            continue
        if key == "input_files" and body.startswith("- "):
            task["input_files"].append(yaml_scalar(body[2:]))
        elif key == "properties":
            if body.startswith("- "):
                task["properties"].append({})
                body = body[2:]
            if task["properties"] and ":" in body:
                k, _, v = body.partition(":")
                task["properties"][-1][k.strip()] = yaml_scalar(v)
        elif key == "options" and ":" in body:
            k, _, v = body.partition(":")
            task["options"][k.strip()] = yaml_scalar(v)
    return task


def race_verdict(properties: List[dict]) -> Optional[str]:
    """"racy" or "race-free" from the no-data-race property, None when the
    task has none (or no verdict for it)."""
    for prop in properties:
        if os.path.basename(prop.get("property_file", "")) != PROPERTY:
            continue
        verdict = prop.get("expected_verdict", "").lower()
        if verdict == "true":
            return "race-free"
        if verdict == "false":
            return "racy"
    return None


def find_tasks(corpus: str) -> List[Task]:
    """Every data-race task under corpus, sorted by path."""
    tasks = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for fname in sorted(filenames):
            if not fname.endswith(".yml"):
                continue
            path = os.path.join(dirpath, fname)
            with open(path, errors="replace") as f:
                spec = read_task_yaml(f.read())
            expected = race_verdict(spec["properties"])
            if expected is None:
                continue
            rel = os.path.relpath(path, corpus)
            here = os.path.dirname(rel)
            tasks.append(Task(
                yml=rel, name=rel[:-len(".yml")], expected=expected,
                inputs=[os.path.normpath(os.path.join(here, i))
                        for i in spec["input_files"]],
                data_model=spec["options"].get("data_model")))
    return sorted(tasks, key=lambda t: t.name)


def short_name(task: Task) -> str:
    """The task's name without the language folder (c/)."""
    return task.name[2:] if task.name.startswith("c/") else task.name


# ---------------------------------------------------------------- building

def source_to_compile(corpus: str, rel: str) -> str:
    """The file to compile for the input rel (see the module docstring on
    ILP32 .i files)."""
    stem, ext = os.path.splitext(rel)
    if ext == ".i" and os.path.exists(os.path.join(corpus, stem + ".c")):
        return stem + ".c"
    return rel


def first_error_line(stderr: str) -> str:
    """gcc's first error, or the linker's first undefined reference (which
    comes before collect2's "ld returned 1")."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for line in lines:
        if re.search(r"error|undefined reference", line, re.I):
            return line
    return lines[0] if lines else "(no message)"


def seed_of(task: Task) -> int:
    # Deterministic per task, and different between tasks.
    return zlib.crc32(task.name.encode()) or 1


def build(corpus: str, task: Task, workdir: str,
          result: TaskResult) -> Optional[str]:
    """Compiles the task into workdir; the binary's path, or None with
    result.skip_* set."""
    sources = [source_to_compile(corpus, i) for i in task.inputs]
    result.compiled = sources
    missing = [s for s in sources if not os.path.exists(os.path.join(corpus, s))]
    if not sources or missing:
        result.skip_reason = "does not build"
        result.skip_detail = ("input missing: " + ", ".join(missing)
                              if missing else "no input_files")
        return None
    stubs = os.path.join(workdir, "race_corpus_stubs.c")
    with open(stubs, "w") as f:
        f.write(STUBS)
    binary = os.path.join(workdir, "task")
    argv = (["gcc", *CFLAGS, f"-DRACE_CORPUS_SEED={seed_of(task)}u", "-o",
             binary] + [os.path.join(corpus, s) for s in sources]
            + [stubs, "-lm"])
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL,
                           timeout=COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        p = None
    if p is None or p.returncode != 0:
        result.skip_reason = "does not build"
        result.skip_detail = (first_error_line(p.stderr) if p is not None
                              else f"gcc took more than {COMPILE_TIMEOUT_S} s")
        return None
    return binary


# ---------------------------------------------------------------- running

def run_limited(argv: List[str], timeout: float, cwd: str,
                stderr_path: Optional[str] = None
                ) -> Tuple[Optional[int], float]:
    """Runs argv in its own process group with stdin and stdout closed off;
    (exit status, or None after a timeout; wall seconds).  On a timeout
    the whole group is killed: Valgrind and the program's threads and
    children alike."""
    err = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            status = None
            kill_group(proc)
    finally:
        if stderr_path:
            err.close()
    return status, time.monotonic() - start


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def run_native(binary: str, timeout: float, workdir: str,
               result: TaskResult) -> bool:
    """True when the task ends by itself within timeout; else sets the
    skip reason."""
    status, seconds = run_limited([binary], timeout, workdir)
    result.native_seconds = round(seconds, 3)
    if status is None:
        result.skip_reason = "does not terminate"
        result.skip_detail = f"still running after {timeout:g} s"
        return False
    if status < 0:
        result.skip_reason = "crashes natively"
        result.skip_detail = f"killed by {signal_name(-status)}"
        return False
    return True


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def count_errors(xml_path: str, race_kind: str, run: ToolRun) -> None:
    run.races, run.other_kinds = xml_errors(xml_path, race_kind)


def run_tool(valgrind: str, tool: str, binary: str, timeout: float,
             outdir: str) -> ToolRun:
    os.makedirs(outdir, exist_ok=True)
    stderr_path = os.path.join(outdir, f"{tool}.stderr")
    run = ToolRun()
    status, seconds = run_limited(race_tool_argv(valgrind, tool, outdir)
                                  + [binary], timeout, outdir, stderr_path)
    run.seconds, run.exit_status = round(seconds, 3), status
    if status is None:
        run.error = f"timed out after {timeout:g} s"
        return run
    if status < 0:
        run.error = f"killed by {signal_name(-status)}"
        return run
    with open(stderr_path, errors="replace") as f:
        stderr = f.read()
    panic = next((p for p in VALGRIND_PANICS if p in stderr), None)
    if panic:
        run.error = f"valgrind: {panic}"
        return run
    try:
        count_errors(os.path.join(outdir, f"{tool}.xml"), RACE_KIND[tool], run)
    except (OSError, ET.ParseError) as e:
        run.error = f"no readable XML ({e})"
    return run


def outcome(expected: str, run: ToolRun) -> str:
    """TP, FP, TN, FN or error (racy is the positive class)."""
    if run.verdict == "error":
        return "error"
    if run.verdict == "racy":
        return "TP" if expected == "racy" else "FP"
    return "TN" if expected == "race-free" else "FN"


def process_task(corpus: str, task: Task, args: argparse.Namespace,
                 tools: List[str]) -> TaskResult:
    result = TaskResult(task)
    with tempfile.TemporaryDirectory(prefix="race-corpus-") as workdir:
        binary = build(corpus, task, workdir, result)
        if binary is None:
            return result
        if not run_native(binary, args.native_timeout, workdir, result):
            return result
        outdir = (os.path.join(args.keep, short_name(task)) if args.keep
                  else os.path.join(workdir, "out"))
        for tool in tools:
            result.runs[tool] = run_tool(args.valgrind, tool, binary,
                                         args.timeout, outdir)
    return result


def failed_result(task: Task, exc: BaseException,
                  tools: List[str]) -> TaskResult:
    """The result of a task on which this script itself failed
    (--keep-going): an error for every tool."""
    result = TaskResult(task)
    message = f"race_corpus.py failed: {exc!r}"
    result.runs = {t: ToolRun(error=message) for t in tools}
    return result


def progress_line(index: int, total: int, result: TaskResult,
                  tools: List[str]) -> str:
    head = f"[{index}/{total}] {short_name(result.task)} ({result.task.expected})"
    if result.skip_reason:
        return f"{head}: skipped, {result.skip_reason}"
    cells = [f"{t} {outcome(result.task.expected, result.runs[t])}"
             f" {result.runs[t].races}" for t in tools if t in result.runs]
    return f"{head}: " + ", ".join(cells)


def run_all(corpus: str, tasks: List[Task], args: argparse.Namespace,
            tools: List[str]) -> List[TaskResult]:
    results: Dict[str, TaskResult] = {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(process_task, corpus, t, args, tools): t
                   for t in tasks}
        for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            task = futures[fut]
            try:
                result = fut.result()
            except Exception as exc:
                if not args.keep_going:
                    for other in futures:
                        other.cancel()
                    raise
                traceback.print_exc()
                result = failed_result(task, exc, tools)
            results[task.name] = result
            print(progress_line(done, len(tasks), result, tools),
                  file=sys.stderr, flush=True)
    return [results[t.name] for t in tasks]


# ---------------------------------------------------------------- reports

def corpus_commits(corpus: str) -> Dict[str, int]:
    """commit -> number of files, from the corpus's MANIFEST.txt."""
    commits: Dict[str, int] = {}
    path = os.path.join(corpus, "MANIFEST.txt")
    if not os.path.exists(path):
        return commits
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2 and not line.startswith("#"):
                commits[fields[1]] = commits.get(fields[1], 0) + 1
    return commits


def result_json(result: TaskResult, tools: List[str]) -> dict:
    task = result.task
    entry = {"task": short_name(task), "yml": task.yml,
             "inputs": task.inputs, "compiled": result.compiled,
             "expected": task.expected,
             "status": "skipped" if result.skip_reason else "kept",
             "skip_reason": result.skip_reason,
             "skip_detail": result.skip_detail,
             "native_seconds": result.native_seconds, "tools": {}}
    for tool in tools:
        run = result.runs.get(tool)
        if run is None:
            continue
        entry["tools"][tool] = {
            "verdict": run.verdict, "races": run.races,
            "outcome": outcome(task.expected, run), "seconds": run.seconds,
            "exit_status": run.exit_status, "error": run.error,
            "other_kinds": run.other_kinds}
    return entry


def tally(results: List[TaskResult], tool: str) -> Dict[str, List[str]]:
    """outcome -> short names of the kept tasks with it, for one tool."""
    names: Dict[str, List[str]] = {k: [] for k in
                                   ("TP", "FP", "TN", "FN", "error")}
    for r in results:
        if r.skip_reason is None and tool in r.runs:
            names[outcome(r.task.expected, r.runs[tool])].append(
                short_name(r.task))
    return names


def skip_counts(results: List[TaskResult]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for r in results:
        if r.skip_reason:
            counts[r.skip_reason] = counts.get(r.skip_reason, 0) + 1
    return counts


def count_expected(results: List[TaskResult]) -> str:
    racy = sum(r.task.expected == "racy" for r in results)
    return f"{racy} racy, {len(results) - racy} race-free"


def doc_lines(results: List[TaskResult], tools: List[str], note: str,
              version: str, commits: Dict[str, int]) -> List[str]:
    kept = [r for r in results if r.skip_reason is None]
    skipped = skip_counts(results)
    commit_text = (", ".join(f"`{c[:12]}` ({n} file{'s' if n > 1 else ''})"
                             for c, n in sorted(commits.items(),
                                                key=lambda x: -x[1]))
                   or "unknown (no MANIFEST.txt)")
    from_c = sum(r.compiled != r.task.inputs and bool(r.compiled)
                 for r in results)
    lines = [
        "## SV-COMP data-race corpus", "",
        f"`{note}` on {datetime.date.today()} ({version}). Corpus: "
        f"sosy-lab/sv-benchmarks files from commits {commit_text}.", "",
        f"- Tasks found: {len(results)} ({count_expected(results)}).",
        "- Skipped: " + (", ".join(f"{n} ({reason})" for reason, n in
                                   sorted(skipped.items(),
                                          key=lambda x: -x[1])) or "none")
        + ".",
        f"- Kept: {len(kept)} ({count_expected(kept)}).",
        f"- Tasks whose yml names an ILP32 `.i` and that were compiled from "
        f"the `.c` beside it: {from_c}.", "",
        "Racy is the positive class: TP is a racy task with at least one race "
        "error (memscope and Helgrind `Race`, DRD `ConflictingAccess`), FN a "
        "racy task with none, FP a race-free task with at least one. Errors "
        "(timeout, exit by signal, no XML) are not in the other columns.", "",
        "| tool | TP | FP | TN | FN | errors |", "|---|---|---|---|---|---|"]
    tallies = {t: tally(results, t) for t in tools}
    for tool in tools:
        n = {k: len(v) for k, v in tallies[tool].items()}
        lines.append(f"| {tool} | {n['TP']} | {n['FP']} | {n['TN']} | "
                     f"{n['FN']} | {n['error']} |")
    for tool in tools:
        lines += ["", f"### {tool}", ""]
        for key, label in (("FP", "FP"), ("FN", "FN"), ("error", "errors")):
            names = tallies[tool][key]
            lines.append(f"- {label} ({len(names)}): " + (
                ", ".join(f"`{x}`" for x in names) if names else "none"))
    return lines


# ---------------------------------------------------------------- main

def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True,
                    help="directory holding the sv-benchmarks tasks")
    ap.add_argument("--valgrind", required=True,
                    help="valgrind or vg-in-place to run")
    ap.add_argument("--tools", default="memscope,helgrind,drd",
                    help="comma-separated tools (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=20,
                    help="seconds per tool run (default %(default)s)")
    ap.add_argument("--native-timeout", type=float, default=5,
                    help="seconds the native run may take before the task "
                    "is skipped as not terminating (default %(default)s)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="tasks at once (default %(default)s)")
    ap.add_argument("--limit", type=int, default=None,
                    help="only the first N tasks found, in path order")
    ap.add_argument("--doc", help="Markdown file whose race-corpus section "
                    "is rewritten (appended when it has none)")
    ap.add_argument("--json", help="file to write every task's results to")
    ap.add_argument("--keep", help="directory to keep each tool's XML, "
                    "stderr and memscope log in, one folder per task")
    ap.add_argument("--keep-going", action="store_true",
                    help="when this script fails on a task, record errors "
                    "for it and go on instead of stopping")
    args = ap.parse_args(argv)
    args.tools = [t for t in args.tools.split(",") if t]
    unknown = [t for t in args.tools if t not in RACE_KIND]
    if unknown or not args.tools:
        ap.error(f"--tools: unknown {', '.join(unknown) or '(none)'}; "
                 f"choose among {', '.join(RACE_KIND)}")
    if args.timeout <= 0 or args.native_timeout <= 0 or args.jobs < 1 \
            or (args.limit is not None and args.limit < 1):
        ap.error("--timeout, --native-timeout, --jobs and --limit must be "
                 "positive")
    return args


def check_paths(args: argparse.Namespace) -> Optional[str]:
    """The one-line complaint about a missing corpus or valgrind, or None."""
    if not os.path.isdir(args.corpus):
        return f"race_corpus.py: corpus directory {args.corpus} not found"
    found = (shutil.which(args.valgrind) if os.sep not in args.valgrind
             else args.valgrind if os.access(args.valgrind, os.X_OK) else None)
    if found is None:
        return f"race_corpus.py: valgrind {args.valgrind} not found or not executable"
    return None


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    complaint = check_paths(args)
    if complaint:
        print(complaint, file=sys.stderr)
        return 2
    corpus = os.path.abspath(args.corpus)
    args.valgrind = os.path.abspath(args.valgrind) \
        if os.sep in args.valgrind else args.valgrind
    if args.keep:
        args.keep = os.path.abspath(args.keep)
    tasks = find_tasks(corpus)
    if args.limit is not None:
        tasks = tasks[:args.limit]
    print(f"race_corpus.py: {len(tasks)} tasks in {corpus}", file=sys.stderr)
    results = run_all(corpus, tasks, args, args.tools)

    version = valgrind_version(args.valgrind)
    note = (f"bench/race_corpus.py --tools {','.join(args.tools)} "
            f"--timeout {args.timeout:g}"
            + (f" --limit {args.limit}" if args.limit else ""))
    lines = doc_lines(results, args.tools, note, version,
                      corpus_commits(corpus))
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": str(datetime.date.today()),
                       "valgrind": version, "corpus": corpus,
                       "corpus_commits": corpus_commits(corpus),
                       "tools": args.tools, "timeout_s": args.timeout,
                       "native_timeout_s": args.native_timeout,
                       "tasks": [result_json(r, args.tools) for r in results]},
                      f, indent=1)
            f.write("\n")
    if args.doc:
        put_section(args.doc, BEGIN, END, lines)
        print(f"updated {args.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
