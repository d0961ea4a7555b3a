/* msc_objects.h: the vocabulary of tracked objects, the memory whose
   accesses memscope follows: a heap block (from the heap's allocation
   functions and custom allocators) or a variable a program names
   (memscope.h), each announced when it starts, is named and ends.  The
   sources of objects (msc_heap, msc_names) tell it here; the modules
   that follow objects (access tracking, atomics) observe it, wired by
   msc_main.  Adding a kind of checked memory is one more source speaking
   these three calls.  Runs on the host. */

#ifndef MSC_OBJECTS_H
#define MSC_OBJECTS_H

#include "msc_basics.h"
#include "pub_tool_execontext.h"

typedef struct {
   /* [start, start+size) starts being tracked, `tid` having made it;
      kind is MSC_ACCESS_* (msc_logfmt.h); `where`: a heap block's
      allocation stack, else NULL; `nested`: it may lie inside another
      tracked object (a custom allocator's chunk, a pool's, a named
      variable). */
   void (*started) ( ThreadId tid, Addr start, SizeT size, UInt kind,
                     ExeContext* where, Bool nested );
   /* The object starting at `start` got a name. */
   void (*named)   ( Addr start, const HChar* name );
   /* It ends: `freed_by` is the thread freeing a heap block (the free is
      an access of all of it), else VG_INVALID_THREADID. */
   void (*ended)   ( Addr start, SizeT size, UInt kind, ThreadId freed_by );
} MscObjectObserver;

/* Observers are called in the order they were added (at start, before
   the client runs); any callback may be NULL. */
void MSC_(objects_observe) ( const MscObjectObserver* observer );

void MSC_(object_started) ( ThreadId tid, Addr start, SizeT size, UInt kind,
                            ExeContext* where, Bool nested );
void MSC_(object_named)   ( Addr start, const HChar* name );
void MSC_(object_ended)   ( Addr start, SizeT size, UInt kind,
                            ThreadId freed_by );

#endif /* MSC_OBJECTS_H */
