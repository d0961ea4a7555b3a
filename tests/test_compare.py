"""memscope-report --compare OLD NEW: two synthetic runs of one program
"shape" (the same sites as symbolized frames, at other addresses and
under other stack ids) where one site grows, one shrinks, one is new and
one gone, a variable is renamed and others kept, and a thread (with a
hostile name) is new: the exact deltas in NAME_compare.json (against its
schema) and in the text, the HTML tables, hostile names inert, a
truncated log, the error paths; then real runs of tests/progs compared
with themselves."""

import json

import pytest
from lxml import html as lxml_html

from helpers import (cell_texts, memscope, prog, report, schema_validator,
                     table_rows)
from logbuilder import LogBuilder
from memscope import logformat as F

HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">\x1b[2J\u202e'
HOSTILE_TYPE = "</td><script>alert(1)</script>"


def shown(name: str) -> str:
    """A name as the page shows it."""
    return name.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
PRELOAD = "vgpreload_memscope-amd64-linux.so"

# The program's allocation sites, innermost frame first (below malloc).
SITES = {
    "grow": [("grow", 10), ("main", 50)],
    "shrink": [("shrink", 20), ("main", 51)],
    "left": [("helper", 30), ("left", 40), ("main", 52)],
    "right": [("helper", 30), ("right", 45), ("main", 53)],
    "legacy": [("legacy", 60), ("main", 54)],      # the old run's only
    "fresh": [("fresh", 70), ("main", 55)],        # the new run's only
    "spawn": [("main", 56)],                       # thread creation
    "lock": [("main", 57)],                        # lock calls, atomics
}
COUNTER, TABLE, CONFIG, ODD = 0x601040, 0x601060, 0x601100, 0x601200
LOCK = 0x601300


class Shape:
    """One run's log: frames at `ip_base`, stack ids from `first_id` in
    the order `stack_order` gives (so that neither addresses nor ids
    agree between the runs)."""

    def __init__(self, ip_base: int, first_id: int, stack_order,
                 preload_dir: str):
        self.b = b = LogBuilder(program="shape")
        b.header()
        ips = {}
        malloc_ip = ip_base
        b.rec(F.REC_FRAME, malloc_ip, b.s("malloc"), 0, 0, 0,
              b.s(f"{preload_dir}/{PRELOAD}"))
        for name in stack_order:
            for fn, line in SITES[name]:
                if (fn, line) not in ips:
                    ips[(fn, line)] = ip_base + 0x10 * (len(ips) + 1)
                    b.frame(ips[(fn, line)], fn, line)
        self.stack = {}
        for i, name in enumerate(stack_order):
            sid = self.stack[name] = first_id + i
            frames = [ips[f] for f in SITES[name]]
            if name not in ("spawn", "lock"):
                frames.insert(0, malloc_ip)
            b.rec(F.REC_STACK, sid, len(frames), *frames)
        self.addr = 0x4a50000 + ip_base // 0x100

    def thread(self, tid: int, name: str = "") -> None:
        b = self.b
        b.rec(F.REC_THREAD_CREATE, 0, tid, 1 if tid > 1 else 0,
              self.stack["spawn"] if tid > 1 else 0)
        if name:
            b.rec(F.REC_THREAD_NAME, 0, tid, b.s(name))

    def switch(self, dt: int, tid: int) -> None:
        self.b.rec(F.REC_SWITCH, dt, tid)

    def allocs(self, tid: int, site: str, count: int, size: int) -> list:
        out = []
        for _ in range(count):
            self.addr += 0x100
            self.b.alloc(tid, self.stack[site], self.addr, size, dt=0)
            out.append(self.addr)
        return out

    def name(self, addr: int, size: int, name: str, type_name: str) -> None:
        b = self.b
        b.rec(F.REC_NAME, 0, 1, self.stack["lock"], F.NAME_VARIABLE, addr,
              size, b.s(name), b.s(type_name))

    def lock(self, tid: int, wait: int, contended: bool) -> None:
        b = self.b
        for op, span, flags in (("mutex_lock", wait, int(contended)),
                                ("mutex_unlock", 5, 0)):
            b.rec(F.REC_SYNC, 0, tid, self.stack["lock"],
                  F.SYNC_OPS.index(op), LOCK, 0, span, flags, 0)

    def start(self) -> None:
        """Main runs; the lock exists."""
        b = self.b
        self.thread(1)
        self.switch(0, 1)
        b.rec(F.REC_SYNC_OBJECT, 0, 1, self.stack["lock"], 0, LOCK,
              b.s("gate"), 0)

    def finish(self, dt: int, freed: dict, worker_writes: int,
               definite: tuple, end: tuple) -> bytes:
        """Main runs again after dt and frees the blocks of `freed` (site:
        addresses); the accesses to counter, the exit scan (the block at
        left reachable) and END."""
        b = self.b
        self.switch(dt, 1)
        for site, addrs in freed.items():
            for a in addrs:
                b.free(1, self.stack[site], a, dt=0)
        b.access(1, COUNTER, 4, 1, 5, 2)
        b.access(2, COUNTER, 4, 1, 0, worker_writes)
        b.rec(F.REC_SCAN, 0, 1, 0, 0, definite[0] + 1, definite[1] + 64)
        b.rec(F.REC_SCAN_END, *definite, 0, 0, 0, 0, 1, 64)
        b.rec(F.REC_END, 200, *end, 5, 10)
        return bytes(b.data)


