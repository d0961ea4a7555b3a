"""logreader: the only code that opens a memscope log.

It streams the log (memory stays bounded by the largest record plus the
interned strings and stacks), checks it, and yields typed records with
everything resolved: absolute times, absolute addresses, strings, stacks.

    with LogReader(path) as log:
        print(log.header.exe)
        for rec in log.records():      # or log.events(): no definitions
            ...
        log.truncated_at               # None when the log ended with END

The format is defined in memscope/msc_logfmt.h; logformat.py mirrors its
constants.  Problems raise LogError, whose `kind` says which: "io" (cannot
read the file), "format" (not a memscope log), "version" (a newer major
format), "corrupt" (bytes that cannot be a record; `offset` says where).
Records of a heap scan (SCAN, then BLOCK_REFS and ROOT_REFS, then
SCAN_END) must nest: a scan part outside a scan, or a scan inside one, is
corrupt.  A log cut short is not an error: records() ends at the cut and
`truncated_at` gives the byte offset of the first missing record (the
file's size when the cut fell between records but END is missing); it is
None for a log that ended with END.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import (BinaryIO, Dict, Iterator, List, NamedTuple, Optional,
                    Tuple, Union)

from . import logformat as F

_CHUNK = 1 << 20


def _file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR,
                       "a character device"), (stat.S_ISBLK,
                       "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


class LogError(Exception):
    """A log that cannot be read; str() is one line naming file and cause."""

    def __init__(self, path: str, kind: str, message: str,
                 offset: Optional[int] = None):
        self.path = path
        self.kind = kind
        self.offset = offset
        where = f" at byte offset {offset}" if offset is not None else ""
        super().__init__(f"{path}: {message}{where}")


# ---- records ---------------------------------------------------------------

@dataclass(slots=True)
class Frame:
    ip: int
    function: str
    file: str
    directory: str
    line: int
    object: str

    def describe(self) -> str:
        fn = self.function or "???"
        if self.file:
            return f"0x{self.ip:x}: {fn} ({self.file}:{self.line})"
        if self.object:
            return f"0x{self.ip:x}: {fn} (in {self.object})"
        return f"0x{self.ip:x}: {fn}"


@dataclass(slots=True)
class Stack:
    id: int
    frames: Tuple[Frame, ...]


NO_STACK = Stack(0, ())


@dataclass(slots=True)
class Header:
    major: int
    minor: int
    tool_version: str
    platform: str
    pid: int
    ppid: int
    start_unix_ms: int
    exe: str
    args: Tuple[str, ...]
    time_unit: str
    out_file: str


@dataclass(slots=True)
class StringDef:
    offset: int
    id: int
    text: str


@dataclass(slots=True)
class FrameDef:
    offset: int
    frame: Frame


@dataclass(slots=True)
class StackDef:
    offset: int
    stack: Stack


@dataclass(slots=True)
class ThreadCreate:
    offset: int
    time: int
    thread: int
    parent: int
    stack: Stack


@dataclass(slots=True)
class ThreadExit:
    offset: int
    time: int
    thread: int


@dataclass(slots=True)
class ThreadName:
    offset: int
    time: int
    thread: int
    name: str


@dataclass(slots=True)
class Switch:
    offset: int
    time: int
    thread: int


@dataclass(slots=True)
class Alloc:
    offset: int
    time: int
    thread: int
    stack: Stack
    kind: str
    addr: int
    size: int


@dataclass(slots=True)
class Free:
    offset: int
    time: int
    thread: int
    stack: Stack
    kind: str
    addr: int


@dataclass(slots=True)
class Realloc:
    offset: int
    time: int
    thread: int
    stack: Stack
    old_addr: int
    new_addr: int  # 0: realloc failed, the old block stays
    size: int


@dataclass(slots=True)
class TimeMark:
    offset: int
    time: int
    wall_ms: int


@dataclass(slots=True)
class Name:
    offset: int
    time: int
    thread: int
    stack: Stack
    flags: int
    addr: int
    size: int
    name: str
    type_name: str

    @property
    def is_variable(self) -> bool:
        return bool(self.flags & F.NAME_VARIABLE)

    @property
    def is_heap(self) -> bool:
        return bool(self.flags & F.NAME_HEAP)

    @property
    def is_pointee(self) -> bool:
        return bool(self.flags & F.NAME_POINTEE)

    @property
    def is_debuginfo(self) -> bool:
        """Not named by the program: a global named from debug info."""
        return bool(self.flags & F.NAME_DEBUGINFO)


@dataclass(slots=True)
class Untrack:
    offset: int
    time: int
    thread: int
    addr: int


@dataclass(slots=True)
class InvalidFree:
    offset: int
    time: int
    thread: int
    stack: Stack
    kind: str
    addr: int


@dataclass(slots=True)
class Warning:
    offset: int
    time: int
    thread: int
    text: str


@dataclass(slots=True)
class End:
    offset: int
    time: int
    allocs: int
    frees: int
    bytes_allocated: int
    peak_bytes: int
    peak_blocks: int
    peak_time: int
    live_blocks: int
    live_bytes: int
    threads: int
    wall_ms: int
    log_write_us: Optional[int] = None   # from format 1.1
    # How the process ended (format 1.10 on; "unknown" before): F.ENDINGS,
    # the exit status or signal number (0: not learnt), the thread, and
    # for a signal the stack where it struck.
    ending: str = "unknown"
    code: int = 0
    thread: int = 0
    stack: Stack = field(default_factory=lambda: NO_STACK)


@dataclass(slots=True)
class SyncObject:
    offset: int
    time: int
    thread: int
    stack: Stack
    kind: str          # logformat.SYNC_KINDS
    addr: int
    name: str          # from debug info, "" when none
    subtype: int       # mutex type


@dataclass(slots=True)
class Sync:
    offset: int
    time: int
    thread: int
    stack: Stack
    op: str            # logformat.SYNC_OPS
    addr: int          # 0 for thread operations
    result: int        # 0 for success, else the error number
    span: int          # wait (acquisitions, waits) or hold (releases)
    flags: int         # logformat.SYNC_FLAG_*
    arg: int           # mutex of a condition wait, count, value, thread

    @property
    def contended(self) -> bool:
        return bool(self.flags & F.SYNC_FLAG_CONTENDED)


@dataclass(slots=True)
class Atomic:
    """One thread's atomic instructions at one code site on one address."""
    offset: int
    time: int
    thread: int
    stack: Stack        # the code site (one frame)
    addr: int
    size: int
    rmw: int
    cas_ok: int
    cas_failed: int
    ll: int
    sc_ok: int
    sc_failed: int
    block: int          # start of the heap block holding addr, 0 if none

    @property
    def operations(self) -> int:
        return (self.rmw + self.cas_ok + self.cas_failed + self.ll
                + self.sc_ok + self.sc_failed)


