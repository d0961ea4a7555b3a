"""Shared-variable access (--track-access): exact reads, writes and locked
counts per thread on named variables, the Eraser state, the locks held in
common, and exclusive heap blocks."""

import json

import pytest

from helpers import memscope, prog, report_json
from memscope import logreader as R


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return report_json(tmp_path_factory.mktemp("shared"), [prog("shared")],
                       "concurrency", expect_stdout="shared: 200")


def _per_thread(var):
    return {t["thread_id"]: (t["reads"], t["writes"], t["locked"])
            for t in var["threads"]}


def test_counter_is_shared_modified_under_its_lock(shared):
    _, doc = shared
    by_name = {}
    for v in doc["shared_variables"]:
        by_name.setdefault(v["name"], []).append(v)
    (counter,) = by_name["counter"]
    assert counter["state"] == "shared-modified"
    assert counter["common_locks"] == ["counter_lock"]
    assert _per_thread(counter) == {1: (1, 0, 1), 2: (100, 100, 200),
                                    3: (100, 100, 200)}
    (config,) = by_name["config"]
    assert config["state"] == "shared-read"
    assert config["common_locks"] == []
    assert _per_thread(config) == {1: (0, 1, 0), 2: (50, 0, 0),
                                   3: (50, 0, 0)}


def test_private_blocks_stay_exclusive(shared):
    _, doc = shared
    bufs = [v for v in doc["shared_variables"] if v["name"] == "private_buf"]
    assert len(bufs) == 2
    assert sorted(list(_per_thread(b).items()) for b in bufs) == \
        [[(2, (0, 10, 0))], [(3, (0, 10, 0))]]
    assert all(b["state"] == "exclusive" and b["kind"] == "heap"
               for b in bufs)
    assert doc["exclusive_unnamed_blocks"] >= 1


def test_atomics_count_once_as_atomic(tmp_path):
    run = memscope([prog("atomics")], tmp_path)
    with R.LogReader(str(run.log)) as log:
        recs = [r for r in log.records() if isinstance(r, R.Access)]
    counter = {r.thread: r for r in recs if r.kind == "variable"
               and r.size == 8 and r.atomic == 1000}
    assert sorted(counter) == [2, 3, 4]
    # LOCK XADD is a load and a CAS to VEX: counted once, as atomic.
    assert all(r.reads == 0 and r.writes == 0 for r in counter.values())


def test_track_access_no(tmp_path):
    run = memscope([prog("shared")], tmp_path, ["--track-access=no"])
    assert run.returncode == 0
    with R.LogReader(str(run.log)) as log:
        assert not any(isinstance(r, R.Access) for r in log.records())


def test_threads_that_share_nothing(tmp_path):
    _, doc = report_json(tmp_path, [prog("isolated")], "concurrency",
                         expect_stdout="isolated: 6048")
    buffers = [v for v in doc["shared_variables"] if v["name"] == "buffer"]
    assert len(buffers) == 3
    assert all(b["state"] == "exclusive" for b in buffers)
    assert sorted(_per_thread(b).popitem()[0] for b in buffers) == [2, 3, 4]
    assert all(list(_per_thread(b).values()) == [(64, 64, 0)]
               for b in buffers)


