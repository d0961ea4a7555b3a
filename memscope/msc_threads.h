/* msc_threads.h: memscope's threads: their numbers (1 for main, then in
   creation order, never reused, unlike Valgrind's ThreadIds), parents,
   creation stacks, names, exits and run slices (which thread runs client
   code, switch by switch).  Runs on the host. */

#ifndef MSC_THREADS_H
#define MSC_THREADS_H

#include "msc_basics.h"

/* After command-line processing: sizes the tables, logs the main thread. */
void MSC_(threads_init) ( void );

/* Core callbacks. */
void MSC_(threads_ll_create) ( ThreadId parent, ThreadId child );
/* Returns whether the thread was detached: nobody will join it. */
Bool MSC_(threads_ll_exit) ( ThreadId tid );
void MSC_(threads_start_client_code) ( ThreadId tid, ULong bbs_done );

/* From the preload's pthread_create wrapper, in the parent: the thread it
   just created has pthread_t `child_handle`. */
/* `detached`: created detached (its attributes said so).  Returns the
   child's number when it was created detached and has already ended
   (its happens-before clock can go), else 0. */
UInt MSC_(threads_created) ( ThreadId parent, UWord child_handle,
                             Bool detached );

/* pthread_detach succeeded on the thread numbered `serial`: returns
   whether it has already ended (then nobody will join it: its
   happens-before clock can go). */
Bool MSC_(threads_detached) ( UInt serial );

/* The preload's pthread_create wrapper, in `parent`: the thread it is
   creating runs `start` with `arg` (kept for the child, which the core
   announces during the call; the call's end forgets it). */
void MSC_(threads_creating) ( ThreadId parent, UWord start, UWord arg );
void MSC_(threads_creating_done) ( ThreadId parent );
/* The child's start routine and argument (which 0 or 1), False when
   the thread was not made by the wrapper. */
Bool MSC_(threads_start_routine) ( ThreadId tid, UInt which, UWord* out );

/* The thread's start routine began (the preload's thread body asked for
   its argument). */
void MSC_(threads_body_begun) ( ThreadId tid );
/* Whether the thread `parent` created last has begun its start routine
   or ended (True also when there is none). */
Bool MSC_(threads_child_started) ( ThreadId parent );

/* Whether the thread numbered `serial` has ended. */
Bool MSC_(threads_ended) ( UInt serial );

/* From the preload's pthread_setname_np wrapper.  False when the target
   is not a thread memscope knows by its pthread_t. */
Bool MSC_(threads_named) ( ThreadId tid, UWord target_handle, Bool is_self,
                           const HChar* name );

/* In a forked child whose log has just started: writes the one thread
   that survives the fork (THREAD_CREATE without parent, then SWITCH). */
void MSC_(threads_restart_in_child) ( ThreadId tid );

/* Writes a THREAD_CREATE record (no parent) for every live thread, with
   its creation stack (a snapshot file starts with them). */
void MSC_(threads_log_live) ( void );

/* memscope's number of the thread Valgrind calls `tid` (0 for none). */
UInt MSC_(thread_serial) ( ThreadId tid );

/* memscope's number of the thread whose pthread_t is `handle`, 0 when
   unknown. */
UInt MSC_(thread_serial_of_handle) ( UWord handle );

/* The log id of the stack that created thread `serial` (0: the main
   thread, a forked child's thread, or unknown). */
UInt MSC_(thread_creation_stack) ( UInt serial );

/* Threads created so far, the main thread included. */
UInt MSC_(threads_count) ( void );

#endif /* MSC_THREADS_H */
