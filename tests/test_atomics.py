"""Atomic instructions from the IR: read-modify-writes, compare-and-swaps
that succeed and fail, fences; counted per thread and shown under the
names memscope.h gave the variables."""

import pytest

from helpers import prog, report_json
from memscope import logreader as R


@pytest.fixture(scope="module")
def atomics(tmp_path_factory):
    return report_json(tmp_path_factory.mktemp("atomics"),
                       [prog("atomics")], "concurrency",
                       expect_stdout="atomics: 3000 100")


def _threads(entry):
    return {t["thread_id"]: (t["rmw"], t["cas_ok"], t["cas_failed"])
            for t in entry["threads"]}


def test_named_atomics_with_per_thread_counts(atomics):
    _, doc = atomics
    by_name = {v["name"]: v for v in doc["atomics"]["by_variable"]
               if v["name"]}
    assert _threads(by_name["atomic_counter"]) == \
        {2: (1000, 0, 0), 3: (1000, 0, 0), 4: (1000, 0, 0)}
    assert by_name["atomic_counter"]["kind"] == "variable"
    assert _threads(by_name["flags"]) == \
        {2: (10, 0, 0), 3: (10, 0, 0), 4: (10, 0, 0)}
    assert by_name["flags"]["type_name"] == "atomic_int[4]"
    assert _threads(by_name["cas_slots"]) == \
        {2: (0, 5, 5), 3: (0, 5, 5), 4: (0, 5, 5)}
    assert _threads(by_name["sync_counter"]) == {1: (100, 0, 0)}
    # The heap block was freed: its counts were written then, and still
    # carry its name.
    assert by_name["heap_counter"]["kind"] == "block"
    assert _threads(by_name["heap_counter"]) == {1: (50, 0, 0)}
    assert by_name["cas_slots"]["sites"] == [
        "worker (atomics.c:28)", "worker (atomics.c:30)"]


def test_fences_and_per_thread_totals(atomics):
    run, doc = atomics
    sites = {s["label"]: s for s in doc["atomics"]["by_site"]}
    # GCC's seq_cst fence ("lock or $0,(%rsp)") counts as a fence.
    assert sites["main (atomics.c:54)"]["fences"] == 7
    assert sites["main (atomics.c:54)"]["operations"] == 0
    threads = {t["thread_id"]: t for t in doc["threads"]}
    # Each worker: 1000 + 10 + 10 of its own, plus the thread library's.
    for tid in (2, 3, 4):
        assert threads[tid]["atomic_operations"] >= 1020
    assert "atomic operations:" in run.stderr


def test_atomic_records_are_summaries(atomics, tmp_path):
    run, _ = atomics
    with R.LogReader(str(run.log)) as log:
        recs = [r for r in log.records() if isinstance(r, R.Atomic)]
    # One record per (thread, site, address), never one per instruction.
    keys = [(r.thread, r.stack.id, r.addr) for r in recs]
    assert len(keys) == len(set(keys))
    assert sum(r.operations for r in recs) < 4000
    freed = [r for r in recs if r.block and r.rmw == 50]
    assert len(freed) == 1 and freed[0].addr == freed[0].block
