/* msc_atomics.h: atomic instructions, seen in the IR: compare-and-swap
   (Ist_CAS, which on amd64 also carries LOCK-prefixed read-modify-write
   instructions and XCHG), load-linked/store-conditional (Ist_LLSC) and
   memory fences (Ist_MBE).  Counted per thread, code site and address;
   the counts go to the log as summaries (ATOMIC and FENCE records) when
   the block holding the address is freed and at exit, never one record
   per instruction.  Instrumentation on the host; counting helpers run
   from generated code. */

#ifndef MSC_ATOMICS_H
#define MSC_ATOMICS_H

#include "msc_basics.h"
#include "msc_objects.h"
#include "pub_tool_tooliface.h"

void MSC_(atomics_init) ( void );

/* Per-superblock state of the instrumenter. */
typedef struct {
   IRExpr** loaded_from;   /* temp -> the address it was loaded from */
   UInt*    loaded_in;     /* temp -> the instruction (insn) loading it */
   UInt     n_temps;
   UInt     insn;          /* instructions seen so far in the block */
   Addr     ip;            /* the current instruction */
} MscAtomicsSB;

void MSC_(atomics_sb_begin) ( MscAtomicsSB* sb, const IRSB* sbIn );
void MSC_(atomics_sb_end)   ( MscAtomicsSB* sb );

/* Called for each statement after it was copied to sbOut: notes IMarks
   and loads, and adds a counting call after each atomic statement. */
void MSC_(atomics_instrument_stmt) ( MscAtomicsSB* sb, IRSB* sbOut,
                                     const IRStmt* st, IRType hWordTy );

/* Observes heap blocks (msc_objects.h): a freed block's counts are
   written just before its FREE record, attributed to it. */
extern const MscObjectObserver MSC_(atomics_objects);

/* At exit: writes every count still held. */
void MSC_(atomics_fini) ( void );

/* Atomic operations counted so far (RMW, CAS, LL, SC; not fences). */
ULong MSC_(atomics_count) ( void );

#endif /* MSC_ATOMICS_H */
