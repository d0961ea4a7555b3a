/* msc_sync.h: synchronisation objects (mutexes, rwlocks, spinlocks,
   condition variables, semaphores, barriers, once controls) as the
   preload's wrappers report them: who holds each lock, contention, wait
   and hold times, misuse hints; every completed call goes to the log as a
   SYNC record.  Runs on the host. */

#ifndef MSC_SYNC_H
#define MSC_SYNC_H

#include "msc_basics.h"

void MSC_(sync_init) ( void );

/* From the dispatcher: a wrapped call begins (`other`: the mutex of a
   condition wait, the pthread_t of a join) and returns. */
void MSC_(sync_pre)  ( ThreadId tid, UWord op, Addr obj, UWord other );
void MSC_(sync_post) ( ThreadId tid, UWord op, Addr obj, UWord result,
                       UWord value );

/* pthread_once's trampoline: the routine of tid's innermost pending
   pthread_once (0: none), and its end (a release on the control). */
UWord MSC_(sync_once_run)  ( ThreadId tid );
void  MSC_(sync_once_done) ( ThreadId tid );

/* A synchronisation call the program announces through an annotation
   instead of making it through pthreads (a home-made lock or semaphore):
   handled as if the wrappers had seen it begin and succeed, except that
   the object's bytes stay checked (its layout is the program's). */
void MSC_(sync_annotated) ( ThreadId tid, UWord op, Addr obj, UWord value );

/* The thread is exiting: every lock it still holds gets a hint. */
void MSC_(sync_thread_exit) ( ThreadId tid );

/* Whether a synchronisation object starts at addr. */
Bool MSC_(sync_object_at) ( Addr addr );
/* Whether addr lies inside a reader-writer lock the tool knows. */
Bool MSC_(sync_in_rwlock) ( Addr addr );

/* The name debug info gives the synchronisation object at addr, NULL
   when none (or unknown). */
const HChar* MSC_(sync_lock_name) ( Addr addr );

/* Completed synchronisation calls so far. */
ULong MSC_(sync_calls) ( void );

#endif /* MSC_SYNC_H */