def old_log() -> bytes:
    s = Shape(0x401000, 1, list(SITES), "/usr/libexec/valgrind")
    s.start()
    s.name(COUNTER, 4, "counter", "int")
    s.name(TABLE, 32, "table", "int[8]")
    s.name(CONFIG, 24, "config", "struct config")
    grow = s.allocs(1, "grow", 2, 100)
    s.allocs(1, "left", 1, 64)
    right = s.allocs(1, "right", 1, 8)
    s.allocs(1, "legacy", 1, 32)
    s.thread(2, "worker")
    s.switch(1000, 2)
    shrink = s.allocs(2, "shrink", 4, 50)
    s.lock(2, 40, True)
    return s.finish(500, {"grow": grow, "shrink": shrink, "right": right},
                    3, (1, 32), (9, 7, 504, 504, 9, 1500, 2, 96, 2))


def new_log() -> bytes:
    # Other addresses, other stack ids, in another order; the preload in
    # another directory.
    s = Shape(0x501000, 20, list(reversed(SITES)), "/work/build")
    b = s.b
    s.start()
    s.name(COUNTER, 4, "counter", "int")
    s.name(TABLE, 64, "entries", "int[16]")           # table, renamed
    s.name(CONFIG, 40, "config", "struct config")     # grew
    s.name(ODD, 8, HOSTILE, HOSTILE_TYPE)
    grow = s.allocs(1, "grow", 3, 100)
    s.allocs(1, "left", 1, 64)
    right = s.allocs(1, "right", 1, 8)
    s.lock(1, 0, False)
    s.thread(2, "worker")
    s.thread(3, HOSTILE)
    s.switch(1000, 2)
    shrink = s.allocs(2, "shrink", 1, 50)
    s.lock(2, 90, True)
    s.switch(300, 3)
    s.allocs(3, "fresh", 2, 20)
    b.rec(F.REC_ATOMIC, 0, 3, s.stack["lock"], ODD, 8, 4, 0, 0, 0, 0, 0, 0)
    b.rec(F.REC_LOCK_ORDER, 0, 3, s.stack["lock"], LOCK, LOCK + 64,
          s.stack["lock"], s.stack["lock"], s.stack["lock"])
    return s.finish(100, {"grow": grow, "shrink": shrink, "right": right},
                    6, (2, 40), (8, 5, 462, 462, 8, 1400, 3, 104, 3))


def d(old, new, percent=None):
    """The expected delta object."""
    change = (new or 0) - (old or 0)
    if percent is None and old:
        percent = round(100.0 * change / old, 2)
    return {"old": old, "new": new, "change": change, "percent": percent}


def compare_logs(tmp_path, old: bytes, new: bytes, *extra: str):
    (tmp_path / "old.msc").write_bytes(old)
    (tmp_path / "new.msc").write_bytes(new)
    out = tmp_path / "out"
    r = report(["--compare", str(tmp_path / "old.msc"),
                str(tmp_path / "new.msc"), "-o", str(out), *extra])
    return r, out


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    r, out = compare_logs(tmp, old_log(), new_log())
    assert r.returncode == 0, r.stderr
    doc = json.loads((out / "old_vs_new_compare.json").read_text())
    page = lxml_html.parse(str(out / "old_vs_new_compare.html")).getroot()
    return r, doc, page, out


def by(entries, key, value):
    found = [e for e in entries if e[key] == value]
    assert len(found) == 1, (value, [e[key] for e in entries])
    return found[0]


