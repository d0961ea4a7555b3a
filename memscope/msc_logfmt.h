/* msc_logfmt.h: the one definition of memscope's binary log format.
   Included by the writer (msc_log.c); docs/log-format.md explains it and
   scripts/memscope/logformat.py mirrors it, and a test compares all three.
   Pure definitions: no code, nothing of the tool's state.

   Layout:
     preamble   8-byte magic MSC_LOG_MAGIC, then u16 major, u16 minor
                (little-endian): 12 bytes.
     records    until the end of the file, each
                  u8 tag | uleb128 payload length | payload.
   The first record is MSC_REC_HEADER; a log that closed cleanly ends with
   MSC_REC_END.  A record cut short marks the end of a truncated log.

   Payload fields are unsigned LEB128 ("u") unless said otherwise; "z" is a
   zigzag-encoded signed LEB128; "s" is a u length followed by that many
   bytes.  Readers skip trailing payload bytes they do not know (a record
   may grow fields at its end in a minor version) and skip records whose
   tag they do not know.

   Event records start with "dt": the tool's deterministic time (guest
   instructions executed) elapsed since the previous event record.  The
   reader keeps the running sum.  STRING, FRAME, STACK and the parts of a
   heap scan after its SCAN record (BLOCK_REFS, ROOT_REFS, SCAN_END) have
   no dt: they belong to the time of the event they describe.

   Heap addresses in ALLOC, FREE, REALLOC and INVALID_FREE are coded as
   zigzag deltas from the previous heap address of those records (starting
   at 0), which keeps them to 2-3 bytes in the common case.

   Threads are named by memscope's thread number: 1 for the main thread,
   then 2, 3, ... in creation order, never reused (Valgrind's own ThreadId
   is recycled).  Strings are interned: STRING gives an id (from 1; 0 means
   none) to bytes, used by later records.  Stacks are interned the same way:
   FRAME describes a code address once, STACK lists the addresses of a call
   stack once; events name a stack id (0 means none).

   Versioning: MSC_LOG_MAJOR changes when an existing record changes
   meaning; readers reject a newer major.  MSC_LOG_MINOR grows when records
   or trailing fields are added; readers accept a newer minor and skip what
   they do not know.  Append tags, never renumber. */

#ifndef MSC_LOGFMT_H
#define MSC_LOGFMT_H

#define MSC_LOG_MAGIC      "MSCOPE\x1a\n"   /* 8 bytes, no NUL written */
#define MSC_LOG_MAGIC_LEN  8
#define MSC_LOG_MAJOR      1
#define MSC_LOG_MINOR      13
#define MSC_LOG_PREAMBLE_LEN 12
/* No record's payload is longer: a longer length is corruption, while a
   length that runs past the end of the file is truncation. */
#define MSC_LOG_MAX_RECORD_SZB (16 * 1024 * 1024)

