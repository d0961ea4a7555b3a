"""The constants of memscope's binary log format, mirrored from the one
definition in memscope/msc_logfmt.h (tests/test_logformat.py fails when the
two, or docs/log-format.md, disagree).  Constants only; the reader is
logreader.py."""

MAGIC = b"MSCOPE\x1a\n"
MAJOR = 1
MINOR = 13
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
REC_SYNC_OBJECT = 18
REC_SYNC = 19
REC_ATOMIC = 20
REC_FENCE = 21
REC_ACCESS = 22
REC_RESIZE = 23
REC_RACE = 24
REC_LOCK_ORDER = 25
REC_LOCKSET = 26
REC_SCAN = 27
REC_BLOCK_REFS = 28
REC_ROOT_REFS = 29
REC_SCAN_END = 30
REC_RACE_AGAIN = 31
MAX_TAG = 31

TAG_NAMES = {
    REC_HEADER: "HEADER", REC_STRING: "STRING", REC_FRAME: "FRAME",
    REC_STACK: "STACK", REC_THREAD_CREATE: "THREAD_CREATE",
    REC_THREAD_EXIT: "THREAD_EXIT", REC_THREAD_NAME: "THREAD_NAME",
    REC_SWITCH: "SWITCH", REC_ALLOC: "ALLOC", REC_FREE: "FREE",
    REC_REALLOC: "REALLOC", REC_TIME: "TIME", REC_NAME: "NAME",
    REC_UNTRACK: "UNTRACK", REC_INVALID_FREE: "INVALID_FREE",
    REC_WARNING: "WARNING", REC_END: "END",
    REC_SYNC_OBJECT: "SYNC_OBJECT", REC_SYNC: "SYNC",
    REC_ATOMIC: "ATOMIC", REC_FENCE: "FENCE", REC_ACCESS: "ACCESS",
    REC_RESIZE: "RESIZE", REC_RACE: "RACE", REC_LOCK_ORDER: "LOCK_ORDER",
    REC_LOCKSET: "LOCKSET", REC_SCAN: "SCAN", REC_BLOCK_REFS: "BLOCK_REFS",
    REC_ROOT_REFS: "ROOT_REFS", REC_SCAN_END: "SCAN_END",
    REC_RACE_AGAIN: "RACE_AGAIN",
}

# How a block was allocated (MscAllocKind).
ALLOC_KINDS = ("malloc", "calloc", "memalign", "new", "new[]",
               "new(align)", "new[](align)", "custom", "pool")
# How a block was released (MscFreeKind).
FREE_KINDS = ("free", "delete", "delete[]", "delete(align)",
              "delete[](align)", "custom", "pool")

# NAME.flags
NAME_VARIABLE = 1
NAME_HEAP = 2
NAME_POINTEE = 4
NAME_DEBUGINFO = 8

# SYNC_OBJECT.kind (MscSyncKind).
SYNC_KINDS = ("mutex", "rwlock", "spinlock", "cond", "semaphore", "barrier",
              "once", "thread")

# SYNC.op (MscSyncOp), in order.
SYNC_OPS = (
    "mutex_init", "mutex_destroy", "mutex_lock", "mutex_trylock",
    "mutex_timedlock", "mutex_unlock",
    "rwlock_init", "rwlock_destroy", "rwlock_rdlock", "rwlock_wrlock",
    "rwlock_tryrdlock", "rwlock_trywrlock", "rwlock_timedrdlock",
    "rwlock_timedwrlock", "rwlock_unlock",
    "spin_init", "spin_destroy", "spin_lock", "spin_trylock", "spin_unlock",
    "cond_init", "cond_destroy", "cond_wait", "cond_timedwait",
    "cond_signal", "cond_broadcast",
    "sem_init", "sem_destroy", "sem_wait", "sem_trywait", "sem_timedwait",
    "sem_post",
    "barrier_init", "barrier_destroy", "barrier_wait",
    "once", "join", "detach", "exit", "exit_holding",
)

# SYNC.flags
# SYNC.result of a call cancelled at a cancellation point (MSC_ECANCELED).
ECANCELED = 125
SYNC_FLAG_CONTENDED = 1
SYNC_FLAG_NOT_HELD = 2
SYNC_FLAG_HELD = 4
SYNC_FLAG_BEGIN = 8

# RACE.flags and RACE.other_flags
RACE_WRITE = 1
RACE_ATOMIC = 2
RACE_FREE = 4
RACE_OTHER_LOCKS_UNKNOWN = 8    # in RACE.flags only
RACE_UNDER_READ_LOCK = 16       # in RACE.flags only, 1.13 on: a plain
                                # write under a read lock

# ACCESS.kind (also RACE.object_kind, LOCKSET.object_kind) and ACCESS.state
ACCESS_KINDS = ("heap", "variable")
ACCESS_STATES = ("exclusive", "shared-read", "shared-modified")

# END.ending (MscEnding, format 1.10 on): how the process ended.
ENDINGS = ("unknown", "exit", "signal")
# Linux's signal numbers (END.code of a "signal" ending): the platform
# that wrote the log, whatever runs the report.
SIGNAL_NAMES = {
    1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP",
    6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1",
    11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM",
    15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT",
    19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
    23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM",
    27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
}

# SCAN.reason (MscScanReason): exit, MEMSCOPE_SNAPSHOT(), the gdbserver
# monitor command.
SCAN_REASONS = ("exit", "request", "monitor")
SCAN_EXIT = 0
# BLOCK_REFS.class (MscLeakClass): Memcheck's leak classes, in the
# header's order.
LEAK_CLASSES = ("reachable", "possible", "indirect", "definite")
# ROOT_REFS.kind: a global named from debug info, an object named through
# memscope.h.
ROOT_KINDS = ("global", "variable")
