"""Shared test helpers: where the build is, running programs under the
in-place memscope, Memcheck and DHAT, and reading what they report."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

SRCDIR = Path(os.environ.get("MSC_SRCDIR",
                             Path(__file__).resolve().parent.parent))
BUILDDIR = Path(os.environ.get("MSC_BUILDDIR", SRCDIR))
VG_IN_PLACE = BUILDDIR / "vg-in-place"
PROGS = BUILDDIR / "tests" / "progs"
DECODE = BUILDDIR / "scripts" / "memscope-decode"
REPORT = BUILDDIR / "scripts" / "memscope-report"
SCHEMAS = SRCDIR / "docs" / "schemas"
ARTIFACTS = BUILDDIR / "tests" / "artifacts"
JSON_CATEGORIES = ("memory_analysis", "lifetime", "performance",
                   "unsafe_ffi", "complex_types", "concurrency")

sys.path.insert(0, str(SRCDIR / "scripts"))

from memscope import logreader  # noqa: E402
from memscope.aggregate import Analysis, analyse  # noqa: E402

# Lines for the end of the test session's output (figures a passing test
# measured, such as the fuzzer's).
SESSION_NOTES: List[str] = []

# Programs whose allocations depend on the environment (perl copies it)
# are compared under one environment: every tool runs through vg-in-place.
_NUM = r"([\d,]+)"


def prog(name: str) -> str:
    return str(PROGS / name)


def source_line(relpath: str, needle: str) -> int:
    """The 1-based line of the only line of SRCDIR/relpath holding needle."""
    lines = (SRCDIR / relpath).read_text().splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(hits) == 1, f"{needle!r} found {len(hits)} times in {relpath}"
    return hits[0]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    log: Path

    def summary(self) -> Analysis:
        with logreader.LogReader(str(self.log)) as log:
            return analyse(log.records())

    def records(self) -> list:
        with logreader.LogReader(str(self.log)) as log:
            return list(log.records())


def valgrind(tool: str, argv: Sequence[str], tool_args: Sequence[str] = (),
             cwd: Optional[Path] = None, env: Optional[dict] = None,
             timeout: int = 300) -> subprocess.CompletedProcess:
    cmd = [str(VG_IN_PLACE), f"--tool={tool}", *tool_args, *argv]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                          text=True, errors="replace", timeout=timeout,
                          stdin=subprocess.DEVNULL)


def memscope(argv: Sequence[str], tmp_path: Path,
             tool_args: Sequence[str] = (), name: str = "run.msc",
             **kw) -> Run:
    log = tmp_path / name
    p = valgrind("memscope", argv,
                 [f"--memscope-out-file={log}", *tool_args], **kw)
    return Run(p.returncode, p.stdout, p.stderr, log)


def killed_sleeper_log(tmp_path: Path) -> tuple:
    """Runs tests/progs/sleeper under memscope (--flush-ms=100) and kills
    its process group with SIGKILL a second after it says it is ready:
    (the log's path, the exit status)."""
    log = tmp_path / "killed.msc"
    p = subprocess.Popen([str(VG_IN_PLACE), "--tool=memscope",
                          f"--memscope-out-file={log}", "--flush-ms=100",
                          prog("sleeper")],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        assert p.stdout.readline() == b"ready\n"
        time.sleep(1.0)          # well past --flush-ms
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
    return log, p.returncode


@dataclass
class HeapUsage:
    allocs: int
    frees: int
    bytes: int


def _int(s: str) -> int:
    return int(s.replace(",", ""))


def parse_heap_usage(stderr: str) -> HeapUsage:
    m = re.search(rf"total heap usage: {_NUM} allocs, {_NUM} frees, "
                  rf"{_NUM} bytes allocated", stderr)
    assert m, f"no 'total heap usage' line in:\n{stderr}"
    return HeapUsage(*(_int(g) for g in m.groups()))


def memcheck_usage(argv: Sequence[str], **kw) -> HeapUsage:
    p = valgrind("memcheck", argv, ["--leak-check=no"], **kw)
    return parse_heap_usage(p.stderr)


def dhat_peak(argv: Sequence[str], tmp_path: Path, **kw) -> tuple:
    """(bytes, blocks) at DHAT's t-gmax."""
    p = valgrind("dhat", argv,
                 [f"--dhat-out-file={tmp_path / 'dhat.json'}"], **kw)
    m = re.search(rf"At t-gmax: {_NUM} bytes in {_NUM} blocks", p.stderr)
    assert m, f"no t-gmax line in:\n{p.stderr}"
    return _int(m.group(1)), _int(m.group(2))


def parse_memscope_summary(stderr: str) -> dict:
    """The figures of memscope's exit summary."""
    out = {}
    usage = parse_heap_usage(stderr)
    out["allocs"], out["frees"], out["bytes"] = \
        usage.allocs, usage.frees, usage.bytes
    m = re.search(rf"peak live: {_NUM} bytes in {_NUM} blocks", stderr)
    out["peak_bytes"], out["peak_blocks"] = _int(m.group(1)), _int(m.group(2))
    m = re.search(rf"live at exit: {_NUM} bytes in {_NUM} blocks", stderr)
    out["live_bytes"], out["live_blocks"] = _int(m.group(1)), _int(m.group(2))
    m = re.search(rf"threads: {_NUM}; named objects: {_NUM}", stderr)
    out["threads"], out["named"] = _int(m.group(1)), _int(m.group(2))
    m = re.search(rf"log: (\S+) \({_NUM} bytes, {_NUM} ms writing\)",
                  stderr)
    out["log"], out["log_bytes"] = m.group(1), _int(m.group(2))
    out["log_write_ms"] = _int(m.group(3))
    return out


def decode(args: List[str], timeout: int = 120,
           **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(DECODE), *args], capture_output=True,
                          text=True, errors="replace", timeout=timeout,
                          stdin=subprocess.DEVNULL, **kw)


def report(args: List[str], timeout: int = 600,
           **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(REPORT), *args], capture_output=True,
                          text=True, errors="replace", timeout=timeout,
                          stdin=subprocess.DEVNULL, **kw)