def label(site):
    return " < ".join(f"{fn} (shape.c:{line})"
                      for fn, line in SITES[site][:1 if site not in
                                                  ("left", "right") else 2])


def test_files_and_schema(compared):
    r, doc, _, out = compared
    assert sorted(p.name for p in out.iterdir()) == \
        ["old_vs_new_compare.html", "old_vs_new_compare.json"]
    assert list(schema_validator("compare").iter_errors(doc)) == []
    assert doc["schema"] == "memscope-compare"
    assert doc["old"]["log"]["complete"] and doc["new"]["log"]["complete"]
    assert r.stderr == ""


def test_totals(compared):
    _, doc, _, _ = compared
    t = doc["totals"]
    assert t["total_allocations"] == d(9, 8)
    assert t["total_frees"] == d(7, 5)
    assert t["total_bytes_allocated"] == d(504, 462, -8.33)
    assert t["peak_live_bytes"] == d(504, 462, -8.33)
    assert t["peak_live_blocks"] == d(9, 8)
    assert t["live_bytes_at_exit"] == d(96, 104)
    assert t["live_blocks_at_exit"] == d(2, 3)
    assert t["threads"] == d(2, 3)
    assert t["named_objects"] == d(3, 4)
    assert t["sync_calls"] == d(2, 4)
    assert t["atomic_operations"] == d(0, 4)
    assert t["lock_order_violations"] == d(0, 1)
    assert t["race_hints"] == d(0, 0)
    assert t["instructions"] == d(1700, 1600)
    assert doc["leaks"]["definitely_lost"] == {"blocks": d(1, 2),
                                               "bytes": d(32, 40)}
    assert doc["leaks"]["still_reachable"] == {"blocks": d(1, 1),
                                               "bytes": d(64, 64)}


def test_sites_match_by_frames_not_addresses(compared):
    _, doc, _, _ = compared
    sites = doc["sites"]
    assert [(e["label"], e["status"]) for e in sites] == [
        (label("shrink"), "shrank"), (label("grow"), "grew"),
        (label("fresh"), "new"), (label("legacy"), "gone"),
        (label("left"), "same"), (label("right"), "same")]
    shrink, grow, fresh, legacy = sites[:4]
    assert {k: shrink[k] for k in ("bytes", "allocations", "peak_bytes",
                                   "live_bytes_at_exit")} == {
        "bytes": d(200, 50), "allocations": d(4, 1),
        "peak_bytes": d(200, 50), "live_bytes_at_exit": d(0, 0)}
    assert (grow["bytes"], grow["allocations"], grow["peak_bytes"]) == \
        (d(200, 300), d(2, 3), d(200, 300))
    assert (fresh["bytes"], fresh["live_bytes_at_exit"]) == \
        (d(None, 40), d(None, 40))
    assert (legacy["bytes"], legacy["live_bytes_at_exit"]) == \
        (d(32, None), d(32, None))
    assert fresh["old_stack_ids"] == [] and legacy["new_stack_ids"] == []
    # The stack ids differ between the runs: the match was by frames.
    assert grow["old_stack_ids"] != grow["new_stack_ids"]
    assert [f["function"] for f in grow["frames"]] == \
        ["malloc", "grow", "main"]
    assert doc["sites_by_status"] == {"grew": 1, "shrank": 1, "new": 1,
                                      "gone": 1, "changed": 0, "same": 2}


def test_variables_by_name_and_type(compared):
    _, doc, _, _ = compared
    v = doc["variables"]
    assert [(e["name"], e["status"]) for e in v] == [
        ("entries", "new"), ("table", "gone"), ("config", "grew"),
        (HOSTILE, "new"), ("counter", "changed")]
    assert by(v, "name", "config")["size"] == d(24, 40)
    assert by(v, "name", "table")["size"] == d(32, None)
    assert by(v, "name", "entries")["type_name"] == "int[16]"
    counter = by(v, "name", "counter")
    assert counter["size"] == d(4, 4)
    assert counter["accesses"] == [
        {"thread": "#1", "reads": d(5, 5), "writes": d(2, 2),
         "atomic": d(0, 0)},
        {"thread": "worker", "reads": d(0, 0), "writes": d(3, 6),
         "atomic": d(0, 0)}]


