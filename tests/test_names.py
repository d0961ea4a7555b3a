"""Names from memscope.h, and bad client requests."""

from helpers import memscope, prog
from memscope import logreader as R


def test_named_objects(tmp_path):
    run = memscope([prog("named")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "named: ok 1" in run.stdout
    assert "warning" not in run.stderr
    recs = run.records()
    # The program's names (access tracking also names globals it meets
    # from debug info: those are not the program's).
    names = [r for r in recs if isinstance(r, R.Name) and not r.is_debuginfo]
    got = [(n.name, n.type_name, n.size, n.is_variable, n.is_heap,
            n.is_pointee) for n in names]
    assert got == [
        ("counter", "", 4, True, False, False),
        ("head", "struct node *", 8, True, False, False),
        ("head", "struct node *", 24, False, True, True),
        ("buffer", "char[]", 64, False, True, False),
        ("table", "int[8]", 32, True, False, False),
        ("ratio", "double", 8, False, False, False),
        ("limits+8", "long", 8, False, False, False),
    ]
    allocs = [r for r in recs if isinstance(r, R.Alloc)]
    head_block = next(a for a in allocs if a.size == 24)
    buffer_block = next(a for a in allocs if a.size == 64)
    assert names[2].addr == head_block.addr
    assert names[3].addr == buffer_block.addr
    untracks = [r for r in recs if isinstance(r, R.Untrack)]
    assert [u.addr for u in untracks] == [buffer_block.addr]
    # counter is a global: its address is in the executable's data, not
    # on the heap or the stack.
    assert names[0].addr < head_block.addr


def test_bad_requests_warn_and_continue(tmp_path):
    run = memscope([prog("badreq")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "badreq: done 0 0 0 0 0 0 0 1" in run.stdout
    warnings = [line for line in run.stderr.splitlines()
                if "memscope: warning:" in line]
    expected = ["the name is NULL", "unreadable memory", "address is NULL",
                "absurd size", "unknown flags 0x80",
                "MEMSCOPE_UNTRACK", "unknown memscope client request"]
    assert len(warnings) == len(expected)
    for line, needle in zip(warnings, expected):
        assert needle in line
    s = run.summary()
    assert len(s.warnings) == 7
    (long_name,) = [n for n in s.names]
    assert long_name.name == "n" * 1023


def test_warn_limit(tmp_path):
    run = memscope([prog("badreq")], tmp_path, ["--warn-limit=2"])
    assert run.returncode == 0
    printed = [line for line in run.stderr.splitlines()
               if "memscope: warning: MEMSCOPE" in line
               or "memscope: warning: unknown" in line]
    assert len(printed) == 2
    assert "more than 2 warnings" in run.stderr
    assert "7 warnings in all, 5 not printed" in run.stderr
    assert len(run.summary().warnings) == 7


def test_hostile_thread_and_variable_names_are_escaped(tmp_path):
    # The decoder quotes and escapes what the client chose.
    from memscope.decode import show
    assert show('a"b\\c\x1b[31m\u202e') == '"a\\"b\\\\c\\x1b[31m\\u202e"'


def test_requests_are_no_ops_natively_and_with_nvalgrind():
    import subprocess
    for name in ("named_native", "named_nvalgrind"):
        p = subprocess.run([prog(name)], capture_output=True, text=True,
                           timeout=30)
        assert p.returncode == 0
        assert p.stdout == "named_native: ok\n"
