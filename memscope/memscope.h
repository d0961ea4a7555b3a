/* memscope.h: the public client-request interface of memscope, the
   Valgrind tool for memory and thread analysis.  Install it beside
   valgrind.h and include it in a program to name its variables and heap
   blocks, as memscope-rs's track_var! does in Rust.

   Every macro costs a few instructions and does nothing when the program
   does not run under Valgrind, and nothing at all when NVALGRIND is
   defined (as valgrind.h's own requests).  Names and type names are
   copied by the tool when the request is made: the strings may be freed
   afterwards.

   This header is an ABI: request codes are appended, never renumbered.

   This file is in the public domain: programs of any licence may include
   it. */

#ifndef MEMSCOPE_H
#define MEMSCOPE_H

#include "valgrind.h"

/* Request codes.  'M','S' is memscope's public base; memscope's preload
   library uses a second base of its own and never these. */
typedef enum {
   /* Name an object.
      arg1: address of the object; arg2: its size in bytes;
      arg3: its name (NUL-terminated, at most 1023 bytes are kept);
      arg4: its type name (NUL-terminated, may be NULL or "");
      arg5: flags, MEMSCOPE_FLAG_*.
      Returns 1 when the object was named, 0 when the request was bad
      (the tool prints a one-line warning and otherwise ignores it). */
   VG_USERREQ__MEMSCOPE_NAME_OBJECT = VG_USERREQ_TOOL_BASE('M', 'S'),
   /* Forget the name of the object at arg1 (the address given when it
      was named).  Returns 1 when a name was removed, 0 otherwise. */
   VG_USERREQ__MEMSCOPE_UNTRACK,
   /* Everything the calling thread did before this request happens
      before what any thread does after a later MEMSCOPE_HAPPENS_AFTER on
      the same address.  arg1: any address naming the ordering (usually
      the object published).  Returns 1. */
   VG_USERREQ__MEMSCOPE_HAPPENS_BEFORE,
   /* The calling thread acquires every MEMSCOPE_HAPPENS_BEFORE made so far
      on arg1.  Returns 1. */
   VG_USERREQ__MEMSCOPE_HAPPENS_AFTER,
   /* Races on [arg1, arg1+arg2) are intended: no race hints for them.
      arg3: the reason (NUL-terminated, may be NULL), shown by nothing but
      kept for the log's warning when the range is bad.  Returns 1 when
      the range was accepted, 0 when it was bad (empty or wrapping
      around the address space). */
   VG_USERREQ__MEMSCOPE_BENIGN_RACE,
   /* Scan the heap now (as at exit): which blocks point to which, and
      Memcheck's leak classes, into the log.  No arguments.  Returns 1. */
   VG_USERREQ__MEMSCOPE_SNAPSHOT
} Vg_MemscopeClientRequest;

/* Flags of VG_USERREQ__MEMSCOPE_NAME_OBJECT. */
/* The object is a program variable: when it is pointer-sized and holds a
   pointer to the start of a live heap block, the block is named too. */
#define MEMSCOPE_FLAG_VARIABLE 1u

/* MEMSCOPE_TRACK_VAR(var): name the variable `var` with its own identifier;
   its address and size come from the expression.  If `var` is a pointer
   to the start of a live heap block, that block gets the name too. */
#define MEMSCOPE_TRACK_VAR(var) \
   MEMSCOPE_TRACK_VAR_TYPED(var, (const char *)0)

/* MEMSCOPE_TRACK_VAR_TYPED(var, "type"): as MEMSCOPE_TRACK_VAR, with a type
   name for the report's type distribution. */
#define MEMSCOPE_TRACK_VAR_TYPED(var, type_name)                         \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_NAME_OBJECT,     \
      &(var), sizeof(var), #var, (type_name), MEMSCOPE_FLAG_VARIABLE)

/* MEMSCOPE_NAME_BLOCK(ptr, size, "name", "type"): name any memory range,
   typically a heap block; `type` may be NULL.  An empty name ("") asks
   memscope to use the global variable's name from debug info. */
#define MEMSCOPE_NAME_BLOCK(ptr, size, name, type_name)                  \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_NAME_OBJECT,     \
      (ptr), (size), (name), (type_name), 0)

/* MEMSCOPE_UNTRACK(ptr): forget the name given to the object at `ptr`.
   Freeing a heap block forgets its name by itself. */
#define MEMSCOPE_UNTRACK(ptr)                                            \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_UNTRACK,         \
      (ptr), 0, 0, 0, 0)

/* MEMSCOPE_HAPPENS_BEFORE(addr) and MEMSCOPE_HAPPENS_AFTER(addr): a
   happens-before edge memscope cannot see by itself, typically a flag
   set with a plain store-release and read with a load-acquire (x86 makes
   both ordinary moves).  Put HAPPENS_BEFORE just before the releasing
   store and HAPPENS_AFTER just after the acquiring load, with the same
   address. */
#define MEMSCOPE_HAPPENS_BEFORE(addr)                                    \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_HAPPENS_BEFORE,  \
      (addr), 0, 0, 0, 0)
#define MEMSCOPE_HAPPENS_AFTER(addr)                                     \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_HAPPENS_AFTER,   \
      (addr), 0, 0, 0, 0)

/* MEMSCOPE_BENIGN_RACE(addr, size, "reason"): races on these bytes are
   intended (a statistics counter read without a lock); memscope gives no
   race hints for them. */
#define MEMSCOPE_BENIGN_RACE(addr, size, reason)                         \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_BENIGN_RACE,     \
      (addr), (size), (reason), 0, 0)

/* MEMSCOPE_SNAPSHOT(): record the heap's pointer graph and leak classes
   now, as memscope does at exit (to see a structure before the program
   frees it, or leaks in a long-running program). */
#define MEMSCOPE_SNAPSHOT()                                              \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__MEMSCOPE_SNAPSHOT,        \
      0, 0, 0, 0, 0)

#endif /* MEMSCOPE_H */
