"""Race hints and lock order (--race-hints, --lockset-hints): the race
suite in tests/progs/races (each program says in its header whether it is
racy, which variable races, and marks the racing lines with /* RACE */),
the Valgrind error machinery (XML protocol 4, suppressions, exit code)
and the dining philosophers for LockOrder."""

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from lxml import etree

from helpers import (BUILDDIR, SRCDIR, memscope, prog, report_json,
                     source_line)

RACES_SRC = SRCDIR / "tests" / "progs" / "races"


@dataclass
class Label:
    racy: bool
    variable: Optional[str]
    race_lines: List[int]
    file: str


def _label(path: Path) -> Label:
    text = path.read_text()
    verdict = re.search(r"race-suite:\s*(racy|race-free)", text)
    assert verdict, f"{path.name}: no race-suite label"
    variable = re.search(r"race-variable:[ \t]*(\S.*?)[ \t]*$", text, re.M)
    lines = [n for n, line in enumerate(text.splitlines(), 1)
             if "/* RACE */" in line]
    racy = verdict.group(1) == "racy"
    assert not racy or (variable and len(lines) >= 1), path.name
    assert racy or not lines, path.name
    return Label(racy, variable.group(1) if variable else None, lines,
                 path.name)


SOURCES = {p.stem: p for p in sorted(RACES_SRC.glob("*.c"))
           + sorted(RACES_SRC.glob("*.cpp"))}
PROGRAMS = sorted(SOURCES)
LABELS = {name: _label(SOURCES[name]) for name in PROGRAMS}


@dataclass
class Hint:
    kind: str
    text: str                  # the <xwhat> text
    stack_lines: List[tuple]   # (file, line) of the current access's frames
    other_lines: List[tuple]   # (file, line) of the earlier access's frame
    auxwhat: List[str]


def _frames(stack) -> List[tuple]:
    out = []
    for f in stack.findall("frame"):
        file, line = f.findtext("file"), f.findtext("line")
        out.append((file, int(line) if line else None))
    return out


def _hints(xml_path: Path) -> List[Hint]:
    root = etree.parse(str(xml_path)).getroot()
    hints = []
    for err in root.findall("error"):
        stacks = err.findall("stack")
        hints.append(Hint(err.findtext("kind"),
                          err.findtext("xwhat/text") or err.findtext("what"),
                          _frames(stacks[0]) if stacks else [],
                          _frames(stacks[1]) if len(stacks) > 1 else [],
                          [a.text for a in err.findall("auxwhat")]))
    return hints


