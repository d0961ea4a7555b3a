/* msc_syncev.h: the synchronisation-event vocabulary.  Every source of
   synchronisation (the pthread wrappers' calls in msc_sync, the
   annotations of memscope.h, helgrind.h and drd.h in msc_clientreq,
   atomic instructions in msc_atomics, thread creation and exit in
   msc_main) says what happened in these words, and only these reach the
   engine: the happens-before relation and the race check (msc_race),
   the lock-order graph (msc_lockorder) and the held-lock sets
   (msc_locksets).  A new primitive speaks them; the engine does not
   change.  Runs on the host. */

#ifndef MSC_SYNCEV_H
#define MSC_SYNCEV_H

#include "msc_basics.h"

/* ---- ordering ------------------------------------------------------------ */

/* tid publishes everything it did so far into `key` (an object's
   address, or a key derived from it: a barrier round, a rwlock's
   readers). */
void MSC_(syncev_release) ( ThreadId tid, Addr key );

/* tid now sees everything released into `key`. */
void MSC_(syncev_acquire) ( ThreadId tid, Addr key );

/* A shared acquire (a read lock): tid's reads now see everything
   released into `key`, its writes not until the hold ends: a write under
   a read lock is not protected by it.  One end per shared acquire. */
void MSC_(syncev_acquire_shared) ( ThreadId tid, Addr key );
void MSC_(syncev_shared_end) ( ThreadId tid );

/* Both at once, on an atomic location (a read-modify-write). */
void MSC_(syncev_acquire_release) ( ThreadId tid, Addr key );

/* A lock the C library takes inside its own calls (a stream's, in
   printf or fputs): it orders what the library does under it (the
   stream's buffer and state), not what the program did before the call,
   which printf must not hide: the release publishes into `key`, the
   acquire gives it to tid's library view only (msc_hb.h). */
void MSC_(syncev_library_release) ( ThreadId tid, Addr key );
void MSC_(syncev_library_acquire) ( ThreadId tid, Addr key );
/* [a, a+len) holds bytes the library reads before taking such a lock,
   by design (a stream's flags and lock owner), or no longer: two of its
   own accesses there are no race. */
void MSC_(syncev_library_benign) ( Addr a, SizeT len, Bool on );
/* `lock` is the word of such a lock, or no longer: the library's plain
   loads and stores of it order its view only, as its atomics do. */
void MSC_(syncev_library_lock) ( Addr lock, Addr owner_at, Bool on );
/* `key` starts afresh: what was released into it is forgotten (an
   object destroyed or initialised again, a barrier's new round). */
void MSC_(syncev_forget) ( Addr key );

/* ---- the library's own synchronisation ------------------------------------- */

/* tid enters (or leaves) a call whose synchronisation a source models
   (a wrapped pthread or C11 call, from its PRE to its POST, or
   pthread_create): inside, the atomic instructions of the C library's
   implementation order nothing more.  Calls nest (pthread_once's routine
   may call another); leaving more than entered is ignored.  A thread
   starts and is born outside. */
void MSC_(syncev_primitive_enter) ( ThreadId tid );
void MSC_(syncev_primitive_leave) ( ThreadId tid );
/* Whether tid is inside such a call now. */
Bool MSC_(syncev_in_primitive) ( ThreadId tid );
/* tid starts afresh (a new thread in the slot). */
void MSC_(syncev_primitive_reset) ( ThreadId tid );

/* ---- locks ------------------------------------------------------------------ */

/* tid now holds `lock` (its first hold of it), taken at log stack
   `stack`; a try-lock never waits. */
void MSC_(syncev_lock_taken) ( ThreadId tid, Addr lock, UInt stack,
                               Bool is_try );

/* tid released its last hold of `lock`. */
void MSC_(syncev_lock_given_up) ( ThreadId tid, Addr lock );

/* tid no longer holds `lock`, without releasing it (it exits holding
   it, or the lock was destroyed or initialised again); nothing when it
   did not hold it. */
void MSC_(syncev_lock_lost) ( ThreadId tid, Addr lock );

/* tid holds no lock any more (it exits): whatever its held set still
   has (a lock freed while held) must not pass to the next thread in its
   slot. */
void MSC_(syncev_all_locks_lost) ( ThreadId tid );

/* The lock at `lock` is gone: it leaves the lock-order graph. */
void MSC_(syncev_lock_gone) ( Addr lock );

/* ---- threads ---------------------------------------------------------------- */

void MSC_(syncev_thread_started) ( ThreadId parent, ThreadId child );
/* The joined thread's whole history happens before the joiner's next
   step. */
void MSC_(syncev_thread_joined) ( ThreadId joiner, UInt joined_serial );
/* A thread nobody will join has ended. */
void MSC_(syncev_thread_gone) ( UInt serial );

/* ---- regions not checked ---------------------------------------------------- */

/* tid stops (or resumes) having its reads, or its writes, checked. */
void MSC_(syncev_ignore) ( ThreadId tid, Bool reads, Bool ignore );

/* Accesses to [a, a+len) race by intent (an annotated benign race), or
   no longer. */
void MSC_(syncev_benign) ( Addr a, SizeT len, Bool benign );

/* ---- the objects' own bytes ------------------------------------------------- */

/* [a, a+len) holds a synchronisation object the wrappers see (or no
   longer): inside the calls they model, the library's own accesses
   there follow its protocol and are not checked. */
void MSC_(syncev_object_bytes) ( Addr a, SizeT len, Bool on );

/* A wrapped call of tid uses the object at [a, a+len): an atomic access
   of its bytes, or for an init or a destroy (rewrite) a plain write of
   them, checked like the program's own (a free, a re-init or an
   overwrite while another thread still uses the object is a race).
   The access tracker, which knows the tracked objects, registers the
   function that checks it; until then (without --track-access) a use is
   nothing. */
typedef void (*MscObjectUser) ( ThreadId tid, Addr a, SizeT len,
                                Bool rewrite );
void MSC_(syncev_set_object_user) ( MscObjectUser user );
void MSC_(syncev_object_used) ( ThreadId tid, Addr a, SizeT len,
                                Bool rewrite );

#endif /* MSC_SYNCEV_H */
