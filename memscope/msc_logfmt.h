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
   reader keeps the running sum.

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
#define MSC_LOG_MINOR      1
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
      writing the log before this record): the tool's own totals at exit */
   MSC_REC_END = 17
} MscRecTag;

#define MSC_REC_MAX_TAG 17

/* How a block was allocated (ALLOC.kind). */
typedef enum {
   MSC_ALLOC_MALLOC = 0,        /* malloc, and realloc(NULL, n) */
   MSC_ALLOC_CALLOC = 1,
   MSC_ALLOC_MEMALIGN = 2,      /* memalign, posix_memalign, aligned_alloc,
                                   valloc, pvalloc */
   MSC_ALLOC_NEW = 3,           /* operator new (also nothrow) */
   MSC_ALLOC_NEW_ARRAY = 4,     /* operator new[] */
   MSC_ALLOC_NEW_ALIGNED = 5,   /* operator new(size, align_val_t) */
   MSC_ALLOC_NEW_ARRAY_ALIGNED = 6
} MscAllocKind;

/* How a block was released (FREE.kind, INVALID_FREE.kind). */
typedef enum {
   MSC_FREE_FREE = 0,           /* free, and realloc(p, 0) */
   MSC_FREE_DELETE = 1,
   MSC_FREE_DELETE_ARRAY = 2,
   MSC_FREE_DELETE_ALIGNED = 3,
   MSC_FREE_DELETE_ARRAY_ALIGNED = 4
} MscFreeKind;

/* NAME.flags */
#define MSC_NAME_VARIABLE  1u   /* named by MEMSCOPE_TRACK_VAR(_TYPED) */
#define MSC_NAME_HEAP      2u   /* the address is the start of a live heap
                                   block */
#define MSC_NAME_POINTEE   4u   /* named through a tracked pointer variable:
                                   the block it pointed to */

#endif /* MSC_LOGFMT_H */
