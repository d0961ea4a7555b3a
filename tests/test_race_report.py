"""Race hints, lock-order violations and lockset hints (log format 1.7)
from a synthetic log with known answers: the reader's typed records,
memscope-decode's lines, the concurrency JSON (exact values, against its
schema), the HTML tables and their links, the SVG line, and RACE records
cut short or announcing more locks than they hold."""

import json

import pytest
from lxml import etree
from lxml import html as lxml_html

from helpers import (cell_texts, decode, report_exit_codes, report_log,
                     report_page, schema_validator, table_rows)
from logbuilder import LogBuilder, damaged, payload, uleb
from memscope import logformat as F
from memscope import logreader as R

HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'

# Addresses of the synthetic program.
LOCK_A, LOCK_B, LOCK_C = 0x601100, 0x601140, 0x601180
COUNTER = 0x601040
BLOCK_A, BLOCK_B = 0x4a5b040, 0x4a5b080


def definitions(b: LogBuilder) -> None:
    b.header()
    for ip, fn, line in ((0x401000, "main", 10), (0x401100, "worker", 20),
                         (0x401200, "worker", 21), (0x401300, "reader", 30),
                         (0x401400, "main", 40), (0x401500, "locker", 50),
                         (0x401600, "locker", 51), (0x401700, "other", 60),
                         (0x401800, "other", 61)):
        b.frame(ip, fn, line)
    b.rec(F.REC_STACK, 1, 1, 0x401000)              # allocation site
    b.rec(F.REC_STACK, 2, 2, 0x401100, 0x401000)    # worker's write
    b.rec(F.REC_STACK, 3, 1, 0x401300)              # one frame: a read
    b.rec(F.REC_STACK, 4, 1, 0x401400)              # main's free
    b.rec(F.REC_STACK, 5, 1, 0x401200)
    for sid, ip in ((6, 0x401500), (7, 0x401600), (8, 0x401700),
                    (9, 0x401800)):
        b.rec(F.REC_STACK, sid, 1, ip)


def threads_and_objects(b: LogBuilder) -> None:
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    for addr, name in ((LOCK_A, "lock_a"), (LOCK_B, "lock_b"),
                       (LOCK_C, "")):
        b.rec(F.REC_SYNC_OBJECT, 1, 1, 1, 0, addr, b.s(name), 0)
    b.alloc(1, 1, BLOCK_A, 16)
    b.alloc(1, 1, BLOCK_B, 32)
    b.rec(F.REC_NAME, 1, 1, 1, F.NAME_HEAP, BLOCK_B, 32, b.s("buffer"),
          b.s("char[32]"))
    b.rec(F.REC_NAME, 1, 1, 1, F.NAME_VARIABLE, COUNTER, 8, b.s("counter"),
          b.s("long"))
    b.rec(F.REC_THREAD_CREATE, 5, 2, 1, 1)
    b.rec(F.REC_THREAD_CREATE, 5, 3, 1, 1)
    b.rec(F.REC_THREAD_NAME, 1, 2, b.s("worker"))
    b.rec(F.REC_THREAD_NAME, 1, 3, b.s(HOSTILE))


