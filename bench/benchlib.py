"""benchlib: what the benchmark scripts share: timing a command with GNU
time, and rewriting one marked section of docs/performance.md."""

import os
import re
import subprocess


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
