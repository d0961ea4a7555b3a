"""The advanced metrics demo (examples/advanced_metrics_demo.c, with its
library examples/demo_plugin.c) and its summary printer
(examples/run_demo.py), which `make demo` and ./setup run.

Under memscope the demo must run clean (no Valgrind error, no race hint)
and end with the leak summary its header documents, Memcheck's too; its
named variables, threads and library boundary must reach the report.
Helgrind and DRD must stay silent on it.  run_demo.py's printed figures
must equal the files it describes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import (BUILDDIR, JSON_CATEGORIES, REPORT, SRCDIR, VG_IN_PLACE,
                     cell_texts, memscope, parse_memscope_summary, report,
                     source_line, table_rows, valgrind)

DEMO = BUILDDIR / "examples" / "advanced_metrics_demo"
PLUGIN = BUILDDIR / "examples" / "libdemo_plugin.so"
RUN_DEMO = SRCDIR / "examples" / "run_demo.py"
BASE = "advanced_metrics_demo"

# The two deliberate leaks of the demo's header: session_cache (16) with
# 3 sessions (32 each), their user names ("alice", "bob", "carol": 6, 4
# and 6) and the shared session_config (32); forgotten_buffer (256).
LEAKS = {"definitely_lost": {"blocks": 1, "bytes": 256},
         "indirectly_lost": {"blocks": 0, "bytes": 0},
         "possibly_lost": {"blocks": 0, "bytes": 0},
         "still_reachable": {"blocks": 8, "bytes": 160}}
LEAK_LINES = ["definitely lost: 256 bytes in 1 blocks",
              "indirectly lost: 0 bytes in 0 blocks",
              "possibly lost: 0 bytes in 0 blocks",
              "still reachable: 160 bytes in 8 blocks"]
THREADS = ["main", "producer-1", "producer-2", "producer-3", "consumer-1",
           "consumer-2", "cache-writer-1", "cache-writer-2",
           "cache-reader-1", "cache-reader-2", "cache-reader-3",
           "cache-reader-4", "worker-1", "worker-2", "worker-3", "worker-4",
           "atomic-1", "atomic-2", "atomic-3", "atomic-4"]
# The demo's own lines whose figures do not depend on the schedule.
STDOUT_LINES = [
    "producers/consumers: 3 producers, 2 consumers, queue of 8: "
    "120 produced, 120 consumed, 2130 bytes",
    "atomics: 4 threads x 100 rounds: atomic_counter 400, "
    "atomic_flags 1010",
    "left at exit on purpose: session_cache (3 sessions, still reachable) "
    "and forgotten_buffer (256 bytes, definitely lost)",
]


def leak_lines(stderr: str) -> list:
    """The four class lines of the LEAK SUMMARY, without the pid prefix
    and the alignment."""
    at = stderr.index("LEAK SUMMARY:")
    lines = [re.sub(r"^==\d+==\s+", "", line)
             for line in stderr[at:].splitlines()[1:5]]
    return lines


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo under memscope and its whole report: (the run, the JSON
    documents by category, the report's directory)."""
    for path in (DEMO, PLUGIN):
        assert path.exists(), f"{path} not built (make check builds it)"
    tmp = tmp_path_factory.mktemp("demo")
    run = memscope([str(DEMO)], tmp)
    out = tmp / "report"
    r = report([str(run.log), "-o", str(out), "--base", BASE])
    assert r.returncode == 0, r.stderr
    docs = {c: json.loads((out / f"{BASE}_{c}.json").read_text())
            for c in JSON_CATEGORIES}
    return run, docs, out


def test_runs_clean_without_race_hints(demo):
    run, docs, _ = demo
    assert run.returncode == 0, run.stderr
    assert re.search(r"ERROR SUMMARY: 0 errors from 0 contexts", run.stderr)
    assert re.search(r"==\d+== race hints: 0\n", run.stderr)
    said = [line.split(": ", 1)[1] for line in run.stdout.splitlines()]
    for line in STDOUT_LINES:
        assert line in said
    assert docs["concurrency"]["summary"] == \
        {"race_hints": 0, "lock_order_violations": 0, "lockset_hints": 0}