def _run_suite_program(name: str, tmp: Path):
    out = tmp / name
    out.mkdir()
    run = memscope([prog(f"races/{name}")], out,
                   ["--xml=yes", f"--xml-file={out}/hints.xml"])
    return run, _hints(out / "hints.xml")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Every suite program once under memscope (two at a time: the
    machine has two cores)."""
    tmp = tmp_path_factory.mktemp("races")
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(PROGRAMS, pool.map(
            lambda n: _run_suite_program(n, tmp), PROGRAMS)))
    return runs


def test_suite_is_large_and_balanced():
    racy = [n for n in PROGRAMS if LABELS[n].racy]
    assert len(PROGRAMS) >= 40
    assert len(racy) >= 15 and len(PROGRAMS) - len(racy) >= 15


@pytest.mark.parametrize("name", PROGRAMS)
def test_suite_verdict(suite, name):
    run, hints = suite[name]
    label = LABELS[name]
    assert run.returncode == 0, run.stderr[-2000:]
    races = [h for h in hints if h.kind == "Race"]
    assert [h.kind for h in hints if h.kind != "Race"] == []
    for h in races:          # the memory is always described, in one line
        assert re.fullmatch(
            r'Address 0x[0-9a-f]+ is \d+ bytes inside (variable "[^"\n]+"|'
            r'block "[^"\n]+" of size \d+ alloc\'d|a block of size \d+ '
            r'alloc\'d|a tracked variable of size \d+)', h.auxwhat[-1]), \
            h.auxwhat
    if not label.racy:
        assert races == [], "\n".join(h.text for h in races)
        return

    def names_variable(h):
        return any(f'"{label.variable}"' in a for a in h.auxwhat)

    def lines_of(frames):
        return {line for file, line in frames if file == label.file}

    good = [h for h in races
            if names_variable(h)
            and lines_of(h.stack_lines[:1] if h.stack_lines and
                         h.stack_lines[0][0] == label.file
                         else h.stack_lines) & set(label.race_lines)
            and lines_of(h.other_lines) & set(label.race_lines)]
    assert good, (f"no hint naming {label.variable!r} at two of lines "
                  f"{label.race_lines}: " +
                  "; ".join(f"{h.text} {h.stack_lines[:4]} / {h.other_lines}"
                            f" {h.auxwhat}" for h in races))


# ---- the error machinery ---------------------------------------------------

def _validate_protocol_4(path: Path, tool="memscope"):
    """The structure docs/internals/xml-output-protocol4.txt describes."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == "valgrindoutput"
    assert root.findtext("protocolversion") == "4"
    assert root.findtext("protocoltool") == tool
    tags = [c.tag for c in root]
    for required in ("preamble", "pid", "ppid", "tool", "args", "status",
                     "errorcounts", "suppcounts"):
        assert required in tags, required
    for err in root.findall("error"):
        children = [c.tag for c in err]
        assert children[:3] == ["unique", "tid", "kind"], children
        int(err.findtext("unique"), 16)
        int(err.findtext("tid"))
        assert children[3] in ("what", "xwhat"), children
        for x in err.findall("xwhat") + err.findall("xauxwhat"):
            assert x.findtext("text")
            int(x.findtext("hthreadid"))
        for st in err.findall("stack"):
            assert st.findall("frame")
            for f in st.findall("frame"):
                int(f.findtext("ip"), 16)
    for ann in root.findall("announcethread"):
        int(ann.findtext("hthreadid"))
        assert (ann.find("stack") is not None) != \
               (ann.find("isrootthread") is not None)
    # Thread hints are shown once each (VG_(unique_error), as Memcheck's
    # leaks): <errorcounts> lists only the deduplicated kinds.
    uniques = {e.findtext("unique") for e in root.findall("error")}
    for pair in root.findall("errorcounts/pair"):
        assert int(pair.findtext("count")) >= 1
        assert pair.findtext("unique") in uniques
    return root