def report_exit_codes(cases: Sequence[bytes], tmp_path: Path,
                      args: Sequence[str] = ()) -> List[int]:
    """memscope-report's exit code for a log holding each of `cases`,
    in-process for speed (the same code as the command), its output
    thrown away."""
    from memscope import cli
    log = tmp_path / "case.msc"
    codes = []
    devnull = open(os.devnull, "w")
    saved = sys.stdout, sys.stderr
    try:
        sys.stdout = sys.stderr = devnull
        for data in cases:
            log.write_bytes(data)
            codes.append(cli.main([str(log), "-o", str(tmp_path / "o"),
                                   "-q", *args]))
    finally:
        sys.stdout, sys.stderr = saved
        devnull.close()
    return codes


def schema_validator(category: str):
    """A validator for NAME_<category>.json from docs/schemas."""
    import json

    import jsonschema
    store = {}
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        store[schema["$id"]] = schema
    schema = json.loads((SCHEMAS / f"{category}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def report_json(tmp_path: Path, argv: Sequence[str], category: str,
                tool_args: Sequence[str] = (), expect_stdout: str = ""):
    """Runs argv under memscope, then memscope-report (JSON only), and
    returns (run, the category's document, validated against its
    schema)."""
    import json
    run = memscope(argv, tmp_path, tool_args)
    assert run.returncode == 0, run.stderr
    assert expect_stdout in run.stdout
    out = tmp_path / "report"
    r = report([str(run.log), "-o", str(out), "--base", "r", "--no-html",
                "--no-svg"])
    assert r.returncode == 0, r.stderr
    doc = json.loads((out / f"r_{category}.json").read_text())
    assert list(schema_validator(category).iter_errors(doc)) == []
    return run, doc


def frames_of(stack) -> list:
    """(function, file, line) of each frame."""
    return [(f.function, f.file, f.line) for f in stack.frames]


def caller(stack, skip_objects=("vgpreload_memscope",)) -> tuple:
    """(function, file, line) of the first frame outside the preload: the
    code that called the allocation function."""
    for f in stack.frames:
        if not any(s in f.object for s in skip_objects):
            return f.function, f.file, f.line
    raise AssertionError(f"no frame outside the preload in {stack}")


def report_log(tmp_path: Path, data: bytes, base: str, *extra: str):
    """memscope-report on a log holding `data` (tmp_path/BASE.msc),
    writing into tmp_path/BASE-out: (the finished process, that
    directory)."""
    log = tmp_path / f"{base}.msc"
    log.write_bytes(data)
    out = tmp_path / f"{base}-out"
    return report([str(log), "-o", str(out), "--base", base, *extra]), out


def table_rows(page, table_id: str) -> list:
    """The body rows of an HTML report's table."""
    return page.get_element_by_id(table_id).findall(".//tbody/tr")


def cell_texts(row) -> List[str]:
    return [c.text_content() for c in row.findall("td")]


def report_page(tmp_path: Path, data: bytes, base: str):
    """report_log, which must succeed: (the output directory, the parsed
    HTML page)."""
    from lxml import html as lxml_html
    r, out = report_log(tmp_path, data, base)
    assert r.returncode == 0, r.stderr
    return out, lxml_html.parse(str(out / f"{base}.html")).getroot()