def test_leak_summary_as_designed_and_as_memcheck(demo):
    run, docs, _ = demo
    assert leak_lines(run.stderr) == LEAK_LINES
    ma = docs["memory_analysis"]
    assert ma["summary"]["leaks"] == LEAKS
    assert [(b["class"], b["size"], b["name"], b["type_name"],
             b["allocation_site"]["label"]) for b in ma["leaks"]] == [
        ("definitely_lost", 256, "forgotten_buffer", "char[256]",
         "forget_buffer (advanced_metrics_demo.c:%d)" % source_line(
             "examples/advanced_metrics_demo.c",
             "char* forgotten_buffer = ALLOC(256);"))]
    # The mid-run MEMSCOPE_SNAPSHOT() and the exit scan.
    assert [s["reason"] for s in ma["snapshots"]] == ["request", "exit"]
    # What stays reachable is one structure, rooted at the global.
    structures = docs["complex_types"]["composite_structures"]["structures"]
    assert [(s["kind"], s["nodes"], s["bytes"], s["root_variable"],
             s["classes"]) for s in structures] == \
        [("graph", 8, 160, "session_cache", {"still_reachable": 8})]
    mc = valgrind("memcheck", [str(DEMO)], ["--leak-check=summary"])
    assert mc.returncode == 0, mc.stderr
    assert leak_lines(mc.stderr) == LEAK_LINES


def test_named_variables_and_types(demo):
    _, docs, _ = demo
    ct = docs["complex_types"]
    assert ct["variables_complete"] is True
    named = {(v["name"], v["type_name"], v["kind"], v["heap"], v["size"])
             for v in ct["variables"]}
    for entry in [
            ("complex_map", "struct complex_map", "variable", False, 8),
            ("complex_map", "struct complex_map", "pointee", True, 136),
            ("matrix", "double***", "pointee", True, 40),
            ("shared_buffer", "struct bounded_queue", "pointee", True, 224),
            ("buffer_stats", "struct buffer_stats", "pointee", True, 56),
            ("shared_cache", "struct rw_cache", "pointee", True, 248),
            ("cache_metrics", "struct cache_metrics", "pointee", True, 64),
            ("work_queue_1", "struct work_deque", "block", True, 568),
            ("work_queue_4", "struct work_deque", "block", True, 568),
            ("atomic_counter", "atomic_size_t", "pointee", True, 8),
            ("atomic_flags", "atomic_bool[4]", "pointee", True, 4),
            ("large_buffer", "unsigned char[1048576]", "pointee", True,
             1048576),
            ("main_thread_string", "char[]", "pointee", True, 41),
            ("session_cache", "struct session_cache", "variable", False, 8),
            ("session_config", "struct session_config", "block", True, 32),
            ("forgotten_buffer", "char[256]", "block", True, 256)]:
        assert entry in named
    # Named in the library, by the library's code.
    records = [v for v in ct["variables"] if v["name"] == "plugin_record"]
    assert len(records) == 3
    assert {v["label"].split(" ")[0] for v in records} == \
        {"plugin_make_record"}
    # Named in the threads that own them.
    threads = {t["thread_id"]: t["name"]
               for t in docs["concurrency"]["threads"]}
    owners = {threads[v["thread_id"]] for v in ct["variables"]
              if v["name"] == "consumer_data"}
    assert owners == {"consumer-1", "consumer-2"}
    by_type = {t["type_name"]: t for t in ct["by_type"]}
    assert (by_type["struct session"]["heap_blocks"],
            by_type["struct session"]["bytes"]) == (3, 96)
    assert by_type["struct rc_handle"]["heap_blocks"] == 3
    assert len(ct["variables"]) == \
        docs["memory_analysis"]["summary"]["named_objects"]


