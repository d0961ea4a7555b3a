/* msc_clock.h: memscope's two clocks.  The deterministic one counts guest
   instructions executed (all threads together, as Massif's and DHAT's
   default time unit), kept by a counter that the instrumentation below
   adds to superblocks; the wall clock is the core's millisecond timer.
   The counter runs on the simulated CPU; the rest on the host. */

#ifndef MSC_CLOCK_H
#define MSC_CLOCK_H

#include "msc_basics.h"
#include "pub_tool_tooliface.h"

/* Guest instructions executed so far, by all threads: updated only by
   the instrumented guest code (one thread at a time, under Valgrind's big
   lock).  Read it through MSC_(clock_now), inline: the access tracker
   reads it at every load and store. */
extern ULong MSC_(guest_instrs);

static inline ULong MSC_(clock_now) ( void )
{
   return MSC_(guest_instrs);
}

/* Wall-clock milliseconds since Valgrind started (reads the timer). */
UInt MSC_(clock_wall_ms) ( void );

/* Adds the instruction-counter updates to `sbOut`, which is being built
   from `sbIn`: called by the instrumenter for each statement, before the
   statement is copied (counts IMarks; flushes the count before side exits)
   and once with st == NULL at the end. */
void MSC_(clock_instrument_stmt) ( IRSB* sbOut, const IRStmt* st,
                                   Int* pending_instrs );

#endif /* MSC_CLOCK_H */