def test_threads_by_name_then_number(compared):
    _, doc, _, _ = compared
    th = doc["threads"]
    assert [(e["thread"], e["status"], e["matched_by"]) for e in th] == [
        ("worker", "shrank", "name"), ("#1", "grew", "creation_order"),
        (HOSTILE, "new", "name")]
    worker, main, hostile = th
    assert (worker["bytes_allocated"], worker["allocations"],
            worker["work_instrs"], worker["lock_wait_instrs"],
            worker["lock_contended"], worker["sync_calls"]) == \
        (d(200, 50), d(4, 1), d(500, 300), d(40, 90), d(1, 1), d(2, 2))
    assert (main["bytes_allocated"], main["work_instrs"],
            main["sync_calls"], main["live_bytes_at_exit"]) == \
        (d(304, 372), d(1200, 1200), d(0, 2), d(96, 64))
    assert (hostile["old_thread_id"], hostile["new_thread_id"]) == (None, 3)
    assert (hostile["bytes_allocated"], hostile["work_instrs"]) == \
        (d(None, 40), d(None, 100))


def total_row(lines, name):
    """The figures of a row of the totals table."""
    found = [line[2 + len(name):].split() for line in lines
             if line.startswith(f"  {name}  ")]
    assert len(found) == 1, name
    return found[0]


def test_text_output(compared):
    r, _, _, out = compared
    lines = r.stdout.splitlines()
    assert lines[0] == "memscope-report: comparing two runs"
    assert lines[1].startswith(f"  old: {out.parent / 'old.msc'}: "
                               f"/tmp/shape (pid 4242), ")
    assert lines[1].endswith(" events, 1,700 instructions")
    assert total_row(lines, "allocations") == ["9", "8", "-1", "-11.1%"]
    assert total_row(lines, "bytes allocated") == \
        ["504", "462", "-42", "-8.3%"]
    assert total_row(lines, "live bytes at exit") == \
        ["96", "104", "+8", "+8.3%"]
    assert total_row(lines, "race hints") == ["0", "0", "0", "-"]
    assert total_row(lines, "definitely lost bytes") == \
        ["32", "40", "+8", "+25.0%"]
    assert "Allocation sites: 1 grew, 1 shrank, 1 new, 1 gone, 2 same " \
           "(top 4 by change in bytes allocated)" in lines
    start = lines.index("Allocation sites: 1 grew, 1 shrank, 1 new, 1 gone, "
                        "2 same (top 4 by change in bytes allocated)")
    assert lines[start + 1].split() == [
        "status", "old", "bytes", "new", "bytes", "change", "%", "allocs",
        "chg", "at", "peak", "chg", "at", "exit", "chg", "site"]
    assert [line.split() for line in lines[start + 2:start + 6]] == [
        ["shrank", "200", "50", "-150", "-75.0%", "-3", "-150", "0",
         "shrink", "(shape.c:20)"],
        ["grew", "200", "300", "+100", "+50.0%", "+1", "+100", "0", "grow",
         "(shape.c:10)"],
        ["new", "-", "40", "+40", "-", "+2", "+40", "+40", "fresh",
         "(shape.c:70)"],
        ["gone", "32", "-", "-32", "-100.0%", "-1", "-32", "-32", "legacy",
         "(shape.c:60)"]]
    assert lines[start + 6] == ""
    start = lines.index("Named variables: 1 grew, 2 new, 1 gone, 1 changed "
                        "(top 5 by change in size)")
    assert [line.split()[:5] for line in lines[start + 2:start + 7]] == [
        ["new", "-", "64", "+64", "+1"], ["gone", "32", "-", "-32", "-1"],
        ["grew", "24", "40", "+16", "0"], ["new", "-", "8", "+8", "+1"],
        ["changed", "4", "4", "0", "0"]]
    assert lines[start + 6].split()[5:] == ["+3", "variable", "counter",
                                            "(int)"]
    start = lines.index("Threads: 1 grew, 1 shrank, 1 new (top 3 by change "
                        "in bytes allocated)")
    assert [line.split()[:7] for line in lines[start + 2:start + 4]] == [
        ["shrank", "200", "50", "-150", "-3", "-200", "+50"],
        ["grew", "304", "372", "+68", "0", "0", "0"]]
    assert lines[start + 2].endswith("  worker")
    assert lines[start + 3].endswith("  #1")
    assert str(out / "old_vs_new_compare.json") in r.stdout


def test_hostile_names_inert_in_the_text(compared):
    r, _, _, _ = compared
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert '<img src=x onerror="document.body.dataset.pwned=1">' \
           '\\x1b[2J\\u202e' in r.stdout


