"""memscope-report: the JSON files against their schemas and against the
tool's own exit summary, the SVG, and bad input (every truncation point,
byte flips, unwritable output)."""

import json
import os
import random
import re

import pytest
from lxml import etree

from helpers import (JSON_CATEGORIES, memscope, parse_memscope_summary, prog,
                     report, report_exit_codes, schema_validator)


@pytest.fixture(scope="module")
def threads_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("threads_report")
    run = memscope([prog("threads")], tmp)
    assert run.returncode == 0
    out = tmp / "out"
    r = report([str(run.log), "-o", str(out), "--base", "threads"])
    assert r.returncode == 0, r.stderr
    docs = {c: json.loads((out / f"threads_{c}.json").read_text())
            for c in JSON_CATEGORIES}
    return run, out, docs, r


def test_every_file_is_written_and_listed(threads_report):
    run, out, docs, r = threads_report
    names = sorted(os.listdir(out))
    assert names == sorted([f"threads_{c}.json" for c in JSON_CATEGORIES]
                           + ["threads.html", "threads.svg"])
    for name in names:
        assert str(out / name) in r.stdout


@pytest.mark.parametrize("category", JSON_CATEGORIES)
def test_json_validates_against_its_schema(threads_report, category):
    _, _, docs, _ = threads_report
    errors = list(schema_validator(category).iter_errors(docs[category]))
    assert errors == []


def test_json_agrees_with_the_tool_summary(threads_report):
    run, _, docs, _ = threads_report
    tool = parse_memscope_summary(run.stderr)
    s = docs["memory_analysis"]["summary"]
    assert (s["total_allocations"], s["total_frees"],
            s["total_bytes_allocated"]) == \
        (tool["allocs"], tool["frees"], tool["bytes"])
    assert (s["peak_live_bytes"], s["peak_live_blocks"]) == \
        (tool["peak_bytes"], tool["peak_blocks"])
    assert (s["live_bytes_at_exit"], s["live_blocks_at_exit"]) == \
        (tool["live_bytes"], tool["live_blocks"])
    assert s["threads"] == tool["threads"] == 4
    # The files agree with each other.
    conc = docs["concurrency"]
    assert [t["thread_id"] for t in conc["threads"]] == [1, 2, 3, 4]
    assert [t["name"] for t in conc["threads"]] == \
        ["", "worker-1", "worker-2", "worker-3"]
    assert sum(t["allocations"] for t in conc["threads"]) == \
        s["total_allocations"]
    assert sum(t["work_instrs"] for t in conc["threads"]) == \
        docs["memory_analysis"]["run"]["duration_instrs"]
    life = docs["lifetime"]
    assert life["summary"]["blocks_freed"] + \
        life["summary"]["blocks_live_at_exit"] == \
        sum(site["blocks"] for site in life["sites"])
    assert sum(b["blocks"] for b in life["histogram"]) == \
        life["summary"]["blocks_freed"]
    perf = docs["performance"]
    assert sum(b["allocations"] for b in perf["timeline"]["buckets"]) == \
        s["total_allocations"]
    assert max(b["live_bytes_max"] for b in perf["timeline"]["buckets"]) \
        == s["peak_live_bytes"]
    figures = perf["run_figures"]
    assert figures["log_write_ms"] is not None and \
        abs(figures["log_write_ms"] - tool["log_write_ms"]) < 1.0
    assert figures["events"] > s["total_allocations"]
    assert docs["memory_analysis"]["blocks_complete"] is True
    assert len(docs["memory_analysis"]["blocks"]) == \
        s["total_allocations"] - s["reallocations"]


def test_sites_name_the_programs_own_code(threads_report):
    _, _, docs, _ = threads_report
    sites = docs["lifetime"]["sites"]
    worker = [x for x in sites if x["label"].startswith("worker_allocate")]
    assert len(worker) == 1
    w = worker[0]
    # 60 blocks of 32 bytes from worker_allocate, 3 kept (freed by main).
    assert (w["blocks"], w["bytes"], w["freed"]) == (60, 1920, 60)
    assert w["freed_by_other_thread"] == 3
    # Each worker's block but the first is freed right after the next
    # allocation: none is temporary (an allocation comes in between).
    conc = docs["concurrency"]["threads"]
    assert all(t["creation_site"].startswith("main (threads.c:")
               for t in conc[1:])
    unsafe = docs["unsafe_ffi"]
    assert unsafe["summary"]["cross_thread_frees"] >= 3
    pairs = {(c["alloc_thread_id"], c["free_thread_id"]): c["blocks"]
             for c in unsafe["cross_thread_frees"]}
    assert all(pairs.get((t, 1), 0) >= 1 for t in (2, 3, 4))