/* Record tags. */
typedef enum {
   /* s tool_version, s platform, u pid, u ppid, u start_unix_ms,
      s exe, u argc, argc x s arg, s time_unit ("instr"),
      s out_file (the log's own path) */
   MSC_REC_HEADER = 1,
   /* u id, then the string's bytes up to the payload's end (no NUL) */
   MSC_REC_STRING = 2,
   /* u ip, u fn_str, u file_str, u dir_str, u line, u obj_str
      (ids of STRING records, 0 when debug info does not know) */
   MSC_REC_FRAME = 3,
   /* u stack_id, u n, n x u ip (innermost first; every ip has a FRAME) */
   MSC_REC_STACK = 4,
   /* u dt, u thread, u parent (0: none), u stack (creation stack) */
   MSC_REC_THREAD_CREATE = 5,
   /* u dt, u thread */
   MSC_REC_THREAD_EXIT = 6,
   /* u dt, u thread, u name_str */
   MSC_REC_THREAD_NAME = 7,
   /* u dt, u thread: from this time on `thread` runs client code (a new
      run slice); written only when the running thread changes */
   MSC_REC_SWITCH = 8,
   /* u dt, u thread, u stack, u kind (MSC_ALLOC_*), z addr, u size */
   MSC_REC_ALLOC = 9,
   /* u dt, u thread, u stack, u kind (MSC_FREE_*), z addr */
   MSC_REC_FREE = 10,
   /* u dt, u thread, u stack, z old_addr, z new_addr (0 when realloc
      failed and the old block stays), u new_size */
   MSC_REC_REALLOC = 11,
   /* u dt, u wall_ms: wall-clock milliseconds since the tool started */
   MSC_REC_TIME = 12,
   /* u dt, u thread, u stack, u flags (MSC_NAME_*), u addr, u size,
      u name_str, u type_str */
   MSC_REC_NAME = 13,
   /* u dt, u thread, u addr */
   MSC_REC_UNTRACK = 14,
   /* u dt, u thread, u stack, u kind (MSC_FREE_*), z addr: a free of an
      address that is not a live block (counted as a free, as Memcheck
      counts it; the block table is left unchanged) */
   MSC_REC_INVALID_FREE = 15,
   /* u dt, u thread, u text_str: a warning the tool printed (bad client
      request, ...) */
   MSC_REC_WARNING = 16,
   /* u dt, u allocs, u frees, u bytes_allocated, u peak_bytes,
      u peak_blocks, u peak_time, u live_blocks, u live_bytes,
      u threads, u wall_ms, u log_write_us (from 1.1: microseconds spent
      writing the log before this record), u ending (from 1.10: how the
      process ended, MSC_ENDING_*), u code (from 1.10: the exit status
      for an exit, the signal number for a signal, 0 when not known),
      u thread (from 1.10: the thread that exited or that the signal
      struck, 0 when not known), u stack (from 1.10: that thread's stack
      where the signal struck, 0 for an exit): the tool's own totals at
      exit */
   MSC_REC_END = 17,
   /* u dt, u thread, u stack, u kind (MSC_SYNC_KIND_*), u addr, u name_str,
      u subtype: format 1.2 on.  A synchronisation object seen for the
      first time, or again after an init; name_str is the variable's name
      from debug info, 0 when none; subtype is the mutex type from
      pthread_mutexattr_gettype, 0 otherwise. */
   MSC_REC_SYNC_OBJECT = 18,
   /* u dt, u thread, u stack, u op (MSC_SYNC_*), u addr, u result,
      u span, u flags (MSC_SYNC_FLAG_*), u arg: format 1.2 on.  A
      completed synchronisation call; releases and semaphore posts are
      logged when they begin, with result 0, so that they come before the
      wake-ups they cause.  span: for an acquisition or a wait, the time
      since the call began; for a release, how long it was held.  arg: the
      mutex of a condition wait, the count of a barrier, the value of a
      semaphore, the thread joined; else 0. */
   MSC_REC_SYNC = 19,
   /* u dt, u thread, u stack, u addr, u size, u rmw, u cas_ok,
      u cas_failed, u ll, u sc_ok, u sc_failed, u block: format 1.3 on.
      What one thread's atomic instructions at one code site (stack: that
      one frame) did to one address: read-modify-writes (LOCK-prefixed
      instructions, XCHG), compare-and-swaps that succeeded and failed,
      load-linked, store-conditionals that succeeded and failed.  block:
      the start of the heap block holding addr, 0 when none.  Written just
      before the FREE or REALLOC record of that block, and at exit. */
   MSC_REC_ATOMIC = 20,
   /* u dt, u thread, u stack, u count: format 1.3 on.  Memory fences
      one thread executed at one code site, written at exit. */
   MSC_REC_FENCE = 21,
   /* u dt, u thread, u addr, u size, u kind, u state, u reads, u writes,
      u read_bytes, u write_bytes, u atomic, u locked, u first, u last,
      u n_locks, n_locks x u lock: format 1.4 on, with --track-access=yes.
      One thread's accesses to one tracked object (kind 0: a heap block
      starting at addr; 1: a variable named through memscope.h): loads
      and stores with their bytes, atomic instructions (counted once,
      not also as a load), accesses made while holding a lock, the times
      of the first and last.  state is the object's Eraser state
      (0 exclusive, 1 shared-read, 2 shared-modified); the locks are those
      held at every access since it became shared.  Written when the
      object ends (just before its FREE, REALLOC or UNTRACK record) and
      at exit. */
   MSC_REC_ACCESS = 22,
   /* u dt, u thread, u stack, u addr, u old_size, u new_size: format 1.6
      on.  VALGRIND_RESIZEINPLACE_BLOCK: a custom allocator's block
      changed size where it is; not an allocation nor a free (Memcheck
      does not count it either). */
   MSC_REC_RESIZE = 23,
   /* u dt, u thread, u stack, u addr, u size, u flags (MSC_RACE_*),
      u other_thread, u other_stack, u other_size, u other_flags,
      u object, u object_size, u object_kind, u n_locks, n_locks x u lock,
      u n_other_locks, n_other_locks x u other_lock: format 1.7 on.  A
      race hint: `thread` accessed [addr, addr+size) at `stack`, and
      `other_thread` had accessed overlapping bytes at other_stack (one
      frame: the instruction) with neither ordered before the other by
      the happens-before relation, at least one of them a write, not both
      atomic.  object: the start of the tracked object holding addr (kind
      as ACCESS.kind), object_size its size then.  The locks each side
      held; the other side's are unknown when MSC_RACE_OTHER_LOCKS_UNKNOWN
      is set.  Written once per pair of source lines and object (the
      first time), as the Valgrind error is reported; the RACE records of
      a log are numbered from 1 in their order (RACE_AGAIN names them). */
   MSC_REC_RACE = 24,
   /* u dt, u thread, u stack, u lock, u held, u held_stack, u first_stack,
      u second_stack: format 1.7 on.  A lock-order violation (a potential
      deadlock): `thread` acquires `lock` at `stack` while holding `held`
      (acquired at held_stack), but earlier `lock` was held when `held` was
      acquired: first_stack acquired `lock`, then second_stack acquired
      `held` or, when the order comes through a chain of locks, the
      chain's next lock.  Written once per pair of locks. */
   MSC_REC_LOCK_ORDER = 25,
   /* u dt, u thread, u stack, u object, u object_size, u object_kind:
      format 1.7 on, with --lockset-hints=yes.  Eraser's lockset hint: the
      object became shared and modified, and no lock was held at every
      access since it became shared; `stack` is the access that emptied
      the set.  Once per object. */
   MSC_REC_LOCKSET = 26,
   /* u dt, u thread, u stack, u reason (MSC_SCAN_*), u blocks, u bytes:
      format 1.8 on.  A scan of the heap begins: every live block's
      pointers to other live blocks, and what the roots (the program's
      writable memory outside the heap, every thread's stack above its
      stack pointer, and registers) reach, classified as Memcheck's leak
      check does.  The BLOCK_REFS and ROOT_REFS records up to the
      SCAN_END record describe the heap at this time; blocks and bytes
      (requested sizes) are what the scan covers. */
   MSC_REC_SCAN = 27,
   /* u addr, u class (MSC_LEAK_*), u n, n x (u to, u starts, u interiors):
      format 1.8 on, between SCAN and SCAN_END: one live block (starting at
      addr), its class, and the live blocks its aligned words point to:
      `starts` words hold the target's start address, `interiors` an
      address inside it.  Every live block has one record. */
   MSC_REC_BLOCK_REFS = 28,
   /* u kind (MSC_ROOT_*), u root, u name_str, u to, u starts,
      u interiors: format 1.8 on, between SCAN and SCAN_END: a named root
      pointing into live block `to`: a global of the program (kind 0;
      root is the global's start, name_str its name from debug info) or
      an object named through memscope.h (kind 1; root its start,
      name_str its name).  Stacks, registers and unnamed memory reach
      blocks too (they decide the classes) without a record. */
   MSC_REC_ROOT_REFS = 29,
   /* u definite_blocks, u definite_bytes, u indirect_blocks,
      u indirect_bytes, u possible_blocks, u possible_bytes,
      u reachable_blocks, u reachable_bytes: format 1.8 on.  The scan's
      totals per class (Memcheck's LEAK SUMMARY). */
   MSC_REC_SCAN_END = 30,
   /* u dt, u thread, u stack, u hint: format 1.11 on.  The race of the
      log's hint-th RACE record happened again at another pair of
      instructions of the same two source lines on the same object, by
      `thread` at `stack`: a count, not another hint (no Valgrind
      error).  A forked child's log may name a hint of its parent's log:
      readers ignore a number they have not seen. */
   MSC_REC_RACE_AGAIN = 31
} MscRecTag;

