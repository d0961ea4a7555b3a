/* msc_access.h: which threads read and write which objects (heap blocks,
   variables named through memscope.h or met through debug info, and
   stack frames another thread came to see), with --track-access=yes.  Owns
   the interval index of tracked objects and, per object, the Eraser state
   (exclusive, shared-read, shared-modified), per-thread read, write,
   atomic and locked counts, first and last access, and the locks held in
   common.  Summaries go to the log (ACCESS records) when an object ends
   and at exit, never one record per access.  Instrumentation on the host;
   the counting helpers run from generated code. */

#ifndef MSC_ACCESS_H
#define MSC_ACCESS_H

#include "msc_basics.h"
#include "msc_objects.h"
#include "pub_tool_execontext.h"
#include "pub_tool_tooliface.h"

void MSC_(access_init) ( void );

/* Observes tracked objects (msc_objects.h): an object that starts is
   tracked (a nested one, a chunk of a custom allocator or memory pool or
   a name, kept where nesting is resolved: the ordered index); a name is
   kept for race hints; an object that ends has its summary written, and
   a heap block's free is checked as a write of all of it. */
extern const MscObjectObserver MSC_(access_objects);

/* Forget the access history of [a, a+len) (annotations that declare
   memory new). */
void MSC_(access_clean) ( Addr a, SizeT len );

/* A thread exits: the named variables of its stack stop being tracked
   (a new thread may get the same stack). */
void MSC_(access_thread_exited) ( ThreadId tid );

/* The stack below a+len died (the core's die_mem_stack): the named
   variables in it stop being tracked, so that a later frame reusing the
   addresses is not mistaken for them. */
void MSC_(access_stack_died) ( Addr a, SizeT len );

/* Another thread is to see address a of owner's stack (the argument of
   a thread owner creates): the frame holding it is tracked from now on,
   as another thread's access there would make it. */
void MSC_(access_stack_escapes) ( ThreadId owner, Addr a );

/* The core has read the debug info of a newly mapped object (or of those
   mapped at start-up): the data sections whose globals are checked are
   read again. */
void MSC_(access_object_mapped) ( void );

/* Before the statements of a superblock: offset_SP is the guest stack
   pointer's offset in the guest state. */
void MSC_(access_sb_begin) ( const IRSB* sbIn, Int offset_SP );

/* Adds the counting calls for the loads and stores of statement i of
   sbIn (before it is copied: a load's value is not needed).  Every
   statement passes here, IMarks included. */
void MSC_(access_instrument_stmt) ( IRSB* sbOut, const IRSB* sbIn, Int i );

/* An atomic instruction at ip touched [a, a+size): counted once, as
   atomic (the load VEX makes a read-modify-write of is not counted).
   With may_track (an access that orders threads), an untracked word in
   a library's data section becomes a tracked atomic word first.
   Returns whether a is in a tracked object. */
Bool MSC_(access_atomic) ( Addr a, SizeT size, Addr ip, Bool may_track );

/* The kernel reads [a, a+len) for tid's system call (the core's
   pre_mem_read: a write(2)'s buffer, a struct passed by address), or
   wrote it (post_mem_write: a read(2)'s bytes): checked and counted as
   an access of tid at the program's line of the call.  Futex words are
   left out (the kernel reads them atomically), as is everything inside
   a call the wrappers model. */
void MSC_(access_syscall_read) ( CorePart part, ThreadId tid,
                                 const HChar* what, Addr a, SizeT len );
void MSC_(access_syscall_wrote) ( CorePart part, ThreadId tid, Addr a,
                                  SizeT len );

/* A client request is being handled: translations may be discarded
   (a stack frame that escaped in an access helper asks for it). */
void MSC_(access_between_blocks) ( void );

/* tid now runs client code (the core's start_client_code). */
void MSC_(access_thread_running) ( ThreadId tid );

/* At exit: the summaries of every object still tracked. */
void MSC_(access_fini) ( void );

#endif /* MSC_ACCESS_H */
