/* msc_hb.h: the happens-before engine.  Owns a vector clock per thread
   (indexed by memscope's thread numbers, which are never reused, so a new
   thread in a recycled Valgrind slot never inherits a dead thread's
   history) and one per synchronisation object (keyed by an address:
   a mutex, a condition variable, an atomic location, an annotation's
   address).  A point in a thread's history is an epoch: the thread's
   number and its own clock component then.  Releases join the thread's
   clock into the object's and start a new epoch; acquires join the
   object's clock into the thread's.  Knows nothing else of the tool.
   Runs on the host. */

#ifndef MSC_HB_H
#define MSC_HB_H

#include "msc_basics.h"

void MSC_(hb_init) ( void );

/* Thread `child` starts: everything `parent` did so far happens before
   it (parent 0: a thread without a parent, the main thread or the one
   thread of a forked child).  The parent starts a new epoch. */
void MSC_(hb_thread_start) ( UInt parent, UInt child );

/* `joiner` joined `joined`: everything the joined thread did happens
   before what the joiner does next. */
void MSC_(hb_thread_joined) ( UInt joiner, UInt joined );

/* `thread` has ended and nobody will join it (it was detached): its clock
   is freed (its epochs, kept elsewhere, are compared with other threads'
   clocks, never with its own). */
void MSC_(hb_thread_gone) ( UInt thread );

/* Release and acquire on the object at `obj`. */
void MSC_(hb_release) ( UInt thread, Addr obj );
void MSC_(hb_acquire) ( UInt thread, Addr obj );

/* A shared acquire (a read lock): `thread`'s reads see everything
   released into `obj`, its writes do not, until every shared hold it
   took has ended (MSC_(hb_shared_end), one per shared acquire).  Its
   other acquires meanwhile order both. */
void MSC_(hb_acquire_shared) ( UInt thread, Addr obj );
void MSC_(hb_shared_end) ( UInt thread );

/* A release found after the fact: `thread`'s history up to epoch
   (thread, clock) happens before later acquires of `obj`. */
void MSC_(hb_release_epoch) ( Addr obj, UInt thread, UInt clock );

/* The object at `obj` is gone (destroyed, freed): its clock is dropped,
   so that a new object at the address starts without history. */
void MSC_(hb_forget) ( Addr obj );

/* Every object clock keyed in [lo, hi) is dropped (a freed block). */
void MSC_(hb_forget_range) ( Addr lo, Addr hi );

/* Starts a new epoch of `thread` without ordering anything (the locks it
   holds changed, and race reports name the locks per epoch). */
void MSC_(hb_tick) ( UInt thread );

/* `thread`'s current epoch clock. */
UInt MSC_(hb_now) ( UInt thread );

/* Whether epoch (earlier, clock) happens before `thread`'s present:
   `thread` itself, or its clock has seen that epoch. */
Bool MSC_(hb_ordered) ( UInt earlier, UInt clock, UInt thread );

/* The same for a write by `thread`: during shared holds, with the clock
   its writes use (see MSC_(hb_acquire_shared)). */
Bool MSC_(hb_ordered_writes) ( UInt earlier, UInt clock, UInt thread );

/* The library view.  A lock the C library takes inside its own calls (a
   stream's, in printf) orders only what the library does under it: the
   buffer and the state of the stream, not what the program did before
   calling.  Its release publishes the thread's clock and library view
   into `obj`; its acquire joins `obj` into the thread's library view
   only, which MSC_(hb_ordered_library) consults for the library's own
   accesses. */
void MSC_(hb_release_library) ( UInt thread, Addr obj );
void MSC_(hb_acquire_library) ( UInt thread, Addr obj );
/* Whether epoch (earlier, clock) happens before an access the library
   makes for itself in `thread`'s present: ordered, or seen through the
   thread's library view. */
Bool MSC_(hb_ordered_library) ( UInt earlier, UInt clock, UInt thread );
#endif /* MSC_HB_H */