/* Kinds of tracked objects: ACCESS.kind, RACE.object_kind,
   LOCKSET.object_kind. */
#define MSC_ACCESS_HEAP      0
#define MSC_ACCESS_VARIABLE  1

/* END.ending (format 1.10 on): how the process ended. */
typedef enum {
   MSC_ENDING_UNKNOWN = 0,  /* not seen (an older tool's log reads so) */
   MSC_ENDING_EXIT = 1,     /* exit_group or the last thread's exit */
   MSC_ENDING_SIGNAL = 2    /* killed by a signal's default action */
} MscEnding;

#define MSC_REC_MAX_TAG 31

/* How a block was allocated (ALLOC.kind). */
typedef enum {
   MSC_ALLOC_MALLOC = 0,        /* malloc, and realloc(NULL, n) */
   MSC_ALLOC_CALLOC = 1,
   MSC_ALLOC_MEMALIGN = 2,      /* memalign, posix_memalign, aligned_alloc,
                                   valloc, pvalloc */
   MSC_ALLOC_NEW = 3,           /* operator new (also nothrow) */
   MSC_ALLOC_NEW_ARRAY = 4,     /* operator new[] */
   MSC_ALLOC_NEW_ALIGNED = 5,   /* operator new(size, align_val_t) */
   MSC_ALLOC_NEW_ARRAY_ALIGNED = 6,
   MSC_ALLOC_CUSTOM = 7,        /* from 1.6: VALGRIND_MALLOCLIKE_BLOCK */
   MSC_ALLOC_POOL = 8           /* from 1.9: VALGRIND_MEMPOOL_ALLOC: a chunk
                                   of a pool, inside memory the program
                                   holds (counted as an allocation, as
                                   Memcheck counts it) */
} MscAllocKind;

