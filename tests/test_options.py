"""Options: --help, bad values, the log's path (%p, %q{}, unwritable,
symlinks)."""

import os

import pytest

from helpers import memscope, parse_memscope_summary, prog, valgrind


def test_help_lists_options_with_defaults():
    p = valgrind("memscope", ["--help"])
    assert p.returncode == 0
    out = p.stdout
    assert "--memscope-out-file=<file>" in out
    assert "[memscope.out.%p]" in out
    assert "--flush-ms=<n>" in out and "[1000]" in out
    assert "--warn-limit=<n>" in out and "[20]" in out
    assert "--track-access=no|yes" in out
    assert "--race-hints=no|yes" in out and "--lockset-hints=no|yes" in out


@pytest.mark.parametrize("option", [
    "--flush-ms=abc", "--flush-ms=-1", "--flush-ms=3600001",
    "--warn-limit=x", "--warn-limit=1000001", "--memscope-out-file=",
    "--track-access=maybe", "--race-hints=2", "--lockset-hints=",
])
def test_bad_option_values_are_rejected(option):
    p = valgrind("memscope", [option, prog("allocs")])
    assert p.returncode == 1
    assert "Bad option" in p.stderr
    assert "allocs: ok" not in p.stdout


def test_default_log_name_has_the_pid(tmp_path):
    p = valgrind("memscope", [prog("allocs")], cwd=tmp_path)
    assert p.returncode == 0
    s = parse_memscope_summary(p.stderr)
    pid = p.stderr.split("==", 2)[1]
    assert os.path.basename(s["log"]) == f"memscope.out.{pid}"
    assert (tmp_path / f"memscope.out.{pid}").stat().st_size == s["log_bytes"]


def test_q_expands_environment(tmp_path):
    env = dict(os.environ, MSC_TEST_TAG="tagged")
    p = valgrind("memscope", ["--memscope-out-file=log.%q{MSC_TEST_TAG}",
                              prog("allocs")], cwd=tmp_path, env=env)
    assert p.returncode == 0
    assert (tmp_path / "log.tagged").exists()


def test_unwritable_log_path_one_line_and_the_program_runs(tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "x.msc"
    p = valgrind("memscope", [f"--memscope-out-file={target}",
                              prog("allocs")])
    assert p.returncode == 0
    assert "allocs: ok" in p.stdout
    errors = [line for line in p.stderr.splitlines()
              if "memscope: error" in line]
    assert len(errors) == 1
    assert f"cannot create the log '{target}'" in errors[0]
    assert "log: none" in p.stderr
    assert "total heap usage: 111 allocs, 60 frees" in p.stderr


def test_symlink_at_log_path_is_not_followed(tmp_path):
    """A symlink at the log path is neither followed nor removed: the log
    takes the next free name, and the tool says so."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    log = tmp_path / "planted.msc"
    log.symlink_to(victim)
    run = memscope([prog("allocs")], tmp_path, name="planted.msc")
    assert run.returncode == 0
    assert victim.read_text() == "precious\n"
    assert log.is_symlink() and os.readlink(log) == str(victim)
    assert (f"memscope: warning: '{log}' exists and is never replaced; "
            f"this run's log is '{log}.1'") in run.stderr
    assert f"log: {log}.1 (" in run.stderr
    assert parse_memscope_summary(run.stderr)["allocs"] == 111
