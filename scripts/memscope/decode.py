"""memscope-decode: prints a memscope log's records as text, one line each,
or (--summary) the run's totals, threads and names.  Exit codes: 0 the log
was read (also when it was cut short: stderr says where), 2 bad usage,
3 the file cannot be read, 4 not a memscope log or corrupt (stderr gives
the byte offset), 5 written by a newer memscope, 1 internal error."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional, TextIO, Tuple

from . import __version__
from . import logreader as R
from .aggregate import analyse
from .outputs.common import ending_of

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2
EXIT_BY_KIND = {"io": 3, "format": 4, "corrupt": 4, "version": 5}


def show(text: str) -> str:
    """A client-supplied string made safe for a terminal: quoted, with
    control and non-ASCII-printable characters escaped."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x100:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return '"' + "".join(out) + '"'


def describe(rec: R.Record) -> str:
    """One line for one record."""
    c = type(rec)
    if c is R.StringDef:
        return f"STRING id={rec.id} {show(rec.text)}"
    if c is R.FrameDef:
        f = rec.frame
        return (f"FRAME ip=0x{f.ip:x} fn={show(f.function)} "
                f"file={show(f.file)} line={f.line} obj={show(f.object)}")
    if c is R.StackDef:
        ips = " ".join(f"0x{f.ip:x}" for f in rec.stack.frames)
        return f"STACK id={rec.stack.id} [{ips}]"
    t = f"t={rec.time} "
    if c is R.Alloc:
        return (f"{t}ALLOC thread={rec.thread} {rec.kind} addr=0x{rec.addr:x} "
                f"size={rec.size} stack={rec.stack.id}")
    if c is R.Free:
        return (f"{t}FREE thread={rec.thread} {rec.kind} addr=0x{rec.addr:x} "
                f"stack={rec.stack.id}")
    if c is R.InvalidFree:
        return (f"{t}INVALID_FREE thread={rec.thread} {rec.kind} "
                f"addr=0x{rec.addr:x} stack={rec.stack.id}")
    if c is R.Realloc:
        return (f"{t}REALLOC thread={rec.thread} old=0x{rec.old_addr:x} "
                f"new=0x{rec.new_addr:x} size={rec.size} "
                f"stack={rec.stack.id}")
    if c is R.Switch:
        return f"{t}SWITCH thread={rec.thread}"
    if c is R.TimeMark:
        return f"{t}TIME wall_ms={rec.wall_ms}"
    if c is R.ThreadCreate:
        return (f"{t}THREAD_CREATE thread={rec.thread} parent={rec.parent} "
                f"stack={rec.stack.id}")
    if c is R.ThreadExit:
        return f"{t}THREAD_EXIT thread={rec.thread}"
    if c is R.ThreadName:
        return f"{t}THREAD_NAME thread={rec.thread} name={show(rec.name)}"
    if c is R.Name:
        kinds = [k for k, on in (("variable", rec.is_variable),
                                 ("heap", rec.is_heap),
                                 ("pointee", rec.is_pointee),
                                 ("debuginfo", rec.is_debuginfo)) if on]
        return (f"{t}NAME thread={rec.thread} {show(rec.name)} "
                f"type={show(rec.type_name)} addr=0x{rec.addr:x} "
                f"size={rec.size} [{','.join(kinds)}] stack={rec.stack.id}")
    if c is R.Untrack:
        return f"{t}UNTRACK thread={rec.thread} addr=0x{rec.addr:x}"
    if c is R.Warning:
        return f"{t}WARNING thread={rec.thread} {show(rec.text)}"
    if c is R.SyncObject:
        return (f"{t}SYNC_OBJECT thread={rec.thread} {rec.kind} "
                f"addr=0x{rec.addr:x} name={show(rec.name)} "
                f"subtype={rec.subtype} stack={rec.stack.id}")
    if c is R.Sync:
        return (f"{t}SYNC thread={rec.thread} {rec.op} addr=0x{rec.addr:x} "
                f"result={rec.result} span={rec.span} flags={rec.flags} "
                f"arg={rec.arg} stack={rec.stack.id}")
    if c is R.Atomic:
        return (f"{t}ATOMIC thread={rec.thread} addr=0x{rec.addr:x} "
                f"size={rec.size} rmw={rec.rmw} cas_ok={rec.cas_ok} "
                f"cas_failed={rec.cas_failed} ll={rec.ll} sc_ok={rec.sc_ok} "
                f"sc_failed={rec.sc_failed} block=0x{rec.block:x} "
                f"stack={rec.stack.id}")
    if c is R.Resize:
        return (f"{t}RESIZE thread={rec.thread} addr=0x{rec.addr:x} "
                f"old={rec.old_size} new={rec.new_size} "
                f"stack={rec.stack.id}")
    if c is R.Access:
        locks = ",".join(f"0x{a:x}" for a in rec.common_locks)
        return (f"{t}ACCESS thread={rec.thread} {rec.kind} "
                f"addr=0x{rec.addr:x} size={rec.size} {rec.state} "
                f"reads={rec.reads} writes={rec.writes} "
                f"read_bytes={rec.read_bytes} write_bytes={rec.write_bytes} "
                f"atomic={rec.atomic} locked={rec.locked} "
                f"first={rec.first} last={rec.last} locks=[{locks}]")
    if c is R.Race:
        return (f"{t}RACE addr=0x{rec.addr:x} {rec.object_kind} "
                f"object=0x{rec.object_addr:x} object_size={rec.object_size} "
                f"thread={rec.access.thread} {_race_side(rec.access)} "
                f"other_thread={rec.other.thread} {_race_side(rec.other)}")
    if c is R.RaceAgain:
        return (f"{t}RACE_AGAIN hint={rec.hint} thread={rec.thread} "
                f"stack={rec.stack.id}")
    if c is R.LockOrder:
        return (f"{t}LOCK_ORDER thread={rec.thread} lock=0x{rec.lock:x} "
                f"held=0x{rec.held:x} stack={rec.stack.id} "
                f"held_stack={rec.held_stack.id} "
                f"first_stack={rec.first_stack.id} "
                f"second_stack={rec.second_stack.id}")
    if c is R.Lockset:
        return (f"{t}LOCKSET thread={rec.thread} {rec.object_kind} "
                f"object=0x{rec.object_addr:x} size={rec.object_size} "
                f"stack={rec.stack.id}")
    if c is R.Scan:
        return (f"{t}SCAN thread={rec.thread} {rec.reason} "
                f"blocks={rec.blocks} bytes={rec.bytes} "
                f"stack={rec.stack.id}")
    if c is R.BlockRefs:
        refs = ",".join(f"0x{r.to:x}:{r.starts}+{r.interiors}"
                        for r in rec.refs)
        return (f"{t}BLOCK_REFS addr=0x{rec.addr:x} {rec.leak_class} "
                f"refs=[{refs}]")
    if c is R.RootRefs:
        return (f"{t}ROOT_REFS {rec.kind} root=0x{rec.root:x} "
                f"name={show(rec.name)} to=0x{rec.to:x} "
                f"starts={rec.starts} interiors={rec.interiors}")
    if c is R.ScanEnd:
        return (f"{t}SCAN_END definite={rec.definite_blocks}/"
                f"{rec.definite_bytes} indirect={rec.indirect_blocks}/"
                f"{rec.indirect_bytes} possible={rec.possible_blocks}/"
                f"{rec.possible_bytes} reachable={rec.reachable_blocks}/"
                f"{rec.reachable_bytes} (blocks/bytes)")
    if c is R.Fence:
        return (f"{t}FENCE thread={rec.thread} count={rec.count} "
                f"stack={rec.stack.id}")
    if c is R.End:
        return (f"{t}END allocs={rec.allocs} frees={rec.frees} "
                f"bytes={rec.bytes_allocated} peak_bytes={rec.peak_bytes} "
                f"peak_blocks={rec.peak_blocks} peak_time={rec.peak_time} "
                f"live_blocks={rec.live_blocks} live_bytes={rec.live_bytes} "
                f"threads={rec.threads} wall_ms={rec.wall_ms} "
                f"log_write_us={rec.log_write_us} ending={rec.ending} "
                f"code={rec.code} thread={rec.thread} "
                f"stack={rec.stack.id}")
    return f"{t}{c.__name__}"