@dataclass(slots=True)
class Fence:
    offset: int
    time: int
    thread: int
    stack: Stack
    count: int


@dataclass(slots=True)
class Access:
    """One thread's loads, stores and atomics on one tracked object."""
    offset: int
    time: int
    thread: int
    addr: int           # the object's start
    size: int
    kind: str           # logformat.ACCESS_KINDS
    state: str          # logformat.ACCESS_STATES: the object's
    reads: int
    writes: int
    read_bytes: int
    write_bytes: int
    atomic: int
    locked: int
    first: int
    last: int
    common_locks: Tuple[int, ...]


@dataclass(slots=True)
class Resize:
    """VALGRIND_RESIZEINPLACE_BLOCK: a custom block's size changed."""
    offset: int
    time: int
    thread: int
    stack: Stack
    addr: int
    old_size: int
    new_size: int


@dataclass(slots=True)
class RaceAccess:
    """One side of a race hint."""
    thread: int
    stack: Stack        # the other side's: one frame, the instruction
    size: int
    flags: int          # logformat.RACE_*
    locks: Optional[Tuple[int, ...]]   # held; None: unknown (forgotten)

    @property
    def kind(self) -> str:
        """read, write, or free (the free of the whole block)."""
        if self.flags & F.RACE_FREE:
            return "free"
        return "write" if self.flags & F.RACE_WRITE else "read"

    @property
    def atomic(self) -> bool:
        return bool(self.flags & F.RACE_ATOMIC)

    @property
    def under_read_lock(self) -> bool:
        """A plain write by a thread holding a read lock, which ordered
        the other access before its reads only (the later side only)."""
        return bool(self.flags & F.RACE_UNDER_READ_LOCK)