def test_html_tables(compared):
    _, doc, page, _ = compared
    assert [cell_texts(row)[:5] for row in table_rows(page, "totals-table")
            ][:3] == [["allocations", "9", "8", "-1", "-11.1%"],
                      ["frees", "7", "5", "-2", "-28.6%"],
                      ["bytes allocated", "504", "462", "-42", "-8.3%"]]
    sites = table_rows(page, "sites-table")
    assert [cell_texts(r)[:6] for r in sites[:2]] == [
        ["shrank", label("shrink"), "200", "50", "-150", "-75.0%"],
        ["grew", label("grow"), "200", "300", "+100", "+50.0%"]]
    assert sites[0].get("class") == "shrank"
    assert sites[1].find("td[5]").get("class") == "num grew"
    # A site's frames show on hover.
    assert sites[1].find(".//span").get("title") == \
        "malloc (in /work/build/" + PRELOAD + ")\n" \
        "grow (shape.c:10)\nmain (shape.c:50)"
    # The page shows control and direction characters escaped.
    assert [cell_texts(r)[:2] for r in table_rows(page, "variables-table")
            ] == [[e["status"], shown(e["name"])] for e in doc["variables"]]
    assert [cell_texts(r)[1] for r in table_rows(page, "threads-table")] == \
        ["worker", "#1", shown(HOSTILE)]
    leaks = table_rows(page, "leaks-table")
    assert cell_texts(leaks[0]) == ["definitely lost", "1", "2", "+1", "32",
                                    "40", "+8", "+25.0%"]


def test_html_is_offline_and_hostile_names_are_text(compared):
    _, _, page, out = compared
    assert page.findall(".//script") == [] and page.findall(".//img") == []
    assert page.findall(".//link") == []
    csp = page.find(".//meta[@http-equiv='Content-Security-Policy']")
    assert csp.get("content").startswith("default-src 'none'")
    text = (out / "old_vs_new_compare.html").read_text()
    assert "<img" not in text and "</td><script>" not in text
    assert "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert page.find(".//style").text.startswith("/* report.css")


def test_same_log_twice_is_all_zero(tmp_path):
    r, out = compare_logs(tmp_path, old_log(), old_log(), "--base", "same",
                          "--no-html")
    assert r.returncode == 0, r.stderr
    doc = json.loads((out / "same_compare.json").read_text())
    assert all(t["change"] == 0 for t in doc["totals"].values())
    for key in ("sites", "variables", "threads"):
        assert {e["status"] for e in doc[key]} == {"same"}
    assert "Allocation sites: 5 same\n  no change\n" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["same_compare.json"]