def race_log(hints: bool = True, minor: int = 7) -> LogBuilder:
    """Three threads, two heap blocks (one named), a named variable, three
    locks (one without a name); with hints: three races, a lock-order
    violation and a lockset hint.  A 1.7 log, as the tool wrote them; from
    minor 11 the second hint is found twice more (RACE_AGAIN)."""
    b = LogBuilder(minor=minor)
    definitions(b)
    threads_and_objects(b)
    if hints:
        # Thread 3 writes 4 bytes at offset 8 of the unnamed block under
        # lock_a; thread 2 had read them holding lock_b and the unnamed
        # lock.
        b.race(3, 2, BLOCK_A + 8, 4, F.RACE_WRITE, 2, 3, 4, 0,
               BLOCK_A, 16, 0, [LOCK_A], [LOCK_B, LOCK_C])
        # Thread 2 writes half of counter with no lock; thread 3 had read
        # all of it atomically, its locks forgotten.
        b.race(2, 5, COUNTER + 4, 4,
               F.RACE_WRITE | F.RACE_OTHER_LOCKS_UNKNOWN, 3, 3, 8,
               F.RACE_ATOMIC, COUNTER, 8, 1, [], [])
    if hints and minor >= 11:
        # The counter's race again, at another pair of instructions of
        # its lines, twice; then a hint number this log never had (a
        # forked child's record of its parent's hint): counted nowhere.
        b.race_again(3, 5, 2)
        b.race_again(2, 5, 2)
        b.race_again(2, 5, 9)
    # The named block ends: its ACCESS summaries, then (the race of its
    # free is found after them) the hint, then the FREE.
    b.access(1, BLOCK_B, 32, 0, 1, 1, dt=5)
    b.access(3, BLOCK_B, 32, 0, 0, 1)
    if hints:
        b.race(1, 4, BLOCK_B, 32, F.RACE_WRITE | F.RACE_FREE, 3, 3, 1,
               F.RACE_WRITE, BLOCK_B, 32, 0, [], [LOCK_A])
    b.free(1, 4, BLOCK_B)
    if hints:
        b.rec(F.REC_LOCK_ORDER, 10, 3, 6, LOCK_A, LOCK_B, 7, 8, 9)
        b.rec(F.REC_LOCKSET, 10, 2, 5, COUNTER, 8, 1)
    # The unnamed block ends, then (at exit) the variable.
    b.access(2, BLOCK_A, 16, 0, 1, 0, dt=5)
    b.access(3, BLOCK_A, 16, 0, 0, 1)
    b.free(1, 4, BLOCK_A)
    b.rec(F.REC_THREAD_EXIT, 5, 2)
    b.rec(F.REC_THREAD_EXIT, 5, 3)
    b.access(2, COUNTER, 8, 1, 1, 1, dt=5)
    b.access(3, COUNTER, 8, 1, 2, 0)
    b.rec(F.REC_END, 5, 2, 2, 48, 48, 2, 20, 0, 0, 3, 5, 10)
    return b


@pytest.fixture(scope="module")
def race_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race_report")
    b = race_log()
    out, page = report_page(tmp, bytes(b.data), "race")
    doc = json.loads((out / "race_concurrency.json").read_text())
    return b, doc, page, out


def test_reader_types_the_new_records(tmp_path):
    b = race_log()
    (tmp_path / "r.msc").write_bytes(bytes(b.data))
    with R.LogReader(str(tmp_path / "r.msc")) as log:
        recs = list(log.events())
        assert log.truncated_at is None and log.minor == 7
    races = [r for r in recs if isinstance(r, R.Race)]
    assert len(races) == 3
    first = races[0]
    assert (first.addr, first.object_addr, first.object_size,
            first.object_kind) == (BLOCK_A + 8, BLOCK_A, 16, "heap")
    assert (first.thread, first.access.kind, first.access.size,
            first.access.atomic, first.access.locks,
            first.stack.id) == (3, "write", 4, False, (LOCK_A,), 2)
    assert (first.other.thread, first.other.kind, first.other.locks,
            first.other.stack.id) == (2, "read", (LOCK_B, LOCK_C), 3)
    second = races[1]
    assert second.object_kind == "variable"
    assert second.access.locks == () and second.other.locks is None
    assert (second.other.kind, second.other.atomic) == ("read", True)
    assert races[2].access.kind == "free"
    order, = [r for r in recs if isinstance(r, R.LockOrder)]
    assert (order.thread, order.lock, order.held, order.stack.id,
            order.held_stack.id, order.first_stack.id,
            order.second_stack.id) == (3, LOCK_A, LOCK_B, 6, 7, 8, 9)
    lockset, = [r for r in recs if isinstance(r, R.Lockset)]
    assert (lockset.thread, lockset.object_addr, lockset.object_size,
            lockset.object_kind, lockset.stack.id) == \
        (2, COUNTER, 8, "variable", 5)


def test_decode_prints_them(tmp_path):
    b = race_log()
    log = tmp_path / "r.msc"
    log.write_bytes(bytes(b.data))
    d = decode(["--stacks", str(log)])
    assert d.returncode == 0, d.stderr
    lines = d.stdout.splitlines()
    race = [line for line in lines if " RACE " in line]
    assert len(race) == 3
    assert race[0].endswith(
        f"RACE addr=0x{BLOCK_A + 8:x} heap object=0x{BLOCK_A:x} "
        f"object_size=16 thread=3 write size=4 locks=[0x{LOCK_A:x}] "
        f"stack=2 other_thread=2 read size=4 "
        f"locks=[0x{LOCK_B:x},0x{LOCK_C:x}] stack=3")
    assert "other_thread=3 read(atomic) size=8 locks=unknown" in race[1]
    assert " thread=1 free size=32 " in race[2]
    order, = [line for line in lines if " LOCK_ORDER " in line]
    assert order.endswith(f"LOCK_ORDER thread=3 lock=0x{LOCK_A:x} "
                          f"held=0x{LOCK_B:x} stack=6 held_stack=7 "
                          f"first_stack=8 second_stack=9")
    # --stacks prints each of a record's stacks under its field's name.
    at = lines.index(order)
    assert lines[at + 1:at + 9] == [
        "    stack:", "      0x401500: locker (race.c:50)",
        "    held_stack:", "      0x401600: locker (race.c:51)",
        "    first_stack:", "      0x401700: other (race.c:60)",
        "    second_stack:", "      0x401800: other (race.c:61)"]
    assert any(line.endswith(f"LOCKSET thread=2 variable "
                             f"object=0x{COUNTER:x} size=8 stack=5")
               for line in lines)
    s = decode(["--summary", str(log)])
    assert "race hints: 3; lock-order violations: 1; lockset hints: 1" \
        in s.stdout