def test_named_stack_variable_dies_with_its_frame(tmp_path):
    run = memscope([prog("stackvar")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "stackvar: 4 6" in run.stdout
    with R.LogReader(str(run.log)) as log:
        recs = list(log.records())
    (name,) = [r for r in recs if isinstance(r, R.Name)
               and not r.is_debuginfo]
    accesses = [r for r in recs if isinstance(r, R.Access)
                and r.kind == "variable" and r.addr == name.addr]
    # Five writes and the read of the return: none of unnamed_local()'s
    # seven writes to the same address, which came after the frame died.
    assert [(a.writes, a.reads) for a in accesses] == [(5, 1)]


def test_unnamed_globals_are_tracked_from_debug_info(tmp_path):
    _, doc = report_json(tmp_path, [prog("globals")], "concurrency",
                         expect_stdout="globals: 200")
    by_name = {v["name"]: v for v in doc["shared_variables"]}
    hits, limit = by_name["hits"], by_name["limit"]
    assert hits["state"] == "shared-modified"
    assert hits["common_locks"] == ["hits_lock"]
    assert _per_thread(hits) == {1: (1, 0, 1), 2: (100, 100, 200),
                                 3: (100, 100, 200)}
    assert limit["state"] == "shared-read"
    assert _per_thread(limit) == {2: (10, 0, 0), 3: (10, 0, 0)}
    # Named by nobody: not counted among the program's named objects.
    ma = json.loads((tmp_path / "report" / "r_memory_analysis.json")
                    .read_text())
    assert ma["summary"]["named_objects"] == 0


def test_globals_found_when_run_by_a_relative_path(tmp_path):
    # "./globals" names the same executable as its absolute path.
    import subprocess
    from helpers import PROGS, VG_IN_PLACE
    log = tmp_path / "rel.msc"
    p = subprocess.run([str(VG_IN_PLACE), "--tool=memscope",
                        f"--memscope-out-file={log}", "./globals"],
                       cwd=PROGS, capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr
    with R.LogReader(str(log)) as reader:
        names = {r.name for r in reader.records()
                 if isinstance(r, R.Name) and r.is_debuginfo}
    assert {"hits", "limit", "hits_lock"} <= names


def test_objects_found_wherever_kept(tmp_path):
    """Small blocks live in the block map, large ones, pool chunks and
    names inside blocks in the ordered index: every access lands on its
    object, and blocks whose size ends inside a granule are summarised
    once at exit."""
    run = memscope([prog("objmap")], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    with R.LogReader(str(run.log)) as log:
        recs = [r for r in log.records() if isinstance(r, R.Access)]
    by_size = {}
    for r in recs:
        if r.kind == "heap" or r.size == 8:     # not crt's globals
            assert r.thread == 1 and r.reads == 0
            by_size.setdefault((r.kind, r.size), []).append(r)
    small = {size: rs for (kind, size), rs in by_size.items()
             if kind == "heap" and size <= 40}
    assert sorted(small) == list(range(1, 41))
    assert all(len(rs) == 1 and rs[0].writes == 1 for rs in small.values())
    for size, writes in ((65536, 2), (65537, 2), (1024, 1), (100, 2),
                         (256, 1)):
        (r,) = by_size[("heap", size)]
        assert r.writes == writes, size
    # (Not the C library's atomic word that exit() exchanges, tracked
    # since its read-modify-write: atomic accesses only, no writes.)
    (inner,) = [r for r in by_size[("variable", 8)] if r.writes]
    assert inner.writes == 3
    (chunk,) = by_size[("heap", 100)]
    (arena,) = by_size[("heap", 1024)]
    assert chunk.addr == arena.addr + 64
    (holder,) = by_size[("heap", 256)]
    assert inner.addr == holder.addr + 32


def test_nested_objects(tmp_path):
    """Chunks of custom allocators inside arenas, in every order the
    object caches could get wrong: each access counts on the object that
    holds it (tests/progs/objnest.c)."""
    run = memscope([prog("objnest")], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    with R.LogReader(str(run.log)) as log:
        recs = list(log.records())
    allocs = [r for r in recs if isinstance(r, R.Alloc)]
    arena_a, arena_c = [r.addr for r in allocs if r.size == 1 << 20]
    chunk = {(r.size, r.addr) for r in allocs if r.kind == "custom"}
    writes = {}
    for r in recs:
        if isinstance(r, R.Access) and r.kind == "heap":
            writes[r.addr] = writes.get(r.addr, 0) + r.writes
    assert writes[arena_a] == 1
    assert writes[arena_a + 4096] == 100
    (page24,) = [a for size, a in chunk if size == 8 and a % 16 == 8]
    assert writes[page24] == 100 and writes[page24 - 8] == 10
    assert writes[arena_c] == 100
    assert arena_c + 16 not in writes           # never touched