def test_xml_is_protocol_4_with_kind_race(tmp_path):
    run = memscope([prog("races/counter_unprotected")], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/x.xml"])
    root = _validate_protocol_4(tmp_path / "x.xml")
    kinds = [e.findtext("kind") for e in root.findall("error")]
    assert kinds and set(kinds) == {"Race"}
    # Every thread a hint names is announced, once, before it.
    announced = [int(a.findtext("hthreadid"))
                 for a in root.findall("announcethread")]
    assert len(announced) == len(set(announced))
    named = {int(x.findtext("hthreadid"))
             for e in root.findall("error")
             for x in e.findall("xwhat") + e.findall("xauxwhat")}
    assert named <= set(announced)


def test_text_report_has_both_sides_locks_and_threads(tmp_path):
    run = memscope([prog("races/counter_unprotected")], tmp_path)
    err = run.stderr
    assert re.search(r"Possible data race during (read|write) of size 4 at "
                     r"0x[0-9a-f]+ by thread #[23]", err)
    assert re.search(r"This conflicts with a previous (read|write) of size "
                     r"4 at 0x[0-9a-f]+ by thread #[23]", err)
    assert "Locks held: none" in err
    assert re.search(r'is 0 bytes inside variable "counter"', err)
    assert err.count("---Thread-Announcement") == 2
    assert "Thread #2 was created" in err and "Thread #3 was created" in err
    hints = int(re.search(r"race hints: (\d+)", err).group(1))
    assert hints == int(re.search(r"ERROR SUMMARY: (\d+) errors", err)
                        .group(1))


def test_generated_suppressions_suppress_every_hint(tmp_path):
    # Programs whose two racing accesses are on one line: whichever
    # thread the schedule makes the later one, the hint has the same
    # stack, so the suppressions of one run cover the next.
    racy = [n for n in PROGRAMS
            if LABELS[n].racy and len(LABELS[n].race_lines) == 1]
    assert len(racy) >= 4
    for name in racy:
        run = memscope([prog(f"races/{name}")], tmp_path,
                       ["--gen-suppressions=all"], name=f"{name}.msc")
        supps = re.findall(r"^\{\n.*?^\}$", re.sub(r"^==\d+== ?", "",
                                                   run.stderr, flags=re.M),
                           re.M | re.S)
        assert supps and all("memscope:Race" in s for s in supps), name
        supp_file = tmp_path / f"{name}.supp"
        supp_file.write_text("\n".join(supps) + "\n")
        again = memscope([prog(f"races/{name}")], tmp_path,
                         [f"--suppressions={supp_file}"],
                         name=f"{name}-supp.msc")
        assert "ERROR SUMMARY: 0 errors" in again.stderr, name
        assert "race hints: 0" in again.stderr
        assert not [r for r in again.records() if type(r).__name__ == "Race"]


def test_access_covered_by_two_suppressed_ones_is_still_reported(tmp_path):
    # tests/progs/suppressed_first.c: the user's read of a word races
    # with another thread's write; the same thread's earlier write of the
    # low half and read of the high half (library code, suppressed) cover
    # its bytes only between them, so the read is checked and reported.
    src = (SRCDIR / "tests" / "progs" / "suppressed_first.c").read_text()
    user_line = next(n for n, line in enumerate(src.splitlines(), 1)
                     if "/* USER-READ */" in line)
    supp = tmp_path / "lib.supp"
    supp.write_text("{\n   library\n   memscope:Race\n"
                    "   fun:setup_halves\n}\n")
    run = memscope([prog("suppressed_first")], tmp_path,
                   [f"--suppressions={supp}", "--xml=yes",
                    f"--xml-file={tmp_path}/x.xml"])
    root = _validate_protocol_4(tmp_path / "x.xml")
    errors = root.findall("error")
    assert [e.findtext("kind") for e in errors] == ["Race"]
    top = errors[0].find("stack").find("frame")
    assert (top.findtext("fn"), top.findtext("file"),
            int(top.findtext("line"))) == ("user", "suppressed_first.c",
                                           user_line)
    assert "read of size 8" in errors[0].findtext("xwhat/text")
    # Both of setup_halves' races were found and suppressed.
    assert "race hints: 1" in run.stderr
    used = {p.findtext("name"): int(p.findtext("count"))
            for p in root.find("suppcounts").findall("pair")}
    assert used == {"library": 2}


def test_error_exitcode_and_switch(tmp_path):
    racy = memscope([prog("races/counter_unprotected")], tmp_path,
                    ["--error-exitcode=7"], name="a.msc")
    assert racy.returncode == 7
    clean = memscope([prog("races/counter_mutex")], tmp_path,
                     ["--error-exitcode=7"], name="b.msc")
    assert clean.returncode == 0
    off = memscope([prog("races/counter_unprotected")], tmp_path,
                   ["--race-hints=no", "--error-exitcode=7"], name="c.msc")
    assert off.returncode == 0 and "race hints" not in off.stderr


def test_hints_reach_the_log_and_the_report(tmp_path):
    run, doc = report_json(tmp_path, [prog("races/counter_unprotected")],
                           "concurrency")
    xml_count = int(re.search(r"race hints: (\d+)", run.stderr).group(1))
    # One race, one hint: the read and the write of counter++ against the
    # other thread's write are two pairs of instructions on one line and
    # one variable: one hint, found twice.
    assert doc["summary"]["race_hints"] == xml_count == 1
    assert "ERROR SUMMARY: 1 errors from 1 contexts" in run.stderr
    assert [h["occurrences"] for h in doc["race_hints"]] == [2]
    for hint in doc["race_hints"]:
        assert hint["object"]["name"] == "counter"
        assert {hint["access"]["thread_id"], hint["other"]["thread_id"]} \
            == {2, 3}
        assert "write" in (hint["access"]["kind"], hint["other"]["kind"])


def test_write_under_read_lock_says_so(tmp_path, suite):
    """rwlock_write_in_read's one hint is the main thread's write under the
    read lock against the writer's write: the error says the read lock
    does not order writes, the JSON's access side says under_read_lock
    (the other side, and every other suite hint, does not)."""
    _, hints = suite["rwlock_write_in_read"]
    assert len(hints) == 1
    aux = hints[0].auxwhat
    assert aux[1].startswith("The write holds a read lock only: "), aux
    assert [h for name in PROGRAMS if name != "rwlock_write_in_read"
            for h in suite[name][1]
            if any("read lock only" in a for a in h.auxwhat)] == []
    run, doc = report_json(tmp_path, [prog("races/rwlock_write_in_read")],
                           "concurrency")
    [hint] = doc["race_hints"]
    assert hint["object"]["name"] == "table"
    assert (hint["access"]["kind"], hint["access"]["thread_id"],
            hint["access"]["under_read_lock"]) == ("write", 1, True)
    assert (hint["other"]["kind"], hint["other"]["thread_id"],
            hint["other"]["under_read_lock"]) == ("write", 2, False)
    assert [lock["name"] for lock in hint["access"]["locks"]] \
        == ["table_lock"]


# ---- lock order ------------------------------------------------------------

def test_dining_philosophers_lock_order(tmp_path):
    run = memscope([prog("philosophers")], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/p.xml"])
    root = _validate_protocol_4(tmp_path / "p.xml")
    errors = root.findall("error")
    assert [e.findtext("kind") for e in errors] == ["LockOrder"]
    text = errors[0].findtext("xwhat/text")
    assert re.fullmatch(r'Thread #6: lock order "0x[0-9a-f]+ \(forks\) '
                        r'before 0x[0-9a-f]+ \(forks\+160\)" violated', text)
    aux = [a.text for a in errors[0].findall("auxwhat")]
    assert any("followed by a later acquisition of lock" in a and
               "(forks+40)" in a for a in aux)
    lines = {f.findtext("line") for st in errors[0].findall("stack")
             for f in st.findall("frame")
             if f.findtext("file") == "philosophers.c"}
    assert {"33", "34"} <= lines
    records = [r for r in run.records() if type(r).__name__ == "LockOrder"]
    assert len(records) == 1


def test_global_lock_order_is_silent(tmp_path):
    run = memscope([prog("philosophers"), "ordered"], tmp_path)
    assert "ERROR SUMMARY: 0 errors" in run.stderr


# ---- Eraser's lockset hint ---------------------------------------------------

def test_lockset_hints_are_off_by_default_and_opt_in(tmp_path):
    default = memscope([prog("races/counter_unprotected")], tmp_path,
                       ["--race-hints=no"], name="a.msc")
    assert "ERROR SUMMARY: 0 errors" in default.stderr
    on = memscope([prog("races/counter_unprotected")], tmp_path,
                  ["--race-hints=no", "--lockset-hints=yes", "--xml=yes",
                   f"--xml-file={tmp_path}/l.xml"], name="b.msc")
    root = _validate_protocol_4(tmp_path / "l.xml")
    errors = root.findall("error")
    assert [e.findtext("kind") for e in errors] == ["Lockset"]
    assert errors[0].findtext("xwhat/text").startswith('"counter" at 0x')
    locked = memscope([prog("races/counter_mutex")], tmp_path,
                      ["--lockset-hints=yes"], name="c.msc")
    assert "ERROR SUMMARY: 0 errors" in locked.stderr


def test_lockset_hints_need_access_tracking(tmp_path):
    run = memscope([prog("races/counter_mutex")], tmp_path,
                   ["--lockset-hints=yes", "--track-access=no"])
    assert run.returncode == 1
    assert "--lockset-hints=yes" in run.stderr
    assert "it needs --track-access=yes" in run.stderr


@pytest.mark.parametrize("argv", [["pigz", "-p", "2", "-c"],
                                  ["xz", "-T2", "-c"]],
                         ids=["pigz", "xz"])
def test_real_multithreaded_programs_get_no_hint(argv, tmp_path):
    """Debian's pigz and xz with two threads: correct programs, and no
    hint (Helgrind gives xz -T2 one)."""
    data = tmp_path / "input.txt"
    data.write_text("".join(f"{i}\n" for i in range(100000)))
    run = memscope([*argv, str(data)], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "race hints: 0" in run.stderr
    assert "ERROR SUMMARY: 0 errors" in run.stderr


CPYTHON_THREADS = """
import queue, threading
q = queue.Queue(maxsize=4)
total = 0
lock = threading.Lock()
def produce():
    for i in range(200):
        q.put(i)
def consume():
    global total
    while (item := q.get()) is not None:
        with lock:
            total += item
threads = [threading.Thread(target=produce) for _ in range(2)]
threads += [threading.Thread(target=consume) for _ in range(2)]
for t in threads:
    t.start()
for t in threads[:2]:
    t.join()
for _ in range(2):
    q.put(None)
for t in threads[2:]:
    t.join()
print(total)
"""


def test_cpython_threads_get_no_hint(tmp_path):
    """Debian's CPython with four threads around a queue: the GIL's
    relaxed atomics are suppressed by memscope's default suppressions, by
    the interpreter's object; without them they are reported."""
    argv = ["/usr/bin/python3", "-c", CPYTHON_THREADS]
    run = memscope(argv, tmp_path, ["-s"], name="a.msc")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "race hints: 0" in run.stderr
    assert "ERROR SUMMARY: 0 errors" in run.stderr
    assert "memscope-cpython-interpreter" in run.stderr
    bare = memscope(argv, tmp_path, ["--default-suppressions=no"],
                    name="b.msc")
    assert bare.returncode == 0, bare.stderr[-2000:]
    assert "ERROR SUMMARY: 0 errors" not in bare.stderr


@pytest.mark.parametrize("fair", ["no", "yes"])
@pytest.mark.parametrize("reader", ["racy", "strlen"])
def test_library_calls_race_on_the_programs_buffer(reader, fair, tmp_path):
    """stdio_user: the C library's FILE lock orders the stream's own
    buffer (stdio_ok in the suite: 0 hints), but not the program's buffer
    that one thread memcpy's into while another fwrite's it ("racy") or
    takes its strlen (memscope's own strlen, "strlen"): exactly one
    hint, on "shared_line", found inside the library's code and reported
    at the program's calls (the memcpy's line and the reader's); under a
    mutex, none."""
    lines = {("stdio_user.c", source_line("tests/progs/stdio_user.c", n))
             for n in ("/* the write */", f"{'fwrite' if reader == 'racy' else 'strlen'}(shared_line")}
    racy = memscope([prog("stdio_user"), reader], tmp_path,
                    [f"--fair-sched={fair}", "--xml=yes",
                     f"--xml-file={tmp_path}/racy.xml"], name="racy.msc")
    assert racy.returncode == 0, racy.stderr[-2000:]
    hints = _hints(tmp_path / "racy.xml")
    assert [h.kind for h in hints] == ["Race"]
    assert '"shared_line"' in hints[0].auxwhat[-1]
    assert lines & set(hints[0].stack_lines), hints[0].stack_lines
    locked = memscope([prog("stdio_user"), "locked"], tmp_path,
                      [f"--fair-sched={fair}"], name="locked.msc")
    assert locked.returncode == 0
    assert "ERROR SUMMARY: 0 errors" in locked.stderr


def _variables(hints) -> List[str]:
    return sorted(re.search(r'variable "([^"]+)"', h.auxwhat[-1]).group(1)
                  for h in hints)


def test_default_suppressions_cover_the_streams_not_the_program(tmp_path):
    """memscope-default.supp is read by default: on cxx_runtime_racy the
    one hint left is the program's (served++), the ones on std::cout's
    width went to entries of the file (the XML's suppcounts); without the default
    suppressions those come back, all on std::cout."""
    on = memscope([prog("races/cxx_runtime_racy")], tmp_path,
                  ["--xml=yes", f"--xml-file={tmp_path}/on.xml"],
                  name="on.msc")
    assert on.returncode == 0, on.stderr[-2000:]
    assert _variables(_hints(tmp_path / "on.xml")) == ["served"]
    root = etree.parse(str(tmp_path / "on.xml")).getroot()
    used = [p.findtext("name") for p in root.findall("suppcounts/pair")]
    assert used and all(u.startswith("memscope-libstdcxx-") for u in used)
    off = memscope([prog("races/cxx_runtime_racy")], tmp_path,
                   ["--default-suppressions=no", "--xml=yes",
                    f"--xml-file={tmp_path}/off.xml"], name="off.msc")
    names = _variables(_hints(tmp_path / "off.xml"))
    assert names.count("served") == 1
    assert set(names) == {"served", "_ZSt4cout@GLIBCXX_3.4"}


def test_missing_default_suppressions_are_one_warning(tmp_path):
    """A Valgrind library folder without memscope-default.supp (a broken
    install): one warning line, and the run goes on without them."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for f in (BUILDDIR / ".in_place").iterdir():
        if f.name != "memscope-default.supp":
            (lib / f.name).symlink_to(f.resolve())
    core = re.search(r'exec "([^"]+)"',
                     (BUILDDIR / "vg-in-place").read_text()).group(1)
    run = subprocess.run(
        [core, "--tool=memscope",
         f"--memscope-out-file={tmp_path}/x.msc", prog("races/stdio_ok")],
        env=dict(os.environ, VALGRIND_LIB=str(lib)), capture_output=True,
        text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    warnings = [l for l in run.stderr.splitlines() if "warning: no " in l]
    assert len(warnings) == 1
    assert warnings[0].endswith("memscope-default.supp: memscope's default "
                                "suppressions are not used")
    assert "ERROR SUMMARY: 0 errors" in run.stderr


def _section_offset(binary: Path, symbol: str) -> tuple:
    """(section name, offset) of `symbol` in an unstripped binary, read
    with binutils as a user would."""
    nm = subprocess.run(["nm", str(binary)], capture_output=True,
                        text=True, check=True).stdout
    (addr,) = [int(line.split()[0], 16) for line in nm.splitlines()
               if line.split()[-1] == symbol]
    sections = subprocess.run(["readelf", "-S", "-W", str(binary)],
                              capture_output=True, text=True,
                              check=True).stdout
    for m in re.finditer(r"\]\s+(\.\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+"
                         r"\s+([0-9a-f]+)", sections):
        lo, size = int(m.group(2), 16), int(m.group(3), 16)
        if lo <= addr < lo + size:
            return m.group(1), addr - lo
    raise AssertionError(f"{symbol} in no section")


def test_globals_of_a_stripped_binary_are_checked_by_section(tmp_path):
    """Class 11: with symbols, one hint on "hits" at its line; stripped
    (as every distribution binary is), the same race is found, named by
    section and offset (two hints: without line information the read and
    the write of hits++ are two code locations), the mutex-guarded
    global and the disjoint halves of the array stay silent, and the
    exit summary says why the names look so."""
    line = source_line("tests/progs/unnamed_globals.c", "/* the race */")
    run = memscope([prog("unnamed_globals")], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/named.xml"],
                   name="named.msc")
    assert run.returncode == 0, run.stderr[-2000:]
    hints = _hints(tmp_path / "named.xml")
    assert _variables(hints) == ["hits"]
    assert ("unnamed_globals.c", line) in hints[0].stack_lines
    assert ("unnamed_globals.c", line) in hints[0].other_lines
    assert "has no symbol table" not in run.stderr

    stripped = tmp_path / "unnamed_globals"
    subprocess.run(["strip", "-o", str(stripped), prog("unnamed_globals")],
                   check=True)
    section, offset = _section_offset(Path(prog("unnamed_globals")),
                                      "hits")
    run = memscope([str(stripped)], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/stripped.xml"],
                   name="stripped.msc")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "unnamed_globals: 2000 7" in run.stdout
    hints = _hints(tmp_path / "stripped.xml")
    name = f"{section}+0x{offset:x} in unnamed_globals"
    assert _variables(hints) == [name, name]
    assert all("0 bytes inside" in h.auxwhat[-1] for h in hints)
    assert ("globals: unnamed_globals has no symbol table; its globals "
            "are named by their section and offset") in run.stderr


def test_unique_globals_are_checked_and_named(tmp_path):
    """Class 11: a C++17 inline variable and a class template's static
    members have unique binding, which Valgrind's debug info does not
    name: the race on the inline variable is one hint at its line
    (Helgrind 2 errors, DRD 2), and in its twin, where a template's
    static mutex guards both, that mutex has its symbol's name."""
    src = "tests/progs/races/unique_global_racy.cpp"
    line = source_line(src, "/* RACE */")
    run = memscope([prog("races/unique_global_racy")], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/hints.xml"])
    assert run.returncode == 0, run.stderr[-2000:]
    hints = _hints(tmp_path / "hints.xml")
    assert _variables(hints) == ["shared_total"]
    assert ("unique_global_racy.cpp", line) in hints[0].stack_lines
    assert ("unique_global_racy.cpp", line) in hints[0].other_lines
    ok = memscope([prog("races/unique_global_ok")], tmp_path, name="ok.msc")
    assert "ERROR SUMMARY: 0 errors" in ok.stderr
    from memscope import logreader as R
    with R.LogReader(str(ok.log)) as reader:
        locks = {r.name for r in reader.records()
                 if isinstance(r, R.SyncObject) and r.kind == "mutex"}
    assert "_ZN7GuardedIiE4lockE" in locks


def test_globals_of_the_programs_own_shared_object_are_checked(tmp_path):
    """Class 11: a shared object loaded from outside the system's
    library directories is the program's own: its globals are checked
    (the race on lib_counter, 1 hint at its line; not checked before),
    and the C runtime's one-byte static before it, which the dynamic
    linker's clearing of .bss touches together with it, keeps its own
    size."""
    cc = os.environ.get("CC", "cc")
    lib, exe = tmp_path / "libown.so", tmp_path / "own_library_main"
    subprocess.run([cc, "-g", "-O0", "-shared", "-fPIC", "-o", str(lib),
                    str(SRCDIR / "tests" / "progs" / "own_library.c")],
                   check=True)
    subprocess.run([cc, "-g", "-O0", "-pthread", "-o", str(exe),
                    str(SRCDIR / "tests" / "progs" / "own_library_main.c"),
                    f"-L{tmp_path}", "-lown", f"-Wl,-rpath,{tmp_path}"],
                   check=True)
    line = source_line("tests/progs/own_library.c", "/* the race */")
    run = memscope([str(exe)], tmp_path,
                   ["--xml=yes", f"--xml-file={tmp_path}/hints.xml"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert "own_library: 200" in run.stdout
    hints = _hints(tmp_path / "hints.xml")
    assert _variables(hints) == ["lib_counter"]
    assert ("own_library.c", line) in hints[0].stack_lines
    assert "0 bytes inside" in hints[0].auxwhat[-1]