/* How a block was released (FREE.kind, INVALID_FREE.kind). */
typedef enum {
   MSC_FREE_FREE = 0,           /* free, and realloc(p, 0) */
   MSC_FREE_DELETE = 1,
   MSC_FREE_DELETE_ARRAY = 2,
   MSC_FREE_DELETE_ALIGNED = 3,
   MSC_FREE_DELETE_ARRAY_ALIGNED = 4,
   MSC_FREE_CUSTOM = 5,         /* from 1.6: VALGRIND_FREELIKE_BLOCK */
   MSC_FREE_POOL = 6            /* from 1.9: a pool chunk ends
                                   (VALGRIND_MEMPOOL_FREE, _TRIM, _CHANGE,
                                   VALGRIND_DESTROY_MEMPOOL); not counted as
                                   a free, as Memcheck does not count it */
} MscFreeKind;

/* SYNC_OBJECT.kind */
typedef enum {
   MSC_SYNC_KIND_MUTEX = 0,
   MSC_SYNC_KIND_RWLOCK = 1,
   MSC_SYNC_KIND_SPINLOCK = 2,
   MSC_SYNC_KIND_COND = 3,
   MSC_SYNC_KIND_SEMAPHORE = 4,
   MSC_SYNC_KIND_BARRIER = 5,
   MSC_SYNC_KIND_ONCE = 6,
   MSC_SYNC_KIND_THREAD = 7
} MscSyncKind;

/* SYNC.op: the synchronisation calls memscope's preload library wraps.
   The preload sends these codes in its requests, the tool logs them. */
typedef enum {
   MSC_SYNC_MUTEX_INIT = 0,
   MSC_SYNC_MUTEX_DESTROY = 1,
   MSC_SYNC_MUTEX_LOCK = 2,
   MSC_SYNC_MUTEX_TRYLOCK = 3,
   MSC_SYNC_MUTEX_TIMEDLOCK = 4,
   MSC_SYNC_MUTEX_UNLOCK = 5,
   MSC_SYNC_RWLOCK_INIT = 6,
   MSC_SYNC_RWLOCK_DESTROY = 7,
   MSC_SYNC_RWLOCK_RDLOCK = 8,
   MSC_SYNC_RWLOCK_WRLOCK = 9,
   MSC_SYNC_RWLOCK_TRYRDLOCK = 10,
   MSC_SYNC_RWLOCK_TRYWRLOCK = 11,
   MSC_SYNC_RWLOCK_TIMEDRDLOCK = 12,
   MSC_SYNC_RWLOCK_TIMEDWRLOCK = 13,
   MSC_SYNC_RWLOCK_UNLOCK = 14,
   MSC_SYNC_SPIN_INIT = 15,
   MSC_SYNC_SPIN_DESTROY = 16,
   MSC_SYNC_SPIN_LOCK = 17,
   MSC_SYNC_SPIN_TRYLOCK = 18,
   MSC_SYNC_SPIN_UNLOCK = 19,
   MSC_SYNC_COND_INIT = 20,
   MSC_SYNC_COND_DESTROY = 21,
   MSC_SYNC_COND_WAIT = 22,
   MSC_SYNC_COND_TIMEDWAIT = 23,
   MSC_SYNC_COND_SIGNAL = 24,
   MSC_SYNC_COND_BROADCAST = 25,
   MSC_SYNC_SEM_INIT = 26,
   MSC_SYNC_SEM_DESTROY = 27,
   MSC_SYNC_SEM_WAIT = 28,
   MSC_SYNC_SEM_TRYWAIT = 29,
   MSC_SYNC_SEM_TIMEDWAIT = 30,
   MSC_SYNC_SEM_POST = 31,
   MSC_SYNC_BARRIER_INIT = 32,
   MSC_SYNC_BARRIER_DESTROY = 33,
   MSC_SYNC_BARRIER_WAIT = 34,
   MSC_SYNC_ONCE = 35,
   MSC_SYNC_JOIN = 36,
   MSC_SYNC_DETACH = 37,
   MSC_SYNC_EXIT = 38,
   /* Not a call: at its exit, the thread still held the lock at addr. */
   MSC_SYNC_EXIT_HOLDING = 39
} MscSyncOp;

