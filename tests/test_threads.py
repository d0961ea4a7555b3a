"""Threads: numbering, parents, creation stacks, names (through both
pthread wrappers), per-thread allocation counts and run slices."""

from helpers import caller, memscope, prog, source_line
from memscope import logreader as R


def _run(tmp_path):
    run = memscope([prog("threads")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "threads: ok" in run.stdout
    return run


def test_threads_numbers_parents_names(tmp_path):
    s = _run(tmp_path).summary()
    assert sorted(s.threads) == [1, 2, 3, 4]
    assert [s.threads[t].parent for t in (1, 2, 3, 4)] == [0, 1, 1, 1]
    assert [s.threads[t].name for t in (2, 3, 4)] == \
        ["worker-1", "worker-2", "worker-3"]
    assert all(s.threads[t].exited is not None for t in (1, 2, 3, 4))


def test_per_thread_allocations(tmp_path):
    recs = _run(tmp_path).records()
    counts = {}
    for r in recs:
        if isinstance(r, (R.Alloc, R.Free)) \
                and caller(r.stack)[0] == "worker_allocate":
            key = (r.thread, type(r).__name__)
            counts[key] = counts.get(key, 0) + 1
    assert counts == {(2, "Alloc"): 10, (2, "Free"): 9,
                      (3, "Alloc"): 20, (3, "Free"): 19,
                      (4, "Alloc"): 30, (4, "Free"): 29}


def test_creation_stack_and_create_wrapper(tmp_path):
    # The creation stack passes through memscope's pthread_create wrapper
    # (proof that it engages) up to main's call.
    recs = _run(tmp_path).records()
    creates = [r for r in recs if isinstance(r, R.ThreadCreate)]
    assert [c.thread for c in creates] == [1, 2, 3, 4]
    line = source_line("tests/progs/threads.c", "pthread_create(&t[k - 1]")
    for c in creates[1:]:
        fns = [f.function for f in c.stack.frames]
        assert "create_worker" in fns
        assert (c.stack.frames[-1].function, c.stack.frames[-1].file,
                c.stack.frames[-1].line) == ("main", "threads.c", line)


def test_setname_wrapper_engages_for_self_and_other(tmp_path):
    recs = _run(tmp_path).records()
    named = {r.thread: r.name for r in recs if isinstance(r, R.ThreadName)}
    # worker-1/2 named themselves; worker-3 was named by main through the
    # pthread_t that the create wrapper reported.
    assert named == {2: "worker-1", 3: "worker-2", 4: "worker-3"}


def test_run_slices_cover_all_instructions(tmp_path):
    s = _run(tmp_path).summary()
    assert all(s.threads[t].run_slices >= 1 for t in (1, 2, 3, 4))
    assert sum(t.instrs for t in s.threads.values()) == s.end_time
    assert s.end is not None and s.end.threads == 4