def _race_side(side: R.RaceAccess) -> str:
    locks = ("unknown" if side.locks is None else
             "[" + ",".join(f"0x{a:x}" for a in side.locks) + "]")
    return (f"{side.kind}{'(atomic)' if side.atomic else ''}"
            f"{'(under read lock)' if side.under_read_lock else ''} "
            f"size={side.size} locks={locks} stack={side.stack.id}")


def stacks_of(rec: R.Record) -> List[Tuple[str, R.Stack]]:
    """The stacks an event names, each with the field's name."""
    c = type(rec)
    if c is R.Race:
        return [("stack", rec.access.stack), ("other_stack", rec.other.stack)]
    if c is R.LockOrder:
        return [("stack", rec.stack), ("held_stack", rec.held_stack),
                ("first_stack", rec.first_stack),
                ("second_stack", rec.second_stack)]
    stack = getattr(rec, "stack", None)
    if isinstance(stack, R.Stack) and c is not R.StackDef:
        return [("stack", stack)]
    return []


def print_header(log: R.LogReader, out: TextIO) -> None:
    h = log.header
    out.write(f"# memscope log {show(log.path)}: format {h.major}.{h.minor}, "
              f"memscope {show(h.tool_version)}, {show(h.platform)}, "
              f"pid {h.pid}, parent {h.ppid}, started {h.start_unix_ms} ms "
              f"after the epoch, time unit {show(h.time_unit)}\n")
    out.write(f"# command: {' '.join(show(a) for a in (h.exe,) + h.args)}\n")


