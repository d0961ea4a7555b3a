"""The torture suite: the tool under stress and faults (thread churn,
Valgrind's thread limit, signals, every way a program ends, full disks,
allocation limits, millions of live blocks, storms of bad requests).
Each program's header in tests/progs/torture says what it does; the
guarantees checked here are listed in docs/reliability.md."""

import json
import os
import re
import resource
import signal
import subprocess
import time

import pytest

from helpers import ARTIFACTS, SESSION_NOTES, VG_IN_PLACE, decode, \
    killed_sleeper_log, memscope, parse_memscope_summary, prog, report, \
    report_log, valgrind
from logbuilder import LogBuilder, one_named_block, uleb
from memscope import logformat as F
from memscope import logreader as R


def torture(name: str) -> str:
    return prog(os.path.join("torture", name))


def read_log(path):
    """(records, end record or None, truncated_at or None)."""
    with R.LogReader(str(path)) as reader:
        recs = list(reader.records())
        return recs, reader.end, reader.truncated_at


def allocs_of(recs, size):
    return [r for r in recs if isinstance(r, R.Alloc) and r.size == size]


def frees_of(recs, size):
    """The frees of blocks of `size` (addresses are recycled: each free
    pairs with the last allocation at its address)."""
    live, out = {}, []
    for r in recs:
        if isinstance(r, R.Alloc):
            live[r.addr] = r.size
        elif isinstance(r, R.Free) and live.pop(r.addr, None) == size:
            out.append(r)
    return out


# ---- endings -----------------------------------------------------------------

ENDINGS = {                 # how -> exit status seen by the shell
    "exit-main": 0,
    "exit-thread": 3,
    "exit-running": 4,
    "_exit": 5,
    "abort": -signal.SIGABRT,
    "segv": -signal.SIGSEGV,
    "segv-thread": -signal.SIGSEGV,
}

# how -> the summary's "ended:" line (after the pid prefix); a fatal
# signal's line ends with the frame it struck.
ENDED = {
    "exit-main": "ended: exit status 0",
    "exit-thread": "ended: exit status 3",
    "exit-running": "ended: exit status 4",
    "_exit": "ended: exit status 5",
    "abort": "ended: killed by signal 6 (SIGABRT) in thread 1, at ",
    "segv": "ended: killed by signal 11 (SIGSEGV) in thread 1, at ",
    "segv-thread": "ended: killed by signal 11 (SIGSEGV) in thread 2, at ",
}
ENDED_FRAME = {"segv": r": main \(endings\.c:\d+\)$",
               "segv-thread": r": segfaulter \(endings\.c:\d+\)$",
               "abort": r": \S+ \(\S+\.c:\d+\)$"}


@pytest.mark.parametrize("how", sorted(ENDINGS))
def test_every_ending_leaves_a_complete_log(how, tmp_path):
    run = memscope([torture("endings"), how], tmp_path)
    assert run.returncode == ENDINGS[how], run.stderr[-2000:]
    assert run.stdout == f"ending {how}\n"
    recs, end, truncated = read_log(run.log)
    assert end is not None and truncated is None
    (marker,) = allocs_of(recs, 4242)
    other = allocs_of(recs, 4243)
    assert len(other) == 1 and len(frees_of(recs, 4243)) == 1
    assert end.allocs >= 2
    if how in ("abort", "segv", "segv-thread"):
        # The core reports the fatal signal; the tool still shuts down.
        assert "Process terminating with default action of signal" \
            in run.stderr
    assert "memscope: error" not in run.stderr
    (ended,) = [line.split("== ", 1)[1] for line in run.stderr.splitlines()
                if "== ended: " in line]
    assert ended.startswith(ENDED[how]), ended
    if how in ENDED_FRAME:
        assert re.search(ENDED_FRAME[how], ended), ended
    else:
        assert ended == ENDED[how]


