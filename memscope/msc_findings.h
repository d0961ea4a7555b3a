/* msc_findings.h: what the tool finds, in the words of the modules that
   find it (the race check, the lock-order graph, access tracking, the
   heap), and the one sink it goes to.  The sink is the errors module's,
   registered at start: the engine and the sources report through here
   without including the errors layer above them.  Also the small
   description interface errors read when they describe a finding late:
   sources register what they can name (a lock's variable).  Runs on the
   host. */

#ifndef MSC_FINDINGS_H
#define MSC_FINDINGS_H

#include "msc_basics.h"
#include "msc_logfmt.h"
#include "pub_tool_execontext.h"

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

/* Where findings go.  Each returns False when a suppression matched (the
   finder then logs nothing of it). */
typedef struct {
   void (*invalid_free)    ( ThreadId tid, Addr a, MscFreeKind how,
                             Bool is_realloc );
   void (*mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                             MscAllocKind allocated_with,
                             MscFreeKind freed_with, ExeContext* alloc_where );
   Bool (*race)            ( ThreadId tid, Addr a, ExeContext* where,
                             const MscRaceInfo* info );
   Bool (*lock_order)      ( ThreadId tid, ExeContext* where, Addr lock,
                             Addr held, UInt held_stack, Addr next,
                             UInt first_stack, UInt second_stack );
   Bool (*lockset)         ( ThreadId tid, ExeContext* where, Addr obj,
                             SizeT size, const HChar* name );
} MscFindingSink;

/* Set once, before the client runs (the errors module does). */
void MSC_(findings_set_sink) ( const MscFindingSink* sink );

/* A free-like call of an address that is not a live block's start. */
void MSC_(finding_invalid_free) ( ThreadId tid, Addr a, MscFreeKind how,
                                  Bool is_realloc );

/* A block released by the wrong family (malloc/free, new/delete,
   new[]/delete[]). */
void MSC_(finding_mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                                     MscAllocKind allocated_with,
                                     MscFreeKind freed_with,
                                     ExeContext* alloc_where );

/* A race hint at `where` (tid's current stack). */
Bool MSC_(finding_race) ( ThreadId tid, Addr a, ExeContext* where,
                          const MscRaceInfo* info );

/* A lock-order violation: tid acquires `lock` at `where` while holding
   `held` (acquired at held_stack); earlier, first_stack acquired `lock`
   and then second_stack acquired `next`: `held` itself, or the first lock
   of a chain of such orders that ends at `held`.  Stacks are log stack
   ids. */
Bool MSC_(finding_lock_order) ( ThreadId tid, ExeContext* where, Addr lock,
                                Addr held, UInt held_stack, Addr next,
                                UInt first_stack, UInt second_stack );

/* Eraser's lockset hint: the object [obj, obj+size) is shared and
   modified, and no lock was held at every access since it became
   shared. */
Bool MSC_(finding_lockset) ( ThreadId tid, ExeContext* where, Addr obj,
                             SizeT size, const HChar* name );

/* ---- description, late ------------------------------------------------------ */

/* The name of the lock at `addr` (its variable's, from debug info), or
   NULL: registered by the module that tracks synchronisation objects. */
typedef const HChar* (*MscLockNamer) ( Addr addr );
void MSC_(findings_set_lock_namer) ( MscLockNamer namer );
const HChar* MSC_(finding_lock_name) ( Addr addr );

#endif /* MSC_FINDINGS_H */
