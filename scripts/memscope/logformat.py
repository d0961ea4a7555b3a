"""The constants of memscope's binary log format, mirrored from the one
definition in memscope/msc_logfmt.h (tests/test_logformat.py fails when the
two, or docs/log-format.md, disagree).  Constants only; the reader is
logreader.py."""

MAGIC = b"MSCOPE\x1a\n"
MAJOR = 1
MINOR = 1
PREAMBLE_LEN = 12
MAX_RECORD_SZB = 16 * 1024 * 1024

# Record tags (MscRecTag).
REC_HEADER = 1
REC_STRING = 2
REC_FRAME = 3
REC_STACK = 4
REC_THREAD_CREATE = 5
REC_THREAD_EXIT = 6
REC_THREAD_NAME = 7
REC_SWITCH = 8
REC_ALLOC = 9
REC_FREE = 10
REC_REALLOC = 11
REC_TIME = 12
REC_NAME = 13
REC_UNTRACK = 14
REC_INVALID_FREE = 15
REC_WARNING = 16
REC_END = 17
MAX_TAG = 17

TAG_NAMES = {
    REC_HEADER: "HEADER", REC_STRING: "STRING", REC_FRAME: "FRAME",
    REC_STACK: "STACK", REC_THREAD_CREATE: "THREAD_CREATE",
    REC_THREAD_EXIT: "THREAD_EXIT", REC_THREAD_NAME: "THREAD_NAME",
    REC_SWITCH: "SWITCH", REC_ALLOC: "ALLOC", REC_FREE: "FREE",
    REC_REALLOC: "REALLOC", REC_TIME: "TIME", REC_NAME: "NAME",
    REC_UNTRACK: "UNTRACK", REC_INVALID_FREE: "INVALID_FREE",
    REC_WARNING: "WARNING", REC_END: "END",
}

# How a block was allocated (MscAllocKind).
ALLOC_KINDS = ("malloc", "calloc", "memalign", "new", "new[]",
               "new(align)", "new[](align)")
# How a block was released (MscFreeKind).
FREE_KINDS = ("free", "delete", "delete[]", "delete(align)",
              "delete[](align)")

# NAME.flags
NAME_VARIABLE = 1
NAME_HEAP = 2
NAME_POINTEE = 4