def test_sigkill_report_marks_the_log_cut_short(tmp_path):
    """SIGKILL of the process group gives the tool no chance: what was
    flushed (--flush-ms) is there (tests/test_log.py counts it), and
    memscope-report says the log is cut short and still writes every
    output."""
    log, status = killed_sleeper_log(tmp_path)
    assert status == -signal.SIGKILL
    recs, end, truncated = read_log(log)
    assert end is None and truncated == os.path.getsize(log)
    rep = report([str(log), "-o", str(tmp_path / "out"), "--base", "k"])
    assert rep.returncode == 0, rep.stderr
    assert f"truncated at byte offset {truncated}" in rep.stderr
    assert len(list((tmp_path / "out").glob("k*"))) >= 8


# ---- signals ---------------------------------------------------------------------

def test_signal_handlers_that_allocate(tmp_path):
    run = memscope([torture("signals")], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    m = re.fullmatch(r"loop (\d+) alarms (\d+) usr1 (\d+)\n", run.stdout)
    assert m, run.stdout
    loop, alarms, usr1 = map(int, m.groups())
    assert loop == 20000 and usr1 == 50
    assert alarms > 0            # the storm did interrupt the loop
    recs, end, _ = read_log(run.log)
    assert end is not None
    for size, count in ((48, loop), (777, alarms), (555, usr1)):
        blocks = allocs_of(recs, size)
        assert len(blocks) == count, size
        assert len(frees_of(recs, size)) == count, size


# ---- threads -------------------------------------------------------------------

def test_thread_churn(tmp_path):
    """2,000 threads in waves of 100, a fifth of them detached."""
    run = memscope([torture("churn")], tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == "threads 2000 counter 2000\n"
    assert "race hints: 0" in run.stderr
    recs, end, _ = read_log(run.log)
    assert end is not None and end.threads == 2001
    created = [r for r in recs if isinstance(r, R.ThreadCreate)]
    assert len(created) == 2001
    assert len({r.thread for r in created}) == 2001
    blocks = allocs_of(recs, 40)
    assert len(blocks) == 2000 and len(frees_of(recs, 40)) == 2000


def test_valgrinds_thread_limit(tmp_path):
    """Past --max-threads the core stops the run with its own message;
    the tool gets no shutdown, so the log is cut short after its last
    flush, which holds the marker allocated before the threads."""
    run = memscope([torture("thread_limit")], tmp_path,
                   ["--max-threads=20", "--flush-ms=200"])
    assert run.returncode != 0
    assert "--max-threads" in run.stderr
    recs, end, truncated = read_log(run.log)
    assert end is None and truncated == os.path.getsize(run.log)
    assert len(allocs_of(recs, 4242)) == 1


# ---- resources -------------------------------------------------------------------

def _limit_file_size(nbytes):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
        # Valgrind's own write must fail with EFBIG, not kill it.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return set_limit


def test_full_disk_one_line_and_the_program_runs_on(tmp_path):
    """The log cannot grow past 64 KiB (RLIMIT_FSIZE: the disk is full
    for it): one error line, the client runs to its end with its own
    output and exit status, the log holds what fitted."""
    log = tmp_path / "full.msc"
    p = subprocess.run([str(VG_IN_PLACE), "--tool=memscope",
                        f"--memscope-out-file={log}",
                        torture("churn"), "2"],
                       capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL,
                       preexec_fn=_limit_file_size(64 * 1024))
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout == "threads 200 counter 200\n"
    errors = [line for line in p.stderr.splitlines()
              if "memscope: error" in line]
    assert len(errors) == 1
    assert "writing the log" in errors[0] and "continues without" \
        in errors[0]
    assert os.path.getsize(log) <= 64 * 1024
    recs, end, truncated = read_log(log)
    assert end is None and truncated is not None
    assert len(allocs_of(recs, 40)) > 0
    # The summary says what the file holds.
    assert f"log: {log} (cut short at {os.path.getsize(log):,} bytes: " \
        "writing it failed)" in p.stderr


def test_allocation_limits(tmp_path):
    native = subprocess.run([torture("alloc_limits")], capture_output=True,
                            text=True, timeout=60)
    assert native.returncode == 0
    run = memscope([torture("alloc_limits")], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    mc = valgrind("memcheck", [torture("alloc_limits")])
    # Valgrind's replacement calloc (shared by every tool that replaces
    # malloc, Memcheck too) returns NULL on an overflowing product without
    # setting errno: the one difference from glibc, documented in
    # docs/reliability.md.
    under_valgrind = native.stdout.replace(
        "4) null ENOMEM", "4) null other").replace(
        "2^32) null ENOMEM", "2^32) null other")
    assert run.stdout == mc.stdout == under_valgrind
    assert native.stdout.splitlines() == [
        "malloc(0) ok",
        "malloc(SIZE_MAX) null ENOMEM",
        "malloc(SIZE_MAX/2) null ENOMEM",
        "calloc(SIZE_MAX/2, 4) null ENOMEM",
        "calloc(2^32, 2^32) null ENOMEM",
        "calloc(0, 16) ok",
        "realloc(p, SIZE_MAX) null ENOMEM",
        "posix_memalign(3) EINVAL",
        "posix_memalign(64, 100) ok",
        "aligned",
        "free(NULL) ok",
    ]
    recs, end, _ = read_log(run.log)
    assert end is not None


def test_a_million_live_blocks(tmp_path):
    base = memscope([torture("many_blocks"), "0"], tmp_path, name="0.msc")
    run = memscope([torture("many_blocks")], tmp_path, name="m.msc",
                   timeout=600)
    assert base.returncode == 0 and run.returncode == 0, run.stderr[-2000:]
    s0 = parse_memscope_summary(base.stderr)
    s1 = parse_memscope_summary(run.stderr)
    assert s1["live_blocks"] - s0["live_blocks"] == 1000000
    assert s1["live_bytes"] - s0["live_bytes"] == 16000000
    assert "still reachable: 16,000,000 bytes in 1,000,000 blocks" \
        in run.stderr
    recs, end, _ = read_log(run.log)
    assert end is not None and end.live_blocks == s1["live_blocks"]


# ---- bad client requests -------------------------------------------------------

def test_request_storm_from_many_threads(tmp_path):
    run = memscope([torture("reqstorm")], tmp_path, ["--warn-limit=20"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == "done\n"
    lines = run.stderr.splitlines()
    warnings = [line for line in lines if "memscope: warning: " in line]
    assert len(warnings) == 21          # 20, then "only logged"
    assert "further ones are only logged" in warnings[-1]
    assert any("memscope: 2401 warnings in all, 2381 not printed" in line
               for line in lines)
    assert "'esc\\x1b[2J\\u202ert\\x5cx\\x9b31m\u00e9': address is NULL" \
        in warnings[0]
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
    recs, end, _ = read_log(run.log)
    assert end is not None
    # The first thousand are logged one by one, then their number: the
    # log and the tool's string table stay bounded.
    logged = [r for r in recs if isinstance(r, R.Warning)]
    assert len(logged) == 1001
    assert logged[-1].text == \
        "1401 further warnings were counted but not logged one by one"


# ---- the report under bad input -----------------------------------------------

def test_fifo_device_and_directory_are_refused_at_once(tmp_path):
    """A FIFO with no writer would make a plain open wait forever."""
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    for path, what in ((fifo, "is a FIFO"),
                       ("/dev/zero", "is a character device"),
                       (tmp_path, "is a directory")):
        for tool in (report, decode):
            r = tool([str(path)], timeout=20)
            assert r.returncode == 3, (path, r.stderr)
            assert what in r.stderr
            assert len(r.stderr.strip().splitlines()) == 1
            assert "Traceback" not in r.stderr


def _hostile_log() -> bytes:
    """A log whose every client string tries to escape: paths, NUL,
    direction overrides, markup."""
    return one_named_block("../../../../tmp/escape", "../../etc/passwd",
                           "/abs/path\x00nul",
                           "nul\x00byte \u202eevil</script>", "../type")


def test_client_names_never_steer_paths_and_stay_text(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    done, out = report_log(work, _hostile_log(), "h")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(["h.html", "h.svg"] + [
        f"h_{c}.json" for c in ("memory_analysis", "lifetime",
                                "performance", "unsafe_ffi",
                                "complex_types", "concurrency")])
    assert sorted(p.name for p in work.iterdir()) == ["h-out", "h.msc"]
    page = (out / "h.html").read_text()
    assert "\x00" not in page and "\u202e" not in page
    assert "</script>" not in page.split("<script", 1)[0]
    svg = (out / "h.svg").read_text()
    assert "\x00" not in svg
    doc = json.loads((out / "h_complex_types.json").read_text())
    assert [v["name"] for v in doc["variables"]] == \
        ["nul\x00byte \u202eevil</script>"]


def test_reader_past_four_gib(tmp_path):
    """Offsets and lengths are 64-bit: a log of more than 4 GiB (sparse:
    records of a newer minor version the reader skips, 16 MiB of zeros
    each) reads to its END, the records after the 4 GiB mark at their
    true offsets; cut inside its last record, it is reported truncated
    at an offset past 4 GiB.  The reader holds one record at a time."""
    b = LogBuilder(minor=F.MINOR + 1)
    b.header()
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.alloc(1, 0, 0x10000, 100)
    path = tmp_path / "big.msc"
    skip_tag, skip_len = F.MAX_TAG + 1, F.MAX_RECORD_SZB
    head = bytes([skip_tag]) + uleb(skip_len)
    with open(path, "wb") as f:
        f.write(b.data)
        while f.tell() < (1 << 32) + (1 << 20):
            f.write(head)
            f.seek(skip_len, os.SEEK_CUR)       # a hole: zeros
        b.data = bytearray()
        b.heap = 0x10000
        b.alloc(1, 0, 0x20000, 200)
        b.free(1, 0, 0x10000)
        b.rec(F.REC_END, 0, 2, 1, 300, 300, 2, 0, 1, 200, 1, 0, 0)
        tail_at = f.tell()
        f.write(b.data)
    assert os.path.getsize(path) > 1 << 32
    assert os.stat(path).st_blocks * 512 < 1 << 24      # sparse
    recs, end, truncated = read_log(path)
    assert end is not None and truncated is None
    allocs = [r for r in recs if isinstance(r, R.Alloc)]
    assert [(a.addr, a.size) for a in allocs] == [(0x10000, 100),
                                                  (0x20000, 200)]
    assert allocs[1].offset == tail_at and allocs[1].offset > 1 << 32
    os.truncate(path, os.path.getsize(path) - 3)
    recs, end, truncated = read_log(path)
    assert end is None and truncated > 1 << 32
    d = decode(["--summary", str(path)], timeout=300)
    assert d.returncode == 0
    assert f"truncated at byte offset {truncated}" in d.stderr


def _seed_logs(tmp_path):
    """Small real logs: threads and locks, named objects, a heap graph,
    an abort; plus one cut short."""
    logs = []
    for name, argv in (("threads", [prog("threads")]),
                       ("named", [prog("named")]),
                       ("heapgraph", [prog("heapgraph")]),
                       ("abort", [torture("endings"), "abort"])):
        run = memscope(argv, tmp_path, name=f"{name}.msc")
        logs.append(run.log.read_bytes())
    logs.append(logs[0][:len(logs[0]) // 2])
    return logs


def test_fuzzing_the_reader_finds_no_crash(tmp_path):
    """A coverage-guided mutation fuzzer (tests/fuzzlog.py) on the report's
    reading side for MSC_FUZZ_SECONDS (default 30): every input is read
    to its end or refused with a LogError; no other exception, no hang.
    The figures go to the test session's summary."""
    import fuzzlog
    seconds = float(os.environ.get("MSC_FUZZ_SECONDS", "30"))
    result = fuzzlog.fuzz(_seed_logs(tmp_path), seconds, seed=1,
                          workdir=str(tmp_path))
    SESSION_NOTES.append(result.summary())
    for n, (data, why) in enumerate(result.crashes[:5]):
        (ARTIFACTS / f"fuzz-crash{n}.msc").parent.mkdir(parents=True,
                                                         exist_ok=True)
        (ARTIFACTS / f"fuzz-crash{n}.msc").write_bytes(data)
    assert result.crashes == [], result.crashes[0][1]
    assert result.executions > 100


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_log_permissions_follow_the_umask(umask, mode, tmp_path):
    log = tmp_path / "perm.msc"
    p = subprocess.run([str(VG_IN_PLACE), "--tool=memscope",
                        f"--memscope-out-file={log}", prog("allocs")],
                       capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL,
                       preexec_fn=lambda: os.umask(umask))
    assert p.returncode == 0, p.stderr[-2000:]
    assert os.stat(log).st_mode & 0o777 == mode


# ---- processes -----------------------------------------------------------------

@pytest.mark.parametrize("trace_children", ["no", "yes"])
def test_forked_children_log_apart(trace_children, tmp_path):
    """Four children forked while a thread of the parent allocates: each
    process writes its own log (%p) holding exactly its own blocks; a
    child that execs leaves its log cut short at the exec (everything
    flushed), and with --trace-children=yes the exec'd image writes
    <log>.exec1, complete."""
    p = valgrind("memscope", [torture("forkstorm")],
                 [f"--memscope-out-file={tmp_path}/fork.%p.msc",
                  f"--trace-children={trace_children}"])
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout == "children 4 ok 4\n"
    logs = sorted(tmp_path.glob("fork.*.msc"))
    assert len(logs) == 5
    parents, children = [], {}
    for log in logs:
        recs, end, truncated = read_log(log)
        sizes = {size: len(allocs_of(recs, size))
                 for size in (3998, 3999, 4000, 4001, 4002, 4003)}
        mine = [s for s, n in sizes.items() if n]
        if mine == [3998, 3999]:
            assert sizes[3998] == 1000 and sizes[3999] == 500
            assert end is not None
            parents.append(log)
            continue
        (size,) = mine
        k = size - 4000
        assert sizes[size] == 100 * (k + 1)
        assert len(frees_of(recs, size)) == 100 * (k + 1)
        if k % 2 == 1:                      # exec'd: cut at the exec
            assert end is None and truncated == os.path.getsize(log)
        else:
            assert end is not None
        children[k] = log
    assert len(parents) == 1 and sorted(children) == [0, 1, 2, 3]
    execs = sorted(tmp_path.glob("fork.*.msc.exec*"))
    if trace_children == "yes":
        assert sorted(e.name for e in execs) == sorted(
            children[k].name + ".exec1" for k in (1, 3))
        for e in execs:
            recs, end, truncated = read_log(e)
            assert end is not None and truncated is None
    else:
        assert execs == []


def test_a_long_lock_chain(tmp_path):
    """100,000 mutexes taken hand over hand, then one acquisition against
    the chain's order, then all destroyed: exactly one LockOrder error,
    naming the two locks and the lines.  (Each step used to search the
    whole chain and each destroy the whole graph: 7.8 s for 16,000 locks,
    growing with the square, past the test's timeout at 100,000; now
    about a second.)"""
    run = memscope([torture("lockchain")], tmp_path, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == "chain: done\n"
    assert "ERROR SUMMARY: 1 errors from 1 contexts" in run.stderr
    m = re.search(r'lock order "(0x[0-9a-f]+) before (0x[0-9a-f]+)" '
                  r'violated', run.stderr)
    assert m, run.stderr[-2000:]
    assert "main (lockchain.c:30)" in run.stderr      # m[n-1] under m[0]
    assert "main (lockchain.c:29)" in run.stderr      # m[0] taken
    recs, end, _ = read_log(run.log)
    assert end is not None
    (order,) = [r for r in recs if isinstance(r, R.LockOrder)]
    assert (hex(order.lock), hex(order.held)) == m.groups()


def test_detached_threads(tmp_path):
    """A detached thread's happens-before clock is freed at its end (the
    churn test's memory depends on it); hints stay exact: none on `x`,
    ordered by a semaphore after its writer ended, one on `y`."""
    from helpers import source_line
    run = memscope([torture("detached")], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ERROR SUMMARY: 1 errors from 1 contexts" in run.stderr
    assert 'Address 0x' in run.stderr and 'inside variable "y"' \
        in run.stderr
    src = "tests/progs/torture/detached.c"
    assert f"main (detached.c:{source_line(src, 'main reads y')})" \
        in run.stderr
    assert f"thread_b (detached.c:{source_line(src, 'B writes y')})" \
        in run.stderr


# ---- log paths: created, never replaced ------------------------------------------

def logpaths(*args: str) -> list:
    return [torture("logpaths"), *args]


def _tool(args, cwd, **kw):
    return subprocess.run([str(VG_IN_PLACE), "--tool=memscope", *args],
                          cwd=cwd, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, **kw)


def _exe_and_end(path):
    """(the logged image's executable's base name, its END or None)."""
    with R.LogReader(str(path)) as reader:
        list(reader.records())
        return os.path.basename(reader.header.exe), reader.end


def test_system_under_trace_children_keeps_the_parents_log(tmp_path):
    """system("true") with a log name without %p: the forked child is not
    logged (it would share the parent's file), sh's image gets the next
    free name; the parent's log is whole and its own."""
    p = _tool(["--trace-children=yes", "--memscope-out-file=same.msc",
               *logpaths("system")], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert sorted(f.name for f in tmp_path.iterdir()) == \
        ["same.msc", "same.msc.1"]
    recs, end, truncated = read_log(tmp_path / "same.msc")
    assert end is not None and truncated is None
    assert len(allocs_of(recs, 7001)) == 1 == len(frees_of(recs, 7001))
    assert _exe_and_end(tmp_path / "same.msc")[0] == "logpaths"
    exe, sh_end = _exe_and_end(tmp_path / "same.msc.1")
    assert exe == "sh" and sh_end is not None
    assert f"'{tmp_path}/same.msc' exists and is never replaced; this " \
        f"run's log is '{tmp_path}/same.msc.1'" in p.stderr
    assert f"log: {tmp_path}/same.msc (" in p.stderr
    assert f"log: {tmp_path}/same.msc.1 (" in p.stderr


@pytest.mark.parametrize("name", ["rel.msc", "memscope.out.%p"])
def test_chdir_then_exec_logs_beside_the_first_log(name, tmp_path):
    """A relative log name is resolved once, in the start directory: an
    image exec'd after a chdir writes <log>.exec1 there, and a file of the
    log's name in the new directory stays as it was."""
    other = tmp_path / "other"
    other.mkdir()
    p = _tool(["--trace-children=yes", f"--memscope-out-file={name}",
               *logpaths("chdir-exec", str(other), "/bin/true")], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    (first,) = [f for f in tmp_path.iterdir()
                if f.is_file() and not f.name.endswith(".exec1")]
    assert first.name == name.replace("%p", first.name.split(".")[-1])
    assert sorted(f.name for f in tmp_path.iterdir()) == \
        sorted([first.name, first.name + ".exec1", "other"])
    assert list(other.iterdir()) == []
    (other / first.name).write_text("precious\n")
    p = _tool(["--trace-children=yes", f"--memscope-out-file={name}",
               *logpaths("chdir-exec", str(other), "/bin/true")], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert (other / first.name).read_text() == "precious\n"
    assert sorted(f.name for f in other.iterdir()) == [first.name]
    assert _exe_and_end(tmp_path / (first.name + ".exec1"))[0] == "true"


@pytest.mark.parametrize("how", ["execve", "spawn"])
def test_exec_and_spawn_each_write_their_own_log(how, tmp_path):
    """execve in place continues the pid's log as <log>.exec1; posix_spawn
    (a vfork, which Valgrind runs as a fork) gives the child a log of its
    own (%p) up to its exec, then <child's log>.exec1."""
    p = _tool(["--trace-children=yes", "--memscope-out-file=ps.%p",
               *logpaths(how, "/bin/true")], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    logs = sorted(f.name for f in tmp_path.iterdir())
    parent = f"ps.{p.stderr.split('==', 2)[1]}"
    ends = {log: _exe_and_end(tmp_path / log) for log in logs}
    if how == "execve":
        assert logs == [parent, parent + ".exec1"]
        assert ends[parent][0] == "logpaths" and ends[parent][1] is None
    else:
        (child,) = [log for log in logs
                    if log != parent and not log.endswith(".exec1")]
        assert logs == sorted([parent, child, child + ".exec1"])
        assert ends[parent][0] == "logpaths" and ends[parent][1] is not None
        assert ends[child][0] == "logpaths" and ends[child][1] is None
    (exec_log,) = [log for log in logs if log.endswith(".exec1")]
    assert ends[exec_log][0] == "true" and ends[exec_log][1] is not None


def test_a_pipeline_under_trace_children(tmp_path):
    """sh -c 'a | b; c' with a fixed log name: one log per image, each
    its own, none replaced (the names after the first taken in turn)."""
    p = _tool(["--trace-children=yes", "--memscope-out-file=pipe.msc",
               "/bin/sh", "-c",
               f"{torture('logpaths')} sleep 1 | {torture('logpaths')} "
               f"sleep 2; {torture('logpaths')} sleep 3"], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    logs = sorted(tmp_path.iterdir())
    exes = sorted(_exe_and_end(log)[0] for log in logs)
    assert exes == ["logpaths", "logpaths", "logpaths", "sh"]
    marker_sizes = []
    for log in logs:
        recs, end, _ = read_log(log)
        if _exe_and_end(log)[0] == "logpaths":
            assert end is not None
            assert len(allocs_of(recs, 7007)) == 1
            marker_sizes.append(7007)
    assert marker_sizes == [7007] * 3
    assert p.stderr.count("exists and is never replaced") == 3


@pytest.mark.parametrize("together", [False, True])
def test_two_runs_with_one_log_name(together, tmp_path):
    """Two runs naming the same file, one after the other or at the same
    time: the second writes the next free name and says so; both logs are
    whole."""
    args = ["--memscope-out-file=same.msc", *logpaths("sleep", "300")]
    if together:
        first = subprocess.Popen([str(VG_IN_PLACE), "--tool=memscope",
                                  *args], cwd=tmp_path,
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not (tmp_path / "same.msc").exists():
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.01)
        second = _tool(args, tmp_path)
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err[-2000:]
    else:
        err = _tool(args, tmp_path).stderr
        second = _tool(args, tmp_path)
    assert second.returncode == 0
    assert sorted(f.name for f in tmp_path.iterdir()) == \
        ["same.msc", "same.msc.1"]
    assert f"log: {tmp_path}/same.msc (" in err
    assert f"log: {tmp_path}/same.msc.1 (" in second.stderr
    assert "exists and is never replaced" in second.stderr
    for log in ("same.msc", "same.msc.1"):
        recs, end, truncated = read_log(tmp_path / log)
        assert end is not None and truncated is None, log
        assert len(allocs_of(recs, 7007)) == 1 == len(frees_of(recs, 7007))


@pytest.mark.parametrize("what", ["file", "directory", "replaced"])
def test_a_log_removed_or_replaced_during_the_run(what, tmp_path):
    """The summary never names a file that is not the log it wrote."""
    d = tmp_path / "logs"
    d.mkdir()
    log = d / "gone.msc"
    if what == "replaced":
        args = logpaths("replacelog", str(log))
    else:
        args = logpaths("rmlog", str(log),
                        *([str(d)] if what == "directory" else []))
    p = _tool([f"--memscope-out-file={log}", *args], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    (line,) = [line for line in p.stderr.splitlines() if "== log: " in line]
    assert re.search(rf"== log: {re.escape(str(log))} is gone: it was "
                     r"removed or replaced while the program ran "
                     r"\([\d,]+ bytes had been written to it\)$", line), line
    if what == "replaced":
        assert log.read_text() == "user data\n"


def test_an_unsupported_clone_leaves_its_reason_in_the_log(tmp_path):
    """Valgrind ends the run at a clone() it does not support, without the
    tool's shutdown: the log was flushed just before, with a warning
    saying why it stops there."""
    run = memscope(logpaths("clone"), tmp_path)
    assert "Valgrind does not support general clone()" in run.stderr
    recs, end, truncated = read_log(run.log)
    assert end is None and truncated == os.path.getsize(run.log)
    assert len(allocs_of(recs, 7008)) == 1
    (warning,) = [r for r in recs if isinstance(r, R.Warning)]
    assert warning.text.startswith("clone() with flags 0x111, which "
                                   "Valgrind does not support")


# ---- cancellation ----------------------------------------------------------------

CANCELLED = F.ECANCELED
# case -> (the cancelled thread, the op it was cancelled in)
CANCEL_POINTS = {
    "cond": (2, "cond_wait"), "timedcond": (2, "cond_timedwait"),
    "cond-keep": (2, "cond_wait"), "sem": (2, "sem_wait"),
    "timedsem": (2, "sem_timedwait"), "sem-racy": (2, "sem_wait"),
    "join": (3, "join"), "once": (2, "once"),
}


def _cancel_run(case, tmp_path, fair, n):
    tool = ["--fair-sched=yes"] if fair else []
    run = memscope([torture("cancel"), case], tmp_path, tool,
                   name=f"cancel-{case}-{int(fair)}-{n}.msc")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == f"{case}: ok\n"
    return run


@pytest.mark.parametrize("fair", [False, True])
@pytest.mark.parametrize("case", sorted(CANCEL_POINTS))
def test_cancellation_leaves_the_lock_state_as_glibc_does(case, fair,
                                                          tmp_path):
    """pthread_cancel at each wrapped cancellation point: the call ends
    cancelled in the log (result ECANCELED), a condition wait's mutex is
    held again as glibc holds it for the cleanup handlers (whose unlock is
    an ordinary release), a semaphore is not taken, a join does not
    happen; the race-free cases give no hint and no warning, twice in a
    row under either scheduler."""
    thread, op = CANCEL_POINTS[case]
    for n in range(2):
        run = _cancel_run(case, tmp_path, fair, n)
        warnings = [line.split("memscope: warning: ", 1)[1]
                    for line in run.stderr.splitlines()
                    if "memscope: warning: " in line]
        hints = int(re.search(r"== race hints: (\d+)", run.stderr).group(1))
        recs, end, _ = read_log(run.log)
        assert end is not None and end.ending == "exit" and end.code == 0
        syncs = [r for r in recs if isinstance(r, R.Sync)]
        cancelled = [r for r in syncs if r.result == CANCELLED]
        assert [(r.thread, r.op) for r in cancelled] == [(thread, op)]
        mine = [r for r in syncs if r.thread == thread]
        after = mine[mine.index(cancelled[0]) + 1:]
        if case in ("cond", "timedcond"):
            m = cancelled[0].arg
            unlocks = [r for r in after if r.op == "mutex_unlock"
                       and r.addr == m]
            assert len(unlocks) == 1 and unlocks[0].flags == 0
        if case == "cond-keep":
            assert warnings == [f"thread 2: exits holding a mutex "
                                f"{hex(cancelled[0].arg)} m"]
            held = [r for r in syncs if r.op == "exit_holding"]
            assert [(r.thread, r.addr) for r in held] == \
                [(2, cancelled[0].arg)]
        else:
            assert warnings == []
        if case == "join":
            joins = [(r.thread, r.arg, r.result) for r in syncs
                     if r.op == "join"]
            assert joins == [(3, 2, CANCELLED), (1, 3, 0), (1, 2, 0)]
        if case == "once":
            onces = [(r.thread, r.result) for r in syncs
                     if r.op == "once" and r.addr == cancelled[0].addr]
            assert onces == [(2, CANCELLED), (1, 0)]
        assert hints == (1 if case == "sem-racy" else 0), run.stderr[-3000:]
        if case == "sem-racy":
            # main's write of `shared` and the second thread's, before
            # its sem_wait
            (race,) = [r for r in recs if isinstance(r, R.Race)]
            sides = sorted((side.thread, side.stack.frames[0].function)
                           for side in (race.access, race.other))
            assert sides == [(1, "sem_case"), (3, "handed")]
