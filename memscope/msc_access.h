/* msc_access.h: which threads read and write which objects (heap blocks
   and variables named through memscope.h), with --track-access=yes.  Owns
   the interval index of tracked objects and, per object, the Eraser state
   (exclusive, shared-read, shared-modified), per-thread read, write,
   atomic and locked counts, first and last access, and the locks held in
   common.  Summaries go to the log (ACCESS records) when an object ends
   and at exit, never one record per access.  Instrumentation on the host;
   the counting helpers run from generated code. */

#ifndef MSC_ACCESS_H
#define MSC_ACCESS_H

#include "msc_basics.h"
#include "pub_tool_tooliface.h"

void MSC_(access_init) ( void );

/* Kinds of tracked objects (ACCESS.kind). */
#define MSC_ACCESS_HEAP      0
#define MSC_ACCESS_VARIABLE  1

/* An object starts or ends being tracked (the heap's allocations and
   frees, memscope.h's names and untracks), `tid` being the thread that
   made it.  Ending writes its summary. */
void MSC_(access_object_new)  ( ThreadId tid, Addr start, SizeT size,
                                UInt kind );
void MSC_(access_object_gone) ( Addr start );

/* The stack below a+len died (the core's die_mem_stack): the named
   variables in it stop being tracked, so that a later frame reusing the
   addresses is not mistaken for them. */
void MSC_(access_stack_died) ( Addr a, SizeT len );

/* Adds the counting calls for the loads and stores of `st` (before it is
   copied: a load's value is not needed). */
void MSC_(access_instrument_stmt) ( IRSB* sbOut, const IRStmt* st );

/* An atomic instruction touched [a, a+size): counted once, as atomic.
   `undo_read`: VEX made it of a load (already counted as a read) and a
   CAS; the read is taken back. */
void MSC_(access_atomic) ( Addr a, SizeT size, Bool undo_read );

/* At exit: the summaries of every object still tracked. */
void MSC_(access_fini) ( void );

#endif /* MSC_ACCESS_H */
