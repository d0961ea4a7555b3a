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
}


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
    if how in ("abort", "segv"):
        # The core reports the fatal signal; the tool still shuts down.
        assert "Process terminating with default action of signal" \
            in run.stderr
    assert "memscope: error" not in run.stderr


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