#define MSC_SYNC_MAX_OP 39

/* SYNC.flags */
/* SYNC.result of a call cancelled (pthread_cancel) at a cancellation
   point: Linux's ECANCELED, which none of the wrapped calls returns. */
#define MSC_ECANCELED 125

#define MSC_SYNC_FLAG_CONTENDED  1u  /* another thread held the lock when
                                        this one asked for it */
#define MSC_SYNC_FLAG_NOT_HELD   2u  /* a release of a lock the thread did
                                        not hold */
#define MSC_SYNC_FLAG_HELD       4u  /* a destroy of a lock still held */
#define MSC_SYNC_FLAG_BEGIN      8u  /* not a completed call: a condition
                                        wait began and released its mutex
                                        (arg), held for span until then */

/* SCAN.reason */
typedef enum {
   MSC_SCAN_EXIT = 0,             /* the program ended */
   MSC_SCAN_REQUEST = 1,          /* MEMSCOPE_SNAPSHOT() */
   MSC_SCAN_MONITOR = 2           /* the gdbserver monitor command */
} MscScanReason;

/* BLOCK_REFS.class: Memcheck's leak classes. */
typedef enum {
   MSC_LEAK_REACHABLE = 0,        /* a chain of start pointers from a root */
   MSC_LEAK_POSSIBLE = 1,         /* reached only through interior pointers */
   MSC_LEAK_INDIRECT = 2,         /* not reached, but pointed to by a block
                                     that is lost */
   MSC_LEAK_DEFINITE = 3          /* not reached, nothing lost points to it */
} MscLeakClass;

/* ROOT_REFS.kind */
#define MSC_ROOT_GLOBAL   0
#define MSC_ROOT_VARIABLE 1

/* RACE.flags and RACE.other_flags */
#define MSC_RACE_WRITE                 1u  /* a write (else a read) */
#define MSC_RACE_ATOMIC                2u  /* an atomic access */
#define MSC_RACE_FREE                  4u  /* the access is the free of the
                                              whole block (a write) */
#define MSC_RACE_OTHER_LOCKS_UNKNOWN   8u  /* (flags only) the other side's
                                              locks were forgotten: too
                                              many lock operations since */
#define MSC_RACE_UNDER_READ_LOCK      16u  /* (flags only, 1.13 on) a plain
                                              write by a thread holding a
                                              read lock, which orders the
                                              other access before its
                                              reads only */

/* NAME.flags */
#define MSC_NAME_VARIABLE  1u   /* named by MEMSCOPE_TRACK_VAR(_TYPED) */
#define MSC_NAME_HEAP      2u   /* the address is the start of a live heap
                                   block */
#define MSC_NAME_POINTEE   4u   /* named through a tracked pointer variable:
                                   the block it pointed to */
#define MSC_NAME_DEBUGINFO 8u   /* from 1.5: not named by the program: a
                                   global that access tracking met, named
                                   from debug info (size 0: unknown); from
                                   1.12 also a frame of a thread's stack
                                   that another thread came to see,
                                   "frame of FUNCTION", with its size */

#endif /* MSC_LOGFMT_H */
