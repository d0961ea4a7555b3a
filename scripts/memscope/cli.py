"""memscope-report: a memscope log into JSON files by category, an
interactive single-file HTML report and an SVG quick view.

Exit codes: 0 written (also from a log that was cut short: stderr says
so), 2 bad usage, 3 the log cannot be read, 4 not a memscope log or
corrupt (stderr gives the byte offset), 5 written by a newer major format,
6 the output cannot be written, 7 a library the HTML page inlines is not
installed, 1 internal error.  docs/report.md documents it all."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from typing import Callable, Iterator, List, Optional, Tuple

from . import __version__
from . import logreader as R
from .aggregate import analyse
from .outputs import (complex_types, concurrency, html, lifetime,
                      memory_analysis, performance, svg, unsafe_ffi)
from .outputs.common import Report

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_OUTPUT, EXIT_LIBRARY = 0, 1, 2, 6, 7
EXIT_BY_KIND = {"io": 3, "format": 4, "corrupt": 4, "version": 5}

JSON_OUTPUTS: List[Tuple[str, Callable]] = [
    ("memory_analysis", memory_analysis.build),
    ("lifetime", lifetime.build),
    ("performance", performance.build),
    ("unsafe_ffi", unsafe_ffi.build),
    ("complex_types", complex_types.build),
    ("concurrency", concurrency.build),
]


class OutputError(Exception):
    """The output directory or a file in it cannot be written."""


def default_base(log_path: str) -> str:
    base = os.path.basename(os.path.normpath(log_path))
    for ext in (".msc", ".log"):
        if base.endswith(ext) and len(base) > len(ext):
            base = base[:-len(ext)]
    return base


def check_base(base: str) -> Optional[str]:
    """Why `base` cannot name output files, or None."""
    if not base or base in (".", "..") or "/" in base or "\0" in base:
        return f"--base {base!r} must be a plain file name (no '/', not " \
               f"'.' or '..')"
    if len(base.encode("utf-8", "surrogateescape")) > 200:
        return "--base is longer than 200 bytes"
    return None


def write_atomically(directory: str, name: str, data: bytes) -> str:
    """Writes directory/name whole or not at all: a temporary file in the
    same directory, renamed over the target."""
    path = os.path.join(directory, name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".memscope-", dir=directory)
    except OSError as e:
        raise OutputError(f"{directory}: cannot write: "
                          f"{e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") \
            from None
    return path


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_output_dir(directory: str) -> None:
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise OutputError(f"{directory}: exists and is not a directory")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{directory}: cannot create the output "
                          f"directory: {e.strerror or e}") from None
    if not os.path.isdir(directory):
        raise OutputError(f"{directory}: exists and is not a directory")


def with_progress(records: Iterator[R.Record], log: R.LogReader,
                  enabled: bool) -> Iterator[R.Record]:
    """Passes records through, printing how far the reading got to stderr
    twice a second (only when enabled: stderr is a terminal)."""
    if not enabled:
        yield from records
        return
    next_print = time.monotonic() + 0.5
    total = max(log.file_size, 1)
    for n, rec in enumerate(records):
        if n & 0xFFFF == 0 and time.monotonic() >= next_print:
            pct = 100.0 * log.position / total
            sys.stderr.write(f"\rmemscope-report: reading {log.path}: "
                             f"{pct:5.1f}%")
            sys.stderr.flush()
            next_print = time.monotonic() + 0.5
        yield rec
    sys.stderr.write("\r\033[K")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="memscope-report",
        description="Turn a memscope log into JSON files by category, an "
                    "interactive HTML report and an SVG quick view.",
        epilog="Exit codes: 0 written (also from a log cut short), 2 bad "
               "usage, 3 unreadable log, 4 not a memscope log or corrupt, "
               "5 newer log format, 6 output not writable, 7 missing "
               "JavaScript library, 1 internal error.")
    p.add_argument("log", help="the log written by valgrind --tool=memscope")
    p.add_argument("-o", "--output-dir", metavar="DIR",
                   help="where to write (default: MemoryAnalysis/NAME)")
    p.add_argument("--base", metavar="NAME",
                   help="file name prefix (default: the log's file name)")
    p.add_argument("--no-html", action="store_true",
                   help="do not write NAME.html")
    p.add_argument("--no-svg", action="store_true",
                   help="do not write NAME.svg")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print nothing but errors")
    p.add_argument("--version", action="version",
                   version=f"memscope-report {__version__}")
    return p


def run(args: argparse.Namespace) -> int:
    base = args.base if args.base is not None else default_base(args.log)
    problem = check_base(base)
    if problem:
        sys.stderr.write(f"memscope-report: {problem}\n")
        return EXIT_USAGE
    out_dir = args.output_dir or os.path.join("MemoryAnalysis", base)
    if not args.no_html:
        html.check_libraries()
    started = time.monotonic()
    with R.LogReader(args.log) as log:
        progress = not args.quiet and sys.stderr.isatty()
        analysis = analyse(with_progress(log.records(), log, progress))
        report = Report(analysis, log.header, log.stacks, args.log,
                        log.file_size, log.truncated_at,
                        time.monotonic() - started)
    make_output_dir(out_dir)
    written = []
    for name, build in JSON_OUTPUTS:
        # Compact: with an indent, json falls back from its C encoder to
        # pure Python, which multiplies the time for large block lists.
        data = json.dumps(build(report), ensure_ascii=False,
                          separators=(",", ":"))
        written.append(write_atomically(out_dir, f"{base}_{name}.json",
                                        data.encode("utf-8") + b"\n"))
    if not args.no_svg:
        written.append(write_atomically(out_dir, f"{base}.svg",
                                        svg.render(report)))
    if not args.no_html:
        written.append(write_atomically(out_dir, f"{base}.html",
                                        html.render(report)))
    if report.truncated_at is not None:
        sys.stderr.write(f"memscope-report: {args.log}: log is truncated at "
                         f"byte offset {report.truncated_at} (the run did "
                         f"not end normally); the report covers what it "
                         f"holds\n")
    if not args.quiet:
        elapsed = time.monotonic() - started
        a = report.analysis
        print(f"memscope-report: {a.events:,} events from {args.log} "
              f"({report.log_bytes:,} bytes) in {elapsed:.2f} s")
        for path in written:
            print(f"  {path} ({os.path.getsize(path):,} bytes)")
    return EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except R.LogError as e:
        sys.stderr.write(f"memscope-report: {e}\n")
        return EXIT_BY_KIND.get(e.kind, EXIT_INTERNAL)
    except OutputError as e:
        sys.stderr.write(f"memscope-report: {e}\n")
        return EXIT_OUTPUT
    except html.MissingLibrary as e:
        sys.stderr.write(f"memscope-report: {e}\n")
        return EXIT_LIBRARY
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug: one line, not a traceback
        sys.stderr.write(f"memscope-report: internal error: "
                         f"{type(e).__name__}: {e} (please report it)\n")
        if os.environ.get("MEMSCOPE_DEBUG"):
            raise
        return EXIT_INTERNAL