@dataclass(slots=True)
class Race:
    """A race hint: `access` (the later one, which found the race) and
    `other`, unordered by happens-before, on overlapping bytes of one
    tracked object."""
    offset: int
    time: int
    addr: int
    access: RaceAccess
    other: RaceAccess
    object_addr: int    # the start of the tracked object holding addr
    object_size: int    # its size then
    object_kind: str    # logformat.ACCESS_KINDS

    @property
    def thread(self) -> int:
        return self.access.thread

    @property
    def stack(self) -> Stack:
        return self.access.stack


@dataclass(slots=True)
class RaceAgain:
    """The race of the log's hint-th Race record (numbered from 1 in log
    order) happened again, at another pair of instructions of the same two
    source lines on the same object: `thread` at `stack`.  A count, not
    another hint."""
    offset: int
    time: int
    thread: int
    stack: Stack
    hint: int


@dataclass(slots=True)
class LockOrder:
    """A lock-order violation: `thread` acquires `lock` at `stack` while
    holding `held` (acquired at held_stack); earlier, first_stack acquired
    `lock` and then second_stack acquired `held`."""
    offset: int
    time: int
    thread: int
    stack: Stack
    lock: int
    held: int
    held_stack: Stack
    first_stack: Stack
    second_stack: Stack


@dataclass(slots=True)
class Lockset:
    """Eraser's lockset hint: no lock protected the object once it was
    shared and modified; `stack` emptied the set."""
    offset: int
    time: int
    thread: int
    stack: Stack
    object_addr: int
    object_size: int
    object_kind: str    # logformat.ACCESS_KINDS


@dataclass(slots=True)
class Scan:
    """A heap scan begins: the BlockRefs and RootRefs records up to its
    ScanEnd describe the heap at this time."""
    offset: int
    time: int
    thread: int
    stack: Stack
    reason: str         # logformat.SCAN_REASONS
    blocks: int         # live blocks the scan covers
    bytes: int          # their requested sizes


class Ref(NamedTuple):
    """Aligned words of one object that point into live block `to`."""
    to: int             # the target block's start
    starts: int         # words holding its start address
    interiors: int      # words holding an address inside it


@dataclass(slots=True)
class BlockRefs:
    """One live block of a scan: its leak class and what it points to.
    Not an event record (no dt): its time is its scan's."""
    offset: int
    time: int
    addr: int
    leak_class: str     # logformat.LEAK_CLASSES
    refs: Tuple[Ref, ...]


@dataclass(slots=True)
class RootRefs:
    """A named root (a global, or an object named through memscope.h)
    pointing into a live block; its time is its scan's."""
    offset: int
    time: int
    kind: str           # logformat.ROOT_KINDS
    root: int           # the global's or object's start
    name: str
    to: int
    starts: int
    interiors: int


@dataclass(slots=True)
class ScanEnd:
    """A scan's totals per leak class (Memcheck's LEAK SUMMARY); its time
    is its scan's."""
    offset: int
    time: int
    definite_blocks: int
    definite_bytes: int
    indirect_blocks: int
    indirect_bytes: int
    possible_blocks: int
    possible_bytes: int
    reachable_blocks: int
    reachable_bytes: int


Definition = Union[StringDef, FrameDef, StackDef]
Event = Union[ThreadCreate, ThreadExit, ThreadName, Switch, Alloc, Free,
              Realloc, TimeMark, Name, Untrack, InvalidFree, Warning, End,
              SyncObject, Sync, Atomic, Fence, Access, Resize, Race,
              LockOrder, Lockset, Scan, BlockRefs, RootRefs, ScanEnd]
Record = Union[Definition, Event]


# ---- decoding helpers --------------------------------------------------------

class _Short(Exception):
    """The bytes end inside a varint or record: more are needed."""


class _Bad(Exception):
    """The bytes cannot be what they claim to be."""


def _uvarint(buf: bytes, pos: int, end: int) -> Tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if pos >= end:
            raise _Short()
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise _Bad("varint longer than 10 bytes")


