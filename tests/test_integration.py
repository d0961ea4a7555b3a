"""memscope among Valgrind's ways: options from VALGRIND_OPTS and
.valgrindrc (read by the core, as for every tool), and
--trace-children=yes across fork and exec, each process and each image
writing a log of its own."""

import os
import re
import subprocess

from helpers import VG_IN_PLACE, parse_memscope_summary, prog
from memscope import logreader as R


def run_tool(args, cwd, env=None):
    return subprocess.run([str(VG_IN_PLACE), "--tool=memscope", *args],
                          cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def test_options_from_valgrind_opts(tmp_path):
    env = dict(os.environ,
               VALGRIND_OPTS=f"--memscope-out-file={tmp_path}/opts.msc "
                             "--heap-scan=no")
    p = run_tool([prog("allocs")], tmp_path, env)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "opts.msc").exists()
    assert "LEAK SUMMARY" not in p.stderr


def test_options_from_dot_valgrindrc(tmp_path):
    rc = tmp_path / ".valgrindrc"
    rc.write_text("--memscope-out-file=from-rc.msc\n--race-hints=no\n")
    rc.chmod(0o600)           # the core ignores one others may write
    p = run_tool([prog("allocs")], tmp_path)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "from-rc.msc").exists()
    assert "race hints" not in p.stderr
    # The command line wins over the file.
    p = run_tool([f"--memscope-out-file={tmp_path}/cli.msc", prog("allocs")],
                 tmp_path)
    assert (tmp_path / "cli.msc").exists()


def test_trace_children_fork_and_exec(tmp_path):
    """sh forks a child that execs allocs: three images, three logs, none
    shared or cut; the exec'd image keeps the pid, so its log gets the
    name with .exec1 and the child's log before the exec stays."""
    p = run_tool(["--trace-children=yes",
                  f"--memscope-out-file={tmp_path}/tc.%p",
                  "sh", "-c", f"{prog('allocs')}; true"], tmp_path)
    assert p.returncode == 0, p.stderr
    logs = sorted(tmp_path.glob("tc.*"))
    assert len(logs) == 3, logs
    exec_logs = [log for log in logs if log.name.endswith(".exec1")]
    assert len(exec_logs) == 1
    before = exec_logs[0].with_name(exec_logs[0].name[:-len(".exec1")])
    assert before in logs
    headers = {}
    for log in logs:
        with R.LogReader(str(log)) as reader:
            records = list(reader.records())
            headers[log] = reader.header
        if log == before:
            # The image before the exec never reached its exit: its log
            # ends, whole, with the records flushed at execve.
            assert not any(isinstance(r, R.End) for r in records)
            assert reader.truncated_at == log.stat().st_size
        else:
            assert reader.truncated_at is None, log
            assert any(isinstance(r, R.End) for r in records), log
    assert os.path.basename(headers[exec_logs[0]].exe) == "allocs"
    assert headers[exec_logs[0]].pid == headers[before].pid
    # The exec'd image's totals are allocs.c's own (tests/test_heap.py).
    summaries = re.split(r"==\d+== total heap usage", p.stderr)
    assert len(summaries) == 3          # two exits: sh, and allocs
    allocs = [parse_memscope_summary("total heap usage" + s)
              for s in summaries[1:]]
    assert any((a["allocs"], a["frees"], a["bytes"]) == (111, 60, 10350)
               for a in allocs)


def test_log_path_that_is_not_a_file(tmp_path):
    """A device at the log's path is written to, never replaced (as root
    an unlink would have destroyed /dev/null); a directory or a FIFO
    nobody reads is refused in one line, and the program runs on."""
    import stat
    if os.geteuid() == 0:
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        p = run_tool([f"--memscope-out-file={dev}", prog("allocs")], tmp_path)
        assert p.returncode == 0, p.stderr
        assert stat.S_ISCHR(os.lstat(dev).st_mode)
        assert "log: " + str(dev) in p.stderr
    directory = tmp_path / "adir"
    directory.mkdir()
    p = run_tool([f"--memscope-out-file={directory}", prog("allocs")],
                 tmp_path)
    assert p.returncode == 0 and "allocs: ok" in p.stdout
    assert f"cannot create the log '{directory}' (it is a directory)" \
        in p.stderr
    assert directory.is_dir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    p = run_tool([f"--memscope-out-file={fifo}", prog("allocs")], tmp_path)
    assert p.returncode == 0 and "allocs: ok" in p.stdout
    assert f"cannot create the log '{fifo}'" in p.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
