"""What the JSON outputs share: the run and log description, stack and
site descriptions, and the notes that mark derived values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from .. import __version__
from .. import logreader as R
from ..aggregate import Analysis, HintObject, LockRef, Site

# Objects a JSON list holds at most where the program can make any number
# of them (frees of one kind, sites): beyond it the list is cut, sorted by
# what matters most, and the file says so.
LIST_LIMIT = 1000

WALL_MS_NOTE = ("estimated: wall-clock ms of the latest TIME record before "
                "the event (the tool samples the clock every 256 events and "
                "at thread switches)")
WORK_NOTE = ("derived: instructions executed during the thread's run "
             "slices (between the SWITCH records that start them)")
PEAK_SITE_NOTE = ("at the global peak (DHAT's t-gmax): the site's live "
                  "blocks when live bytes were highest")


@dataclass
class Report:
    """Everything a build function may use."""
    analysis: Analysis
    header: R.Header
    stacks: Dict[int, R.Stack]
    log_path: str
    log_bytes: int
    truncated_at: Optional[int]
    read_seconds: float          # time to read and aggregate the log


def hexaddr(a: int) -> str:
    return f"0x{a:x}"


SYSTEM_OBJECT_PREFIXES = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
                          "/usr/libexec/")


def is_allocator_frame(frame: R.Frame) -> bool:
    """A frame of Valgrind's preload libraries (the malloc replacement and
    memscope's wrappers)."""
    return "vgpreload_" in frame.object


def is_system_frame(frame: R.Frame) -> bool:
    return frame.object.startswith(SYSTEM_OBJECT_PREFIXES)


def frame_label(f: R.Frame) -> str:
    fn = f.function or "???"
    if f.file:
        return f"{fn} ({f.file}:{f.line})"
    return f"{fn} (in {f.object})" if f.object else fn


def site_label(stack: R.Stack) -> str:
    """The frame that best names a stack: the innermost one in the
    program's own code (outside the preload and the system's libraries),
    else the innermost outside the preload."""
    outside = [f for f in stack.frames if not is_allocator_frame(f)]
    for f in outside:
        if not is_system_frame(f):
            return frame_label(f)
    if outside:
        return frame_label(outside[0])
    return frame_label(stack.frames[0]) if stack.frames else "(no stack)"


def stack_label(report: "Report", stack_id: int, missing: str = "") -> str:
    """site_label of the stack the log gave this id, or `missing`."""
    stack = report.stacks.get(stack_id)
    return site_label(stack) if stack is not None else missing


def stack_ref(report: "Report", stack_id: int) -> dict:
    """A stack as the JSON files name one: its id and label."""
    return {"stack_id": stack_id, "label": stack_label(report, stack_id)}


def thread_label(tid: int, name: str) -> str:
    return f"#{tid} {name}".strip()


def lock_label(lock: LockRef) -> str:
    return lock.name or hexaddr(lock.addr)


def hint_object_description(report: "Report", obj: HintObject,
                            offset: Optional[int] = None) -> str:
    """A hint's object in words: its name, else the block and its
    allocation site, else the variable at its address; with an offset,
    where inside it (Memcheck's "N bytes inside a block of M")."""
    if obj.name:
        what = obj.name
    elif obj.kind == "heap":
        where = stack_label(report, obj.alloc_stack_id) \
            if obj.alloc_stack_id else ""
        what = f"a block of {obj.size:,} bytes" + \
            (f" allocated at {where}" if where else "")
    else:
        what = f"the variable of {obj.size:,} bytes at {hexaddr(obj.start)}"
    if offset is None or (obj.name and offset == 0):
        return what
    return f"{offset:,} bytes inside {what}"


def frames_json(stack: R.Stack) -> List[dict]:
    return [{"ip": hexaddr(f.ip), "function": f.function, "file": f.file,
             "directory": f.directory, "line": f.line, "object": f.object}
            for f in stack.frames]


def envelope(report: Report, category: str, schema_version: int) -> dict:
    h = report.header
    a = report.analysis
    return {
        "schema": f"memscope-{category}",
        "schema_version": schema_version,
        "generator": {"name": "memscope-report", "version": __version__},
        "run": {
            "tool_version": h.tool_version,
            "platform": h.platform,
            "pid": h.pid,
            "ppid": h.ppid,
            "start_unix_ms": h.start_unix_ms,
            "command": [h.exe, *h.args],
            "time_unit": h.time_unit,
            "duration_instrs": a.end_time,
            "duration_ms": a.wall_ms,
        },
        "log": {
            "path": report.log_path,
            "bytes": report.log_bytes,
            "format": f"{h.major}.{h.minor}",
            "complete": a.end is not None,
            "truncated_at": report.truncated_at,
        },
    }


def site_ref(site: Site) -> dict:
    return {"stack_id": site.stack.id, "label": site_label(site.stack)}


def cut(items: list, limit: int = LIST_LIMIT) -> tuple:
    """(the first `limit` items, whether all of them are there)."""
    return items[:limit], len(items) <= limit
