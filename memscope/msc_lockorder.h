/* msc_lockorder.h: potential deadlocks.  Owns the lock-order graph over
   mutexes, rwlocks and spinlocks (an edge A -> B: some thread acquired B
   while holding A, with the two acquisition stacks) and which locks each
   thread holds with where it took them.  Acquiring B while holding A when
   B already reaches A in the graph is a LockOrder error, once per pair.
   Runs on the host. */

#ifndef MSC_LOCKORDER_H
#define MSC_LOCKORDER_H

#include "msc_basics.h"

void MSC_(lockorder_init) ( void );

/* tid acquired `lock` at log stack `stack` (a try-lock never blocks: it
   adds its edges but is never reported). */
void MSC_(lockorder_acquired) ( ThreadId tid, Addr lock, UInt stack,
                                Bool is_try );

/* tid released `lock` (its last hold of it). */
void MSC_(lockorder_released) ( ThreadId tid, Addr lock );

/* The lock at `lock` was destroyed: it leaves the graph. */
void MSC_(lockorder_forget) ( Addr lock );

#endif /* MSC_LOCKORDER_H */