def _varints(payload: bytes) -> List[int]:
    """All of a payload's fields, as unsigned varints."""
    if payload.isascii():          # every byte < 0x80: one byte per field
        return list(payload)
    out = []
    append = out.append
    value = shift = 0
    for b in payload:              # one loop, no calls: the hot path
        if b < 0x80:
            append(value | (b << shift))
            value = shift = 0
        else:
            value |= (b & 0x7F) << shift
            shift += 7
            if shift > 63:
                raise _Bad("varint longer than 10 bytes")
    if shift:
        raise _Bad("a field runs past the end of its record")
    return out


def _unzig(v: int) -> int:
    return (v >> 1) ^ -(v & 1)


def _text(raw: bytes) -> str:
    # Names come from the client program: keep every byte, decode what is
    # not UTF-8 as escapes rather than fail.
    return raw.decode("utf-8", "backslashreplace")


_ALLOC, _FREE = F.REC_ALLOC, F.REC_FREE
_ALLOC_KINDS, _FREE_KINDS = F.ALLOC_KINDS, F.FREE_KINDS
_N_ALLOC_KINDS, _N_FREE_KINDS = len(F.ALLOC_KINDS), len(F.FREE_KINDS)

# Minimum field counts of the all-varint records.
_MIN_FIELDS = {
    F.REC_FRAME: 6, F.REC_STACK: 2, F.REC_THREAD_CREATE: 4,
    F.REC_THREAD_EXIT: 2, F.REC_THREAD_NAME: 3, F.REC_SWITCH: 2,
    F.REC_ALLOC: 6, F.REC_FREE: 5, F.REC_REALLOC: 6, F.REC_TIME: 2,
    F.REC_NAME: 8, F.REC_UNTRACK: 3, F.REC_INVALID_FREE: 5,
    F.REC_WARNING: 3, F.REC_END: 11, F.REC_SYNC_OBJECT: 7, F.REC_SYNC: 9,
    F.REC_ATOMIC: 12, F.REC_FENCE: 4, F.REC_ACCESS: 15,
    F.REC_RESIZE: 6, F.REC_RACE: 15, F.REC_LOCK_ORDER: 8,
    F.REC_LOCKSET: 6, F.REC_SCAN: 6, F.REC_BLOCK_REFS: 3,
    F.REC_ROOT_REFS: 6, F.REC_SCAN_END: 8, F.REC_RACE_AGAIN: 4,
}
# The records of a scan after its SCAN: no dt, they take the SCAN's time.
_SCAN_PARTS = frozenset({F.REC_BLOCK_REFS, F.REC_ROOT_REFS, F.REC_SCAN_END})


