/* msc_race.h: race hints.  Owns the shadow state of tracked objects (per
   8-byte granule, a few cells, each one access: thread, epoch, bytes,
   read or write, atomic or not, instruction), the atomic locations, the
   benign ranges and per-thread ignore switches, and the history of the
   locks each thread held per epoch.  Checks each access against the
   cells with the happens-before engine (msc_hb) and reports conflicts
   as Valgrind errors (msc_errors) and RACE records.  Runs on the host;
   race_access runs from the access tracker's helpers, once per load or
   store of a tracked object. */

#ifndef MSC_RACE_H
#define MSC_RACE_H

#include "msc_basics.h"
#include "pub_tool_execontext.h"

typedef struct _MscShadow MscShadow;

/* A tracked object as the race checker sees it.  The access tracker owns
   it; msc_race owns `shadow`. */
typedef struct {
   Addr         start;
   SizeT        size;          /* at least 1; a global's grows */
   UChar        kind;          /* MSC_ACCESS_* */
   const HChar* name;          /* the program's or debug info's; NULL */
   ExeContext*  alloc_where;   /* heap blocks: allocation stack; else NULL */
   MscShadow*   shadow;        /* NULL until the first checked access */
} MscRaceObject;

/* After the options: race hints need --track-access=yes. */
void MSC_(race_init) ( void );
extern Bool MSC_(race_active);

/* A load or store of [a, a+size) inside `o` by tid, at instruction ip. */
void MSC_(race_access) ( MscRaceObject* o, ThreadId tid, Addr a, SizeT size,
                         Bool is_write, Bool is_atomic, Addr ip );

/* `o` ends.  freed_by: the thread freeing a heap block (the free is a
   write of every byte, checked first), VG_INVALID_THREADID when the
   object only stops being tracked.  Its shadow is dropped. */
void MSC_(race_object_gone) ( MscRaceObject* o, ThreadId freed_by );

/* Forget the history of [a, a+len) inside `o` (ANNOTATE_NEW_MEMORY,
   VALGRIND_HG_CLEAN_MEMORY): as if freshly allocated. */
void MSC_(race_object_clean) ( MscRaceObject* o, Addr a, SizeT len );

/* An atomic read-modify-write on a (any address, tracked or not): an
   acquire and a release on it. */
void MSC_(race_rmw) ( ThreadId tid, Addr a );

/* Ordering events. */
void MSC_(race_thread_start)  ( ThreadId parent, ThreadId child );
void MSC_(race_thread_joined) ( ThreadId joiner, UInt joined_serial );
/* A detached thread has ended: its clock goes (see msc_hb.h). */
void MSC_(race_thread_gone)   ( UInt serial );
void MSC_(race_release) ( ThreadId tid, Addr obj );
void MSC_(race_acquire) ( ThreadId tid, Addr obj );
void MSC_(race_forget)  ( Addr obj );
/* The set of locks tid holds changed (msc_sync's held set is current). */
void MSC_(race_locks_changed) ( ThreadId tid );

/* Annotations: races on [a, a+len) are intended (or no longer); the
   thread stops (or resumes) recording its reads or writes. */
void MSC_(race_benign) ( Addr a, SizeT len, Bool benign );
void MSC_(race_ignore) ( ThreadId tid, Bool reads, Bool ignore );

/* tid's current epoch clock (0 when nothing keeps the relation), and
   whether epoch (thread, clock) happens before tid's present: for the
   lockset hints, which skip accesses ordered after every other one. */
UInt MSC_(race_epoch) ( ThreadId tid );
Bool MSC_(race_ordered_before) ( UInt thread, UInt clock, ThreadId tid );

/* Race hints reported (not suppressed) so far. */
ULong MSC_(race_hints_count) ( void );

#endif /* MSC_RACE_H */