def test_named_objects_in_complex_types(tmp_path):
    run = memscope([prog("named")], tmp_path)
    r = report([str(run.log), "-o", str(tmp_path / "o"), "--base", "n",
                "--no-html", "--no-svg"])
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "o" / "n_complex_types.json").read_text())
    assert [(v["name"], v["kind"], v["size"]) for v in doc["variables"]] == [
        ("counter", "variable", 4), ("head", "variable", 8),
        ("head", "pointee", 24), ("buffer", "block", 64),
        ("table", "variable", 32), ("ratio", "block", 8),
        ("limits+8", "block", 8)]
    by_type = {t["type_name"]: t for t in doc["by_type"]}
    assert by_type["struct node *"]["objects"] == 2
    assert by_type["struct node *"]["bytes"] == 32
    assert sorted(os.listdir(tmp_path / "o")) == \
        sorted(f"n_{c}.json" for c in JSON_CATEGORIES)
    assert list(schema_validator("complex_types").iter_errors(doc)) == []


def test_mismatched_and_invalid_frees(tmp_path):
    run = memscope([prog("badfree")], tmp_path)
    r = report([str(run.log), "-o", str(tmp_path), "--base", "b",
                "--no-html", "--no-svg"])
    assert r.returncode == 0
    doc = json.loads((tmp_path / "b_unsafe_ffi.json").read_text())
    assert doc["summary"] == {"cross_thread_frees": 0, "invalid_frees": 3,
                              "invalid_reallocs": 1, "mismatched_frees": 0}
    assert [i["call"] for i in doc["invalid_frees"]] == \
        ["free", "free", "free", "realloc"]
    assert list(schema_validator("unsafe_ffi").iter_errors(doc)) == []


