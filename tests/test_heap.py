"""The malloc replacement: exact totals, block records, stacks, and the
cross-checks against Memcheck's "total heap usage" and DHAT's t-gmax."""

import os

import pytest

from helpers import (caller, dhat_peak, memcheck_usage, memscope,
                     parse_memscope_summary, prog, source_line)
from memscope import logreader as R


def test_allocs_exact_totals(tmp_path):
    run = memscope([prog("allocs")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "allocs: ok" in run.stdout
    s = parse_memscope_summary(run.stderr)
    assert (s["allocs"], s["frees"], s["bytes"]) == (111, 60, 10350)
    assert (s["peak_bytes"], s["peak_blocks"]) == (6697, 53)
    assert (s["live_bytes"], s["live_blocks"]) == (2600, 51)
    assert s["threads"] == 1
    # The log says the same as the exit summary.
    h = run.summary().heap
    assert (h.allocs, h.frees, h.bytes_allocated) == (111, 60, 10350)
    assert (h.peak_bytes, h.peak_blocks) == (6697, 53)
    assert (h.live_bytes, h.live_blocks) == (2600, 51)


def test_allocs_records_from_main(tmp_path):
    run = memscope([prog("allocs")], tmp_path)
    recs = run.records()
    mine = [r for r in recs
            if isinstance(r, (R.Alloc, R.Realloc, R.Free))
            and caller(r.stack)[0] == "main"]
    allocs = [r for r in mine if isinstance(r, R.Alloc)]
    reallocs = [r for r in mine if isinstance(r, R.Realloc)]
    frees = [r for r in mine if isinstance(r, R.Free)]
    # 110 malloc-like calls minus the two reallocs of live blocks.
    assert len(allocs) == 108
    assert [r.size for r in reallocs] == [300, 50]
    assert reallocs[0].new_addr == reallocs[1].old_addr
    assert reallocs[0].old_addr == allocs[0].addr
    assert len(frees) == 57        # realloc(c, 0) and 56 free() calls
    kinds = [a.kind for a in allocs[:9]]
    assert kinds == ["malloc", "calloc", "malloc", "memalign", "memalign",
                     "memalign", "memalign", "malloc", "malloc"]
    sizes = [a.size for a in allocs[:9]]
    assert sizes == [100, 200, 64, 128, 256, 96, 10, 0, 1]
    assert allocs[3].addr % 64 == 0 and allocs[4].addr % 256 == 0
    assert all(r.thread == 1 for r in mine)


def test_allocation_stack_names_function_and_line(tmp_path):
    run = memscope([prog("allocs")], tmp_path)
    first = next(r for r in run.records() if isinstance(r, R.Alloc)
                 and r.size == 100)
    line = source_line("tests/progs/allocs.c", "malloc(100)")
    assert caller(first.stack) == ("main", "allocs.c", line)
    assert first.stack.frames[0].function == "malloc"
    assert "vgpreload_memscope" in first.stack.frames[0].object


def test_alignment_option(tmp_path):
    run = memscope([prog("allocs")], tmp_path, ["--alignment=128"])
    assert run.returncode == 0, run.stderr
    # --alignment is the minimum for calls that name no alignment.
    addrs = [r.addr for r in run.records() if isinstance(r, R.Alloc)
             and r.kind in ("malloc", "calloc")]
    assert len(addrs) == 105
    assert all(a % 128 == 0 for a in addrs)


def test_cxx_operators(tmp_path):
    run = memscope([prog("allocs_cxx")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "allocs_cxx: ok" in run.stdout
    recs = run.records()
    allocs = [r for r in recs if isinstance(r, R.Alloc)
              and caller(r.stack)[0] == "main"]
    frees = [r for r in recs if isinstance(r, R.Free)
             and caller(r.stack)[0] == "main"]
    assert [(a.kind, a.size) for a in allocs] == [
        ("new", 4), ("new[]", 40), ("new", 1), ("new[]", 5),
        ("new(align)", 64), ("new[](align)", 192),
        ("new(align)", 64), ("new[](align)", 128)]
    assert [f.kind for f in frees] == [
        "delete", "delete[]", "delete", "delete[]",
        "delete(align)", "delete[](align)", "delete(align)",
        "delete[](align)"]
    assert [f.addr for f in frees] == [a.addr for a in allocs]


def test_invalid_frees_are_counted_and_ignored(tmp_path):
    run = memscope([prog("badfree")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "badfree: ok\n"
    s = parse_memscope_summary(run.stderr)
    assert (s["allocs"], s["frees"], s["bytes"]) == (3, 6, 40)
    assert (s["live_blocks"], s["live_bytes"]) == (0, 0)
    recs = run.records()
    invalid = [r for r in recs if isinstance(r, R.InvalidFree)]
    assert len(invalid) == 3
    failed = [r for r in recs if isinstance(r, R.Realloc)]
    assert [(r.new_addr, r.size) for r in failed] == [(0, 10)]
    allocs = [r for r in recs if isinstance(r, R.Alloc)]
    assert invalid[0].addr == allocs[0].addr            # the double free
    assert invalid[2].addr == allocs[1].addr + 4        # interior
    # Reported as Valgrind errors, as Memcheck reports them.
    assert run.stderr.count("Invalid free()") == 3
    assert run.stderr.count("Invalid realloc()") == 1
    assert "ERROR SUMMARY: 4 errors from 4 contexts" in run.stderr
    assert run.summary().heap.invalid_frees == 3


# Every test program, and real programs from Debian whose allocations do
# not depend on thread scheduling: totals equal Memcheck's, the peak
# equals DHAT's t-gmax.
def _real_input(tmp_path):
    path = tmp_path / "input.txt"
    path.write_text("".join(f"{(i * 7919) % 20011}\n" for i in range(20000)))
    return str(path)


PROGRAMS = {
    "allocs": lambda t: [prog("allocs")],
    "allocs_cxx": lambda t: [prog("allocs_cxx")],
    "threads": lambda t: [prog("threads")],
    "named": lambda t: [prog("named")],
    "sort": lambda t: ["sort", _real_input(t), "-o", str(t / "sorted")],
    "xz": lambda t: ["xz", "-T1", "-k", "-f", _real_input(t)],
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_totals_equal_memcheck_and_peak_equals_dhat(name, tmp_path):
    argv = PROGRAMS[name](tmp_path)
    env = dict(os.environ, LC_ALL="C")
    run = memscope(argv, tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    mine = parse_memscope_summary(run.stderr)
    usage = memcheck_usage(argv, env=env)
    assert (mine["allocs"], mine["frees"], mine["bytes"]) == \
        (usage.allocs, usage.frees, usage.bytes)
    assert (mine["peak_bytes"], mine["peak_blocks"]) == \
        dhat_peak(argv, tmp_path, env=env)
    h = run.summary().heap
    assert (h.allocs, h.frees, h.bytes_allocated, h.peak_bytes) == \
        (mine["allocs"], mine["frees"], mine["bytes"], mine["peak_bytes"])


def test_badfree_totals_equal_memcheck(tmp_path):
    # Memcheck only: DHAT 3.19 itself crashes (SIGSEGV) on this program.
    run = memscope([prog("badfree")], tmp_path)
    mine = parse_memscope_summary(run.stderr)
    usage = memcheck_usage([prog("badfree")])
    assert (mine["allocs"], mine["frees"], mine["bytes"]) == \
        (usage.allocs, usage.frees, usage.bytes) == (3, 6, 40)


def test_custom_allocator_requests(tmp_path):
    run = memscope([prog("pool")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "pool: ok\n"
    mine = parse_memscope_summary(run.stderr)
    usage = memcheck_usage([prog("pool")])
    assert (mine["allocs"], mine["frees"], mine["bytes"]) == \
        (usage.allocs, usage.frees, usage.bytes) == (4, 3, 360)
    assert (mine["live_bytes"], mine["live_blocks"]) == (50, 1)
    recs = run.records()
    custom = [r for r in recs if isinstance(r, R.Alloc)
              and r.kind == "custom"]
    assert [r.size for r in custom] == [100, 200, 50]
    resizes = [r for r in recs if isinstance(r, R.Resize)]
    assert [(r.addr, r.old_size, r.new_size) for r in resizes] == \
        [(custom[1].addr, 200, 120)]
    freed = [r for r in recs if isinstance(r, R.Free) and r.kind == "custom"]
    assert [r.addr for r in freed] == [custom[0].addr, custom[1].addr]
    h = run.summary().heap
    assert (h.live_bytes, h.live_blocks) == (50, 1)
    assert "ERROR SUMMARY: 0 errors" in run.stderr


def test_perl_totals_equal_memcheck(tmp_path):
    # 11,000+ allocations; DHAT's in-place shrinking realloc changes what
    # perl allocates, so only Memcheck (which moves blocks, as memscope
    # does) is compared.
    argv = ["perl", "-e",
            'my %h; for (1..2000) { $h{$_} = [$_] x 3 } print scalar(keys %h)']
    env = dict(os.environ, PERL_HASH_SEED="0", PERL_PERTURB_KEYS="0",
               LC_ALL="C")
    run = memscope(argv, tmp_path, env=env)
    assert run.stdout == "2000"
    mine = parse_memscope_summary(run.stderr)
    usage = memcheck_usage(argv, env=env)
    assert usage.allocs > 10000
    assert (mine["allocs"], mine["frees"], mine["bytes"]) == \
        (usage.allocs, usage.frees, usage.bytes)


def test_pigz_two_threads_invariants(tmp_path):
    # pigz -p 2 allocates a scheduling-dependent number of blocks: compare
    # invariants, not figures.
    src = _real_input(tmp_path)
    run = memscope(["pigz", "-p", "2", "-k", "-f", src], tmp_path)
    assert run.returncode == 0, run.stderr
    mine = parse_memscope_summary(run.stderr)
    s = run.summary()
    h = s.heap
    assert (h.allocs, h.frees, h.bytes_allocated) == \
        (mine["allocs"], mine["frees"], mine["bytes"])
    assert (h.live_bytes, h.live_blocks) == \
        (mine["live_bytes"], mine["live_blocks"])
    assert len(s.threads) == mine["threads"] >= 3
    assert sum(t.allocs for t in s.threads.values()) == h.allocs
    assert sum(t.frees for t in s.threads.values()) == h.frees
    assert h.live_blocks == h.allocs - h.frees
    assert h.peak_bytes >= h.live_bytes
    assert os.path.getsize(src + ".gz") > 0