def test_concurrency_json_has_exact_hints(race_report):
    _, doc, _, _ = race_report
    assert list(schema_validator("concurrency").iter_errors(doc)) == []
    assert doc["schema_version"] == 7
    assert doc["summary"] == {"race_hints": 3, "lock_order_violations": 1,
                              "lockset_hints": 1}
    assert doc["race_hints_complete"] is True
    assert [v["name"] or v["address"] for v in doc["shared_variables"]] \
        == ["buffer", hex(BLOCK_A), "counter"]
    main = {"stack_id": 1, "label": "main (race.c:10)"}
    first, second, third = doc["race_hints"]
    assert first == {
        "id": 1, "time_instrs": first["time_instrs"],
        "address": hex(BLOCK_A + 8),
        "object": {"kind": "heap", "name": "", "type_name": "",
                   "start": hex(BLOCK_A), "size": 16, "offset": 8,
                   "description": "8 bytes inside a block of 16 bytes "
                                  "allocated at main (race.c:10)",
                   "alloc_stack": main, "shared_variable": 1},
        "access": {"thread_id": 3, "thread_name": HOSTILE, "kind": "write",
                   "size": 4, "atomic": False, "under_read_lock": False,
                   "stack": {"stack_id": 2, "label": "worker (race.c:20)"},
                   "locks": [{"address": hex(LOCK_A), "name": "lock_a"}]},
        "other": {"thread_id": 2, "thread_name": "worker", "kind": "read",
                  "size": 4, "atomic": False, "under_read_lock": False,
                  "stack": {"stack_id": 3, "label": "reader (race.c:30)"},
                  "locks": [{"address": hex(LOCK_B), "name": "lock_b"},
                            {"address": hex(LOCK_C), "name": ""}]},
        "occurrences": 1,
    }
    assert second["object"] == {
        "kind": "variable", "name": "counter", "type_name": "long",
        "start": hex(COUNTER), "size": 8, "offset": 4,
        "description": "4 bytes inside counter", "alloc_stack": None,
        "shared_variable": 2}
    assert second["access"]["locks"] == []
    assert second["other"]["locks"] is None
    assert (second["other"]["kind"], second["other"]["atomic"],
            second["other"]["size"]) == ("read", True, 8)
    # The free of the named block: named by its NAME, found after the
    # block's ACCESS summaries.
    assert (third["object"]["description"], third["object"]["offset"],
            third["object"]["shared_variable"],
            third["object"]["alloc_stack"]) == ("buffer", 0, 0, main)
    assert (third["access"]["kind"], third["access"]["size"],
            third["other"]["kind"]) == ("free", 32, "write")
    assert third["other"]["locks"] == [{"address": hex(LOCK_A),
                                        "name": "lock_a"}]
    order, = doc["lock_order_violations"]
    assert {k: v for k, v in order.items() if k != "time_instrs"} == {
        "id": 1, "thread_id": 3, "thread_name": HOSTILE,
        "lock": {"address": hex(LOCK_A), "name": "lock_a"},
        "held": {"address": hex(LOCK_B), "name": "lock_b"},
        "stack": {"stack_id": 6, "label": "locker (race.c:50)"},
        "held_stack": {"stack_id": 7, "label": "locker (race.c:51)"},
        "first_stack": {"stack_id": 8, "label": "other (race.c:60)"},
        "second_stack": {"stack_id": 9, "label": "other (race.c:61)"}}
    lockset, = doc["lockset_hints"]
    assert (lockset["thread_id"], lockset["thread_name"],
            lockset["object"]["description"], lockset["object"]["offset"],
            lockset["object"]["shared_variable"], lockset["stack"]) == \
        (2, "worker", "counter", 0, 2,
         {"stack_id": 5, "label": "worker (race.c:21)"})
    # Times are the running sum of dt.
    assert first["time_instrs"] < second["time_instrs"] < \
        third["time_instrs"] < order["time_instrs"]
    # Every stack the hints name is there in full.
    assert sorted(map(int, doc["stacks"])) == list(range(1, 10))
    assert doc["stacks"]["2"][1]["function"] == "main"


