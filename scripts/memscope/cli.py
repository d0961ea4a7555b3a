"""memscope-report: a memscope log into JSON files by category, an
interactive single-file HTML report and an SVG quick view; with
--compare OLD NEW, two runs compared (compare.py) into NAME_compare.json,
NAME_compare.html and a text summary on stdout.

Exit codes: 0 written (also from a log that was cut short: stderr says
so), 2 bad usage, 3 the log cannot be read, 4 not a memscope log or
corrupt (stderr gives the byte offset), 5 written by a newer major format,
6 the output cannot be written, 7 a library the HTML page inlines is not
installed, 1 internal error (--compare: 2 also when it is not given
exactly two logs, 3 to 5 for either log).  docs/report.md documents it all."""

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
from .compare import compare
from .outputs import (compare_html, compare_text, complex_types,
                      concurrency, html, lifetime, memory_analysis,
                      performance, svg, unsafe_ffi)
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


def compare_base(old_path: str, new_path: str) -> str:
    """The default --base of --compare: OLD_vs_NEW, or NEW's alone when
    that is too long to name files."""
    base = f"{default_base(old_path)}_vs_{default_base(new_path)}"
    return base if check_base(base) is None else default_base(new_path)


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


def read_report(path: str, progress: bool) -> Report:
    """One log through the one reader and the one aggregation pass."""
    started = time.monotonic()
    with R.LogReader(path, "memscope-report") as log:
        analysis = analyse(with_progress(log.records(), log, progress))
        return Report(analysis, log.header, log.stacks, path,
                      log.file_size, log.truncated_at,
                      time.monotonic() - started)


def warn_truncated(report: Report) -> None:
    if report.truncated_at is not None:
        sys.stderr.write(f"memscope-report: {report.log_path}: log is "
                         f"truncated at byte offset {report.truncated_at} "
                         f"(the run did not end normally); the report "
                         f"covers what it holds\n")


def write_json(out_dir: str, name: str, doc: dict) -> str:
    # Compact: with an indent, json falls back from its C encoder to
    # pure Python, which multiplies the time for large block lists.
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return write_atomically(out_dir, name, data.encode("utf-8") + b"\n")


def print_written(paths: List[str]) -> None:
    for path in paths:
        print(f"  {path} ({os.path.getsize(path):,} bytes)")


class HelpFormatter(argparse.HelpFormatter):
    """Shows --compare as it is used, "--compare OLD NEW": it takes any
    number of logs so that run_compare, not argparse, says in one line
    that it needs two."""

    def _format_args(self, action: argparse.Action,
                     default_metavar: str) -> str:
        if action.dest == "compare":
            return "OLD NEW"
        return super()._format_args(action, default_metavar)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="memscope-report", formatter_class=HelpFormatter,
        usage="%(prog)s LOG [options]\n"
              "       %(prog)s --compare OLD NEW [options]",
        description="Turn a memscope log into JSON files by category, an "
                    "interactive HTML report and an SVG quick view.",
        epilog="Exit codes: 0 written (also from a log cut short), 2 bad "
               "usage, 3 unreadable log, 4 not a memscope log or corrupt, "
               "5 newer log format, 6 output not writable, 7 missing "
               "JavaScript library, 1 internal error.")
    p.add_argument("log", nargs="?",
                   help="the log written by valgrind --tool=memscope")
    p.add_argument("--compare", nargs="*",
                   help="compare two logs: print what grew or shrank by "
                        "allocation site, named variable and thread, and "
                        "write NAME_compare.json and NAME_compare.html "
                        "(NAME: OLD_vs_NEW)")
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
    if args.compare is not None:
        return run_compare(args)
    base = args.base if args.base is not None else default_base(args.log)
    problem = check_base(base)
    if problem:
        sys.stderr.write(f"memscope-report: {problem}\n")
        return EXIT_USAGE
    out_dir = args.output_dir or os.path.join("MemoryAnalysis", base)
    if not args.no_html:
        html.check_libraries()
    started = time.monotonic()
    report = read_report(args.log, not args.quiet and sys.stderr.isatty())
    make_output_dir(out_dir)
    written = []
    for name, build in JSON_OUTPUTS:
        written.append(write_json(out_dir, f"{base}_{name}.json",
                                  build(report)))
    if not args.no_svg:
        written.append(write_atomically(out_dir, f"{base}.svg",
                                        svg.render(report)))
    if not args.no_html:
        written.append(write_atomically(out_dir, f"{base}.html",
                                        html.render(report)))
    warn_truncated(report)
    if not args.quiet:
        elapsed = time.monotonic() - started
        a = report.analysis
        print(f"memscope-report: {a.events:,} events from {args.log} "
              f"({report.log_bytes:,} bytes) in {elapsed:.2f} s")
        print_written(written)
    return EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    """--compare OLD NEW: both logs read and aggregated as for a report,
    compared (compare.py), the text on stdout, NAME_compare.json and
    (unless --no-html) NAME_compare.html written; --no-svg does
    nothing."""
    logs = args.compare + ([args.log] if args.log is not None else [])
    if len(logs) != 2 or args.log is not None:
        sys.stderr.write(f"memscope-report: --compare needs exactly two "
                         f"logs, OLD and NEW, and no other (got "
                         f"{len(logs)})\n")
        return EXIT_USAGE
    old_path, new_path = logs
    base = args.base if args.base is not None \
        else compare_base(old_path, new_path)
    problem = check_base(base)
    if problem:
        sys.stderr.write(f"memscope-report: {problem}\n")
        return EXIT_USAGE
    out_dir = args.output_dir or os.path.join("MemoryAnalysis", base)
    progress = not args.quiet and sys.stderr.isatty()
    old = read_report(old_path, progress)
    new = read_report(new_path, progress)
    doc = compare(old, new)
    make_output_dir(out_dir)
    written = [write_json(out_dir, f"{base}_compare.json", doc)]
    if not args.no_html:
        written.append(write_atomically(out_dir, f"{base}_compare.html",
                                        compare_html.render(doc)))
    warn_truncated(old)
    warn_truncated(new)
    if not args.quiet:
        # Names the terminal's encoding lacks print as escapes.
        enc = sys.stdout.encoding or "utf-8"
        sys.stdout.write(compare_text.render(doc).encode(
            enc, "backslashreplace").decode(enc))
        print()
        print_written(written)
    return EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.log is None and args.compare is None:
        parser.error("the following arguments are required: log")
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