def test_svg_quick_view(threads_report):
    _, out, docs, _ = threads_report
    root = etree.parse(str(out / "threads.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    s = docs["memory_analysis"]["summary"]
    assert any(f"{s['total_allocations']:,} allocs" in t for t in texts)
    assert any("#2 worker-1" in t for t in texts)
    assert root.find(".//{http://www.w3.org/2000/svg}polyline") is not None


def test_default_names_and_directory(tmp_path):
    run = memscope([prog("allocs")], tmp_path, name="allocs.msc")
    r = report([str(run.log), "--no-html"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "MemoryAnalysis" / "allocs"
    assert (out / "allocs_memory_analysis.json").exists()
    assert (out / "allocs.svg").exists()


@pytest.fixture(scope="module")
def small_log(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small_report")
    run = memscope([prog("named")], tmp)
    return run.log.read_bytes()


def test_truncated_log_still_reports(small_log, tmp_path):
    cut = len(small_log) * 2 // 3
    log = tmp_path / "cut.msc"
    log.write_bytes(small_log[:cut])
    r = report([str(log), "-o", str(tmp_path / "o"), "--base", "c"])
    assert r.returncode == 0, r.stderr
    assert "truncated at byte offset" in r.stderr
    doc = json.loads((tmp_path / "o" / "c_memory_analysis.json").read_text())
    assert doc["log"]["complete"] is False
    assert 0 < doc["log"]["truncated_at"] <= cut
    html = (tmp_path / "o" / "c.html").read_text()
    assert 'id="truncated"' in html


def test_every_truncation_point_and_byte_flips(small_log, tmp_path):
    # The report never leaves its documented exit codes, never prints a
    # traceback.
    cases = [small_log[:n] for n in range(0, len(small_log), 7)]
    rng = random.Random(3)
    for _ in range(150):
        data = bytearray(small_log)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        cases.append(bytes(data))
    codes = report_exit_codes(cases, tmp_path, ["--no-html"])
    assert set(codes) <= {0, 4}, codes


def test_bad_input_exit_codes(tmp_path, small_log):
    assert report([str(tmp_path / "missing.msc")]).returncode == 3
    assert report([str(tmp_path)]).returncode == 3
    empty = tmp_path / "empty.msc"
    empty.write_bytes(b"")
    r = report([str(empty), "-o", str(tmp_path / "o")])
    assert r.returncode == 4 and "empty file" in r.stderr
    newer = bytearray(small_log)
    newer[8] += 1
    (tmp_path / "newer.msc").write_bytes(bytes(newer))
    r = report([str(tmp_path / "newer.msc"), "-o", str(tmp_path / "o")])
    assert r.returncode == 5 and "is newer than this reader's" in r.stderr
    for bad_base in ("../escape", "..", "a/b"):
        r = report([str(empty), "--base", bad_base])
        assert r.returncode == 2 and "plain file name" in r.stderr
    assert report(["--no-such-flag"]).returncode == 2
    for r in (report([str(empty)]),):
        assert "Traceback" not in r.stderr


def test_unwritable_output_directory(tmp_path, small_log):
    # Cases that hold for root too (CI runs as root).
    log = tmp_path / "ok.msc"
    log.write_bytes(small_log)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out, why in ((blocker, "is not a directory"),
                     (blocker / "sub", "cannot create the output directory"),
                     ("/proc/memscope-report-test", "cannot create")):
        r = report([str(log), "-o", str(out)])
        assert r.returncode == 6, (out, r.stderr)
        assert why in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert blocker.read_text() == "x"


def test_existing_files_are_replaced_whole(tmp_path, small_log):
    log = tmp_path / "ok.msc"
    log.write_bytes(small_log)
    out = tmp_path / "o"
    out.mkdir()
    (out / "ok_lifetime.json").write_text("old")
    (out / "unrelated.txt").write_text("keep")
    r = report([str(log), "-o", str(out), "--no-html"])
    assert r.returncode == 0
    assert json.loads((out / "ok_lifetime.json").read_text())["schema"] == \
        "memscope-lifetime"
    assert (out / "unrelated.txt").read_text() == "keep"
    assert not [n for n in os.listdir(out) if n.startswith(".memscope-")]


def test_missing_chart_library_stops_before_writing(tmp_path, small_log,
                                                     monkeypatch, capsys):
    from memscope import cli
    from memscope.outputs import html
    log = tmp_path / "ok.msc"
    log.write_bytes(small_log)
    monkeypatch.setitem(html.LIBRARIES, "chart.js", ["/nonexistent/chart.js"])
    code = cli.main([str(log), "-o", str(tmp_path / "o")])
    assert code == 7
    err = capsys.readouterr().err
    assert "install the Debian package libjs-chart.js" in err
    assert not (tmp_path / "o").exists()


def test_control_characters_in_names_stay_text(tmp_path):
    """A thread, a variable and a function named with characters XML
    cannot hold (ESC, a lone surrogate's bytes): every output is written,
    the names shown escaped."""
    from helpers import report_log
    from logbuilder import one_named_block
    done, out = report_log(tmp_path, one_named_block(
        "ctl", "esc\x1b[31mred", "fn\x07bell", "v\x0bt"), "ctl")
    assert done.returncode == 0, done.stderr
    page = (out / "ctl.html").read_text()
    assert "esc\\x1b[31mred" in page and "\x1b" not in page
    assert "\x07" not in (out / "ctl.svg").read_text()


def test_recycled_addresses_keep_objects_apart(tmp_path):
    """Two named blocks at one recycled address, each with atomics and the
    first holding a mutex: two atomic targets with their own names and
    counts, and the lock keeps the first block's name."""
    import json
    from helpers import report_log
    from logbuilder import LogBuilder
    from memscope import logformat as F
    b = LogBuilder(program="recycle")
    b.header()
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.frame(0x1000, "main", 3)
    b.rec(F.REC_STACK, 1, 1, 0x1000)
    for name, rmw in (("first", 5), ("second", 7)):
        b.alloc(1, 1, 0x5000, 64)
        b.rec(F.REC_NAME, 0, 1, 1, F.NAME_HEAP, 0x5000, 64, b.s(name), 0)
        if name == "first":
            b.rec(F.REC_SYNC_OBJECT, 0, 1, 1, 0, 0x5000, 0, 0)
        b.rec(F.REC_ATOMIC, 0, 1, 1, 0x5008, 8, rmw, 0, 0, 0, 0, 0, 0x5000)
        b.free(1, 1, 0x5000)
    b.rec(F.REC_END, 0, 2, 2, 128, 64, 1, 0, 0, 0, 1, 0, 0)
    done, out = report_log(tmp_path, bytes(b.data), "recycle",
                           "--no-html", "--no-svg")
    assert done.returncode == 0, done.stderr
    doc = json.loads((out / "recycle_concurrency.json").read_text())
    targets = {t["name"]: t for t in doc["atomics"]["by_variable"]}
    assert sorted(targets) == ["first", "second"]
    assert [sum(th["rmw"] for th in targets[n]["threads"])
            for n in ("first", "second")] == [5, 7]
    assert [lock["name"] for lock in doc["locks"]] == ["first"]


def test_the_same_log_gives_the_same_files(threads_report, tmp_path):
    """Two reports of one log, in processes with different string-hash
    salts, differ only in the two figures memscope-report measures of
    itself (how long reading took, events per second)."""
    run, _, _, _ = threads_report
    measured = re.compile(
        rb'("report_read_seconds":|"report_events_per_second":)[0-9.]+')
    files = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        r = report([str(run.log), "-o", str(out), "--base", "t"],
                   env={**os.environ, "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        files.append({p.name: measured.sub(rb"\1", p.read_bytes())
                      for p in sorted(out.iterdir())})
    assert sorted(files[0]) == sorted(files[1])
    for name in files[0]:
        assert files[0][name] == files[1][name], name