def test_html_tables_link_objects_and_stacks(race_report):
    _, doc, page, _ = race_report
    rows = table_rows(page, "races-table")
    assert [r.get("id") for r in rows] == ["race-1", "race-2", "race-3"]
    assert cell_texts(rows[0]) == [
        "1", "8 bytes inside a block of 16 bytes allocated at main "
        "(race.c:10)", hex(BLOCK_A + 8),
        f"#3 {HOSTILE}: write 4 bytes", "lock_a", "worker (race.c:20)",
        "#2 worker: read 4 bytes", "lock_b, 0x601180", "reader (race.c:30)",
        "1"]
    assert cell_texts(rows[1])[3:8] == [
        "#2 worker: write 4 bytes", "none", "worker (race.c:21)",
        f"#3 {HOSTILE}: read 8 bytes (atomic)", "unknown"]
    assert cell_texts(rows[2])[1] == "buffer"
    # The variable links to its row of the shared-variables table, the
    # stacks to the Stacks section.
    shared_ids = [r.get("id") for r in table_rows(page, "shared-table")]
    for row, index in zip(rows, (1, 2, 0)):
        link = row.findall("td")[1].find("a")
        assert link.get("href") == f"#shared-{index}"
        assert f"shared-{index}" in shared_ids
        target = page.get_element_by_id(f"shared-{index}")
        assert target.findall("td")[1].text_content() == \
            doc["shared_variables"][index]["address"]
    hrefs = [a.get("href") for a in rows[0].iter("a")]
    assert hrefs == ["#shared-1", "#stack-2", "#stack-3"]
    for href in hrefs[1:]:
        assert page.get_element_by_id(href[1:]).tag == "details"
    order, = table_rows(page, "lock-order-table")
    assert cell_texts(order) == [
        "1", f"#3 {HOSTILE}", "lock_a", "locker (race.c:50)", "lock_b",
        "locker (race.c:51)", "other (race.c:60)", "other (race.c:61)"]
    for a in order.iter("a"):
        assert page.get_element_by_id(a.get("href")[1:]).tag == "details"
    lockset, = table_rows(page, "lockset-table")
    assert cell_texts(lockset)[1:] == ["counter", "#2 worker",
                                   "worker (race.c:21)"]
    assert lockset.find(".//a").get("href") == "#shared-2"
    for element_id, value in (("race-hint-count", 3),
                              ("lock-order-count", 1)):
        assert page.get_element_by_id(element_id).get("data-value") == \
            str(value)
    assert page.xpath('//*[@id="races-empty"]') == []
    # The client's strings are text: no element came from them.
    assert page.xpath("//img") == []
    assert HOSTILE in page.text_content()


def test_svg_counts_the_hints(race_report):
    _, _, _, out = race_report
    root = etree.parse(str(out / "race.svg")).getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "3 race hints, 1 lock-order violations" in texts


def test_no_hints_empty_states(tmp_path):
    r, out = report_log(tmp_path, bytes(race_log(hints=False).data), "race")
    assert r.returncode == 0, r.stderr
    doc = json.loads((out / "race_concurrency.json").read_text())
    assert list(schema_validator("concurrency").iter_errors(doc)) == []
    assert doc["summary"] == {"race_hints": 0, "lock_order_violations": 0,
                              "lockset_hints": 0}
    assert (doc["race_hints"], doc["lock_order_violations"],
            doc["lockset_hints"], doc["stacks"]) == ([], [], [], {})
    page = lxml_html.parse(str(out / "race.html")).getroot()
    assert page.get_element_by_id("races-empty").text_content() \
        .startswith("No race hints: ")
    assert page.get_element_by_id("lock-order-empty").text_content() \
        .startswith("No lock-order violations: ")
    assert page.xpath('//*[@id="races-table" or @id="lock-order-table" '
                      'or @id="lockset-table"]') == []


def _race_payload(n_locks: int, locks, n_other: int, other) -> bytes:
    fields = [10, 3, 2, BLOCK_A + 8, 4, F.RACE_WRITE, 2, 3, 4, 0, BLOCK_A,
              16, 0, n_locks, *locks, n_other, *other]
    return payload(*fields)


