"""pytest set-up: the in-place build must exist (make check builds it)."""

import pytest

from helpers import DECODE, PROGS, SESSION_NOTES, VG_IN_PLACE


def pytest_sessionstart(session):
    missing = [p for p in (VG_IN_PLACE, DECODE, PROGS / "allocs")
               if not p.exists()]
    if missing:
        raise pytest.UsageError(
            "not built: " + ", ".join(map(str, missing)) +
            " (run the tests with `make check`)")


def pytest_terminal_summary(terminalreporter):
    for line in SESSION_NOTES:
        terminalreporter.write_line(line)