def test_threads_are_named(demo):
    _, docs, _ = demo
    threads = docs["concurrency"]["threads"]
    assert [t["name"] for t in threads] == THREADS
    assert all(t["parent_id"] == 1 for t in threads[1:])
    assert docs["memory_analysis"]["summary"]["threads"] == len(THREADS)


def test_blocks_cross_the_library_boundary(demo):
    _, docs, _ = demo
    crossings = {(c["allocated_in"].rsplit("/", 1)[-1],
                  c["freed_in"].rsplit("/", 1)[-1]): c
                 for c in docs["unsafe_ffi"]["library_boundaries"]["crossings"]}
    assert set(crossings) == {("libdemo_plugin.so", BASE),
                              (BASE, "libdemo_plugin.so")}

    def line(needle: str) -> int:
        return source_line("examples/demo_plugin.c", needle)
    out = crossings[("libdemo_plugin.so", BASE)]
    # 3 records (56 bytes) with payloads of 64, 96 and 128 bytes, and 2
    # buffers of 2,048; the last record freed after dlclose.
    assert (out["blocks"], out["bytes"]) == (8, 3 * 56 + 288 + 2 * 2048)
    assert {s["label"] for s in out["alloc_sites"]} == {
        f"plugin_make_record (demo_plugin.c:{line('record = malloc')})",
        f"plugin_make_record (demo_plugin.c:{line('payload = malloc')})",
        f"plugin_make_buffer (demo_plugin.c:{line('buffer = malloc')})"}
    assert all(s["label"].startswith("library_boundary (")
               for s in out["free_sites"])
    back = crossings[(BASE, "libdemo_plugin.so")]
    assert (back["blocks"], back["bytes"]) == (2, 2048)
    assert [s["label"] for s in back["free_sites"]] == \
        [f"plugin_consume (demo_plugin.c:{line('free(block);')})"]


def test_html_report_written(demo):
    from lxml import html as lxml_html
    _, docs, out = demo
    page = lxml_html.parse(str(out / f"{BASE}.html")).getroot()
    assert [cell_texts(r) for r in table_rows(page, "leak-summary-table")] \
        == [["definitely lost", "1", "256"], ["indirectly lost", "0", "0"],
            ["possibly lost", "0", "0"], ["still reachable", "8", "160"]]
    assert cell_texts(table_rows(page, "leaks-table")[0])[3] == \
        "forgotten_buffer"
    assert page.get_element_by_id("race-hint-count").get("data-value") == "0"
    assert (out / f"{BASE}.svg").stat().st_size > 0


@pytest.mark.parametrize("tool", ["helgrind", "drd"])
def test_helgrind_and_drd_stay_silent(tool):
    p = valgrind(tool, [str(DEMO)])
    assert p.returncode == 0, p.stderr
    assert re.search(r"ERROR SUMMARY: 0 errors from 0 contexts", p.stderr), \
        p.stderr
    assert STDOUT_LINES[-1] in p.stdout


def run_demo(tmp_path: Path, *program_args: str) -> subprocess.CompletedProcess:
    """run_demo.py as `make demo` runs it, with every path absolute but the
    log's and the report's, relative to tmp_path."""
    return subprocess.run(
        [sys.executable, str(RUN_DEMO), "--valgrind", str(VG_IN_PLACE),
         "--program", str(DEMO), "--log", "demo.msc", "--report",
         str(REPORT), "--out", f"MemoryAnalysis/{BASE}", *program_args],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        stdin=subprocess.DEVNULL)