def _with_bad_race(payload: bytes):
    """The log with a RACE of this payload where its first race was."""
    b = LogBuilder()
    definitions(b)
    threads_and_objects(b)
    offset = b.raw(F.REC_RACE, payload)
    b.rec(F.REC_END, 5, 2, 0, 48, 48, 2, 20, 2, 48, 3, 5, 10)
    return bytes(b.data), offset


@pytest.mark.parametrize("payload, why", [
    (_race_payload(1000, [LOCK_A], 0, []),
     "1000 locks announced, 1 present"),
    (_race_payload(2 ** 62, [], 0, []),
     f"{2 ** 62} locks announced, 0 present"),
    (_race_payload(1, [LOCK_A], 5, [LOCK_B]),
     "5 other locks announced, 1 present"),
    (_race_payload(0, [], 0, [])[:-1], "14 fields, 15 needed"),
    (_race_payload(0, [], 0, []) + b"\x80",
     "a field runs past the end of its record"),
    (_race_payload(0, [], 0, []).replace(uleb(BLOCK_A) + b"\x10\x00",
                                         uleb(BLOCK_A) + b"\x10\x07"),
     "unknown kind 7"),
    (payload(10, 3, 2, BLOCK_A, 4, 1, 2, 99, 4, 0, BLOCK_A, 16, 0, 0, 0),
     "names stack 99, which no STACK record defined"),
], ids=["n_locks", "huge_n_locks", "n_other_locks", "too_few", "cut_field",
        "object_kind", "other_stack"])
def test_corrupt_race_record_exits_4(tmp_path, payload, why):
    data, offset = _with_bad_race(payload)
    r, out = report_log(tmp_path, data, "race")
    assert r.returncode == 4, r.stderr
    assert r.stderr == (f"memscope-report: {tmp_path / 'race.msc'}: bad "
                        f"RACE record ({why}) at byte offset {offset}\n")
    assert not out.exists()


def test_log_cut_inside_a_race_record(tmp_path):
    b = race_log()
    first = b.offsets["RACE"][0]
    r, out = report_log(tmp_path, bytes(b.data[:first + 9]), "race")
    assert r.returncode == 0, r.stderr
    assert f"truncated at byte offset {first}" in r.stderr
    doc = json.loads((out / "race_concurrency.json").read_text())
    assert doc["log"] == {**doc["log"], "complete": False,
                          "truncated_at": first}
    assert doc["race_hints"] == [] and doc["summary"]["race_hints"] == 0


def test_every_truncation_point_and_byte_flips(tmp_path):
    # Never an exit code outside the documented ones, never a traceback;
    # the flips hit the hint records and what follows them.
    b = race_log()
    cases = damaged(bytes(b.data), b.offsets["RACE"][0])
    codes = report_exit_codes(cases, tmp_path)
    assert set(codes) <= {0, 4}, codes


def test_a_race_found_again_is_counted_not_listed(tmp_path):
    """Log format 1.11: RACE_AGAIN adds to its hint's occurrences (JSON,
    the HTML table's "times", memscope-decode); a number the log never
    listed counts nowhere; a 1.7 log's hints occur once each."""
    out, page = report_page(tmp_path, bytes(race_log(minor=11).data),
                            "again")
    doc = json.loads((out / "again_concurrency.json").read_text())
    assert list(schema_validator("concurrency").iter_errors(doc)) == []
    assert doc["summary"]["race_hints"] == 3
    assert [h["occurrences"] for h in doc["race_hints"]] == [1, 3, 1]
    rows = table_rows(page, "races-table")
    assert [cell_texts(r)[-1] for r in rows] == ["1", "3", "1"]
    old, _ = report_page(tmp_path, bytes(race_log().data), "old")
    doc = json.loads((old / "old_concurrency.json").read_text())
    assert [h["occurrences"] for h in doc["race_hints"]] == [1, 1, 1]
    (tmp_path / "again.msc").write_bytes(bytes(race_log(minor=11).data))
    text = decode([str(tmp_path / "again.msc")]).stdout
    assert [line.split(" ", 2)[2] for line in text.splitlines()
            if "RACE_AGAIN" in line] == ["RACE_AGAIN hint=2 thread=3 stack=5",
                                         "RACE_AGAIN hint=2 thread=2 stack=5",
                                         "RACE_AGAIN hint=9 thread=2 stack=5"]
