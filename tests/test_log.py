"""The binary log: survives a killed run, and the reader (and the
decoder's exit codes) stay in control on cut, corrupt and foreign input."""

import os
import random
import signal
import subprocess

import pytest

from helpers import VG_IN_PLACE, decode, killed_sleeper_log, memscope, \
    prog
from memscope import logformat as F
from memscope import logreader as R
from memscope.aggregate import analyse


def test_killed_client_log_still_decodes(tmp_path):
    log, status = killed_sleeper_log(tmp_path)
    assert status == -signal.SIGKILL
    with R.LogReader(str(log)) as reader:
        recs = list(reader.records())
        assert reader.end is None
        assert reader.truncated_at == os.path.getsize(log)
    sixteen = [r for r in recs if isinstance(r, R.Alloc) and r.size == 16]
    assert len(sixteen) == 1000
    d = decode(["--summary", str(log)])
    assert d.returncode == 0
    assert "log: truncated" in d.stdout
    assert "truncated at byte offset" in d.stderr


@pytest.fixture(scope="module")
def small_log(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small")
    run = memscope([prog("threads")], tmp)
    assert run.returncode == 0
    return run.log.read_bytes()


def _read_all(path):
    """Reads the log; returns (records, truncated_at) or the LogError."""
    try:
        with R.LogReader(str(path)) as reader:
            return list(reader.records()), reader.truncated_at
    except R.LogError as e:
        return e


def test_every_truncation_point(small_log, tmp_path):
    whole, _ = _read_all_bytes(small_log, tmp_path)
    path = tmp_path / "cut.msc"
    header_end = None
    for cut in range(len(small_log)):
        path.write_bytes(small_log[:cut])
        got = _read_all(path)
        if isinstance(got, R.LogError):
            # Only a cut before the header's end is an error.
            assert header_end is None, f"cut at {cut}: {got}"
            assert got.kind == "format", f"cut at {cut}: {got}"
            continue
        if header_end is None:
            header_end = cut
        recs, truncated_at = got
        assert truncated_at is not None and truncated_at <= cut
        assert recs == whole[:len(recs)]
    assert header_end is not None


def _read_all_bytes(data, tmp_path):
    path = tmp_path / "whole.msc"
    path.write_bytes(data)
    got = _read_all(path)
    assert not isinstance(got, R.LogError)
    assert got[1] is None
    return got


def test_random_byte_flips_never_escape(small_log, tmp_path):
    rng = random.Random(20261126)
    path = tmp_path / "flipped.msc"
    outcomes = {"ok": 0, "error": 0}
    for _ in range(3000):
        data = bytearray(small_log)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        got = _read_all(path)
        if isinstance(got, R.LogError):
            assert got.kind in ("format", "corrupt", "version")
            assert str(path) in str(got)
            outcomes["error"] += 1
        else:
            outcomes["ok"] += 1
    assert outcomes["error"] > 0


def test_huge_record_length_is_corruption_not_allocation(small_log,
                                                          tmp_path):
    # A record claiming 2**60 bytes right after the header.
    with R.LogReader(_write(tmp_path, small_log)) as reader:
        first = next(reader.records())
    pos = first.offset
    data = small_log[:pos] + bytes([F.REC_ALLOC]) + \
        b"\x80\x80\x80\x80\x80\x80\x80\x80\x10" + small_log[pos:]
    got = _read_all(_write(tmp_path, data))
    assert isinstance(got, R.LogError) and got.kind == "corrupt"
    assert got.offset == pos


def _write(tmp_path, data, name="log.msc"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_decoder_exit_codes(small_log, tmp_path):
    ok = decode([_write(tmp_path, small_log)])
    assert ok.returncode == 0 and "THREAD_CREATE thread=4" in ok.stdout
    assert decode([str(tmp_path / "missing.msc")]).returncode == 3
    assert decode([str(tmp_path)]).returncode == 3
    empty = decode([_write(tmp_path, b"", "empty.msc")])
    assert empty.returncode == 4 and "empty file" in empty.stderr
    foreign = decode([_write(tmp_path, b"\x7fELF" + bytes(64), "elf.msc")])
    assert foreign.returncode == 4 and "not a memscope log" in foreign.stderr
    newer = bytearray(small_log)
    newer[8:10] = (F.MAJOR + 1).to_bytes(2, "little")
    r = decode([_write(tmp_path, bytes(newer), "newer.msc")])
    assert r.returncode == 5
    assert f"log format {F.MAJOR + 1}.{F.MINOR} is newer than this " \
           f"reader's {F.MAJOR}.{F.MINOR}: use the memscope-decode of the " \
           "memscope that wrote it" in r.stderr
    assert decode(["--no-such-option", "x"]).returncode == 2
    for r in (empty, foreign):
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_newer_minor_records_are_skipped(small_log, tmp_path):
    data = bytearray(small_log)
    data[10:12] = (F.MINOR + 1).to_bytes(2, "little")
    with R.LogReader(_write(tmp_path, bytes(data))) as reader:
        first = next(reader.records())
    pos = first.offset
    unknown = bytes([F.MAX_TAG + 1, 3, 1, 2, 3])
    data = bytes(data[:pos]) + unknown + bytes(data[pos:])
    got = _read_all(_write(tmp_path, data, "minor.msc"))
    assert not isinstance(got, R.LogError)
    recs, truncated = got
    assert truncated is None
    assert sum(isinstance(r, R.ThreadCreate) for r in recs) == 4


def test_log_holds_one_record_per_heap_event(tmp_path):
    # 109 ALLOC, 58 FREE and 2 REALLOC records, under 24 bytes each on
    # average (the project's target); stacks and strings are written once
    # each, apart.
    run = memscope([prog("allocs")], tmp_path)
    with R.LogReader(str(run.log)) as reader:
        recs = list(reader.records())
        end_offset = reader.file_size
    sizes = {}
    for rec, nxt in zip(recs, recs[1:] + [None]):
        sizes[id(rec)] = (nxt.offset if nxt else end_offset) - rec.offset
    heap = [r for r in recs if isinstance(r, (R.Alloc, R.Free, R.Realloc))]
    assert len(heap) == 111 + 60 - 2
    heap_bytes = sum(sizes[id(r)] for r in heap)
    assert heap_bytes < 24 * len(heap)
    stacks = [r for r in recs if isinstance(r, R.StackDef)]
    assert len(stacks) == len({s.stack.id for s in stacks})


def test_forked_child_writes_its_own_log(tmp_path):
    p = subprocess.run([str(VG_IN_PLACE), "--tool=memscope",
                        f"--memscope-out-file={tmp_path}/fork.%p",
                        prog("forker")], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr
    assert "forker: child" in p.stdout and "exited 0" in p.stdout
    logs = sorted(tmp_path.glob("fork.*"))
    assert len(logs) == 2
    readers = {}
    for path in logs:
        with R.LogReader(str(path)) as reader:
            recs = list(reader.records())
            assert reader.end is not None
            readers[reader.header.pid] = (reader.header, recs)
    (parent_pid,) = [pid for pid, (h, _) in readers.items()
                     if h.ppid not in readers]
    (child_pid,) = [pid for pid in readers if pid != parent_pid]
    assert readers[child_pid][0].ppid == parent_pid

    def sizes(pid):
        return [r.size for r in readers[pid][1] if isinstance(r, R.Alloc)
                and r.stack.frames
                and any(f.function in ("main", "child_work")
                        for f in r.stack.frames[1:2])]
    # The child's log starts with what it inherited: the parent's three
    # live blocks, then its own two.
    assert sizes(child_pid) == [24, 24, 24, 40, 40]
    assert sizes(parent_pid) == [24, 24, 24, 56]
    child = readers[child_pid][1]
    creates = [r for r in child if isinstance(r, R.ThreadCreate)]
    assert [(c.thread, c.parent) for c in creates] == [(1, 0)]
    # Self-consistent: the log's own totals equal the tool's END.
    with R.LogReader(str([p for p in logs
                          if p.name.endswith(str(child_pid))][0])) as rd:
        s = analyse(rd.records())
    assert (s.heap.allocs, s.heap.frees, s.heap.bytes_allocated,
            s.heap.live_blocks, s.heap.peak_bytes) == \
        (s.end.allocs, s.end.frees, s.end.bytes_allocated,
         s.end.live_blocks, s.end.peak_bytes)


def test_forked_child_without_pid_in_name_is_not_logged(tmp_path):
    log = tmp_path / "one.msc"
    p = subprocess.run([str(VG_IN_PLACE), "--tool=memscope",
                        f"--memscope-out-file={log}", prog("forker")],
                       capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0
    assert "forked child" in p.stderr and "not logged" in p.stderr
    with R.LogReader(str(log)) as reader:
        recs = list(reader.records())
        assert reader.end is not None
    assert not any(isinstance(r, R.Alloc) and r.size == 40 for r in recs)