def test_truncated_log_still_compares(tmp_path):
    new = new_log()
    cut = new[:len(new) * 3 // 4]
    r, out = compare_logs(tmp_path, old_log(), cut)
    assert r.returncode == 0, r.stderr
    assert "new.msc: log is truncated at byte offset" in r.stderr
    assert "Traceback" not in r.stderr
    assert "; truncated at byte offset" in r.stdout.splitlines()[2]
    doc = json.loads((out / "old_vs_new_compare.json").read_text())
    assert doc["new"]["log"]["complete"] is False
    assert 0 < doc["new"]["log"]["truncated_at"] <= len(cut)
    assert doc["old"]["log"]["complete"] is True
    assert list(schema_validator("compare").iter_errors(doc)) == []
    # The cut log has no exit scan: no leak comparison, and why.
    assert doc["leaks"] is None
    assert "the new log has no complete heap scan" in doc["leaks_note"]
    page = lxml_html.parse(str(out / "old_vs_new_compare.html")).getroot()
    assert page.get_element_by_id("truncated-new") is not None


def many_sites_log(scale: int) -> bytes:
    """25 sites, site k allocating k * scale bytes."""
    b = LogBuilder(program="many")
    b.header()
    for k in range(1, 26):
        b.frame(0x400000 + k * scale, f"site{k}", k)
        b.rec(F.REC_STACK, k * scale, 1, 0x400000 + k * scale)
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    for k in range(1, 26):
        b.alloc(1, k * scale, 0x4a00000 + k * 0x100, k * scale)
    b.rec(F.REC_END, 10, 25, 0, 325 * scale, 325 * scale, 25, 250, 25,
          325 * scale, 1, 5, 10)
    return bytes(b.data)


def test_text_shows_the_top_20(tmp_path):
    r, out = compare_logs(tmp_path, many_sites_log(1), many_sites_log(2),
                          "--no-html")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    start = lines.index("Allocation sites: 25 grew (top 20 by change in "
                        "bytes allocated)")
    rows = lines[start + 2:start + 22]
    assert [row.split()[-2] for row in rows] == \
        [f"site{k}" for k in range(25, 5, -1)]
    assert lines[start + 22] == "  ... and 5 more that changed (the JSON " \
                                "file lists up to 1,000 entries)"
    doc = json.loads((out / "old_vs_new_compare.json").read_text())
    assert [e["bytes"]["change"] for e in doc["sites"]] == \
        list(range(25, 0, -1))
    assert all(e["bytes"]["percent"] == 100.0 for e in doc["sites"])


def one_line_error(r, code: int, text: str) -> None:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert r.stderr.count("\n") == 1 and text in r.stderr, r.stderr
    assert r.stderr.startswith("memscope-report: ")
    assert r.stdout == ""


def test_compare_needs_two_logs(tmp_path):
    log = tmp_path / "one.msc"
    log.write_bytes(old_log())
    for args in (["--compare", str(log)], ["--compare"],
                 ["--compare", str(log), str(log), str(log)],
                 [str(log), "--compare", str(log), str(log)]):
        one_line_error(report(args), 2, "--compare needs exactly two logs")
    assert not (tmp_path / "MemoryAnalysis").exists()


def test_bad_logs_and_output(tmp_path):
    good = tmp_path / "good.msc"
    good.write_bytes(old_log())
    corrupt = tmp_path / "corrupt.msc"
    data = bytearray(old_log())
    half = len(data) // 2
    data[half:] = b"\x00" * (len(data) - half)
    corrupt.write_bytes(bytes(data))
    out = str(tmp_path / "o")
    one_line_error(report(["--compare", str(good), str(corrupt), "-o", out]),
                   4, "corrupt.msc: ")
    one_line_error(report(["--compare", str(good), str(tmp_path / "no.msc"),
                           "-o", out]), 3, "no.msc: cannot read")
    newer = bytearray(old_log())
    newer[8] += 1
    (tmp_path / "newer.msc").write_bytes(bytes(newer))
    one_line_error(report(["--compare", str(tmp_path / "newer.msc"),
                           str(good), "-o", out]), 5,
                   "use the memscope-report of the memscope that wrote it")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    one_line_error(report(["--compare", str(good), str(good), "-o",
                           str(blocker)]), 6, "is not a directory")
    one_line_error(report(["--compare", str(good), str(good), "--base",
                           "a/b"]), 2, "plain file name")
    assert blocker.read_text() == "x"


# ---- real runs --------------------------------------------------------------

@pytest.mark.parametrize("program", ["allocs", "threads"])
def test_a_program_against_itself(tmp_path, program):
    runs = [memscope([prog(program)], tmp_path, name=f"{program}{i}.msc")
            for i in (1, 2)]
    assert all(run.returncode == 0 for run in runs)
    r = report(["--compare", str(runs[0].log), str(runs[1].log), "-o",
                str(tmp_path / "out")])
    assert r.returncode == 0, r.stderr
    base = f"{program}1_vs_{program}2"
    doc = json.loads((tmp_path / "out" / f"{base}_compare.json").read_text())
    assert list(schema_validator("compare").iter_errors(doc)) == []
    heap = ("total_allocations", "total_frees", "total_bytes_allocated",
            "peak_live_bytes", "peak_live_blocks", "live_bytes_at_exit",
            "live_blocks_at_exit", "threads")
    assert {k: doc["totals"][k]["change"] for k in heap} == \
        dict.fromkeys(heap, 0)
    assert doc["sites"] and {e["status"] for e in doc["sites"]} == {"same"}
    assert doc["sites_by_status"]["same"] == len(doc["sites"])
    # Threads match by name (worker-1..3) and number (main): none new or
    # gone, each with the same allocations (their work may differ with
    # the schedule).
    threads = doc["threads"]
    assert sorted(t["thread"] for t in threads) == (
        ["#1", "worker-1", "worker-2", "worker-3"] if program == "threads"
        else ["#1"])
    for t in threads:
        assert t["status"] in ("same", "changed")
        assert t["bytes_allocated"]["change"] == 0
        assert t["allocations"]["change"] == 0
    assert "Allocation sites: " in r.stdout and "  no change" in r.stdout
    assert (tmp_path / "out" / f"{base}_compare.html").exists()