def test_run_demo_prints_the_files_figures(tmp_path):
    p = run_demo(tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    out = tmp_path / "MemoryAnalysis" / BASE
    docs = {c: json.loads((out / f"{BASE}_{c}.json").read_text())
            for c in JSON_CATEGORIES}
    tool_output = (out / f"{BASE}.valgrind.txt").read_text()
    tool = parse_memscope_summary(tool_output)
    lines = p.stdout.splitlines()
    at = lines.index("memscope advanced metrics demo")
    summary = lines[at:]

    def n(value: int) -> str:
        return f"{value:,}"
    sizes = [(out / f"{BASE}_{c}.json").stat().st_size
             for c in JSON_CATEGORIES]
    conc = docs["concurrency"]
    shared = sum(1 for s in conc["shared_variables"]
                 if s["state"] != "exclusive")
    atomics = sum(t["atomic_operations"] for t in conc["threads"])
    assert atomics == int(re.search(r"atomic operations: ([\d,]+)",
                                    tool_output).group(1).replace(",", ""))
    log_bytes = (tmp_path / "demo.msc").stat().st_size
    assert tool["log_bytes"] == log_bytes
    width = max(len(f"{BASE}_{c}.json") for c in JSON_CATEGORIES)
    html = out / f"{BASE}.html"
    svg = out / f"{BASE}.svg"
    expected = [
        "memscope advanced metrics demo",
        "==============================",
        f"Program: {DEMO}",
        re.compile(r"Run under memscope: \d+\.\d\d s"),
        f"Log: demo.msc ({n(log_bytes)} bytes, "
        f"{n(tool['log_write_ms'])} ms writing)",
        re.compile(r"Converted by memscope-report: \d+\.\d\d s"),
        f"JSON files in MemoryAnalysis/{BASE}/:",
        *(f"  {BASE + '_' + c + '.json':<{width}}  {n(size):>11} bytes"
          for c, size in zip(JSON_CATEGORIES, sizes)),
        f"  {'total (6 files)':<{width}}  {n(sum(sizes)):>11} bytes (the "
        f"log is {100.0 * log_bytes / sum(sizes):.1f}% of it)",
        "Headline counts:",
        "  allocations:        "
        + n(docs["memory_analysis"]["summary"]["total_allocations"]),
        "  named variables:    " + n(len(docs["complex_types"]["variables"])),
        f"  threads:            {len(THREADS)} ({len(THREADS)} named)",
        f"  shared variables:   {n(shared)}",
        f"  atomic operations:  {n(atomics)}",
        "  race hints:         0",
        "  Valgrind errors:    0",
        "Leak summary (the heap scan at exit):",
        "  definitely lost:   256 bytes in 1 blocks",
        "  indirectly lost:   0 bytes in 0 blocks",
        "  possibly lost:     0 bytes in 0 blocks",
        "  still reachable:   160 bytes in 8 blocks",
        f"HTML report: MemoryAnalysis/{BASE}/{BASE}.html "
        f"({n(html.stat().st_size)} bytes)",
        f"SVG quick view: MemoryAnalysis/{BASE}/{BASE}.svg "
        f"({n(svg.stat().st_size)} bytes)",
        f"Tool output: MemoryAnalysis/{BASE}/{BASE}.valgrind.txt",
    ]
    assert len(summary) == len(expected), "\n".join(summary)
    for got, want in zip(summary, expected):
        if isinstance(want, str):
            assert got == want
        else:
            assert want.fullmatch(got), got
    # The tool's figures agree with the report's.
    assert tool["allocs"] == \
        docs["memory_analysis"]["summary"]["total_allocations"]
    assert tool["threads"] == len(THREADS)
    # Before the summary: the command, then the demo's own lines.
    assert lines[0] == f"run_demo: {VG_IN_PLACE} --tool=memscope {DEMO}"
    assert all(line.startswith("advanced_metrics_demo: ")
               for line in lines[1:at - 1])


def test_run_demo_fails_in_one_line(tmp_path):
    p = run_demo(tmp_path, str(tmp_path / "missing.so"))
    assert p.returncode == 1
    assert p.stderr.count("\n") == 1
    assert p.stderr.startswith(
        "run_demo: the demo under memscope exited with 1: "
        f"advanced_metrics_demo: {tmp_path / 'missing.so'}: cannot open ")
