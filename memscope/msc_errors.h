/* msc_errors.h: memscope's Valgrind errors: the one table of error kinds
   (each with the name users see, which is also its suppression kind), how
   they are recorded cheaply and described late, in text and XML through
   one emitter.  Runs on the host. */

#ifndef MSC_ERRORS_H
#define MSC_ERRORS_H

#include "msc_basics.h"
#include "msc_logfmt.h"
#include "pub_tool_execontext.h"

/* Registers the error callbacks with the core (from pre_clo_init). */
void MSC_(errors_register) ( void );

/* A free-like call of an address that is not a live block's start. */
void MSC_(error_invalid_free) ( ThreadId tid, Addr a, MscFreeKind how,
                                Bool is_realloc );

/* A block released by the wrong family (malloc/free, new/delete,
   new[]/delete[]). */
void MSC_(error_mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                                   MscAllocKind allocated_with,
                                   MscFreeKind freed_with,
                                   ExeContext* alloc_where );

/* A race hint (see msc_race.h): the current access and the earlier one
   it conflicts with, the object holding them, and the locks held. */
#define MSC_RACE_MAX_LOCKS 8
typedef struct {
   UInt  thread, other_thread;          /* memscope thread numbers */
   UInt  flags, other_flags;            /* MSC_RACE_* */
   SizeT size, other_size;
   Addr  other_addr;                    /* the earlier access's first byte */
   Addr  other_ip;                      /* its instruction */
   Addr  object;                        /* the tracked object's start */
   SizeT object_size;
   UInt  object_kind;                   /* MSC_ACCESS_* */
   const HChar* object_name;            /* NULL: unnamed */
   ExeContext*  alloc_where;            /* heap blocks */
   UInt  n_locks, n_other_locks;
   Addr  locks[MSC_RACE_MAX_LOCKS], other_locks[MSC_RACE_MAX_LOCKS];
} MscRaceInfo;

/* Reports a race hint at `where` (tid's current stack); False when a
   suppression matched it. */
Bool MSC_(error_race) ( ThreadId tid, Addr a, ExeContext* where,
                        const MscRaceInfo* info );

/* A lock-order violation: tid acquires `lock` at `where` while holding
   `held` (acquired at held_stack); earlier, first_stack acquired `lock`
   and then second_stack acquired `next`: `held` itself, or the first lock
   of a chain of such orders that ends at `held`.  Stacks are log stack
   ids.  False when suppressed. */
Bool MSC_(error_lock_order) ( ThreadId tid, ExeContext* where, Addr lock,
                              Addr held, UInt held_stack, Addr next,
                              UInt first_stack, UInt second_stack );

/* Eraser's lockset hint: the object [obj, obj+size) is shared and
   modified, and no lock was held at every access since it became
   shared.  False when suppressed. */
Bool MSC_(error_lockset) ( ThreadId tid, ExeContext* where, Addr obj,
                           SizeT size, const HChar* name );

#endif /* MSC_ERRORS_H */
