"""benchlib: what the benchmark scripts share: timing a command with GNU
time, rewriting one marked section of docs/performance.md, the version
of the Valgrind run, and counting a tool's errors in its XML."""

import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from typing import Dict, Optional, Tuple


def valgrind_version(valgrind: str) -> str:
    try:
        return subprocess.run([valgrind, "--version"], capture_output=True,
                              text=True, stdin=subprocess.DEVNULL
                              ).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


# tool -> the XML error kind that is a race report.
RACE_KIND = {"memscope": "Race", "helgrind": "Race",
             "drd": "ConflictingAccess"}


def valgrind_to_run(given: Optional[str]) -> str:
    """--valgrind as given, else ./vg-in-place when it exists, else
    valgrind."""
    return given or ("./vg-in-place" if os.path.exists("vg-in-place")
                     else "valgrind")


def race_tools(ap, text: str) -> list:
    """The comma-separated race detectors of --tools; an argparse error
    (exit 2) for an unknown one or none."""
    tools = [t for t in text.split(",") if t]
    unknown = [t for t in tools if t not in RACE_KIND]
    if unknown or not tools:
        ap.error(f"--tools: unknown {', '.join(unknown) or '(none)'}; "
                 f"choose among {', '.join(RACE_KIND)}")
    return tools


def race_tool_argv(valgrind: str, tool: str, outdir: str,
                   extra: tuple = ()) -> list:
    """A race detector's command line up to the program: XML in
    outdir/TOOL.xml, memscope's log in outdir/memscope.msc."""
    argv = [valgrind, f"--tool={tool}", *extra, "--xml=yes",
            f"--xml-file={outdir}/{tool}.xml"]
    if tool == "memscope":
        argv.append(f"--memscope-out-file={outdir}/memscope.msc")
    return argv


def put_section(doc: str, begin: str, end: str, lines: list) -> None:
    """Replaces the text between the markers begin and end of doc (markers
    kept) with lines, or appends the section when the markers are
    missing; creates doc when it does not exist."""
    text = ""
    if os.path.exists(doc):
        with open(doc) as f:
            text = f.read()
    section = "\n".join([begin, *lines, end])
    if begin in text and end in text:
        start, stop = text.index(begin), text.index(end) + len(end)
        text = text[:start] + section + text[stop:]
    else:
        text = (text.rstrip("\n") + "\n\n" if text else "") + section + "\n"
    with open(doc, "w") as f:
        f.write(text)


def verdict(races: int, error) -> str:
    """A tool's verdict on one program: error, racy (a race error at
    least), or race-free."""
    if error is not None:
        return "error"
    return "racy" if races > 0 else "race-free"


def xml_errors(xml_path: str, race_kind: str) -> Tuple[int, Dict[str, int]]:
    """(errors of kind race_kind, the other kinds' counts) in Valgrind's
    XML output: one <error> per error context, after suppression."""
    root = ET.parse(xml_path).getroot()
    races, others = 0, {}
    for err in root.findall("error"):
        kind = err.findtext("kind", default="?")
        if kind == race_kind:
            races += 1
        else:
            others[kind] = others.get(kind, 0) + 1
    return races, others


def run_race_tool(valgrind: str, tool: str, command: list, extra: tuple = (),
                  timeout: float = 120, cwd: Optional[str] = None
                  ) -> Tuple[int, Dict[str, int], Optional[str]]:
    """One run of a race detector on command: (race errors, the other
    error kinds' counts, None), or (0, {}, what went wrong) when the run
    failed, timed out or left no readable XML.  The program's output is
    read and dropped."""
    with tempfile.TemporaryDirectory(prefix="race-run-") as tmp:
        argv = race_tool_argv(valgrind, tool, tmp, extra) + list(command)
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True,
                               errors="replace", timeout=timeout, cwd=cwd)
        except subprocess.TimeoutExpired:
            return 0, {}, f"timed out after {timeout:g} s"
        except OSError as e:
            return 0, {}, str(e)
        if p.returncode != 0:
            return 0, {}, (f"exit status {p.returncode}: "
                           f"{p.stderr.strip()[-300:]}")
        try:
            races, others = xml_errors(os.path.join(tmp, f"{tool}.xml"),
                                       RACE_KIND[tool])
        except (OSError, ET.ParseError) as e:
            return 0, {}, f"no readable XML: {e}"
        return races, others, None


def timed(cmd, cwd=None):
    """(wall seconds, peak RSS in MiB) of one run, from GNU time; raises
    RuntimeError when the command fails."""
    p = subprocess.run(["/usr/bin/time", "-f", "@@ %e %M", *cmd], cwd=cwd,
                       capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {p.stderr[-500:]}")
    m = re.search(r"@@ ([\d.]+) (\d+)", p.stderr)
    return float(m.group(1)), int(m.group(2)) / 1024


def write_section(srcdir, begin, end, lines):
    """Replaces the text between the markers begin and end (included) of
    docs/performance.md with lines (which carry the markers)."""
    doc = os.path.join(srcdir, "docs", "performance.md")
    with open(doc) as f:
        text = f.read()
    start, stop = text.index(begin), text.index(end) + len(end)
    with open(doc, "w") as f:
        f.write(text[:start] + "\n".join(lines) + text[stop:])
    print(f"updated {doc}")
