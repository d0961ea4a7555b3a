"""A small encoder of memscope's log format for tests that need logs with
known answers (synthetic records the tool may not write on demand): it
writes records as msc_log.c does, and remembers where each one went."""

import random
from typing import List

from memscope import logformat as F


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def damaged(whole: bytes, start: int, cut_from: int = 0, step: int = 3,
            seed: int = 7, flips: int = 200) -> List[bytes]:
    """Damaged copies of a log: cut at every step-th byte from cut_from,
    and `flips` copies with one to three bits flipped after `start`."""
    cases = [whole[:n] for n in range(cut_from, len(whole), step)]
    rng = random.Random(seed)
    for _ in range(flips):
        data = bytearray(whole)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(start, len(data))] ^= 1 << rng.randrange(8)
        cases.append(bytes(data))
    return cases


def payload(*fields: int) -> bytes:
    """A payload of unsigned varints."""
    return b"".join(uleb(v) for v in fields)


class LogBuilder:
    """Writes a log record by record, as msc_log.c does.  `program` names
    the executable (/tmp/PROGRAM), the log and the source file of every
    frame (PROGRAM.c)."""

    def __init__(self, minor: int = F.MINOR, program: str = "race"):
        self.data = bytearray(F.MAGIC + F.MAJOR.to_bytes(2, "little")
                              + minor.to_bytes(2, "little"))
        self.program = program
        self.strings = {}
        self.heap = 0
        self.offsets = {}          # tag name: [offsets of its records]

    def raw(self, tag: int, body: bytes) -> int:
        offset = len(self.data)
        self.offsets.setdefault(F.TAG_NAMES.get(tag, tag), []).append(offset)
        self.data += bytes([tag]) + uleb(len(body)) + body
        return offset

    def rec(self, tag: int, *fields: int) -> int:
        return self.raw(tag, payload(*fields))

    def s(self, text: str) -> int:
        if not text:
            return 0
        if text not in self.strings:
            sid = self.strings[text] = len(self.strings) + 1
            self.raw(F.REC_STRING, uleb(sid) + text.encode())
        return self.strings[text]

    def header(self) -> None:
        def s(text):
            return uleb(len(text)) + text.encode()
        exe = f"/tmp/{self.program}"
        self.raw(F.REC_HEADER, s("0.1.0") + s("amd64-linux") + uleb(4242)
                 + uleb(1) + uleb(1700000000000) + s(exe)
                 + uleb(0) + s("instr") + s(f"{exe}.msc"))

    def frame(self, ip: int, fn: str, line: int) -> None:
        self.rec(F.REC_FRAME, ip, self.s(fn), self.s(f"{self.program}.c"),
                 self.s("/src"), line, self.s(f"/tmp/{self.program}"))

    def heap_addr(self, addr: int) -> int:
        delta, self.heap = addr - self.heap, addr
        return zigzag(delta)

    def alloc(self, thread, stack, addr, size, dt=10) -> int:
        return self.rec(F.REC_ALLOC, dt, thread, stack, 0,
                        self.heap_addr(addr), size)

    def free(self, thread, stack, addr, dt=10) -> int:
        return self.rec(F.REC_FREE, dt, thread, stack, 0,
                        self.heap_addr(addr))

    def access(self, thread, addr, size, kind, reads, writes, dt=0) -> int:
        return self.rec(F.REC_ACCESS, dt, thread, addr, size, kind, 2,
                        reads, writes, 4 * reads, 4 * writes, 0, 0, 100,
                        200, 0)

    def race(self, thread, stack, addr, size, flags, other_thread,
             other_stack, other_size, other_flags, obj, obj_size, obj_kind,
             locks, other_locks) -> int:
        return self.rec(F.REC_RACE, 10, thread, stack, addr, size, flags,
                        other_thread, other_stack, other_size, other_flags,
                        obj, obj_size, obj_kind, len(locks), *locks,
                        len(other_locks), *other_locks)

    def race_again(self, thread, stack, hint, dt=10) -> int:
        return self.rec(F.REC_RACE_AGAIN, dt, thread, stack, hint)

    def block_refs(self, addr, leak_class, refs) -> int:
        """refs: [(to, starts, interiors)]; leak_class a LEAK_CLASSES
        name."""
        return self.rec(F.REC_BLOCK_REFS, addr,
                        F.LEAK_CLASSES.index(leak_class), len(refs),
                        *(v for ref in refs for v in ref))

    def root_refs(self, kind, root, name, to, starts=1, interiors=0) -> int:
        return self.rec(F.REC_ROOT_REFS, F.ROOT_KINDS.index(kind), root,
                        self.s(name), to, starts, interiors)


def one_named_block(program: str, thread_name: str, function: str,
                    name: str, type_name: str = "") -> bytes:
    """A whole log of one thread (named thread_name) that allocates a
    16-byte block at 0x4000 from `function` and names it: for the tests
    that feed hostile strings to the report."""
    b = LogBuilder(program=program)
    b.header()
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.rec(F.REC_THREAD_NAME, 0, 1, b.s(thread_name))
    b.frame(0x1000, function, 3)
    b.rec(F.REC_STACK, 1, 1, 0x1000)
    b.alloc(1, 1, 0x4000, 16)
    b.rec(F.REC_NAME, 0, 1, 1, F.NAME_HEAP, 0x4000, 16, b.s(name),
          b.s(type_name))
    b.rec(F.REC_END, 0, 1, 0, 16, 16, 1, 0, 1, 16, 1, 0, 0)
    return bytes(b.data)
