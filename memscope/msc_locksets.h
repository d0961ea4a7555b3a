/* msc_locksets.h: the locks each thread holds now, per Valgrind
   ThreadId: kept by the synchronisation module as calls complete, read
   by the race check (the locks a hint lists) and by access tracking
   (Eraser's locksets).  Part of the engine: it names no module above.
   Runs on the host. */

#ifndef MSC_LOCKSETS_H
#define MSC_LOCKSETS_H

#include "msc_basics.h"

/* A thread holding more keeps only the first ones. */
#define MSC_MAX_HELD 16

void MSC_(locksets_init) ( void );

/* `lock` is held by tid now. */
void MSC_(lockset_add) ( ThreadId tid, Addr lock );

/* tid no longer holds `lock`; whether it did. */
Bool MSC_(lockset_remove) ( ThreadId tid, Addr lock );

/* The locks tid holds (addresses), and how many. */
UInt MSC_(lockset_of) ( ThreadId tid, const Addr** locks );

/* How many locks each ThreadId holds: read at every access by the
   access counter, so an array rather than a call. */
extern UInt* MSC_(lockset_n);

#endif /* MSC_LOCKSETS_H */