class LogReader:
    """One pass over one log.  See the module's docstring."""

    def __init__(self, path: str, program: Optional[str] = None):
        """`program`: the command reading (memscope-report,
        memscope-decode), named where the user must run another one."""
        self.path = str(path)
        self.program = program
        self.truncated_at: Optional[int] = None
        self.end: Optional[End] = None
        self.strings: Dict[int, str] = {0: ""}
        self.frames: Dict[int, Frame] = {}
        self.stacks: Dict[int, Stack] = {0: NO_STACK}
        self.file_size = 0
        self._time = 0
        self._heap_addr = 0
        self._scan: Optional[Tuple[int, int]] = None   # the open scan's
        # (offset, time): between a SCAN and its SCAN_END
        self._consumed = False
        self._file: Optional[BinaryIO] = None
        self._buf = b""
        self._pos = 0
        self._base = 0          # file offset of self._buf[0]
        self._eof = False
        self._open()
        try:
            self.header = self._read_preamble_and_header()
        except BaseException:
            self.close()
            raise

    # -- file access --------------------------------------------------------

    def _open(self) -> None:
        try:
            if os.path.isdir(self.path):
                raise LogError(self.path, "io", "is a directory, not a log")
            # Opened without blocking, then checked: a FIFO with no writer
            # would wait for one forever.  Logs are regular files (the
            # tool writes one; a pipe or a device is never a whole log).
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    raise LogError(self.path, "io",
                                   f"is {_file_kind(st.st_mode)}, not a "
                                   f"log file")
                os.set_blocking(fd, True)
                self._file = os.fdopen(fd, "rb")
            except BaseException:
                os.close(fd)
                raise
            self.file_size = st.st_size
        except LogError:
            raise
        except OSError as e:
            raise LogError(self.path, "io",
                           f"cannot read: {e.strerror or e}") from None

    @property
    def position(self) -> int:
        """Bytes of the file read so far (records handed out)."""
        return self._base + self._pos

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> "LogReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _fill(self, need: int) -> bool:
        """Makes `need` bytes available at self._pos; False at end of file."""
        while len(self._buf) - self._pos < need:
            if self._eof:
                return False
            try:
                chunk = self._file.read(max(_CHUNK, need))
            except OSError as e:
                raise LogError(self.path, "io",
                               f"read failed: {e.strerror or e}",
                               self._base + self._pos) from None
            if not chunk:
                self._eof = True
                return False
            self._base += self._pos
            self._buf = self._buf[self._pos:] + chunk
            self._pos = 0
        return True

    def _next_raw(self) -> Optional[Tuple[int, int, bytes]]:
        """(offset, tag, payload) of the next record; None at a clean end
        of file; sets truncated_at and returns None at a cut record."""
        buf, pos = self._buf, self._pos
        # Fast path: a short record wholly in the buffer.
        if pos + 2 <= len(buf):
            length = buf[pos + 1]
            end = pos + 2 + length
            if length < 0x80 and end <= len(buf) and buf[pos]:
                self._pos = end
                return self._base + pos, buf[pos], buf[pos + 2:end]
        offset = self._base + self._pos
        if not self._fill(1):
            return None
        # tag + length: at most 11 bytes
        self._fill(11)
        buf, pos = self._buf, self._pos
        tag = buf[pos]
        try:
            length, body = _uvarint(buf, pos + 1, len(buf))
        except _Short:
            self.truncated_at = offset
            return None
        except _Bad as e:
            raise LogError(self.path, "corrupt", f"record length: {e}",
                           offset) from None
        if tag == 0:
            raise LogError(self.path, "corrupt", f"invalid record tag {tag}",
                           offset)
        if length > F.MAX_RECORD_SZB:
            # Checked before reading: a flipped bit must not make the
            # reader wait for, or allocate, gigabytes.
            raise LogError(self.path, "corrupt",
                           f"record length {length} exceeds the format's "
                           f"maximum of {F.MAX_RECORD_SZB}", offset)
        head = body - pos
        if not self._fill(head + length):
            self.truncated_at = offset
            return None
        start = self._pos + head
        payload = self._buf[start:start + length]
        self._pos = start + length
        return offset, tag, payload

    # -- preamble and header ---------------------------------------------------

    def _read_preamble_and_header(self) -> Header:
        if not self._fill(F.PREAMBLE_LEN):
            have = self._buf
            if not have:
                raise LogError(self.path, "format",
                               "empty file, not a memscope log")
            if F.MAGIC.startswith(have[:len(F.MAGIC)]):
                raise LogError(self.path, "format",
                               "truncated inside its 12-byte preamble",
                               len(have))
            raise LogError(self.path, "format",
                           "not a memscope log (no memscope magic)", 0)
        pre = self._buf[:F.PREAMBLE_LEN]
        if pre[:8] != F.MAGIC:
            raise LogError(self.path, "format",
                           "not a memscope log (no memscope magic)", 0)
        major = int.from_bytes(pre[8:10], "little")
        minor = int.from_bytes(pre[10:12], "little")
        if major > F.MAJOR:
            raise LogError(self.path, "version",
                           f"log format {major}.{minor} is newer than this "
                           f"reader's {F.MAJOR}.{F.MINOR}: use the "
                           f"{self.program or 'memscope-report'} of the "
                           f"memscope that wrote it")
        if major < 1:
            raise LogError(self.path, "format",
                           f"log format {major}.{minor} does not exist", 8)
        self._pos = F.PREAMBLE_LEN
        self.major, self.minor = major, minor
        raw = self._next_raw()
        if raw is None:
            raise LogError(self.path, "format",
                           "truncated before the end of its header record",
                           F.PREAMBLE_LEN)
        offset, tag, payload = raw
        if tag != F.REC_HEADER:
            raise LogError(self.path, "corrupt",
                           f"first record has tag {tag}, not HEADER", offset)
        try:
            return self._parse_header(major, minor, payload)
        except (_Bad, _Short, IndexError) as e:
            raise LogError(self.path, "corrupt",
                           f"bad HEADER record ({e or 'too short'})",
                           offset) from None

    def _parse_header(self, major: int, minor: int, p: bytes) -> Header:
        pos, end = 0, len(p)

        def u() -> int:
            nonlocal pos
            v, pos = _uvarint(p, pos, end)
            return v

        def s() -> str:
            nonlocal pos
            n = u()
            if pos + n > end:
                raise _Bad("a string runs past the end of the record")
            text = _text(p[pos:pos + n])
            pos += n
            return text

        tool_version, platform = s(), s()
        pid, ppid, start_ms = u(), u(), u()
        exe = s()
        argc = u()
        if argc > end:
            raise _Bad(f"{argc} arguments in a {end}-byte record")
        args = tuple(s() for _ in range(argc))
        time_unit, out_file = s(), s()
        return Header(major, minor, tool_version, platform, pid, ppid,
                      start_ms, exe, args, time_unit, out_file)

    # -- records -------------------------------------------------------------------

    def records(self) -> Iterator[Record]:
        """Every record after the header, definitions included, in order."""
        if self._consumed:
            raise RuntimeError("a LogReader reads its log once")
        self._consumed = True
        decode = self._decode
        while True:
            # The fast path of _next_raw, inline: a short record wholly in
            # the buffer.
            buf, pos = self._buf, self._pos
            if pos + 2 <= len(buf):
                length = buf[pos + 1]
                end = pos + 2 + length
                if length < 0x80 and end <= len(buf) and buf[pos]:
                    self._pos = end
                    try:
                        rec = decode(self._base + pos, buf[pos],
                                     buf[pos + 2:end])
                    except (_Bad, _Short, IndexError) as e:
                        name = F.TAG_NAMES.get(buf[pos], f"tag {buf[pos]}")
                        raise LogError(self.path, "corrupt",
                                       f"bad {name} record "
                                       f"({e or 'too short'})",
                                       self._base + pos) from None
                    if rec is not None:
                        yield rec
                    continue
            raw = self._next_raw()
            if raw is None:
                if self.end is None and self.truncated_at is None:
                    # Cut at a record boundary: what is there is whole,
                    # but the tool never wrote its END.
                    self.truncated_at = self._base + self._pos
                return
            offset, tag, payload = raw
            try:
                rec = decode(offset, tag, payload)
            except (_Bad, _Short, IndexError) as e:
                name = F.TAG_NAMES.get(tag, f"tag {tag}")
                raise LogError(self.path, "corrupt",
                               f"bad {name} record ({e or 'too short'})",
                               offset) from None
            if rec is not None:
                yield rec

    def events(self) -> Iterator[Event]:
        """The records that say what happened (no string/frame/stack
        definitions)."""
        for rec in self.records():
            if not isinstance(rec, (StringDef, FrameDef, StackDef)):
                yield rec

    def _string(self, sid: int) -> str:
        try:
            return self.strings[sid]
        except KeyError:
            raise _Bad(f"names string {sid}, which no STRING record "
                       f"defined") from None

    def _stack(self, sid: int) -> Stack:
        try:
            return self.stacks[sid]
        except KeyError:
            raise _Bad(f"names stack {sid}, which no STACK record "
                       f"defined") from None

    def _decode(self, offset: int, tag: int, p: bytes) -> Optional[Record]:
        # The common records first, with as few lookups as possible.
        if tag == _ALLOC or tag == _FREE:
            v = _varints(p)
            if len(v) < (6 if tag == _ALLOC else 5):
                raise _Bad(f"{len(v)} fields, too few")
            self._time += v[0]
            z = v[4]
            addr = self._heap_addr + ((z >> 1) ^ -(z & 1))
            self._heap_addr = addr
            stack = self.stacks.get(v[2])
            if stack is None:
                self._stack(v[2])            # raises, naming the id
            if tag == _ALLOC:
                if v[3] >= _N_ALLOC_KINDS:
                    raise _Bad(f"unknown kind {v[3]}")
                return Alloc(offset, self._time, v[1], stack,
                             _ALLOC_KINDS[v[3]], addr, v[5])
            if v[3] >= _N_FREE_KINDS:
                raise _Bad(f"unknown kind {v[3]}")
            return Free(offset, self._time, v[1], stack, _FREE_KINDS[v[3]],
                        addr)
        if tag == F.REC_STRING:
            sid, pos = _uvarint(p, 0, len(p)) if p else (None, 0)
            if sid is None or sid == 0:
                raise _Bad("missing or zero string id")
            text = _text(p[pos:])
            self.strings[sid] = text
            return StringDef(offset, sid, text)
        if tag == F.REC_HEADER:
            raise _Bad("a second HEADER")
        minimum = _MIN_FIELDS.get(tag)
        if minimum is None:
            if tag > F.MAX_TAG and self.minor > F.MINOR:
                return None    # a newer minor's record: skip it
            raise _Bad(f"unknown record tag {tag}")
        v = _varints(p)
        if len(v) < minimum:
            raise _Bad(f"{len(v)} fields, {minimum} needed")
        if tag == F.REC_FRAME:
            frame = Frame(v[0], self._string(v[1]), self._string(v[2]),
                          self._string(v[3]), v[4], self._string(v[5]))
            self.frames[frame.ip] = frame
            return FrameDef(offset, frame)
        if tag == F.REC_STACK:
            n = v[1]
            if len(v) < 2 + n:
                raise _Bad(f"{n} frames announced, {len(v) - 2} present")
            try:
                frames = tuple(self.frames[ip] for ip in v[2:2 + n])
            except KeyError as e:
                raise _Bad(f"code address 0x{e.args[0]:x} has no FRAME") \
                    from None
            stack = Stack(v[0], frames)
            self.stacks[stack.id] = stack
            return StackDef(offset, stack)
        if tag in _SCAN_PARTS:
            return self._scan_part(offset, tag, v)
        # Event records: v[0] is the time delta.
        self._time += v[0]
        t = self._time
        # ALLOC and FREE took the fast path at the top.
        if tag == F.REC_INVALID_FREE:
            self._heap_addr += _unzig(v[4])
            return InvalidFree(offset, t, v[1], self._stack(v[2]),
                               _kind(F.FREE_KINDS, v[3]), self._heap_addr)
        if tag == F.REC_REALLOC:
            old = self._heap_addr + _unzig(v[3])
            new = old + _unzig(v[4])
            self._heap_addr = new
            return Realloc(offset, t, v[1], self._stack(v[2]), old, new, v[5])
        if tag == F.REC_SWITCH:
            return Switch(offset, t, v[1])
        if tag == F.REC_TIME:
            return TimeMark(offset, t, v[1])
        if tag == F.REC_THREAD_CREATE:
            return ThreadCreate(offset, t, v[1], v[2], self._stack(v[3]))
        if tag == F.REC_THREAD_EXIT:
            return ThreadExit(offset, t, v[1])
        if tag == F.REC_THREAD_NAME:
            return ThreadName(offset, t, v[1], self._string(v[2]))
        if tag == F.REC_NAME:
            return Name(offset, t, v[1], self._stack(v[2]), v[3], v[4], v[5],
                        self._string(v[6]), self._string(v[7]))
        if tag == F.REC_UNTRACK:
            return Untrack(offset, t, v[1], v[2])
        if tag == F.REC_WARNING:
            return Warning(offset, t, v[1], self._string(v[2]))
        if tag == F.REC_SYNC:
            return Sync(offset, t, v[1], self._stack(v[2]),
                        _kind(F.SYNC_OPS, v[3]), v[4], v[5], v[6], v[7], v[8])
        if tag == F.REC_ATOMIC:
            return Atomic(offset, t, v[1], self._stack(v[2]), *v[3:12])
        if tag == F.REC_RESIZE:
            return Resize(offset, t, v[1], self._stack(v[2]), v[3], v[4],
                          v[5])
        if tag == F.REC_ACCESS:
            n = v[14]
            if len(v) < 15 + n:
                raise _Bad(f"{n} locks announced, {len(v) - 15} present")
            return Access(offset, t, v[1], v[2], v[3],
                          _kind(F.ACCESS_KINDS, v[4]),
                          _kind(F.ACCESS_STATES, v[5]), *v[6:14],
                          tuple(v[15:15 + n]))
        if tag == F.REC_RACE:
            return self._race(offset, t, v)
        if tag == F.REC_RACE_AGAIN:
            return RaceAgain(offset, t, v[1], self._stack(v[2]), v[3])
        if tag == F.REC_LOCK_ORDER:
            return LockOrder(offset, t, v[1], self._stack(v[2]), v[3], v[4],
                             self._stack(v[5]), self._stack(v[6]),
                             self._stack(v[7]))
        if tag == F.REC_LOCKSET:
            return Lockset(offset, t, v[1], self._stack(v[2]), v[3], v[4],
                           _kind(F.ACCESS_KINDS, v[5]))
        if tag == F.REC_SCAN:
            if self._scan is not None:
                raise _Bad(f"a scan begins inside the scan that began at "
                           f"byte offset {self._scan[0]}")
            self._scan = (offset, t)
            return Scan(offset, t, v[1], self._stack(v[2]),
                        _kind(F.SCAN_REASONS, v[3], "reason"), v[4], v[5])
        if tag == F.REC_FENCE:
            return Fence(offset, t, v[1], self._stack(v[2]), v[3])
        if tag == F.REC_SYNC_OBJECT:
            return SyncObject(offset, t, v[1], self._stack(v[2]),
                              _kind(F.SYNC_KINDS, v[3]), v[4],
                              self._string(v[5]), v[6])
        # F.REC_END
        self.end = End(offset, t, *v[1:12])
        if len(v) >= 16:
            # A value a newer minor added reads as not known here.
            self.end.ending = (F.ENDINGS[v[12]] if v[12] < len(F.ENDINGS)
                               else "unknown")
            self.end.code, self.end.thread = v[13], v[14]
            self.end.stack = self._stack(v[15])
        return self.end

    def _race(self, offset: int, t: int, v: List[int]) -> Race:
        # Two lists of locks, each announced by a count: a count is only
        # believed once the payload holds that many fields.
        n = v[13]
        if len(v) < 15 + n:
            raise _Bad(f"{n} locks announced, {len(v) - 15} present")
        locks = tuple(v[14:14 + n])
        m = v[14 + n]
        if len(v) < 15 + n + m:
            raise _Bad(f"{m} other locks announced, {len(v) - 15 - n} "
                       f"present")
        other_locks: Optional[Tuple[int, ...]] = None
        if not v[5] & F.RACE_OTHER_LOCKS_UNKNOWN:
            other_locks = tuple(v[15 + n:15 + n + m])
        access = RaceAccess(v[1], self._stack(v[2]), v[4], v[5], locks)
        other = RaceAccess(v[6], self._stack(v[7]), v[8], v[9], other_locks)
        return Race(offset, t, v[3], access, other, v[10], v[11],
                    _kind(F.ACCESS_KINDS, v[12]))

    def _scan_part(self, offset: int, tag: int, v: List[int]) -> Record:
        """BLOCK_REFS, ROOT_REFS and SCAN_END: only between a SCAN and its
        SCAN_END, with the SCAN's time."""
        if self._scan is None:
            raise _Bad("outside a scan (no SCAN record before it)")
        t = self._scan[1]
        if tag == F.REC_BLOCK_REFS:
            # A count is only believed once the payload holds that many
            # fields.
            n = v[2]
            if len(v) < 3 + 3 * n:
                raise _Bad(f"{n} refs announced, {(len(v) - 3) // 3} "
                           f"present")
            return BlockRefs(offset, t, v[0],
                             _kind(F.LEAK_CLASSES, v[1], "class"),
                             tuple(Ref(*v[i:i + 3])
                                   for i in range(3, 3 + 3 * n, 3)))
        if tag == F.REC_ROOT_REFS:
            return RootRefs(offset, t, _kind(F.ROOT_KINDS, v[0]), v[1],
                            self._string(v[2]), v[3], v[4], v[5])
        self._scan = None
        return ScanEnd(offset, t, *v[:8])


def _kind(names: Tuple[str, ...], k: int, what: str = "kind") -> str:
    if k >= len(names):
        raise _Bad(f"unknown {what} {k}")
    return names[k]