def print_records(log: R.LogReader, out: TextIO, stacks: bool) -> None:
    print_header(log, out)
    for rec in log.records():
        out.write(f"@{rec.offset} {describe(rec)}\n")
        if not stacks:
            continue
        named = stacks_of(rec)
        for field, stack in named:
            if len(named) > 1 and stack.frames:
                out.write(f"    {field}:\n")
            for frame in stack.frames:
                out.write(f"      {frame.describe()}\n")


def print_summary(log: R.LogReader, out: TextIO) -> None:
    s = analyse(log.records())
    h = s.heap
    print_header(log, out)
    out.write(f"total heap usage: {h.allocs:,} allocs, {h.frees:,} frees, "
              f"{h.bytes_allocated:,} bytes allocated\n")
    out.write(f"peak live: {h.peak_bytes:,} bytes in {h.peak_blocks:,} "
              f"blocks, at instruction {h.peak_time:,}\n")
    out.write(f"live at exit: {h.live_bytes:,} bytes in "
              f"{h.live_blocks:,} blocks\n")
    out.write(f"instructions: {s.end_time:,}; wall clock: {s.wall_ms:,} ms\n")
    out.write(f"threads: {len(s.threads)}\n")
    for info in sorted(s.threads.values(), key=lambda i: i.thread):
        out.write(f"  thread {info.thread} {show(info.name)} parent "
                  f"{info.parent}: {info.allocs:,} allocs, "
                  f"{info.bytes_allocated:,} bytes, {info.frees:,} frees, "
                  f"{info.run_slices:,} run slices, {info.instrs:,} "
                  f"instructions\n")
    out.write(f"named objects: {len(s.names)}\n")
    for n in s.names:
        out.write(f"  {show(n.name)} type {show(n.type_name)} "
                  f"{n.size:,} bytes at 0x{n.addr:x}\n")
    out.write(f"race hints: {s.race_hint_count:,}; lock-order violations: "
              f"{s.lock_order_count:,}; lockset hints: "
              f"{s.lockset_hint_count:,}\n")
    scan = s.exit_scan
    if scan is not None and scan.totals is not None:
        e = scan.totals
        out.write(f"leak summary ({scan.reason} scan at instruction "
                  f"{scan.time:,}): definitely lost: {e.definite_bytes:,} "
                  f"bytes in {e.definite_blocks:,} blocks; indirectly "
                  f"lost: {e.indirect_bytes:,} bytes in "
                  f"{e.indirect_blocks:,} blocks; possibly lost: "
                  f"{e.possible_bytes:,} bytes in {e.possible_blocks:,} "
                  f"blocks; still reachable: {e.reachable_bytes:,} bytes "
                  f"in {e.reachable_blocks:,} blocks\n")
    out.write(f"warnings: {len(s.warnings)}\n")
    ended = ending_of(log.end, log.truncated_at,
                      {t: i.name for t, i in s.threads.items()})
    # Escaped as every client string here, without show()'s quotes: the
    # line is the tool's, only the names in it are the client's.
    out.write(f"ended: {show(ended['text'])[1:-1]}\n")
    out.write(f"log: {'complete' if log.end else 'truncated'}, "
              f"{log.file_size:,} bytes\n")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="memscope-decode",
        description="Print a memscope log's records as text.",
        epilog="Exit codes: 0 read (also when cut short), 2 bad usage, "
               "3 unreadable file, 4 not a memscope log or corrupt, "
               "5 newer format, 1 internal error.")
    p.add_argument("log", help="the log written by valgrind --tool=memscope")
    p.add_argument("--summary", action="store_true",
                   help="print totals, threads and names instead of records")
    p.add_argument("--stacks", action="store_true",
                   help="print each event's stack under it")
    p.add_argument("--version", action="version",
                   version=f"memscope-decode {__version__}")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    out = sys.stdout
    try:
        with R.LogReader(args.log, "memscope-decode") as log:
            if args.summary:
                print_summary(log, out)
            else:
                print_records(log, out, args.stacks)
            out.flush()
            if log.truncated_at is not None:
                sys.stderr.write(f"memscope-decode: {args.log}: log is "
                                 f"truncated at byte offset "
                                 f"{log.truncated_at} (the run did not end "
                                 f"normally); records up to there were "
                                 f"read\n")
        return EXIT_OK
    except R.LogError as e:
        out.flush()
        sys.stderr.write(f"memscope-decode: {e}\n")
        return EXIT_BY_KIND.get(e.kind, EXIT_INTERNAL)
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
